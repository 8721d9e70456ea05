"""Lesson 06 exercise: how many steps until a factor r^k falls below a tolerance?

    k* = the smallest integer k >= 1 with r^k < eps      (0 < r < 1, 0 < eps < 1)
       = floor(log(eps) / log(r)) + 1

`check_steps_below(fn)` compares the learner's fn(r, eps) with `steps_below`.
"""
import numpy as np

from . import ExerciseResult, function_name, reads_result, run_checks

CASES = [(0.9, 1e-3), (0.5, 1e-3), (0.99, 1e-3), (0.5, 0.125), (0.25, 0.01)]


def steps_below(r, eps):
    """The smallest integer k >= 1 with r**k < eps, by repeated multiplication (0 < r < 1)."""
    k, value = 1, r
    while not value < eps:
        k, value = k + 1, value * r
    return k


def _diagnose(got, r, eps):
    want = steps_below(r, eps)
    if isinstance(got, bool) or not isinstance(got, (int, np.integer)):
        if isinstance(got, (float, np.floating)) and float(got).is_integer() and int(got) == want:
            return False, f"the number is right ({want}) but return an int, e.g. int(k) or math.ceil(...)."
        return False, f"expected an integer number of steps, got {got!r}."
    got = int(got)
    if got == want:
        return True, ""
    if got == want - 1:
        if r ** got == eps:
            return False, (f"{r}^{got} equals {eps} exactly; the factor must fall strictly below eps, "
                           f"so one more step is needed.")
        return False, (f"{r}^{got} = {r ** got:.4g} is still >= {eps}: off by one; did you round "
                       f"log(eps)/log(r) down instead of taking the next integer?")
    if got == want + 1:
        return False, (f"{r}^{got - 1} = {r ** (got - 1):.4g} is already below {eps}: one step too many.")
    if got <= 0:
        return False, ("got a number of steps <= 0: did you divide log(r) by log(eps) (upside down) "
                       "or use eps/r? The answer is about log(eps) / log(r).")
    if r == 0.9 and got == 20:
        return False, "0.9^20 = 0.12 is nowhere near 1e-3; 20 steps is the classic wrong claim."
    return False, (f"for r = {r}, eps = {eps} the answer is not {got}: {r}^{got} = {r ** got:.4g}. "
                   f"Multiply r by itself until the product drops below eps, or use log(eps) / log(r).")


@reads_result(int)
def check_steps_below(fn):
    """Check fn(r, eps) -> smallest k with r**k < eps, on several (r, eps) cases."""
    if not callable(fn):
        return ExerciseResult(False, f"expected a function fn(r, eps), got {type(fn).__name__}.")

    def case(r, eps):
        return lambda: _diagnose(fn(r, eps), r, eps)
    return run_checks([(f"r = {r}, eps = {eps}", case(r, eps)) for r, eps in CASES], function_name(fn))

