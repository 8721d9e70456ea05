"""How well a character model predicts held-out text: loss per character and perplexity.

    loss per char = -(1/N) sum_t log p(c_{t+1} | c_1..c_t)        (nats per character)
    perplexity    = exp(loss per char)

A model that guesses uniformly over V characters has loss log V and perplexity V: perplexity
is the number of equally likely characters the model is, on average, choosing between.

What is scored depends on where the state starts. By default (streams=1, warmup=0) the part is
read as one stream (B = 1) from the zero state, carried window after window with
forward(..., h0=fwd.h_last): every character counts, but the whole score then hangs on one
start from zeros at the part's first character. A model trained with carried state
(sequential partitioning) meets the zero state once per training row and epoch; from zeros at a
blank line, lesson 08's LSTM can fall into a state it never leaves, and the single-stream score
then measures that start, not the text (rnn_edu/studies/lm_trap.py measures it). `streams`
reads the part as S pieces side by side, and `warmup` / `context` let every scored prediction
come from a state that has first read W characters of the real text before it. train_lm
validates with warmup=200 and context = the training text's end (lm/training.py, VAL_WARMUP):
one start from zeros, mid-line, and the state carried from the training text into the part.
Works for any cell type.

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


def _stream_rows(ids, context, streams, warmup):
    """The rows to read: X, Y (W + L, S) inputs and targets; row k's last L steps are scored.

    Row 0 warms up on the last W characters of `context` (if given) or on ids[:W]; row k > 0 on
    the last W characters of piece k - 1. Each row starts from h0 (zeros) W steps before its piece.
    """
    W, S = warmup, streams
    if context is not None and W:
        if len(context) < W:
            raise ValueError(f"context: expected at least warmup = {W} characters before the part, "
                             f"got {len(context)}.")
        ids = np.concatenate([context[len(context) - W:], ids]).astype(ids.dtype)
    N = len(ids) - 1 - W                          # predictions that can be scored
    if N < S:
        raise ValueError(f"ids: expected at least streams = {S} characters to score after a warm-up "
                         f"of {W}, got {max(N, 0)}.")
    L = N // S                                    # scored per row; the last N - S L are dropped
    rows = L * np.arange(S)[None, :] + np.arange(W + L)[:, None]      # (W + L, S) positions
    return ids[rows], ids[rows + 1], L


def evaluate(params, ids, *, chunk=2000, max_chars=None, h0=None, streams=1, warmup=0,
             context=None, per_stream=False):
    """Mean cross-entropy in nats per character of predicting ids[t+1] from the text before it.

    params: any params container (n_in = n_out = V). ids: 1-D ints, at least 2 of them.
    chunk: time steps per forward call (the state is carried across chunks).
    max_chars: score at most max_chars predictions (quick checks in training).
    h0: the state to start from (B = streams rows); zeros by default.
    streams: S. The scored characters are cut into S consecutive pieces of equal length L, read
        side by side as the S rows of one batch (as training reads its B rows); the last
        N - S L predictions are dropped when S does not divide N. S = 1: one stream.
    warmup: W. Before scoring its piece, each row reads the W characters just before it, starting
        from h0 (zeros): its state comes from the real preceding text, and those W characters
        are not scored by that row. Row 0's warm-up is the last W characters of `context` if
        given, else the part's own first W characters (which are then scored by no row).
    context: 1-D ids of the text just before `ids` (e.g. the end of the training text before the
        validation part), read only as row 0's warm-up, never scored.
    per_stream: return the S rows' own losses per character (an array) instead of their mean.

    streams=1, warmup=0 (the defaults): one stream from h0 over the whole part, every character
    scored; this is what the function computed before `streams` and `warmup` existed.
    """
    ids = np.asarray(ids)
    if ids.ndim != 1 or ids.size < 2 or not np.issubdtype(ids.dtype, np.integer):
        raise ValueError(f"ids: expected a 1-D integer array of at least 2 character ids, got "
                         f"{ids.dtype} of shape {ids.shape}.")
    V = params.n_in
    if params.n_out != V:
        raise ValueError(f"params: a character model reads and predicts the same V characters; "
                         f"expected n_out = n_in = {V}, got n_out = {params.n_out}.")
    chunk = check_positive_int("chunk", chunk)
    streams = check_positive_int("streams", streams)
    if isinstance(warmup, bool) or not isinstance(warmup, (int, np.integer)) or warmup < 0:
        raise ValueError(f"warmup: expected a whole number of characters >= 0, got {warmup!r}.")
    warmup = int(warmup)
    if context is not None:
        context = np.asarray(context)
        if context.ndim != 1 or not np.issubdtype(context.dtype, np.integer):
            raise ValueError(f"context: expected a 1-D integer array of character ids (the text before "
                             f"ids), got {context.dtype} of shape {context.shape}.")
    for name, a in (("ids", ids), ("context", context)):
        if a is not None and a.size and (a.min() < 0 or a.max() >= V):
            raise ValueError(f"{name}: expected ids in [0, {V - 1}] (V = {V}), got {a.min()} to {a.max()}.")
    if max_chars is not None:
        ids = ids[:check_positive_int("max_chars", max_chars) + 1 + (0 if context is not None else warmup)]
    X, Y, L = _stream_rows(ids, context, streams, warmup)
    total, h = np.zeros(streams), h0
    for s in range(0, len(X), chunk):
        fwd = forward(params, one_hot_window(X[s:s + chunk], V, params.dtype), h0=h)
        lp = log_softmax_at(fwd.zs.astype(np.float64), Y[s:s + chunk].astype(np.intp))
        total -= lp[max(warmup - s, 0):].sum(axis=0)          # the warm-up steps are not scored
        h = fwd.h_last
    per_row = total / L
    return per_row if per_stream else float(per_row.mean())


def perplexity(loss_per_char):
    """exp(loss per character in nats)."""
    return float(np.exp(loss_per_char))
