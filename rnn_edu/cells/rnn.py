"""The plain RNN cell: a step and a whole layer, forwards and backwards.

    a_t = W_F x_t + W_R h_{t-1} + b_h,     h_t = f(a_t)      (f = tanh, sigmoid or relu)

    W_F: (H, D)   W_R: (H, H)   b_h: (H,)     x_t: (B, D)   h_t: (B, H)

Going backwards from t = T to 1, the gradient reaching h_t has two sources:

    dL/dh_t = (from above at t) + W_R^T dL/da_{t+1}       (the recurrent path)
    dL/da_t = dL/dh_t * f'(a_t)                            (element-wise; f' from h_t)

and, because the same weights are used at every step, their gradients are sums over t:

    dL/dW_F = sum_t dL/da_t x_t^T      dL/dW_R = sum_t dL/da_t h_{t-1}^T      dL/db_h = sum_t dL/da_t

Arrays are time-major; rows are batch items, so W x becomes x @ W.T.
"""
import numpy as np

from ..activations import get_activation


def step_forward(x_t, h_prev, W_F, W_R, b_h, activation="tanh"):
    """One time step: h_t = f(W_F x_t + W_R h_{t-1} + b_h).

    x_t: (B, D), h_prev: (B, H), W_F: (H, D), W_R: (H, H), b_h: (H,).
    Returns h_t: (B, H). Rows are batch items, so W x becomes x @ W.T.
    """
    f, _ = get_activation(activation)
    return f(x_t @ W_F.T + h_prev @ W_R.T + b_h)


def step_backward(dh_t, h_t, h_prev, x_t, W_F, W_R, activation="tanh"):
    """Backward through one step h_t = f(W_F x_t + W_R h_{t-1} + b_h).

    dh_t: (B, H) total gradient dL/dh_t; h_t, h_prev: (B, H); x_t: (B, D).
    Returns (dx_t (B, D), dh_prev (B, H), dW_F (H, D), dW_R (H, H), db_h (H,)):
    this step's share of each weight gradient, and what flows on to x_t and h_{t-1}.
    """
    _, d_f = get_activation(activation)
    da = dh_t * d_f(h_t)
    return da @ W_F, da @ W_R, da.T @ x_t, da.T @ h_prev, da.sum(axis=0)


def layer_forward(W_F, W_R, b_h, xs, h0, activation="tanh"):
    """All T steps of one layer; returns hs: (T, B, H) holding h_1..h_T.

    Same equation as `step_forward`, h_t = f(W_F x_t + W_R h_{t-1} + b_h), but the
    input term W_F x_t + b_h does not depend on h, so it is computed for every t
    in one matrix product first; only W_R h_{t-1} has to wait for the previous step.
    Each hs[t] starts as W_F x_t + b_h and becomes h_t in place; W_R h_{t-1} is
    written into one reused (B, H) buffer. tests/test_forward.py checks that this
    equals a loop of `step_forward`.
    xs: (T, B, D), h0: (B, H).
    """
    f, _ = get_activation(activation)
    T, B, D = xs.shape
    hs = (xs.reshape(T * B, D) @ W_F.T).reshape(T, B, -1)   # W_F x_t for every t
    hs += b_h
    W_R_T = np.ascontiguousarray(W_R.T)                     # h @ W_R^T is W_R h, row by row
    recurrent = np.empty_like(hs[0])                        # W_R h_{t-1}, reused every step
    h_prev = h0
    for t in range(T):
        np.matmul(h_prev, W_R_T, out=recurrent)
        hs[t] += recurrent                                  # a_t = W_F x_t + b_h + W_R h_{t-1}
        hs[t] = f(hs[t])                                    # h_t = f(a_t)
        h_prev = hs[t]
    return hs


def layer_backward(W_R, hs, dhs_out, activation="tanh"):
    """Full BPTT through one layer: dL/da_t for every t, and dL/dh_0.

    W_R: (H, H); hs: (T, B, H) = h_1..h_T; dhs_out: (T, B, H), the gradient reaching
    each h_t from above (the output layer, or the next layer up).
    Returns (das (T, B, H), dh0 (B, H)).

    Step by step this is `step_backward` run from t = T down to 1:
        dL/dh_t = dhs_out[t] + W_R^T dL/da_{t+1},   dL/da_t = dL/dh_t * f'(a_t),
    with each step's result written straight into das[t] and into one reused (B, H)
    buffer for dL/dh; tests/test_fast_paths.py checks it against a loop of `step_backward`.
    The weight gradients are then one matrix product each (`layer_weight_grads`).
    """
    _, d_f = get_activation(activation)
    das = np.empty_like(hs)
    dh = np.zeros_like(hs[0])               # W_R^T dL/da_{t+1}; nothing after step T
    for t in range(hs.shape[0] - 1, -1, -1):
        dh += dhs_out[t]                                # dL/dh_t: from above + recurrent path
        np.multiply(dh, d_f(hs[t]), out=das[t])         # dL/da_t = dL/dh_t * f'(a_t)
        np.matmul(das[t], W_R, out=dh)                  # W_R^T dL/da_t, what reaches h_{t-1}
    return das, dh


layer_deltas = layer_backward       # its earlier name


# -- the hooks the shared code (rnn_edu.stack) calls; the same names in every cell module --

TWO_SIDED = False        # do the input side and the recurrent side get different gradients?

def run_layer(layer, xs, h0, activation):
    """layer = (W_F, W_R, b_h). Returns (hs, cache); the cache is (h0, hs, activation)."""
    W_F, W_R, b_h = layer
    hs = layer_forward(W_F, W_R, b_h, xs, h0, activation)
    return hs, (h0, hs, activation)


def run_layer_backward(layer, cache, dhs):
    """(das_x, das_h): gradients of the input-side and recurrent-side pre-activations (equal here)."""
    _, hs, activation = cache
    das, _ = layer_backward(layer[1], hs, dhs, activation)
    return das, das


def truncated_step(layer, cache, s, dh):
    """One step back for truncated BPTT: dL/dh_s -> (da_s, da_s, dL/dh_{s-1})."""
    _, hs, activation = cache
    da = dh * get_activation(activation)[1](hs[s])
    return da, da, da @ layer[1]


def state_at(cache, s):
    """The state after step s (s = -1: the initial state)."""
    h0, hs, _ = cache
    return h0 if s < 0 else hs[s]


def zero_state(B, H, dtype):
    return np.zeros((B, H), dtype)


def h_part(state):
    """The h_t of a state (for the plain RNN the state is h_t)."""
    return state
