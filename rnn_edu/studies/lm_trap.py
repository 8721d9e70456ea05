"""Lesson 08's LSTM "failure" measured: a state it falls into from zeros at a blank line.

Lesson 08 (notebooks/08_capstone_char_lm.ipynb), section 6, "Plain RNN against LSTM".

The comparison runs (H = 128, Adam 5e-3, sequential partitioning, clipped at 5, 400 updates)
used to validate on one stream that starts from the zero state at the validation part's first
character, a blank line ("\\n\\nGREMIO:"). For the LSTM that start can lead into a state the model
never leaves: it then predicts almost the same character at every step and its loss climbs
above a uniform guess. What this module measures, on given weights:

    stream_profile(params, ids)      one stream from zeros: loss per character, max_j |c_t[j]|
                                     at every step, the share of saturated gates (i, f, o below
                                     SAT or above 1 - SAT) and the most frequent prediction
    start_losses(params, ids, starts, warmup)
                                     S streams side by side, stream k read from zeros from
                                     starts[k] - warmup: each one's loss per character over its
                                     last TAIL characters (of LENGTH read after the warm-up)
    trapped(losses, V)               a stream is trapped when that tail loss exceeds log V, the
                                     loss of a uniform guess (the trapped level is about 6.3,
                                     a working stream's about 2.2)
    start_points(ids, kind, n, seed) n seeded random positions of one kind: 'blank line' (two
                                     newlines, the gap between two speeches, where the validation
                                     part begins), 'line end' (a newline followed by text),
                                     'line start' (a line's first character), 'mid-line' (others)
    trap_rates(params, ids, n, seed) the share of trapped streams per kind, from zeros and after
                                     a warm-up of WARMUP characters of the text before the start
    openings(params, vocab, texts, follow)
                                     trapped or not after each opening text read from zeros
    log_probs(zs, targets)           log softmax(z)[target], for per-row losses

scripts/lm_trap_study.py trains the runs and writes rnn_edu/assets/lm_trap.json; it also ships
the seed-1 LSTM's weights at update 200 (rnn_edu/assets/lm_trap_weights.npz), which lesson 08
and tests/test_lm_trap.py measure again.
"""
import json
from importlib import resources

import numpy as np

from ..forward import forward
from ..gated_params import LSTMParams

RECORD, WEIGHTS = "lm_trap.json", "lm_trap_weights.npz"
LENGTH, TAIL, WARMUP = 300, 100, 200       # characters per stream, scored tail, warm-up
SAT = 0.01                                 # a gate is saturated below SAT or above 1 - SAT
KINDS = ("blank line", "line end", "line start", "mid-line")


def _inputs(ids, params):
    """(T, B) ids -> (T, B, V) one-hot inputs in the params' dtype."""
    return np.eye(params.n_in, dtype=params.dtype)[np.asarray(ids, np.intp)]


def log_probs(zs, targets):
    """log softmax(z)[target] in float64, for zs (..., V) and targets (...)."""
    zs = zs.astype(np.float64)
    lse = np.log(np.exp(zs - zs.max(axis=-1, keepdims=True)).sum(axis=-1)) + zs.max(axis=-1)
    return np.take_along_axis(zs, np.asarray(targets, np.intp)[..., None], axis=-1)[..., 0] - lse


def stream_profile(params, ids):
    """One stream from zeros over ids (an LSTM). Returns a dict of per-step arrays:
    loss (n,) nats, max_c (n,) = max_j |c_t[j]|, saturated (n, 3) shares of i, f, o in
    [0, SAT) or (1 - SAT, 1], and argmax (n,) the most probable next character."""
    ids = np.asarray(ids)
    fwd = forward(params, _inputs(ids[:-1, None], params))
    cs, gates = fwd.caches[0][3][:, 0], fwd.caches[0][5][:, 0]     # c_t (n, H); [i, f, g, o] (n, 4H)
    H = cs.shape[1]
    sat = [((g < SAT) | (g > 1 - SAT)).mean(axis=1) for g in (gates[:, :H], gates[:, H:2 * H], gates[:, 3 * H:])]
    zs = fwd.zs[:, 0]
    return dict(loss=-log_probs(zs, ids[1:]), max_c=np.abs(cs).max(axis=1),
                saturated=np.stack(sat, axis=1), argmax=zs.argmax(axis=1))


