"""Build it yourself, lesson 03: softmax cross-entropy over all steps, and its gradient.

    softmax_cross_entropy(zs, targets) -> (loss, dzs)
        zs: (T, B, O) output scores z_t = W_O h_t + b_o;  targets: (T, B) integer classes
        loss = (1/B) sum_b sum_t -log softmax(z_t)[target_t]     summed over steps, averaged over the batch
        dzs  = (softmax(z_t) - onehot(target_t)) / B              (T, B, O)

This is the loss `rnn_edu.bptt` reports. `check_softmax_cross_entropy` compares the learner's
function with `library_softmax_cross_entropy`, built on rnn_edu.softmax (tests tie it to bptt).
"""
import numpy as np

from rnn_edu import softmax
from . import ExerciseResult, as_array, as_numbers, call_unchanged, function_name, reads_result, run_checks

T, B, O = 4, 3, 5


def library_softmax_cross_entropy(zs, targets):
    """(loss, dzs) as rnn_edu.bptt defines them, from rnn_edu.softmax."""
    zs = np.asarray(zs, dtype=np.float64)
    batch, idx = zs.shape[1], targets[..., None]
    dzs = softmax(zs)
    np.put_along_axis(dzs, idx, np.take_along_axis(dzs, idx, axis=-1) - 1.0, axis=-1)
    shifted = zs - zs.max(axis=-1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    return float(-np.take_along_axis(log_p, idx, axis=-1).sum() / batch), dzs / batch


def example(seed=0, offset=0.0):
    """Seeded scores zs (T, B, O) plus `offset`, and targets (T, B)."""
    rng = np.random.default_rng(seed)
    return offset + rng.normal(size=(T, B, O)), rng.integers(0, O, size=(T, B))


def _loss_mistakes(zs, targets, loss):
    """Wrong loss values, each with its hint."""
    p_batch = np.exp(zs - zs.max(axis=1, keepdims=True))
    p_batch /= p_batch.sum(axis=1, keepdims=True)
    picked = np.take_along_axis(p_batch, targets[..., None], axis=-1)[..., 0]
    return [
        (loss / T, "the loss was averaged over the time steps; the course sums L_t over the steps "
                   "(and averages over the batch only)."),
        (loss * B, "the loss was summed over the batch; average it over the B sequences (divide by B)."),
        (-loss, "the sign is flipped: L_t = -log p_t[target], a positive number."),
        (loss / np.log(2), "cross-entropy here uses the natural log (nats), not log2."),
        (float(-np.log(picked).sum() / B), "the softmax runs over the batch axis; it should run over "
                                           "the last axis, the O classes of each row."),
    ]


def _grad_mistakes(zs, targets, dzs):
    """Wrong gradients, each with its hint."""
    p = softmax(zs)
    return [
        (dzs * B, "the gradient is not divided by B: the loss averages over the batch, so "
                  "dL/dz_t = (p_t - onehot_t) / B."),
        (-dzs, "the sign of the gradient is flipped: dL/dz_t = (p_t - onehot_t) / B, not onehot - p."),
        (p / B, "you forgot to subtract the one-hot target: dL/dz_t = (p_t - onehot_t) / B."),
        (dzs / T, "the gradient was averaged over the time steps; each step's loss counts in full."),
    ]


def _close(got, want):
    return np.allclose(got, want, rtol=1e-6, atol=1e-10)


def _check(fn, zs, targets):
    """(ok, hint) for one example."""
    out, hint = call_unchanged(fn, (zs, targets), ("zs", "targets"))
    if hint:
        return False, hint
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        return False, f"expected (loss, dzs), got {type(out).__name__}."
    got_loss, got_dzs = out
    want_loss, want_dzs = library_softmax_cross_entropy(zs, targets)
    try:
        got_loss = float(got_loss)
    except (TypeError, ValueError):
        return False, f"the loss should be one number, got {type(got_loss).__name__}."
    if not np.isfinite(got_loss):
        return False, ("the loss is not finite: exp overflowed for large scores. Subtract each row's "
                       "max score before exp; softmax does not change.")
    if not _close(got_loss, want_loss):
        for wrong, hint in _loss_mistakes(zs, targets, want_loss):
            if _close(got_loss, wrong):
                return False, hint
        return False, f"the loss is {got_loss:.6g}, expected {want_loss:.6g}."
    got_dzs, hint = as_numbers(got_dzs, "dzs")
    if hint:
        return False, hint
    if got_dzs.shape != want_dzs.shape:
        return False, f"dzs has shape {got_dzs.shape}, expected the shape of zs, (T, B, O) = {want_dzs.shape}."
    if not np.all(np.isfinite(got_dzs)):
        return False, "dzs holds inf or NaN: subtract each row's max score before exp."
    if _close(got_dzs, want_dzs):
        return True, ""
    for wrong, hint in _grad_mistakes(zs, targets, want_dzs):
        if _close(got_dzs, wrong):
            return False, hint
    return False, (f"dzs differs from (softmax(z) - onehot) / B by up to "
                   f"{np.max(np.abs(got_dzs - want_dzs)):.3g}.")


def as_loss(out):
    """The learner's (loss, dzs) as (float, float array): a one-number array or a list is accepted."""
    loss, dzs = out
    return float(loss), as_array(dzs)


@reads_result(as_loss)
def check_softmax_cross_entropy(softmax_cross_entropy):
    """Check softmax_cross_entropy(zs, targets) -> (loss, dzs), including very large scores."""
    fn = softmax_cross_entropy
    if not callable(fn):
        return ExerciseResult(False, f"expected a function softmax_cross_entropy(zs, targets), "
                                     f"got {type(fn).__name__}.")
    cases = [("scores of ordinary size", example(0)), ("another example", example(1)),
             ("large scores (z ~ 800, where exp(z) overflows)", example(2, offset=800.0))]
    return run_checks([(name, lambda zt=zt: _check(fn, *zt)) for name, zt in cases], function_name(fn))
