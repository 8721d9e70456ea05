"""Build it yourself, lesson 03: full backpropagation through time for one tanh layer.

    rnn_backward(dhs, hs, h0, xs, W_F, W_R) -> (dW_F, dW_R, db_h)
        dhs: (T, B, H) the gradient reaching each h_t from the output, W_O^T dL/dz_t
        hs:  (T, B, H) = h_1..h_T;  h0: (B, H);  xs: (T, B, D)
    from t = T down to 1:
        dL/dh_t = dhs[t] + W_R^T dL/da_{t+1}       (the recurrent path; nothing after T)
        dL/da_t = dL/dh_t * (1 - h_t^2)
        dW_F += dL/da_t x_t^T,  dW_R += dL/da_t h_{t-1}^T,  db_h += dL/da_t   (summed over t and batch)

`check_rnn_backward` compares with the gradients of `rnn_edu.bptt`. `assemble_bptt` joins the
learner's forward pass, loss and backward pass into a function with rnn_edu.bptt's signature.
"""
import numpy as np

from rnn_edu import RNNParams, bptt, forward, init_params, step_backward
from . import ExerciseResult, as_array, call_unchanged, function_name, reads_result, run_checks
from .loss import library_softmax_cross_entropy

T, B, D, H, O = 6, 3, 2, 4, 5
NAMES = ("dW_F", "dW_R", "db_h")


def library_rnn_backward(dhs, hs, h0, xs, W_F, W_R):
    """The layer gradients (dW_F, dW_R, db_h) from a loop of rnn_edu.step_backward, t = T..1."""
    h_before = np.concatenate([np.asarray(h0)[None], hs[:-1]])
    total, dh_next = None, 0.0
    for t in range(len(hs) - 1, -1, -1):
        _, dh_next, *share = step_backward(dhs[t] + dh_next, hs[t], h_before[t], xs[t], W_F, W_R, "tanh")
        total = share if total is None else [a + b for a, b in zip(total, share)]
    return tuple(total)


def example(seed=0):
    """A seeded network and sequence: (dhs, hs, h0, xs, W_F, W_R) and rnn_edu.bptt's layer gradients."""
    rng = np.random.default_rng(seed)
    params = init_params(D, H, O, seed=seed, spectral_radius=0.9)
    xs = rng.normal(size=(T, B, D))
    h0 = np.tanh(rng.normal(size=(B, H)))           # not zero, so step 1's share of dW_R counts
    targets = rng.integers(0, O, size=(T, B))
    fwd = forward(params, xs, h0)
    _, dzs = library_softmax_cross_entropy(fwd.zs, targets)
    _, grads = bptt(params, xs, targets, h0)
    args = (dzs @ params.W_O, fwd.hs, h0, xs, params.W_F, params.W_R)
    return args, (grads.W_F, grads.W_R, grads.b_h)


def _variant(dhs, hs, h0, xs, W_F, W_R, carry=True, backwards=True, keep_last=False, mean=False,
             h_now=False, no_slope=False, carry_T=False, zero_h0=False):
    """The backward loop, optionally with one classic mistake (see _mistakes)."""
    h_before = np.concatenate([(0 * h0 if zero_h0 else h0)[None], hs[:-1]])
    grads = [np.zeros_like(W_F), np.zeros_like(W_R), np.zeros(W_R.shape[0])]
    dh_next = np.zeros_like(h0)
    for t in (range(len(hs) - 1, -1, -1) if backwards else range(len(hs))):
        dh = dhs[t] + (dh_next if carry else 0)
        da = dh if no_slope else dh * (1 - hs[t] ** 2)
        share = [da.T @ xs[t], da.T @ (hs[t] if h_now else h_before[t]), da.sum(axis=0)]
        grads = share if keep_last else [g + s for g, s in zip(grads, share)]
        dh_next = da @ (W_R.T if carry_T else W_R)
    return tuple(g / len(hs) for g in grads) if mean else tuple(grads)


def _mistakes(args):
    """Wrong gradients learners often compute, each with its hint."""
    return [
        (_variant(*args, carry=False), "the gradient is not carried back through time: dL/dh_t is "
                                       "dhs[t] plus W_R^T dL/da_{t+1}, what step t+1 passed back."),
        (_variant(*args, keep_last=True), "you kept one step's share (=) instead of adding them up (+=): "
                                          "a shared weight's gradient is the sum over all time steps."),
        (_variant(*args, mean=True), "the shares were averaged over the time steps; shared weights "
                                     "sum them: dW_R = sum_t dL/da_t h_{t-1}^T."),
        (_variant(*args, h_now=True), "dW_R should use h_{t-1}, the state W_R multiplied at step t, not h_t."),
        (_variant(*args, no_slope=True), "you forgot f'(a_t): dL/da_t = dL/dh_t * (1 - h_t**2)."),
        (_variant(*args, carry_T=True), "the recurrent path is transposed: what reaches h_{t-1} is "
                                        "da @ W_R (W_R^T da per row), not da @ W_R.T."),
        (_variant(*args, backwards=False), "loop backwards, from t = T down to 1: the gradient of a "
                                           "later step flows into the earlier ones, not the other way."),
        (_variant(*args, zero_h0=True), "the first step's share of dW_R is dL/da_1 h_0^T: use h0, "
                                        "which need not be zero."),
    ]


