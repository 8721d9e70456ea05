"""The LSTM cell: a step and a whole layer, forwards and backwards.

Gates stacked in PyTorch's order i, f, g, o (rows of W_F, W_R and b_h, H each)::

    a_t = W_F x_t + W_R h_{t-1} + b_h                (B, 4H) = [a_i, a_f, a_g, a_o]
    i_t = sigma(a_i)   f_t = sigma(a_f)   g_t = tanh(a_g)   o_t = sigma(a_o)
    c_t = f_t * c_{t-1} + i_t * g_t                  the cell state: an additive path
    h_t = o_t * tanh(c_t)

    W_F: (4H, D)   W_R: (4H, H)   b_h: (4H,)    x_t: (B, D)   h_t, c_t: (B, H)

Backwards, with dc_t the gradient reaching c_t from step t+1 only (c_{t+1} = f_{t+1} c_t + ...), as
`step_backward` takes it, and dc_total the whole gradient at c_t (that part and the part through h_t):

    dc_total = dc_t + dL/dh_t * o_t * (1 - tanh(c_t)^2)
    da_i   = dc_total * g_t * i_t (1 - i_t)      da_f = dc_total * c_{t-1} * f_t (1 - f_t)
    da_g   = dc_total * i_t * (1 - g_t^2)        da_o = dL/dh_t * tanh(c_t) * o_t (1 - o_t)
    dL/dc_{t-1} = dc_total * f_t                 (the Jacobian of c_t in c_{t-1} is diag(f_t): no W_R in the way)
    dL/dh_{t-1} = W_R^T da_t,   dL/dx_t = W_F^T da_t
    dL/dW_F = sum_t da_t x_t^T    dL/dW_R = sum_t da_t h_{t-1}^T    dL/db_h = sum_t da_t

The layer code computes sigma and tanh with exp (cells/fastmath.py), the step code with
rnn_edu.activations; they agree to rounding.
"""
import numpy as np

from ..activations import sigmoid
from . import lstm_fast
from .fastmath import sigmoid_from_negated, tanh_into
from .lstm_fast import _row_scale


def _split(a):
    """(B, 4H) -> the four (B, H) gate blocks i, f, g, o (views)."""
    H = a.shape[-1] // 4
    return a[..., :H], a[..., H:2 * H], a[..., 2 * H:3 * H], a[..., 3 * H:]


def step_forward(x_t, h_prev, c_prev, W_F, W_R, b_h):
    """One LSTM step (equations in the module docstring).

    x_t: (B, D), h_prev, c_prev: (B, H), W_F: (4H, D), W_R: (4H, H), b_h: (4H,).
    Returns (h_t (B, H), c_t (B, H), cache); the cache holds what `step_backward` needs.
    """
    a_i, a_f, a_g, a_o = _split(x_t @ W_F.T + h_prev @ W_R.T + b_h)
    i, f, g, o = sigmoid(a_i), sigmoid(a_f), np.tanh(a_g), sigmoid(a_o)
    c_t = f * c_prev + i * g
    tanh_c = np.tanh(c_t)
    h_t = o * tanh_c
    return h_t, c_t, (x_t, h_prev, c_prev, np.concatenate([i, f, g, o], axis=-1), tanh_c, W_F, W_R)


def _deltas(dh, dc, gates, tanh_c, c_prev):
    """dL/da_t (B, 4H) and dL/dc_{t-1} from dL/dh_t and dL/dc_t(from t+1), one step."""
    i, f, g, o = _split(gates)
    dc = dc + dh * o * (1.0 - tanh_c * tanh_c)
    da = np.concatenate([dc * g * i * (1.0 - i), dc * c_prev * f * (1.0 - f),
                         dc * i * (1.0 - g * g), dh * tanh_c * o * (1.0 - o)], axis=-1)
    return da, dc * f


