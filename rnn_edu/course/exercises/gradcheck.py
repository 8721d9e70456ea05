"""Build it yourself, lesson 03: check a gradient by centered finite differences.

    numerical_gradient(f, W, eps=1e-5) -> array shaped like W
        f() returns the loss computed with the current contents of W. For every entry i:
        W[i] += eps, L+ = f();  W[i] -= 2 eps, L- = f();  restore W[i];  grad[i] = (L+ - L-) / (2 eps)
    relative_error(a, n) -> max over entries of |a - n| / max(1e-8, |a| + |n|)
        the relative error rnn_edu.gradient_check reports, a analytic and n numerical

`check_numerical_gradient` compares with rnn_edu.numerical_gradient (order 2, the centered
difference above; `library_numerical_gradient` is that difference with the learner's signature); `check_relative_error` with `library_relative_error`, which tests tie to the
errors rnn_edu.gradient_check reports.
"""
import numpy as np

from rnn_edu import bptt, init_params, numerical_gradient
from . import (ExerciseResult, as_array, as_numbers, call_unchanged, function_name, reads_result,
               run_checks)

EPS = 1e-4


def library_relative_error(a, n):
    """max |a - n| / max(1e-8, |a| + |n|), as rnn_edu.gradient_check computes it per parameter."""
    a, n = np.asarray(a, dtype=np.float64), np.asarray(n, dtype=np.float64)
    return float(np.max(np.abs(a - n) / np.maximum(1e-8, np.abs(a) + np.abs(n))))


def library_numerical_gradient(f, W, eps=1e-5):
    """The centered difference of rnn_edu.numerical_gradient (order 2) for the entries of W, in place."""
    W = np.asarray(W)
    return _probe(lambda _: f(), _Single(W), "W", eps, [(1, 0.5), (-1, -0.5)])


class _Single:
    """One array seen as a parameter container named 'W' (what _probe expects)."""

    def __init__(self, W):
        self.W = W

    def named_arrays(self):
        return {"W": self.W}


def example(seed=0):
    """A small RNN and sequence: (params, objective(params) -> loss)."""
    rng = np.random.default_rng(seed)
    params = init_params(3, 4, 3, seed=seed, spectral_radius=0.9)
    xs, targets = rng.normal(size=(5, 2, 3)), rng.integers(0, 3, size=(5, 2))
    return params, lambda p: bptt(p, xs, targets)[0]


def _probe(objective, work, name, eps, signs):
    """The derivative estimate sum_k w_k L(W + s_k eps e_i) / eps for every entry i of `name`."""
    W = work.named_arrays()[name]
    out = np.zeros_like(W)
    for i in np.ndindex(W.shape):
        old = W[i]
        for step, weight in signs:
            W[i] = old + step * eps
            out[i] += weight * objective(work)
        W[i] = old
    return out / eps


def _gradient_mistakes(objective, params, name, eps):
    """Wrong estimates learners often compute, each with its hint."""
    work = params.copy()
    centered = _probe(objective, work, name, eps, [(1, 0.5), (-1, -0.5)])
    whole = work.named_arrays()[name]
    whole += eps
    up = objective(work)
    whole -= 2 * eps
    down = objective(work)
    whole += eps
    return [
        (_probe(objective, work, name, eps, [(1, 1.0), (0, -1.0)]),
         "that is the one-sided difference (L(w + eps) - L(w)) / eps; the centered one, "
         "(L(w + eps) - L(w - eps)) / (2 eps), is far more accurate (error O(eps^2), not O(eps))."),
        (2 * centered, "the centered difference divides by 2 eps, not eps."),
        (-centered, "the sign is flipped: (L(w + eps) - L(w - eps)) / (2 eps)."),
        (np.full_like(centered, (up - down) / (2 * eps)),
         "you moved every entry of W at once; perturb one entry at a time, W[i], and restore it."),
    ]


