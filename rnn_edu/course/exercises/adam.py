"""Lesson 08 exercise: one Adam update of one array.

    adam_step(w, g, m, v, t, lr, betas=(0.9, 0.999), eps=1e-8) -> (w_new, m_new, v_new)

        m_t = beta1 m_{t-1} + (1 - beta1) g          v_t = beta2 v_{t-1} + (1 - beta2) g^2
        m^_t = m_t / (1 - beta1^t)                   v^_t = v_t / (1 - beta2^t)
        w_new = w - lr m^_t / (sqrt(v^_t) + eps)

    w, g, m, v: arrays of one shape (m, v after step t - 1; zeros before the first); t = 1, 2, ...
    returns w_new and the new state m_t, v_t (not the corrected m^_t, v^_t), all new arrays.

`check_adam_step` compares with rnn_edu.optim.Adam (whose formulas the tests compare with
torch.optim.Adam), driven through its state for one array; `library_adam_step` is that optimiser
with the exercise's signature (the fallback).
"""
import numpy as np

from rnn_edu.optim import Adam
from . import (ExerciseResult, as_array, as_numbers, call_unchanged, function_name, reads_result, run_checks)
from .precision import close, largest_difference, tolerance

NAMES = ("w", "g", "m", "v", "t", "lr", "betas", "eps")


class _One:
    """A parameter container holding one array "w": all that rnn_edu.optim needs (named_arrays, from_named)."""

    def __init__(self, w):
        self.w = np.asarray(w, dtype=np.float64)

    def named_arrays(self):
        return {"w": self.w}

    def from_named(self, arrays):
        return _One(arrays["w"])


def library_adam_step(w, g, m, v, t, lr, betas=(0.9, 0.999), eps=1e-8):
    """rnn_edu.optim.Adam's update of one array at step t (t = 1 for the first): (w_new, m_t, v_t)."""
    if isinstance(t, bool) or not isinstance(t, (int, np.integer)) or t < 1:
        raise ValueError(f"t: expected the step number, an integer >= 1, got {t!r}.")
    opt = Adam(lr, betas, eps)
    opt.t = int(t) - 1                                          # steps taken before this one
    opt.state = {"w": {"m": np.array(m, dtype=np.float64), "v": np.array(v, dtype=np.float64)}}
    new = opt.step(_One(w), _One(g))
    return new.w, opt.state["w"]["m"], opt.state["w"]["v"]


def as_adam(out):
    """The learner's (w_new, m_new, v_new) as three float arrays (a list, nested lists accepted)."""
    if not isinstance(out, (tuple, list)) or len(out) != 3:
        size = f"{len(out)} values" if isinstance(out, (tuple, list)) else type(out).__name__
        raise TypeError(f"expected three arrays (w_new, m_new, v_new), got {size}.")
    return tuple(as_array(a) for a in out)


def cases():
    """[(name, (w, g, m, v, t, lr[, betas, eps]))], seeded."""
    rng = np.random.default_rng(0)
    zeros = np.zeros(5)
    first = np.array([40.0, 0.01, -3.0, 0.0, 1e-7])            # sizes far apart; one 0 (0/0 without eps);
    # 1e-7 is only ten times eps = 1e-8, so eps changes that entry's step by about 10%
    return [
        ("the first step (t = 1, m = v = 0)", (rng.normal(size=5), first, zeros, zeros.copy(), 1, 0.002,
                                               (0.9, 0.999), 1e-8)),
        ("step t = 5 from earlier m and v", (rng.normal(size=(3, 4)), rng.normal(size=(3, 4)),
                                             0.3 * rng.normal(size=(3, 4)), rng.uniform(0.1, 2, (3, 4)),
                                             5, 0.01, (0.9, 0.999), 1e-8)),
        ("other betas and eps (t = 3)", (rng.normal(size=4), rng.normal(size=4), 0.3 * rng.normal(size=4),
                                         rng.uniform(0.001, 0.01, 4), 3, 0.05, (0.8, 0.99), 1e-2)),
        ("called without betas and eps (t = 2)", (rng.normal(size=3), rng.normal(size=3), 0.1 * rng.normal(size=3),
                                               rng.uniform(0.01, 1, 3), 2, 0.001)),
        ("a late step (t = 1000)", (rng.normal(size=3), rng.normal(size=3), 0.1 * rng.normal(size=3),
                                    rng.uniform(0.01, 1, 3), 1000, 0.001, (0.9, 0.999), 1e-8)),
    ]


