"""How closely a learner's numbers must match rnn_edu's, and how to show two numbers that differ.

A learner may compute in float32 (an `astype`, a float32 array from elsewhere): such a result
carries its own rounding, about 1e-7 per operation and 1e-6 to 1e-5 after a few, so comparing it
with a float64 reference at float64's tolerances rejects a right answer. `tolerance` widens the
checker's (rtol, atol) to the precision of the least precise floating-point value the learner
returned; float64 (and integer, Python float) results keep the checker's own tolerances.

`mismatch` prints a pair of numbers with as many digits as it takes for them to look different,
and their relative difference, so a message never says "1.60944, expected 1.60944".
"""
import numpy as np

ULPS = 100          # a float32 result may be this many machine epsilons off (1.2e-5 relative)


def least_precise_eps(*values):
    """The machine epsilon of the least precise floating-point dtype among `values` (arrays, numpy
    scalars, lists or tuples of them); float64's when none is less precise."""
    eps = float(np.finfo(np.float64).eps)
    for value in values:
        if isinstance(value, (list, tuple)):
            eps = max(eps, least_precise_eps(*value))
            continue
        dtype = getattr(value, "dtype", None)
        if dtype is not None and dtype.kind in "fc":
            eps = max(eps, float(np.finfo(dtype).eps))
    return eps


def tolerance(values, rtol, atol):
    """(rtol, atol) for comparing the learner's `values` with a float64 reference: (rtol, atol) as
    given for float64 results, widened to ULPS machine epsilons of a less precise dtype (float32:
    rtol 1.2e-5, atol scaled by the same factor)."""
    eps = least_precise_eps(*values)
    wide = ULPS * eps
    if wide <= rtol:
        return rtol, atol
    return wide, atol * wide / rtol


def close(got, want, tol, equal_nan=False):
    """Same shape, and equal within tol = (rtol, atol) (np.allclose)."""
    return got.shape == want.shape and bool(np.allclose(got, want, rtol=tol[0], atol=tol[1], equal_nan=equal_nan))


def mismatch(got, want):
    """'X, expected Y (relative difference Z)', X and Y printed with enough digits to differ."""
    got, want = float(got), float(want)
    for digits in range(6, 18):
        a, b = f"{got:.{digits}g}", f"{want:.{digits}g}"
        if a != b:
            break
    scale = max(abs(got), abs(want))
    if not np.isfinite(got) or not np.isfinite(want) or scale == 0:
        return f"{a}, expected {b}"
    return f"{a}, expected {b} (relative difference {abs(got - want) / scale:.1e})"


def largest_difference(got, want):
    """'up to X (Y relative to the largest entry)' for two arrays of one shape."""
    diff = float(np.max(np.abs(got - want)))
    scale = float(max(np.max(np.abs(got)), np.max(np.abs(want))))
    if not np.isfinite(diff) or scale == 0:
        return f"up to {diff:.3g}"
    return f"up to {diff:.3g} ({diff / scale:.1e} relative to the largest entry)"