def step_backward(dh_t, dc_t, cache):
    """Backward through one LSTM step.

    dh_t: (B, H) total dL/dh_t; dc_t: (B, H) the gradient reaching c_t from step t+1.
    Returns (dx_t (B, D), dh_prev (B, H), dc_prev (B, H), dW_F (4H, D), dW_R (4H, H), db_h (4H,)).
    """
    x_t, h_prev, c_prev, gates, tanh_c, W_F, W_R = cache
    da, dc_prev = _deltas(dh_t, dc_t, gates, tanh_c, c_prev)
    return da @ W_F, da @ W_R, dc_prev, da.T @ x_t, da.T @ h_prev, da.sum(axis=0)


def _activate(a, H, m, c):
    """In place: scaled pre-activations (see lstm_fast._row_scale) -> the gates [i, f, g, o]."""
    if m is not None:
        np.tanh(a, out=a)
        a *= m
        a += c
        return
    sigmoid_from_negated(a)
    g = a[:, 2 * H:3 * H]
    g *= 2.0
    g -= 1.0


def layer_forward(W_F, W_R, b_h, xs, h0, c0):
    """All T steps of one LSTM layer. xs: (T, B, D), h0, c0: (B, H).

    Returns (hs (T, B, H) = h_1..h_T, cs (T, B, H) = c_1..c_T, cache). The input terms
    W_F x_t + b_h of all steps are one matrix product; each step then adds W_R h_{t-1}
    (one (B, H) @ (H, 4H) product) and applies the gates in place, in preallocated arrays.
    The cache holds the gates [i, f, g, o], c_t and tanh(c_t) of every step.
    """
    T, B, D = xs.shape
    H = W_R.shape[1]
    s, m, c = _row_scale(H, W_R.dtype)
    gates = (xs.reshape(T * B, D) @ (W_F * s[:, None]).T).reshape(T, B, 4 * H)
    gates += b_h * s
    W_R_T = np.ascontiguousarray((W_R * s[:, None]).T)
    hs, cs, tanh_cs = (np.empty((T, B, H), W_R.dtype) for _ in range(3))
    rec, ig = np.empty((B, 4 * H), W_R.dtype), np.empty((B, H), W_R.dtype)
    h_prev, c_prev = h0, c0
    with np.errstate(over="ignore"):
        for t in range(T):
            a = gates[t]
            np.matmul(h_prev, W_R_T, out=rec)
            a += rec                                   # the scaled a_t
            _activate(a, H, m, c)                      # [i, f, g, o]
            np.multiply(a[:, H:2 * H], c_prev, out=cs[t])
            np.multiply(a[:, :H], a[:, 2 * H:3 * H], out=ig)
            cs[t] += ig                                # c_t = f c_{t-1} + i g
            tanh_into(cs[t], tanh_cs[t])
            np.multiply(a[:, 3 * H:], tanh_cs[t], out=hs[t])    # h_t = o tanh(c_t)
            h_prev, c_prev = hs[t], cs[t]
    return hs, cs, (h0, c0, hs, cs, tanh_cs, gates, W_R)