def _variant(w, g, m, v, t, lr, betas=(0.9, 0.999), eps=1e-8, *, correct=(True, True), shift=0, root=True,
             eps_at="sqrt", square=True, swap_betas=False, swap_weights=False, sign=-1):
    """Adam's step with one classic mistake switched on (the defaults give the right step)."""
    b1, b2 = betas[::-1] if swap_betas else betas
    g2 = g * g if square else g
    if swap_weights:
        m_new, v_new = (1 - b1) * m + b1 * g, (1 - b2) * v + b2 * g2
    else:
        m_new, v_new = b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g2
    tt = t + shift
    m_hat = m_new / (1 - b1 ** tt) if correct[0] else m_new
    v_hat = v_new / (1 - b2 ** tt) if correct[1] else v_new
    size = np.sqrt(v_hat) if root else v_hat
    if eps_at == "sqrt":
        step = m_hat / (size + eps)
    elif eps_at == "inside":
        step = m_hat / np.sqrt(v_hat + eps)
    elif eps_at == "ratio":
        step = m_hat / size + eps
    elif eps_at == "none":
        step = m_hat / size
    else:                                                       # "uncorrected": eps added to sqrt(v_t)
        step = np.sqrt(1 - b2 ** tt) / (1 - b1 ** tt) * m_new / (np.sqrt(v_new) + eps)
    return w + sign * lr * step, m_new, v_new


MISTAKES = [
    (dict(correct=(False, False)), "the bias corrections are missing: m and v start at 0, so for the first "
                                   "steps they are too small; the step uses the corrected m^ and v^ (§3's table)."),
    (dict(correct=(False, True)), "the bias correction of m is missing (v's is there): the step uses m^, not m."),
    (dict(correct=(True, False)), "the bias correction of v is missing (m's is there): the step uses v^, not v."),
    (dict(shift=-1), "t counts the steps from 1: the first update has t = 1. Counting from 0 (t - 1 in the "
                     "corrections) divides by 0 at the first step."),
    (dict(shift=+1), "the corrections use t + 1: the t passed in is already this step's number (1 for the first)."),
    (dict(root=False), "the square root is missing: v^ is a mean of squared gradients, so the step divides by "
                       "its square root, a typical gradient size."),
    (dict(eps_at="inside"), "eps is inside the square root; it is added to sqrt(v^), after the root."),
    (dict(eps_at="uncorrected"), "eps is added to sqrt(v) before the bias correction (the Adam paper's faster "
                                 "variant); rnn_edu and torch.optim.Adam add it to sqrt(v^), after the correction, "
                                 "which changes the step of tiny gradients."),
    (dict(eps_at="none"), "eps is not in the denominator: where g = 0 at the first step, m^ and v^ are 0, so "
                          "m^ / sqrt(v^) is 0 / 0 (NaN); eps belongs next to sqrt(v^), where it keeps the step "
                          "finite."),
    (dict(eps_at="ratio"), "eps is added to the ratio; it belongs in the denominator, next to sqrt(v^)."),
    (dict(square=False), "v averages the squared gradients, g * g (element by element), not g itself."),
    (dict(swap_betas=True), "beta1 and beta2 are swapped: beta1 (0.9) goes with m, beta2 (0.999) with v."),
    (dict(swap_weights=True), "m and v keep the fraction beta of their old value and take 1 - beta of the new "
                              "gradient; you swapped the two weights."),
    (dict(sign=+1), "w moved with the gradient; a descent step moves against it."),
]


TOL = (1e-9, 1e-14)          # (rtol, atol) for float64 answers; `tolerance` widens them for float32 ones


