"""Lesson 04 exercises: the vanishing bound, and the step at which a number overflows.

1. `gradient_bound(W_R, activation, k)` should return (gamma * sigma_max(W_R))^k, the upper bound
   on ||dh_t/dh_{t-k}|| = ||prod_j diag(f'(a_j)) W_R||, with gamma = max|f'| (rnn_edu.GAMMA) and
   sigma_max the largest singular value (np.linalg.norm(W_R, 2)).
   `check_gradient_bound(gradient_bound)` compares it with that formula.
2. `check_overflow_step(dtype, answer, value=10)` compares the learner's step with
   `rnn_edu.overflow_step(value, dtype)` (the first n at which value^n no longer fits).
"""
import numpy as np

from rnn_edu import GAMMA, largest_singular_value, overflow_step, spectral_radius

from . import ExerciseResult, answer_value, call_unchanged, function_name, run_checks

# A non-normal W_R: its spectral radius (0.5), largest singular value and Frobenius norm all differ.
W_EXAMPLE = np.array([[0.5, 2.0, 0.0], [0.0, 0.4, 1.0], [0.0, 0.0, -0.3]])
CASES = [("sigmoid", 5), ("tanh", 3), ("relu", 1), ("sigmoid", 12)]


def bound(W_R, activation, k):
    """(gamma * sigma_max(W_R))^k, gamma = max|f'| for the activation."""
    return (GAMMA[activation] * largest_singular_value(W_R)) ** k


def _mistakes(W_R, activation, k):
    """Wrong formulas learners often use, each with its hint."""
    g, s = GAMMA[activation], largest_singular_value(W_R)
    return [
        ((g * spectral_radius(W_R)) ** k, "you used the spectral radius max|eig(W_R)|; the bound needs "
                                          "the largest singular value sigma_max = np.linalg.norm(W_R, 2), "
                                          "which can be much larger for a non-symmetric W_R."),
        ((g * np.linalg.norm(W_R)) ** k, "np.linalg.norm(W_R) is the Frobenius norm; use ord=2, "
                                         "np.linalg.norm(W_R, 2), for sigma_max."),
        (s ** k, "you left out gamma = max|f'| (1/4 for the sigmoid, 1 for tanh and relu)."),
        (g * s ** k, "gamma must be raised to the power k too: every step contributes one f'."),
        ((g * s) ** (k - 1), "the exponent is k (one factor per step crossed), not k - 1."),
        ((g * s) ** (k + 1), "the exponent is k (one factor per step crossed), not k + 1."),
        (g * s * k, "the factors multiply: (gamma sigma_max)^k, not gamma sigma_max * k."),
    ]


def _compare_bound(fn, activation, k):
    """(ok, hint) for one case."""
    got, hint = call_unchanged(fn, (W_EXAMPLE, activation, k), ("W_R", "activation", "k"))
    if hint:
        return False, hint
    try:
        got = float(got)
    except (TypeError, ValueError):
        return False, f"expected a number, got {type(got).__name__}."
    expected = bound(W_EXAMPLE, activation, k)
    if np.isclose(got, expected, rtol=1e-6, atol=0):
        return True, ""
    for wrong, hint in _mistakes(W_EXAMPLE, activation, k):
        if np.isclose(got, wrong, rtol=1e-6, atol=0):
            return False, hint
    return False, (f"got {got:.6g}, expected (gamma * sigma_max)^k = "
                   f"({GAMMA[activation]:g} * {largest_singular_value(W_EXAMPLE):.4f})^{k} = {expected:.6g}.")


def check_gradient_bound(gradient_bound):
    """Check gradient_bound(W_R, activation, k) -> (gamma * sigma_max(W_R))^k on a few cases.

    Returns an ExerciseResult naming the likely mistake (spectral radius instead of sigma_max,
    Frobenius norm, missing gamma, wrong exponent); never raises.
    """
    if not callable(gradient_bound):
        return ExerciseResult(False, "expected a function gradient_bound(W_R, activation, k), "
                                     f"got {type(gradient_bound).__name__}.")
    return run_checks([(f"{activation}, k = {k}", lambda a=activation, k=k: _compare_bound(gradient_bound, a, k))
                       for activation, k in CASES], function_name(gradient_bound))


def _dtype_max(dtype):
    dt = np.dtype(dtype)
    return np.iinfo(dt).max if np.issubdtype(dt, np.integer) else np.finfo(dt).max


def _show(number):
    """4,294,967,295 for integers, 3.40282e+38 for floats."""
    return f"{number:,}" if isinstance(number, (int, np.integer)) else f"{number:.6g}"


def _overflow_hint(dtype, answer, value, step):
    """Why `answer` is not the overflow step of value^n in dtype."""
    top = _show(_dtype_max(dtype))
    if np.dtype(dtype) == np.float32 and answer == overflow_step(value, "uint32"):
        return ("that is the step for a 4-byte integer; float32 has 4 bytes too, but spends 8 bits on "
                f"an exponent and reaches {top}.")
    bits = np.dtype(dtype).itemsize * 8
    if answer == bits:
        return f"{bits} is the number of bits of {dtype}, not a number of steps."
    if answer == step - 1:
        return f"{value}^{answer} still fits: the largest {dtype} is {top}."
    if answer < step:
        return f"too early: {value}^{answer} is far below the largest {dtype}, {top}."
    if np.issubdtype(np.dtype(dtype), np.floating) and answer in (128, 1024):
        return f"the largest {dtype} is about 2^{answer}, but each step multiplies by {value}, not by 2."
    return (f"too late: {value}^{step} already exceeds the largest {dtype}, {top}; "
            f"find the smallest n with {value}^n > {top}.")


def check_overflow_step(dtype, answer, value=10):
    """Is `answer` the first step n at which value^n overflows `dtype`?

    dtype: 'uint32', 'int32', 'float32' or 'float64'; value: the factor per step (default 10).
    `answer` may also be a zero-argument function returning the step.
    Returns an ExerciseResult (never raises).
    """
    answer, stub = answer_value(answer)
    if stub:
        return stub
    try:
        step = overflow_step(value, dtype)
    except (TypeError, ValueError) as exc:
        return ExerciseResult(False, f"check_overflow_step: {exc}")
    if isinstance(answer, bool) or not isinstance(answer, (int, np.integer, float)) \
            or not float(answer).is_integer():
        return ExerciseResult(False, f"expected a whole number of steps, got {answer!r}.")
    answer = int(answer)
    if answer == step:
        return ExerciseResult(True, f"{value}^{step - 1} fits in {dtype}, {value}^{step} does not "
                                    f"(largest value {_show(_dtype_max(dtype))}): it overflows at step {step}.")
    return ExerciseResult(False, _overflow_hint(dtype, answer, value, step))
