"""Hidden-state nonlinearities f and their derivatives.

Each derivative is written in terms of the activation's *output* h = f(a),
which is all the backward pass keeps:

    tanh:    f'(a) = 1 - h^2              (at most 1)
    sigmoid: f'(a) = h (1 - h)            (at most 1/4)
    relu:    f'(a) = 1 if h > 0 else 0
"""
import numpy as np

from .validate import check_choice


def sigmoid(a):
    """1 / (1 + exp(-a)), computed without overflow for large |a|."""
    out = np.empty_like(a)
    pos = a >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-a[pos]))
    e = np.exp(a[~pos])
    out[~pos] = e / (1.0 + e)
    return out


def relu(a):
    """max(a, 0)."""
    return np.maximum(a, 0)


ACTIVATIONS = {"tanh": np.tanh, "sigmoid": sigmoid, "relu": relu}


def d_tanh(h):
    return 1.0 - h * h


def d_sigmoid(h):
    return h * (1.0 - h)


def d_relu(h):
    return (h > 0).astype(h.dtype)


DERIVATIVES = {"tanh": d_tanh, "sigmoid": d_sigmoid, "relu": d_relu}

# gamma bounds |f'|: the Jacobian dh_t/dh_{t-1} = diag(f') W_R has norm <= gamma ||W_R||.
GAMMA = {"tanh": 1.0, "sigmoid": 0.25, "relu": 1.0}


def get_activation(name):
    """(f, f' in terms of h) for an activation name: 'tanh', 'sigmoid' or 'relu'."""
    check_choice("activation", name, ACTIVATIONS)
    return ACTIVATIONS[name], DERIVATIVES[name]