def _check_gradient(fn, seed):
    params, objective = example(seed)
    work = params.copy()
    # f() reads W where it lies, so W itself is passed: probing it is the method, but it must be
    # left as it was (rounding aside), the course's one rule for inputs
    got, hint = call_unchanged(fn, (lambda: objective(work), work.W_R, EPS), ("f", "W", "eps"),
                               copy=False, atol=1e-12)
    if hint:
        return False, (f"{hint} Probing W[i] + eps and W[i] - eps is how the method works, but put the "
                       f"old value back before moving to the next entry.")
    got, hint = as_numbers(got, "the estimate")
    if hint:
        return False, hint
    want = numerical_gradient(objective, params, EPS, order=2).W_R
    if got.shape != want.shape:
        return False, f"the estimate has shape {got.shape}; return one number per entry of W, shape {want.shape}."
    if np.allclose(got, want, rtol=1e-6, atol=1e-9):
        return True, ""
    for wrong, hint in _gradient_mistakes(objective, params, "W_R", EPS):
        if np.allclose(got, wrong, rtol=1e-6, atol=1e-9):
            return False, hint
    return False, (f"the estimate differs from rnn_edu.numerical_gradient by up to "
                   f"{np.max(np.abs(got - want)):.3g}. Use (L(w + eps) - L(w - eps)) / (2 eps) per entry.")


@reads_result(as_array)
def check_numerical_gradient(numerical_gradient_fn):
    """Check numerical_gradient(f, W, eps) against rnn_edu.numerical_gradient(..., order=2)."""
    fn = numerical_gradient_fn
    if not callable(fn):
        return ExerciseResult(False, f"expected a function numerical_gradient(f, W, eps), got {type(fn).__name__}.")
    return run_checks([(f"dL/dW_R of a small RNN (example {s + 1})", lambda s=s: _check_gradient(fn, s))
                       for s in (0, 1)], function_name(fn))


# analytic and numerical arrays: a zero entry in both (like step 1's share when h0 = 0), entries
# of very different sizes, and one where the two disagree
CASES = [
    (np.array([[0.0, 2.0, -1.0], [1e-3, 5.0, 0.3]]), np.array([[0.0, 2.1, -1.0], [2e-3, 5.0, 0.3]])),
    (np.array([1.0, -2.0, 3.0, 0.0]), np.array([1.0, -2.0, 2.0, 0.0])),
]


def _error_mistakes(a, n):
    diff = np.abs(a - n)
    return [
        (float(np.max(diff)), "that is the absolute error |a - n|; divide by |a| + |n| to make it relative."),
        (float(np.max(diff / np.maximum(1e-8, np.maximum(np.abs(a), np.abs(n))))),
         "the course divides by |a| + |n| (as rnn_edu.gradient_check does), not by max(|a|, |n|)."),
        (float(np.max(diff / np.maximum(1e-8, np.abs(a)))), "divide by |a| + |n|, not by |a| alone."),
        (float(np.mean(diff / np.maximum(1e-8, np.abs(a) + np.abs(n)))),
         "report the worst entry, the max over entries, not the mean."),
    ]


def as_error(out):
    """The learner's relative error as one float (a one-number array accepted)."""
    if isinstance(out, np.ndarray) and out.size > 1:
        raise ValueError("return one number, the max over all entries, not an array.")
    try:
        return float(out)
    except (TypeError, ValueError):
        raise TypeError(f"expected one number, got {type(out).__name__}.") from None


def _check_error(fn, a, n):
    got, hint = call_unchanged(fn, (a, n), ("a", "n"))
    if hint:
        return False, hint
    try:
        got = as_error(got)
    except (TypeError, ValueError) as exc:
        return False, str(exc)
    if np.isnan(got):
        return False, ("got NaN: where a and n are both 0 the ratio is 0/0. Guard the denominator "
                       "with max(1e-8, |a| + |n|).")
    want = library_relative_error(a, n)
    if np.isclose(got, want, rtol=1e-9, atol=0):
        return True, ""
    for wrong, hint in _error_mistakes(a, n):
        if np.isclose(got, wrong, rtol=1e-9, atol=0):
            return False, hint
    return False, f"got {got:.6g}, expected max |a - n| / max(1e-8, |a| + |n|) = {want:.6g}."


@reads_result(as_error)
def check_relative_error(relative_error):
    """Check relative_error(a, n) -> max |a - n| / max(1e-8, |a| + |n|)."""
    if not callable(relative_error):
        return ExerciseResult(False, f"expected a function relative_error(a, n), got {type(relative_error).__name__}.")
    return run_checks([(f"example {i + 1}", lambda a=a, n=n: _check_error(relative_error, a, n))
                       for i, (a, n) in enumerate(CASES)], function_name(relative_error))
