"""sigma and tanh for the gated cells' loops, written with exp (numpy vectorises exp; its
float64 tanh runs one element at a time and is several times slower).

    sigma(a) = 1 / (1 + exp(-a))          tanh(a) = 2 sigma(2a) - 1

Both are the exact functions (rounding differs from np.tanh by a few units in the last
place, |error| < 1e-15); exp(-a) = inf for a very negative gives sigma = 0, not NaN.
"""
import numpy as np


def sigmoid_from_negated(a):
    """In place: `a` holds -x on entry and sigma(x) on return."""
    np.exp(a, out=a)
    a += 1.0
    np.reciprocal(a, out=a)
    return a


def tanh_into(x, out):
    """out = tanh(x) (float32: np.tanh, which is vectorised there; float64: 2 sigma(2x) - 1)."""
    if x.dtype == np.float32:
        return np.tanh(x, out=out)
    np.multiply(x, -2.0, out=out)
    sigmoid_from_negated(out)
    out *= 2.0
    out -= 1.0
    return out