def _close(a, b, tol=TOL):
    return close(a, b, tol, equal_nan=True)


def _diagnose(got, args, tol=TOL):
    w, m, v = got

    def _same(a, b):
        return _close(a, b, tol)
    want = library_adam_step(*args)
    names = ("w_new", "m_new", "v_new")
    for name, a, b in zip(names, got, want):
        if a.shape != b.shape:
            return False, f"{name} has shape {a.shape}, expected {b.shape} (the shape of the w passed in)."
    if all(_same(a, b) for a, b in zip(got, want)):
        return True, ""
    if _same(w, want[0]) and _same(m, want[2]) and _same(v, want[1]):
        return False, "m_new and v_new are swapped: return (w_new, m_new, v_new) in that order."
    with np.errstate(all="ignore"):
        for flags, hint in MISTAKES:
            wrong = _variant(*args, **flags)
            if all(_same(a, b) for a, b in zip(got, wrong)) and not all(_same(a, b) for a, b in zip(wrong, want)):
                return False, hint
    t = args[4]
    b1, b2 = args[6] if len(args) > 6 else (0.9, 0.999)
    if _same(w, want[0]):
        if _same(m, args[2]) and _same(v, args[3]):
            return False, "w_new is right, but m and v come back as they were passed in: return the new m_t and v_t."
        if _same(m, want[1] / (1 - b1 ** t)) and _same(v, want[2] / (1 - b2 ** t)):
            return False, ("w_new is right, but you returned the corrected m^ and v^: return m_t and v_t "
                           "themselves, which the next step builds on.")
        bad = [n for n, a, b in zip(names[1:], got[1:], want[1:]) if not _same(a, b)]
        return False, (f"w_new is right, but {' and '.join(bad)} differ from rnn_edu's Adam; the hints below "
                       f"go through it.")
    if not np.all(np.isfinite(w)):
        cause = (" At t = 1, a correction with t - 1 (t counted from 0) divides by 0." if t == 1 else "")
        return False, f"w_new holds inf or NaN at step t = {t}.{cause}"
    state = "m_new and v_new are right" if _same(m, want[1]) and _same(v, want[2]) else \
        "m_new or v_new differ too"
    return False, (f"w_new differs from rnn_edu's Adam by {largest_difference(w, want[0])} at step "
                   f"t = {t} ({state}); the hints below go through it.")


def _check(fn, args):
    out, hint = call_unchanged(fn, args, NAMES[:len(args)])
    if hint:
        return False, hint
    if out is None:
        return False, "your function returned None: did you forget the `return`?"
    if not isinstance(out, (tuple, list)) or len(out) != 3:
        size = f"{len(out)} values" if isinstance(out, (tuple, list)) else type(out).__name__
        return False, f"expected three arrays (w_new, m_new, v_new), got {size}."
    got, tol = [], tolerance(out, *TOL)     # a float32 answer is held to float32's precision
    for name, value in zip(("w_new", "m_new", "v_new"), out):
        if value is None:
            return False, f"{name} is None: return three arrays (w_new, m_new, v_new)."
        array, hint = as_numbers(value, name)
        if hint:
            return False, hint
        got.append(array)
    ok, hint = _diagnose(tuple(got), args, tol)
    if not ok and len(args) == 6 and hint.endswith("the hints below go through it."):   # only the defaults left out
        hint = ("called without betas and eps, your function takes another step than with them given: "
                "the defaults are betas=(0.9, 0.999) and eps=1e-8, PyTorch's.")
    return ok, hint


@reads_result(as_adam)
def check_adam_step(adam_step):
    """Check adam_step(w, g, m, v, t, lr, betas, eps) -> (w_new, m_new, v_new) against rnn_edu.optim.Adam."""
    if not callable(adam_step):
        return ExerciseResult(False, "expected a function adam_step(w, g, m, v, t, lr, betas, eps), got "
                                     f"{type(adam_step).__name__}.")
    return run_checks([(name, lambda args=args: _check(adam_step, args)) for name, args in cases()],
                      function_name(adam_step))
