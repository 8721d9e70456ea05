"""The forward pass: run the recurrence over a whole sequence.

    h_t = f(W_F x_t + W_R h_{t-1} + b_h)        t = 1..T, h_0 given (zeros by default)
    z_t = W_O h_t + b_o                          output pre-activation

Arrays are time-major: xs has shape (T, B, D) for T steps of a batch of B.
"""
from dataclasses import dataclass

import numpy as np

from .activations import get_activation
from .params import RNNParams, StackedRNNParams
from .validate import as_float_array, check_ndim, check_shape


def step_forward(x_t, h_prev, W_F, W_R, b_h, activation="tanh"):
    """One time step: h_t = f(W_F x_t + W_R h_{t-1} + b_h).

    x_t: (B, D), h_prev: (B, H), W_F: (H, D), W_R: (H, H), b_h: (H,).
    Returns h_t: (B, H). Rows are batch items, so W x becomes x @ W.T.
    """
    f, _ = get_activation(activation)
    return f(x_t @ W_F.T + h_prev @ W_R.T + b_h)


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


@dataclass
class ForwardResult:
    """What `forward` computed, and what the backward pass needs.

    hs:       (T, B, H)   hidden states h_1..h_T of the top layer.
    zs:       (T, B, O)   output pre-activations z_t = W_O h_t + b_o.
    layer_hs: list of (T, B, H_l), the hidden states of every layer (last = hs).
    xs:       (T, B, D)   the inputs, as used (cast to the parameters' dtype).
    h0s:      list of (B, H_l), the initial state of every layer.
    activation: the name of f.
    """
    hs: np.ndarray
    zs: np.ndarray
    layer_hs: list
    xs: np.ndarray
    h0s: list
    activation: str

    @property
    def h_last(self):
        """h_T, to carry into the next window: (B, H), or a list per layer if stacked."""
        last = [hs[-1].copy() for hs in self.layer_hs]
        return last[0] if len(last) == 1 else last


def check_inputs(params, xs, h0):
    """Validate xs (T, B, D) and h0 against the parameters; return (xs, list of h0 per layer)."""
    if not isinstance(params, (RNNParams, StackedRNNParams)):
        raise TypeError(f"params: expected RNNParams or StackedRNNParams, got {type(params).__name__}.")
    dtype = params.dtype
    xs = as_float_array("xs", xs, dtype)
    check_ndim("xs", xs, 3, "(T, B, D)")
    T, B, D = xs.shape
    check_shape("xs", xs, (T, B, params.n_in), f"(T, B, D) with D = {params.n_in} (columns of W_F)")
    if T < 1 or B < 1:
        raise ValueError(f"xs: expected at least one time step and one batch item, got shape {xs.shape}.")
    sizes = [W_R.shape[0] for _, W_R, _ in params.layers]
    if h0 is None:
        return xs, [np.zeros((B, H), dtype) for H in sizes]
    h0s = [h0] if isinstance(params, RNNParams) else list(h0)
    if len(h0s) != len(sizes):
        raise ValueError(f"h0: expected one initial state per layer ({len(sizes)}), got {len(h0s)}.")
    out = []
    for l, (h, H) in enumerate(zip(h0s, sizes)):
        name = "h0" if len(sizes) == 1 else f"h0[{l}]"
        h = as_float_array(name, h, dtype)
        check_shape(name, h, (B, H), f"(B, H) with B = {B} (from xs), H = {H}")
        out.append(h)
    return xs, out


def forward(params, xs, h0=None, *, activation="tanh"):
    """Run the RNN over a sequence.

    params: RNNParams (or StackedRNNParams for several layers).
    xs:     (T, B, D) inputs x_1..x_T, time-major.
    h0:     (B, H) initial hidden state, zeros if None (a list per layer if stacked).
    activation: f, one of 'tanh', 'sigmoid', 'relu'.
    Returns a ForwardResult with .hs (T, B, H) = h_1..h_T, .zs (T, B, O) = W_O h_t + b_o,
    and .h_last to carry into the next window.
    """
    get_activation(activation)
    xs, h0s = check_inputs(params, xs, h0)
    inputs, layer_hs = xs, []
    with np.errstate(over="ignore", invalid="ignore"):
        for (W_F, W_R, b_h), h0_l in zip(params.layers, h0s):
            inputs = layer_forward(W_F, W_R, b_h, inputs, h0_l, activation)
            layer_hs.append(inputs)
        hs = layer_hs[-1]
        T, B, H = hs.shape
        zs = (hs.reshape(T * B, H) @ params.W_O.T).reshape(T, B, -1)
        zs += params.b_o
    return ForwardResult(hs=hs, zs=zs, layer_hs=layer_hs, xs=xs, h0s=h0s, activation=activation)
