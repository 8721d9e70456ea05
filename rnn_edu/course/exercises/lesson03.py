"""Lesson 03 exercise: write one backward step of a tanh RNN.

The learner writes `backward_step(dh_t, h_t, h_prev, x_t, W_F, W_R) -> (dh_prev, dW_R)` for

    h_t = tanh(a_t),   a_t = W_F x_t + W_R h_{t-1} + b_h
    dL/da_t     = dL/dh_t * (1 - h_t^2)                    (element-wise)
    dL/dh_{t-1} = W_R^T dL/da_t          -> rows: da @ W_R     (B, H)
    dL/dW_R     = dL/da_t h_{t-1}^T       -> rows: da.T @ h_prev (H, H), summed over the batch

`check_backward_step` compares it with `rnn_edu.step_backward` and names the likely mistake;
`library_backward_step` is step_backward with the exercise's signature (the fallback).
"""
import numpy as np

from rnn_edu import step_backward

from . import ExerciseResult, call_unchanged, function_name, run_checks

B, D, H = 3, 2, 4       # all different, so a transposed or swapped result has the wrong shape


def library_backward_step(dh_t, h_t, h_prev, x_t, W_F, W_R):
    """rnn_edu.step_backward with the exercise's signature: (dh_prev, dW_R)."""
    _, dh_prev, _, dW_R, _ = step_backward(dh_t, h_t, h_prev, x_t, W_F, W_R, "tanh")
    return dh_prev, dW_R


def example_step(seed=0):
    """Random inputs for one backward step: dh_t, h_t, h_prev (B, H), x_t (B, D), W_F (H, D), W_R (H, H)."""
    rng = np.random.default_rng(seed)
    h_prev = np.tanh(rng.normal(size=(B, H)))
    x_t = rng.normal(size=(B, D))
    W_F, W_R = rng.normal(size=(H, D)), rng.normal(size=(H, H))
    h_t = np.tanh(x_t @ W_F.T + h_prev @ W_R.T)
    return rng.normal(size=(B, H)), h_t, h_prev, x_t, W_F, W_R


def _dW_R_mistakes(dh_t, h_t, h_prev, W_R):
    """Wrong versions of dW_R that learners often write, each with its hint."""
    da = dh_t * (1 - h_t ** 2)
    return [
        (da.T @ h_t, "dW_R should use h_{t-1} (h_prev), the state W_R multiplied in the forward "
                     "pass, not h_t."),
        (dh_t.T @ h_prev, "you forgot f'(a_t): first form da = dh_t * (1 - h_t**2), then dW_R = da.T @ h_prev."),
        (h_prev.T @ da, "dW_R is transposed: use da.T @ h_prev, so that row i belongs to unit i of "
                        "h_t and column j to unit j of h_{t-1}."),
        ((dh_t * (1 - h_prev ** 2)).T @ h_prev, "f'(a_t) must come from h_t: tanh'(a_t) = 1 - h_t**2, "
                                                "not 1 - h_prev**2."),
        ((dh_t * (1 - h_t)).T @ h_prev, "tanh'(a_t) is 1 - h_t**2 (squared), not 1 - h_t."),
        ((dh_t * (1 - np.tanh(h_t) ** 2)).T @ h_prev, "h_t is already tanh(a_t): f'(a_t) = 1 - h_t**2, "
                                                      "without applying tanh again."),
        (da.T @ h_prev / dh_t.shape[0], "sum over the batch rows (da.T @ h_prev), don't average them."),
    ]


def _dh_prev_mistakes(dh_t, h_t, h_prev, W_F, W_R):
    """Wrong versions of dh_prev, each with its hint."""
    da = dh_t * (1 - h_t ** 2)
    return [
        (da @ W_R.T, "dh_prev is W_R^T da; with one row per batch item that is da @ W_R, not da @ W_R.T."),
        (dh_t @ W_R, "you forgot f'(a_t): the gradient must pass through tanh first, da = dh_t * (1 - h_t**2)."),
        ((dh_t * (1 - h_prev ** 2)) @ W_R, "f'(a_t) must come from h_t (1 - h_t**2), not from h_prev."),
        ((dh_t * (1 - h_t)) @ W_R, "tanh'(a_t) is 1 - h_t**2 (squared), not 1 - h_t."),
    ]


def _compare(name, got, expected, mistakes):
    """(ok, hint) for one returned array."""
    try:
        got = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        return False, f"{name} should be a numpy array of numbers, got {type(got).__name__}."
    if got.shape != expected.shape:
        return False, (f"{name} has shape {got.shape}, expected {expected.shape}. "
                       f"Return (dh_prev, dW_R) in that order: dh_prev (B, H), dW_R (H, H).")
    if np.allclose(got, expected, rtol=1e-6, atol=1e-9):
        return True, ""
    for wrong, hint in mistakes:
        if np.allclose(got, wrong, rtol=1e-6, atol=1e-9):
            return False, hint
    diff = float(np.max(np.abs(got - expected)))
    return False, (f"{name} differs from step_backward's by up to {diff:.3g}. Compare it with section 2's "
                   f"derivation one factor at a time (what tanh contributes, then which weight carries it back); "
                   f"the hints below go through it.")


def _call(fn, args, result):
    """Run the learner's function on copies of args; (ok, hint) about what it returned."""
    out, hint = call_unchanged(fn, args, ("dh_t", "h_t", "h_prev", "x_t", "W_F", "W_R"))
    if hint:
        return False, hint
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        return False, f"expected two arrays (dh_prev, dW_R), got {type(out).__name__}."
    if any(o is None or o is Ellipsis for o in out):
        return False, "one of (dh_prev, dW_R) is still None or ...: fill in both lines."
    result["out"] = out
    return True, ""


def check_backward_step(backward_step):
    """Check backward_step(dh_t, h_t, h_prev, x_t, W_F, W_R) -> (dh_prev, dW_R) for f = tanh.

    Compares with `rnn_edu.step_backward` on two random examples; returns an ExerciseResult
    naming the term that is likely wrong (never raises).
    """
    if not callable(backward_step):
        return ExerciseResult(False, f"expected a function backward_step(dh_t, h_t, h_prev, x_t, "
                                     f"W_F, W_R), got {type(backward_step).__name__}.")
    checks = []
    for seed in (0, 1):
        args = example_step(seed)
        dh_t, h_t, h_prev, x_t, W_F, W_R = args
        _, dh_prev, _, dW_R, _ = step_backward(dh_t, h_t, h_prev, x_t, W_F, W_R, "tanh")
        result = {}

        def run(args=args, result=result):
            return _call(backward_step, args, result)

        checks += [
            (f"calling backward_step (example {seed + 1})", run),
            (f"dh_prev (example {seed + 1})", lambda r=result, e=dh_prev, a=args: _compare(
                "dh_prev", r["out"][0], e, _dh_prev_mistakes(a[0], a[1], a[2], a[4], a[5]))),
            (f"dW_R (example {seed + 1})", lambda r=result, e=dW_R, a=args: _compare(
                "dW_R", r["out"][1], e, _dW_R_mistakes(a[0], a[1], a[2], a[5]))),
        ]
    return run_checks(checks, function_name(backward_step))