def layer_backward(dhs, cache):
    """Full BPTT through one LSTM layer.

    dhs: (T, B, H), the gradient reaching each h_t from above (output or next layer).
    Returns (das (T, B, 4H) = dL/da_t, dh0 (B, H), dc0 (B, H)). The module docstring's
    equations, with every factor that does not depend on the gradient computed for all
    steps at once before the loop:
        dL/dc_t += dL/dh_t * [o_t (1 - tanh(c_t)^2)]
        [da_i, da_f, da_g] = dL/dc_t * [g_t i'_t, c_{t-1} f'_t, i_t g'_t]     (one product)
        da_o = dL/dh_t * [tanh(c_t) o'_t]
    (i' = i (1 - i) and so on), so each step is a few element-wise products and one
    (B, 4H) @ (4H, H) product, written into preallocated arrays. The weight gradients are
    then one matrix product each (shared: stack.layer_weight_grads).
    """
    h0, c0, hs, cs, tanh_cs, gates, W_R = cache
    T, B, H = hs.shape
    i, f, g, o = _split(gates)
    dc_from_h = o * (1.0 - tanh_cs * tanh_cs)              # o_t (1 - tanh(c_t)^2)
    factors = np.empty((T, B, 3, H), gates.dtype)          # [g i', c_{t-1} f', i g']
    np.multiply(g, i * (1.0 - i), out=factors[:, :, 0])
    np.multiply(f, 1.0 - f, out=factors[:, :, 1])
    factors[1:, :, 1] *= cs[:-1]
    factors[0, :, 1] *= c0
    np.multiply(i, 1.0 - g * g, out=factors[:, :, 2])
    o_factor = tanh_cs * o * (1.0 - o)                     # tanh(c_t) o'
    das = np.empty_like(gates)
    das4 = das.reshape(T, B, 4, H)
    dh, dc, tmp = np.zeros_like(h0), np.zeros_like(h0), np.empty_like(h0)
    for t in range(T - 1, -1, -1):
        dh += dhs[t]                                           # dL/dh_t
        np.multiply(dh, dc_from_h[t], out=tmp)
        dc += tmp                                              # dL/dc_t
        np.multiply(dc[:, None, :], factors[t], out=das4[t, :, :3])   # da_i, da_f, da_g
        np.multiply(dh, o_factor[t], out=das4[t, :, 3])        # da_o
        dc *= f[t]                                             # dL/dc_{t-1} = dc_t f_t
        np.matmul(das[t], W_R, out=dh)                         # dL/dh_{t-1} = W_R^T da_t
    return das, dh, dc


# -- the hooks the shared code (rnn_edu.stack) calls; the same names in every cell module --

TWO_SIDED = False        # do the input side and the recurrent side get different gradients?

def run_layer(layer, xs, state0, activation=None):
    """layer = (W_F, W_R, b_h), state0 = (h0, c0). Returns (hs, cache).
    Runs the fast path (lstm_fast.forward: the same numbers as layer_forward)."""
    hs, _, cache = lstm_fast.forward(*layer, xs, *state0)
    return hs, cache


def run_layer_backward(layer, cache, dhs):
    """(das_x, das_h): the gate pre-activation gradients (one array: both sides share a_t).
    Runs the fast path (lstm_fast.backward, which spends the cache's gates)."""
    das, _, _ = lstm_fast.backward(dhs, cache)
    return das, das


def truncated_step(layer, cache, s, dstate):
    """One step back: (dL/dh_s, dL/dc_s from s+1) -> (da_s, da_s, (dL/dh_{s-1}, dL/dc_{s-1}))."""
    h0, c0, hs, cs, tanh_cs, gates, W_R = cache
    gates = lstm_fast.live_gates(gates)
    da, dc_prev = _deltas(dstate[0], dstate[1], gates[s], tanh_cs[s], cs[s - 1] if s else c0)
    return da, da, (da @ W_R, dc_prev)


def state_at(cache, s):
    """The state (h_s, c_s) after step s (s = -1: the initial state)."""
    h0, c0, hs, cs = cache[:4]
    return (h0, c0) if s < 0 else (hs[s], cs[s])


def zero_state(B, H, dtype):
    return (np.zeros((B, H), dtype), np.zeros((B, H), dtype))


def h_part(state):
    """The h_t of a state (h_t, c_t)."""
    return state[0]


def total_dc(cache, s, dstate):
    """dL/dc_s in total, from c_{s+1} and through h_s: dc + dh * o_s * (1 - tanh(c_s)^2)."""
    tanh_c, o = cache[4][s], _split(lstm_fast.live_gates(cache[5])[s])[3]
    return dstate[1] + dstate[0] * o * (1.0 - tanh_c * tanh_c)