def _compare(out, expected, args):
    """(ok, hint) for the learner's (dW_F, dW_R, db_h)."""
    if not isinstance(out, (tuple, list)) or len(out) != 3:
        return False, f"expected three arrays (dW_F, dW_R, db_h), got {type(out).__name__}."
    if any(o is None for o in out):
        return False, "one of (dW_F, dW_R, db_h) is still None: fill in all three."
    try:
        out = [np.asarray(o, dtype=np.float64) for o in out]
    except (TypeError, ValueError):
        return False, "(dW_F, dW_R, db_h) should be numpy arrays of numbers."
    for name, got, want in zip(NAMES, out, expected):
        if got.shape != want.shape:
            return False, (f"{name} has shape {got.shape}, expected {want.shape}: return "
                           f"(dW_F (H, D), dW_R (H, H), db_h (H,)) in that order, summed over the batch.")
    if all(np.allclose(g, w, rtol=1e-6, atol=1e-10) for g, w in zip(out, expected)):
        return True, ""
    for wrong, hint in _mistakes(args):
        if all(np.allclose(g, w, rtol=1e-6, atol=1e-10) for g, w in zip(out, wrong)):
            return False, hint
    worst = max(zip(NAMES, out, expected), key=lambda nw: np.max(np.abs(nw[1] - nw[2])))
    return False, (f"{worst[0]} differs from rnn_edu.bptt's by up to {np.max(np.abs(worst[1] - worst[2])):.3g}. "
                   f"Check what reaches h_t at each step (from the loss and from the step after it) and what "
                   f"each weight's gradient adds up over the steps; the hints below go through it.")


def as_grads(out):
    """The learner's (dW_F, dW_R, db_h) as three float arrays (lists accepted)."""
    dW_F, dW_R, db_h = out
    return as_array(dW_F), as_array(dW_R), as_array(db_h)


@reads_result(as_grads)
def check_rnn_backward(rnn_backward):
    """Check rnn_backward(dhs, hs, h0, xs, W_F, W_R) -> (dW_F, dW_R, db_h) against rnn_edu.bptt."""
    if not callable(rnn_backward):
        return ExerciseResult(False, "expected a function rnn_backward(dhs, hs, h0, xs, W_F, W_R), "
                                     f"got {type(rnn_backward).__name__}.")

    def case(seed):
        args, expected = example(seed)

        def check():
            out, hint = call_unchanged(rnn_backward, args, ("dhs", "hs", "h0", "xs", "W_F", "W_R"))
            return (False, hint) if hint else _compare(out, expected, args)
        return check
    return run_checks([(f"T = {T} steps (example {s + 1})", case(s)) for s in (0, 1)],
                      function_name(rnn_backward))


def assemble_bptt(rnn_forward, softmax_cross_entropy, rnn_backward):
    """Join three learner functions into bptt(params, xs, targets, h0=None) -> (loss, grads),
    rnn_edu.bptt's signature for a one-layer tanh RNN with softmax cross-entropy.

    forward: hs = rnn_forward(xs, h0, W_F, W_R, b_h); zs = hs @ W_O.T + b_o;
    loss: (loss, dzs) = softmax_cross_entropy(zs, targets); output layer: dW_O = sum_t dzs_t^T h_t,
    db_o = sum dzs, dhs = dzs @ W_O; hidden layer: rnn_backward(dhs, hs, h0, xs, W_F, W_R).
    """
    def learner_bptt(params, xs, targets, h0=None):
        xs = np.asarray(xs, dtype=np.float64)
        h0 = np.zeros((xs.shape[1], params.W_R.shape[0])) if h0 is None else h0
        hs = np.asarray(rnn_forward(xs, h0, params.W_F, params.W_R, params.b_h))
        zs = hs @ params.W_O.T + params.b_o
        loss, dzs = softmax_cross_entropy(zs, np.asarray(targets))
        dW_F, dW_R, db_h = rnn_backward(dzs @ params.W_O, hs, h0, xs, params.W_F, params.W_R)
        dW_O = np.einsum("tbo,tbh->oh", dzs, hs)
        return loss, RNNParams(W_F=dW_F, W_R=dW_R, b_h=db_h, W_O=dW_O, b_o=dzs.sum(axis=(0, 1)))
    return learner_bptt
