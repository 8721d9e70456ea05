"""The GRU cell: a step and a whole layer, forwards and backwards.

Gates stacked in PyTorch's order r, z, n (rows of W_F, W_R, b_h, b_R, H each)::

    a_x = W_F x_t + b_h,   a_h = W_R h_{t-1} + b_R         (B, 3H) each, blocks [r, z, n]
    r_t = sigma(a_x,r + a_h,r)                             reset gate
    z_t = sigma(a_x,z + a_h,z)                             update gate
    n_t = tanh(a_x,n + r_t * a_h,n)                        candidate: r scales W_hn h + b_hn
    h_t = (1 - z_t) * n_t + z_t * h_{t-1}                  z_t = 1 keeps h_{t-1} as it is

    W_F: (3H, D)   W_R: (3H, H)   b_h, b_R: (3H,)    x_t: (B, D)   h_t: (B, H)

Backwards, from the total dL/dh_t:

    dn   = dL/dh_t * (1 - z_t) * (1 - n_t^2)          (= dL/d(pre-activation of n))
    dz   = dL/dh_t * (h_{t-1} - n_t) * z_t (1 - z_t)
    dr   = dn * a_h,n * r_t (1 - r_t)
    da_x = [dr, dz, dn]          da_h = [dr, dz, r_t * dn]
    dL/dh_{t-1} = dL/dh_t * z_t + W_R^T da_h           (the z_t term is the GRU's additive path)
    dL/dW_F = sum_t da_x x_t^T   dL/db_h = sum_t da_x   dL/dW_R = sum_t da_h h_{t-1}^T   dL/db_R = sum_t da_h

The layer code computes sigma and tanh with exp (cells/fastmath.py), the step code with
rnn_edu.activations; they agree to rounding.
"""
import numpy as np

from ..activations import sigmoid
from .fastmath import sigmoid_from_negated, tanh_into


def step_forward(x_t, h_prev, W_F, W_R, b_h, b_R):
    """One GRU step (equations in the module docstring).

    x_t: (B, D), h_prev: (B, H), W_F: (3H, D), W_R: (3H, H), b_h, b_R: (3H,).
    Returns (h_t (B, H), cache); the cache holds what `step_backward` needs.
    """
    H = W_R.shape[1]
    a_x, a_h = x_t @ W_F.T + b_h, h_prev @ W_R.T + b_R
    rz = sigmoid(a_x[:, :2 * H] + a_h[:, :2 * H])
    r, z = rz[:, :H], rz[:, H:]
    n = np.tanh(a_x[:, 2 * H:] + r * a_h[:, 2 * H:])
    h_t = (1.0 - z) * n + z * h_prev
    return h_t, (x_t, h_prev, np.concatenate([rz, n], axis=-1), a_h[:, 2 * H:], W_F, W_R)


def _deltas(dh, gates, a_hn, h_prev):
    """(da_x, da_h) (B, 3H) and the direct part dL/dh_t * z_t of dL/dh_{t-1}, one step."""
    H = dh.shape[-1]
    r, z, n = gates[:, :H], gates[:, H:2 * H], gates[:, 2 * H:]
    dn = dh * (1.0 - z) * (1.0 - n * n)
    dz = dh * (h_prev - n) * z * (1.0 - z)
    dr = dn * a_hn * r * (1.0 - r)
    return np.concatenate([dr, dz, dn], axis=-1), np.concatenate([dr, dz, r * dn], axis=-1), dh * z


def step_backward(dh_t, cache):
    """Backward through one GRU step. dh_t: (B, H), the total dL/dh_t.

    Returns (dx_t (B, D), dh_prev (B, H), dW_F (3H, D), dW_R (3H, H), db_h (3H,), db_R (3H,)).
    """
    x_t, h_prev, gates, a_hn, W_F, W_R = cache
    da_x, da_h, direct = _deltas(dh_t, gates, a_hn, h_prev)
    return (da_x @ W_F, direct + da_h @ W_R, da_x.T @ x_t, da_h.T @ h_prev,
            da_x.sum(axis=0), da_h.sum(axis=0))


