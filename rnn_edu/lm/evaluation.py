"""How well a character model predicts held-out text: loss per character and perplexity.

    loss per char = -(1/N) sum_t log p(c_{t+1} | c_1..c_t)        (nats per character)
    perplexity    = exp(loss per char)

A model that guesses uniformly over V characters has loss log V and perplexity V: perplexity
is the number of equally likely characters the model is, on average, choosing between.
The state is carried through the whole part (one stream, B = 1), window after window, with
forward(..., h0=fwd.h_last), so this works for any cell type.

Lesson 08 (notebooks/08_capstone_char_lm.ipynb).
"""
import numpy as np

from .batching import one_hot_window
from ..forward import forward
from ..validate import check_positive_int


def log_softmax_at(zs, targets):
    """log softmax(z)[target] for zs (..., V) and integer targets (...)."""
    m = zs.max(axis=-1, keepdims=True)
    lse = np.log(np.exp(zs - m).sum(axis=-1)) + m[..., 0]
    return np.take_along_axis(zs, targets[..., None], axis=-1)[..., 0] - lse


def evaluate(params, ids, *, chunk=2000, max_chars=None, h0=None):
    """Mean cross-entropy in nats per character of predicting ids[t+1] from ids[..t].

    params: any params container (n_in = n_out = V). ids: 1-D ints, at least 2 of them.
    chunk: characters per forward call (the state is carried across chunks).
    max_chars: evaluate on the first max_chars + 1 characters only (quick checks in training).
    h0: the state to start from, for one stream (B = 1); zeros by default.
    """
    ids = np.asarray(ids)
    if ids.ndim != 1 or ids.size < 2 or not np.issubdtype(ids.dtype, np.integer):
        raise ValueError(f"ids: expected a 1-D integer array of at least 2 character ids, got "
                         f"{ids.dtype} of shape {ids.shape}.")
    V = params.n_in
    if params.n_out != V:
        raise ValueError(f"params: a character model reads and predicts the same V characters; "
                         f"expected n_out = n_in = {V}, got n_out = {params.n_out}.")
    if ids.min() < 0 or ids.max() >= V:
        raise ValueError(f"ids: expected ids in [0, {V - 1}] (V = {V}), got {ids.min()} to {ids.max()}.")
    chunk = check_positive_int("chunk", chunk)
    if max_chars is not None:
        ids = ids[:check_positive_int("max_chars", max_chars) + 1]
    total, h = 0.0, h0
    for s in range(0, len(ids) - 1, chunk):
        X = ids[s:min(s + chunk, len(ids) - 1)]
        Y = ids[s + 1:s + 1 + len(X)]
        fwd = forward(params, one_hot_window(X[:, None], V, params.dtype), h0=h)
        total -= float(log_softmax_at(fwd.zs[:, 0].astype(np.float64), Y.astype(np.intp)).sum())
        h = fwd.h_last
    return total / (len(ids) - 1)


def perplexity(loss_per_char):
    """exp(loss per character in nats)."""
    return float(np.exp(loss_per_char))
