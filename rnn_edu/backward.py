"""Backpropagation through time for one layer, step by step and for a whole sequence.

Write a_t = W_F x_t + W_R h_{t-1} + b_h for the pre-activation, so h_t = f(a_t).
Going backwards from t = T to 1, the gradient reaching h_t has two sources:

    dL/dh_t = (from the output at t) + W_R^T dL/da_{t+1}       (the recurrent path)
    dL/da_t = dL/dh_t * f'(a_t)                                 (element-wise)

and, because the same weights are used at every step, their gradients are sums over t:

    dL/dW_F = sum_t dL/da_t x_t^T      dL/dW_R = sum_t dL/da_t h_{t-1}^T      dL/db_h = sum_t dL/da_t
"""
import numpy as np

from .activations import get_activation


def step_backward(dh_t, h_t, h_prev, x_t, W_F, W_R, activation="tanh"):
    """Backward through one step h_t = f(W_F x_t + W_R h_{t-1} + b_h).

    dh_t: (B, H) total gradient dL/dh_t; h_t, h_prev: (B, H); x_t: (B, D).
    Returns (dx_t (B, D), dh_prev (B, H), dW_F (H, D), dW_R (H, H), db_h (H,)):
    this step's share of each weight gradient, and what flows on to x_t and h_{t-1}.
    """
    _, d_f = get_activation(activation)
    da = dh_t * d_f(h_t)
    return da @ W_F, da @ W_R, da.T @ x_t, da.T @ h_prev, da.sum(axis=0)


def layer_deltas(W_R, hs, dhs_out, activation="tanh"):
    """Full BPTT through one layer: dL/da_t for every t, and dL/dh_0.

    W_R: (H, H); hs: (T, B, H) = h_1..h_T; dhs_out: (T, B, H), the gradient reaching
    each h_t from above (the output layer, or the next layer up).
    Returns (das (T, B, H), dh0 (B, H)).

    Step by step this is `step_backward` run from t = T down to 1:
        dL/dh_t = dhs_out[t] + W_R^T dL/da_{t+1},   dL/da_t = dL/dh_t * f'(a_t),
    with each step's result written straight into das[t] and into one reused (B, H)
    buffer for dL/dh; tests/test_fast_paths.py checks it against a loop of `step_backward`.
    """
    _, d_f = get_activation(activation)
    das = np.empty_like(hs)
    dh = np.zeros_like(hs[0])               # W_R^T dL/da_{t+1}; nothing after step T
    for t in range(hs.shape[0] - 1, -1, -1):
        dh += dhs_out[t]                                # dL/dh_t: from above + recurrent path
        np.multiply(dh, d_f(hs[t]), out=das[t])         # dL/da_t = dL/dh_t * f'(a_t)
        np.matmul(das[t], W_R, out=dh)                  # W_R^T dL/da_t, what reaches h_{t-1}
    return das, dh


def truncated_deltas(layers, layer_hs, dtop, scored, k, activation="tanh"):
    """Truncated BPTT: each loss term L_t flows back at most k steps, then stops.

    layers: list of (W_F, W_R, b_h) from the bottom layer up; layer_hs: their (T, B, H_l)
    states; dtop: (T, B, H_top), the gradient of each L_t with respect to the top h_t;
    scored: the time indices t that carry a loss term.
    For L_t the gradient reaches the pre-activations of steps t, t-1, ..., t-k+1 (every
    layer) and stops at the states h_{t-k}, which are treated as constants.
    Returns das: a list with (T, B, H_l) per layer.
    """
    _, d_f = get_activation(activation)
    das = [np.zeros_like(hs) for hs in layer_hs]
    top = len(layers) - 1
    for t in scored:
        dh = [np.zeros_like(hs[0]) for hs in layer_hs]
        dh[top] = dtop[t].copy()
        for s in range(t, max(t - k, -1), -1):
            dh_earlier = [None] * len(layers)
            for l in range(top, -1, -1):
                W_F, W_R, _ = layers[l]
                da = dh[l] * d_f(layer_hs[l][s])
                das[l][s] += da
                dh_earlier[l] = da @ W_R              # into h^l_{s-1}
                if l > 0:
                    dh[l - 1] += da @ W_F             # into h^{l-1}_s, the layer below
            dh = dh_earlier
    return das


def layer_weight_grads(das, xs, h0, hs):
    """Weight gradients of one layer from its pre-activation gradients (sums over t).

    das: (T, B, H); xs: (T, B, D) the layer's inputs; h0: (B, H); hs: (T, B, H).
    Returns (dW_F (H, D), dW_R (H, H), db_h (H,)), each computed as one matrix
    product over all T*B rows, which equals sum_t dL/da_t x_t^T (and so on).
    """
    T, B, H = das.shape
    flat = das.reshape(T * B, H)
    dW_F = flat.T @ xs.reshape(T * B, -1)
    dW_R = das[0].T @ h0
    if T > 1:
        dW_R += das[1:].reshape((T - 1) * B, H).T @ hs[:-1].reshape((T - 1) * B, H)
    return dW_F, dW_R, flat.sum(axis=0)


def input_grads(das, W_F):
    """dL/dx_t = W_F^T dL/da_t for every t: das (T, B, H) -> (T, B, D)."""
    T, B, H = das.shape
    return (das.reshape(T * B, H) @ W_F).reshape(T, B, -1)
