"""Small sequence tasks, generated in code from a seed (nothing is downloaded).

All inputs are time-major: xs has shape (T, B, D).
"""
import numpy as np

from .validate import check_positive_int


def one_hot(indices, n):
    """Integer array of any shape -> float array with a trailing axis of size n."""
    return np.eye(n)[np.asarray(indices)]


def text_task(text, seq_len=None):
    """Many-to-many: predict the next character of `text`, one long sequence (B = 1).

    Returns (xs (T, 1, V), targets (T, 1), vocab) with T = len(text) - 1, V = the number
    of distinct characters; targets[t] is the index of the character after xs[t].
    """
    if not isinstance(text, str) or len(text) < 2:
        raise ValueError(f"text: expected a string of at least 2 characters, got {text!r}.")
    vocab = sorted(set(text))
    ids = np.array([vocab.index(c) for c in text])
    return one_hot(ids[:-1], len(vocab))[:, None, :], ids[1:, None], "".join(vocab)


def delayed_echo_task(batch, steps, n_symbols=4, delay=2, seed=0):
    """Many-to-many: at every step output the symbol seen `delay` steps earlier.

    Returns (xs (T, B, n_symbols) one-hot, targets (T, B)). For the first `delay` steps,
    before anything is old enough to echo, the target is symbol 0.
    """
    rng = np.random.default_rng(seed)
    ids = rng.integers(0, n_symbols, size=(steps, batch))
    targets = np.zeros_like(ids)
    targets[delay:] = ids[:-delay] if delay else ids
    return one_hot(ids, n_symbols), targets


def count_task(batch, steps, p=0.5, seed=0):
    """Many-to-one regression: how many 1s are in a random bit sequence? (a non-negative count)

    Returns (xs (T, B, 1) of 0/1, targets (B, 1) = the number of ones).
    """
    rng = np.random.default_rng(seed)
    bits = (rng.random((steps, batch, 1)) < p).astype(float)
    return bits, bits.sum(axis=0)


def cue_task(batch, gap, n_cues=2, n_distractors=2, seed=0):
    """Long-term dependency, many-to-one: recall a cue shown `gap` steps before the question.

    Step 1 shows one of n_cues cue symbols; the next `gap` steps show random distractor
    symbols; the last step shows a "?" symbol, where the answer is the cue.
    Inputs use V = n_cues + n_distractors + 1 one-hot channels: cues, distractors and "?".
    Returns (xs (gap + 2, B, V), targets (B,) = the cue).
    """
    check_positive_int("batch", batch)
    if not isinstance(gap, (int, np.integer)) or gap < 0:
        raise ValueError(f"gap: expected an integer >= 0, got {gap!r}.")
    rng = np.random.default_rng(seed)
    cues = rng.integers(0, n_cues, size=batch)
    noise = rng.integers(n_cues, n_cues + n_distractors, size=(gap, batch))
    question = np.full((1, batch), n_cues + n_distractors)
    ids = np.concatenate([cues[None], noise, question])
    return one_hot(ids, n_cues + n_distractors + 1), cues
