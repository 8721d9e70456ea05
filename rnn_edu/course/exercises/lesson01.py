"""Lesson 01 exercises: the gradient-descent update, and cutting a sequence into windows.

    check_sgd_update(fn)   fn(W, dW, lr) -> new W,  expected W - lr * dW   (compared with sgd_step)
    check_windows(fn)      fn(T, seq_len) -> [(first, last), ...], 1-based, inclusive
"""
import numpy as np

from rnn_edu import bptt, init_params, sgd_step
from rnn_edu.training import windows
from . import ExerciseResult, call_unchanged, function_name, reads_result, run_checks


def _example(seed=0):
    """Small parameters and their gradients on a fixed next-symbol task."""
    params = init_params(3, 4, 3, seed=seed)
    xs = np.eye(3)[[0, 1, 2, 0, 1]][:, None, :]
    targets = np.array([1, 2, 0, 1, 2])[:, None]
    _, grads = bptt(params, xs, targets)
    return params, grads


def _apply(fn, params, grads, lr):
    """The learner's update applied to every array: ({name: new array}, None), or (None, hint)
    when it changed W or dW in place (the course's one rule for inputs)."""
    g, out = grads.named_arrays(), {}
    for n, a in params.named_arrays().items():
        out[n], hint = call_unchanged(fn, (a, g[n], lr), ("W", "dW", "lr"))
        if hint:
            return None, hint
    return out, None


def _diagnose_update(got, params, grads, lr):
    """(ok, hint) comparing the learner's new weights with sgd_step's."""
    got, hint = got
    if hint:
        return False, hint
    want = sgd_step(params, grads, lr).named_arrays()
    old, g = params.named_arrays(), grads.named_arrays()
    for name, value in got.items():
        if value is None:
            return False, "your function returned None: did you forget the `return`?"
        value = np.asarray(value, dtype=float)
        if value.shape != want[name].shape:
            return False, (f"for {name} you returned shape {value.shape}, expected {want[name].shape} "
                           f"(the same shape as W).")
        if np.allclose(value, want[name]):
            continue
        if np.allclose(value, old[name] + lr * g[name]):
            return False, ("the sign is flipped: W + lr * dW climbs the loss (gradient ascent). "
                           "Descent subtracts: W - lr * dW.")
        if np.allclose(value, old[name] - g[name]):
            return False, "the learning rate is missing: scale the gradient by lr, W - lr * dW."
        if np.allclose(value, -lr * g[name]) or np.allclose(value, lr * g[name]):
            return False, "you returned only the step lr * dW; the new weight is the old W minus that step."
        if np.allclose(value, old[name]):
            return False, "W came back unchanged: apply the step, W - lr * dW."
        if np.allclose(value, old[name] - g[name] / lr):
            return False, "you divided by lr; the learning rate multiplies the gradient: W - lr * dW."
        return False, f"{name} is off, elementwise: compare it with the update rule of section 1."
    return True, ""


def check_sgd_update(fn):
    """Check fn(W, dW, lr) -> W - lr * dW on every weight of a small RNN, for two learning rates."""
    if not callable(fn):
        return ExerciseResult(False, f"expected a function fn(W, dW, lr), got {type(fn).__name__}.")
    params, grads = _example()

    def with_lr(lr):
        def check():
            return _diagnose_update(_apply(fn, params, grads, lr), params, grads, lr)
        return check

    result = run_checks([("update with lr = 0.1", with_lr(0.1)),
                         ("update with lr = 0.5", with_lr(0.5))], function_name(fn))
    if not result.passed and "lr = 0.5" in result.message and "is off" in result.message:
        result.message += " Did you use the argument lr rather than a fixed number?"
    return result


def library_windows(T, seq_len):
    """1-based inclusive (first, last) pairs from rnn_edu's own `windows` (the fallback)."""
    return [(w.start + 1, w.stop) for w in windows(T, seq_len)]


def as_pairs(windows_out):
    """The learner's windows as a list of (first, last) int pairs (any iterable of pairs accepted)."""
    return [(int(a), int(b)) for a, b in windows_out]


def _diagnose_windows(got, T, seq_len):
    """(ok, hint) comparing the learner's windows with the expected ones."""
    want = library_windows(T, seq_len)
    if got is None:
        return False, "your function returned None: did you forget the `return`?"
    try:
        got = as_pairs(got)
    except (TypeError, ValueError):
        return False, "expected a list of (first, last) pairs of integers, e.g. [(1, 8), (9, 16)]."
    if got == want:
        return True, ""
    if got and got[0][0] == 0:
        return False, "number the tokens from 1, as in the lesson: the first window is (1, seq_len)."
    if got == want[:-1]:
        return False, (f"the last, shorter window ({want[-1][0]} to {want[-1][1]}) is missing; "
                       f"keep it so every token is used.")
    if len(got) > 1 and got[1][0] == got[0][0] + 1:
        return False, "your windows slide by one token; these windows do not overlap: 1-8, then 9-16."
    if len(got) > 1 and got[1][0] == got[0][1]:
        return False, "consecutive windows share a token; the next window starts one after the last: 9, not 8."
    if any(b > T for _, b in got):
        return False, f"a window ends after token {T}; clip the last one at T = {T}."
    return False, f"for T = {T}, seq_len = {seq_len} expected {want}, got {got}."


@reads_result(as_pairs)
def check_windows(fn):
    """Check fn(T, seq_len) -> [(first, last), ...] (1-based, inclusive) for a few (T, seq_len)."""
    if not callable(fn):
        return ExerciseResult(False, f"expected a function fn(T, seq_len), got {type(fn).__name__}.")
    cases = [(16, 8), (20, 8), (5, 8), (7, 3)]
    return run_checks([(f"T = {T}, seq_len = {s}", lambda T=T, s=s: _diagnose_windows(fn(T, s), T, s))
                       for T, s in cases], function_name(fn))