def start_losses(params, ids, starts, warmup=0, length=LENGTH, tail=TAIL):
    """Loss per character over the last `tail` of `length` characters read after a warm-up.

    Stream k starts from zeros at starts[k] - warmup, reads `warmup` characters unscored, then
    `length` more; all streams run side by side (B = len(starts)). Returns (len(starts),)."""
    ids, starts = np.asarray(ids), np.asarray(starts)
    if (starts - warmup).min() < 0 or starts.max() + length >= len(ids):
        raise ValueError(f"starts: expected positions in [{warmup}, {len(ids) - length - 1}], "
                         f"got {starts.min()} to {starts.max()}.")
    rows = starts[None, :] - warmup + np.arange(warmup + length)[:, None]
    fwd = forward(params, _inputs(ids[rows], params))
    lp = log_probs(fwd.zs[-tail:], ids[rows[-tail:] + 1])
    return -lp.mean(axis=0)


def trapped(losses, V):
    """True where a stream's tail loss is above log V (worse than a uniform guess)."""
    return np.asarray(losses) > np.log(V)


def start_points(ids, kind, n, seed, newline, lo=WARMUP, length=LENGTH):
    """n distinct random positions p in [lo, len(ids) - length - 1) where ids[p] is of `kind`."""
    ids = np.asarray(ids)
    p = np.arange(lo, len(ids) - length - 1)
    here, before, after = ids[p] == newline, ids[p - 1] == newline, ids[p + 1] == newline
    mask = {"blank line": here & after, "line end": here & ~after, "line start": before & ~here,
            "mid-line": ~before & ~here}
    if kind not in mask:
        raise ValueError(f"kind: expected one of {KINDS}, got {kind!r}.")
    return np.sort(np.random.default_rng(seed).choice(p[mask[kind]], n, replace=False))


def trap_rates(params, ids, n, seed, newline, kinds=KINDS):
    """{kind: (share trapped from zeros, share trapped after a WARMUP-character warm-up)}."""
    out = {}
    for i, kind in enumerate(kinds):
        starts = start_points(ids, kind, n, seed + i, newline)
        out[kind] = tuple(float(trapped(start_losses(params, ids, starts, w), params.n_out).mean())
                          for w in (0, WARMUP))
    return out


def openings(params, vocab, texts, follow):
    """{text: trapped?} for each opening text read from zeros, followed by the ids `follow`."""
    out = {}
    for text in texts:
        ids = np.concatenate([vocab.encode(text), np.asarray(follow)]).astype(np.intp)
        loss = start_losses(params, ids, np.array([0]), 0, length=len(ids) - 1)[0]
        out[text] = bool(trapped(loss, params.n_out))
    return out


def load_record():
    """The study's record (scripts/lm_trap_study.py): rnn_edu/assets/lm_trap.json as a dict."""
    path = resources.files("rnn_edu").joinpath("assets", RECORD)
    if not path.is_file():
        raise FileNotFoundError(f"rnn_edu/assets/{RECORD}: expected the record of the LSTM study, found "
                                f"no file. Run `python scripts/lm_trap_study.py` (a few minutes) to make it.")
    return json.loads(path.read_text())


def load_trapped_params():
    """The seed-1 LSTM's weights at update 200 of its comparison run (float32)."""
    path = resources.files("rnn_edu").joinpath("assets", WEIGHTS)
    if not path.is_file():
        raise FileNotFoundError(f"rnn_edu/assets/{WEIGHTS}: expected the study's weights, found no file. "
                                f"Run `python scripts/lm_trap_study.py` to make them.")
    with np.load(path) as data:
        return LSTMParams.from_named({k: data[k] for k in data.files})