def layer_forward(W_F, W_R, b_h, b_R, xs, h0):
    """All T steps of one GRU layer. xs: (T, B, D), h0: (B, H).

    Returns (hs (T, B, H) = h_1..h_T, cache). W_F x_t + b_h (and b_R's r, z blocks) for all
    steps is one matrix product; each step adds one (B, H) @ (H, 3H) product and works in
    preallocated arrays. The r and z rows are negated (exact) so that
    sigma(a) = 1 / (1 + exp(-a)) needs no copy.
    The cache holds the gates [r, z, n] and a_h,n = W_hn h_{t-1} + b_hn of every step.
    """
    T, B, D = xs.shape
    H = W_R.shape[1]
    s = np.ones(3 * H, W_R.dtype)
    s[:2 * H] = -1.0
    gates = (xs.reshape(T * B, D) @ (W_F * s[:, None]).T).reshape(T, B, 3 * H)
    gates[..., :2 * H] -= b_h[:2 * H] + b_R[:2 * H]         # -(b_ir + b_hr), -(b_iz + b_hz)
    gates[..., 2 * H:] += b_h[2 * H:]
    W_R_T, b_hn = np.ascontiguousarray((W_R * s[:, None]).T), b_R[2 * H:]
    hs, a_hn = np.empty((T, B, H), W_R.dtype), np.empty((T, B, H), W_R.dtype)
    rec, rn = np.empty((B, 3 * H), W_R.dtype), np.empty((B, H), W_R.dtype)
    h_prev = h0
    with np.errstate(over="ignore"):
        for t in range(T):
            a = gates[t]
            rz, n = a[:, :2 * H], a[:, 2 * H:]
            np.matmul(h_prev, W_R_T, out=rec)
            rz += rec[:, :2 * H]
            sigmoid_from_negated(rz)                     # r_t, z_t
            np.add(rec[:, 2 * H:], b_hn, out=a_hn[t])    # W_hn h_{t-1} + b_hn
            np.multiply(a[:, :H], a_hn[t], out=rn)
            n += rn
            tanh_into(n, n)                              # n_t
            np.subtract(h_prev, n, out=hs[t])
            hs[t] *= a[:, H:2 * H]
            hs[t] += n                                   # h_t = n_t + z_t (h_{t-1} - n_t)
            h_prev = hs[t]
    return hs, (h0, hs, gates, a_hn, W_R)


def layer_backward(dhs, cache):
    """Full BPTT through one GRU layer.

    dhs: (T, B, H), the gradient reaching each h_t from above (output or next layer).
    Returns (das_x (T, B, 3H), das_h (T, B, 3H), dh0 (B, H)): the gradients of a_x and a_h
    (they differ in the n block, by the factor r_t), and dL/dh_0. The factors that do not
    depend on the gradient are computed for all steps at once:
        [dz, dn] = dL/dh_t * [(h_{t-1} - n_t) z'_t, (1 - z_t) n'_t]     (one product)
        dr = dn * [a_h,n r'_t]           da_h = da_x * [1, 1, r_t]
    so the loop does a few element-wise products and one (B, 3H) @ (3H, H) product per step.
    """
    h0, hs, gates, a_hn, W_R = cache
    T, B, H = hs.shape
    r, z, n = gates[..., :H], gates[..., H:2 * H], gates[..., 2 * H:]
    zn = np.empty((T, B, 2, H), gates.dtype)               # [(h_{t-1} - n_t) z', (1 - z) n']
    np.subtract(hs[:-1], n[1:], out=zn[1:, :, 0])
    np.subtract(h0, n[0], out=zn[0, :, 0])
    zn[:, :, 0] *= z * (1.0 - z)
    np.multiply(1.0 - z, 1.0 - n * n, out=zn[:, :, 1])
    r_factor = a_hn * r * (1.0 - r)
    to_h = np.ones_like(gates)                             # [1, 1, r_t]
    to_h[..., 2 * H:] = r
    das_x, das_h = np.empty_like(gates), np.empty_like(gates)
    dx4 = das_x.reshape(T, B, 3, H)
    dh, rec = np.zeros_like(h0), np.empty_like(h0)
    for t in range(T - 1, -1, -1):
        dh += dhs[t]                                           # dL/dh_t
        np.multiply(dh[:, None, :], zn[t], out=dx4[t, :, 1:])  # dz, dn
        np.multiply(dx4[t, :, 2], r_factor[t], out=dx4[t, :, 0])   # dr
        np.multiply(das_x[t], to_h[t], out=das_h[t])           # [dr, dz, r dn]
        np.matmul(das_h[t], W_R, out=rec)
        dh *= z[t]
        dh += rec                                              # dL/dh_{t-1}
    return das_x, das_h, dh


# -- the hooks the shared code (rnn_edu.stack) calls; the same names in every cell module --

TWO_SIDED = True        # do the input side and the recurrent side get different gradients?

def run_layer(layer, xs, h0, activation=None):
    """layer = (W_F, W_R, b_h, b_R). Returns (hs, cache)."""
    hs, cache = layer_forward(*layer, xs, h0)
    return hs, cache


def run_layer_backward(layer, cache, dhs):
    das_x, das_h, _ = layer_backward(dhs, cache)
    return das_x, das_h


def truncated_step(layer, cache, s, dh):
    """One step back: dL/dh_s -> (da_x, da_h, dL/dh_{s-1})."""
    h0, hs, gates, a_hn, W_R = cache
    da_x, da_h, direct = _deltas(dh, gates[s], a_hn[s], hs[s - 1] if s else h0)
    return da_x, da_h, direct + da_h @ W_R


def state_at(cache, s):
    """The state h_s after step s (s = -1: the initial state)."""
    h0, hs = cache[:2]
    return h0 if s < 0 else hs[s]


def zero_state(B, H, dtype):
    return np.zeros((B, H), dtype)


def h_part(state):
    """The h_t of a state (for the GRU the state is h_t)."""
    return state
