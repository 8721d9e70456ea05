"""Minibatches from one long text, in two ways (the function names are those of Dive into Deep
Learning's first edition, section 8.3, which calls the second way random sampling).

Sequential partitioning (`seq_data_iter_sequential`): the text is cut into B parallel streams,
one per batch row, and window k+1 of each stream continues exactly where window k ended. The
hidden state h_T of one window is carried into the next as a constant ("detached": no gradient
flows back across the boundary).

Random partitioning (`seq_data_iter_random`): windows start at random offsets; neighbouring
rows and consecutive batches are unrelated, so the state starts from zeros every window.

Both yield windows of ids in time-major shape: X (T, B) and Y (T, B) with Y[t] = the character
after X[t]. They are slices or small gathers of the id array: the whole text is never copied,
and never one-hot encoded. `batches(...)` adds the one-hot encoding of each window.

Lesson 08 (notebooks/08_capstone_char_lm.ipynb).
"""
import numpy as np

from ..validate import check_choice, check_positive_int

PARTITIONS = ("sequential", "random")


def _check(ids, batch_size, num_steps):
    ids = np.asarray(ids)
    if ids.ndim != 1 or not np.issubdtype(ids.dtype, np.integer):
        raise ValueError(f"ids: expected a 1-D integer array of character ids, got {ids.dtype} "
                         f"of shape {ids.shape}.")
    batch_size = check_positive_int("batch_size", batch_size)
    num_steps = check_positive_int("num_steps", num_steps)
    need = batch_size * num_steps + num_steps + 1
    if len(ids) < need:
        raise ValueError(f"ids: expected at least batch_size * num_steps + num_steps + 1 = {need} "
                         f"characters for batch_size = {batch_size}, num_steps = {num_steps}, "
                         f"got {len(ids)}.")
    return ids, batch_size, num_steps


def seq_data_iter_sequential(ids, batch_size, num_steps, rng):
    """Sequential partitioning: yields (X, Y), each (num_steps, batch_size), time-major.

    A random offset in [0, num_steps] is dropped from the start; the rest is cut into
    batch_size equal streams (row b is stream b), read num_steps characters at a time.
    Row b of one window ends where row b of the next begins.
    """
    ids, B, T = _check(ids, batch_size, num_steps)
    offset = int(rng.integers(0, T + 1))
    n = (len(ids) - offset - 1) // B * B
    Xs = ids[offset:offset + n].reshape(B, -1)                # views: no copy
    Ys = ids[offset + 1:offset + 1 + n].reshape(B, -1)
    for i in range(0, Xs.shape[1] // T * T, T):
        yield Xs[:, i:i + T].T, Ys[:, i:i + T].T              # (T, B) views


def seq_data_iter_random(ids, batch_size, num_steps, rng):
    """Random partitioning: yields (X, Y), each (num_steps, batch_size), time-major.

    After a random offset in [0, num_steps - 1], the text is cut into windows of num_steps;
    each batch takes batch_size of them in a random order (each window once per pass).
    """
    ids, B, T = _check(ids, batch_size, num_steps)
    offset = int(rng.integers(0, T))
    starts = offset + T * np.arange((len(ids) - offset - 1) // T)
    rng.shuffle(starts)
    steps = np.arange(T)
    for i in range(0, len(starts) // B * B, B):
        rows = starts[i:i + B][None, :] + steps[:, None]     # (T, B) indices of this batch only
        yield ids[rows], ids[rows + 1]


def one_hot_window(X, vocab_size, dtype=np.float32):
    """(T, B) ids -> (T, B, V) one-hot inputs, for this window only."""
    out = np.zeros(X.shape + (vocab_size,), dtype)
    np.put_along_axis(out, np.asarray(X, np.intp)[..., None], 1, axis=-1)
    return out


def batches(ids, batch_size, num_steps, vocab_size, *, partition="sequential", seed=0, dtype=np.float32):
    """One pass over `ids` in windows: yields (xs (T, B, V) one-hot, targets (T, B) ints).

    partition: 'sequential' (carry the state from each window into the next, detached)
               or 'random' (reset the state every window); see the module docstring.
    seed: the random offset (and the order, for 'random').
    """
    check_choice("partition", partition, PARTITIONS)
    vocab_size = check_positive_int("vocab_size", vocab_size)
    ids = np.asarray(ids)
    if ids.size and np.issubdtype(ids.dtype, np.integer) and ids.max() >= vocab_size:
        raise ValueError(f"ids: expected ids in [0, {vocab_size - 1}] (vocab_size = {vocab_size}), "
                         f"got a maximum of {ids.max()}.")
    rng = np.random.default_rng(seed)
    it = seq_data_iter_sequential if partition == "sequential" else seq_data_iter_random
    for X, Y in it(ids, batch_size, num_steps, rng):
        yield one_hot_window(X, vocab_size, dtype), np.asarray(Y, np.intp)
