"""The forward pass: run the recurrence over a whole sequence, for any cell.

    h_t = cell(x_t, state_{t-1})                 t = 1..T, initial state given (zeros by default)
    z_t = W_O h_t + b_o                          output pre-activation

The plain RNN's cell is h_t = f(W_F x_t + W_R h_{t-1} + b_h); the LSTM's and the GRU's are
in rnn_edu/cells/. Arrays are time-major: xs has shape (T, B, D) for T steps of a batch of B.
"""
from dataclasses import dataclass

import numpy as np

from .activations import get_activation
from .cells import MODULES, cell_module
from .cells.rnn import layer_forward, step_forward  # noqa: F401  (the plain RNN's, as before)
from .stack import forward_layers
from .validate import as_float_array, check_ndim, check_shape


@dataclass
class ForwardResult:
    """What `forward` computed, and what the backward pass needs.

    hs:       (T, B, H)   hidden states h_1..h_T of the top layer.
    zs:       (T, B, O)   output pre-activations z_t = W_O h_t + b_o.
    layer_hs: list of (T, B, H_l), the hidden states of every layer (last = hs).
    xs:       (T, B, D)   the inputs, as used (cast to the parameters' dtype).
    h0s:      list of the initial state of every layer ((B, H_l); (h, c) for the LSTM).
    activation: the name of f (plain RNN).
    caches:   list of each layer's cache (what its backward pass needs).
    cell:     'rnn', 'lstm' or 'gru'.
    """
    hs: np.ndarray
    zs: np.ndarray
    layer_hs: list
    xs: np.ndarray
    h0s: list
    activation: str
    caches: list = None
    cell: str = "rnn"
    stacked: bool = False

    def states_at(self, t):
        """Every layer's state after step t (0-based; t = -1: the initial states)."""
        if self.caches is None:          # built by hand for a plain RNN
            return [h0 if t < 0 else hs[t] for h0, hs in zip(self.h0s, self.layer_hs)]
        return [MODULES[self.cell].state_at(c, t) for c in self.caches]

    @property
    def h_last(self):
        """The state after step T, to carry into the next window: h_T (B, H) for the RNN and
        GRU, the pair (h_T, c_T) for the LSTM; a list with one per layer if stacked."""
        last = [tuple(a.copy() for a in s) if isinstance(s, tuple) else s.copy()
                for s in self.states_at(self.hs.shape[0] - 1)]
        return last if self.stacked else last[0]


def _check_state(cell, name, state, B, H, dtype):
    """One layer's initial state: an array (B, H), or the LSTM's pair (h, c)."""
    if cell != "lstm":
        h = as_float_array(name, state, dtype)
        check_shape(name, h, (B, H), f"(B, H) with B = {B} (from xs), H = {H}")
        return h
    if not isinstance(state, (tuple, list)) or len(state) != 2:
        got = f"a {type(state).__name__}" + (f" of shape {np.shape(state)}" if hasattr(state, "shape") else "")
        raise ValueError(f"{name}: expected the LSTM state (h, c), two arrays of shape (B, H) = "
                         f"({B}, {H}), got {got}.")
    return tuple(_check_state("rnn", f"{name}[{k}] ({'hc'[k]})", s, B, H, dtype) for k, s in enumerate(state))


def check_inputs(params, xs, h0):
    """Validate xs (T, B, D) and h0 against the parameters; return (xs, list of h0 per layer)."""
    cell = cell_module(params)
    dtype = params.dtype
    xs = as_float_array("xs", xs, dtype)
    check_ndim("xs", xs, 3, "(T, B, D)")
    T, B, D = xs.shape
    check_shape("xs", xs, (T, B, params.n_in), f"(T, B, D) with D = {params.n_in} (columns of W_F)")
    if T < 1 or B < 1:
        raise ValueError(f"xs: expected at least one time step and one batch item, got shape {xs.shape}.")
    sizes = [layer[1].shape[1] for layer in params.layers]
    if h0 is None:
        return xs, [cell.zero_state(B, H, dtype) for H in sizes]
    h0s = list(h0) if params.stacked else [h0]
    if len(h0s) != len(sizes):
        raise ValueError(f"h0: expected one initial state per layer ({len(sizes)}), got {len(h0s)}.")
    names = ["h0"] if len(sizes) == 1 else [f"h0[{l}]" for l in range(len(sizes))]
    return xs, [_check_state(params.cell, n, h, B, H, dtype) for n, h, H in zip(names, h0s, sizes)]


def output_scores(W_O, b_o, hs):
    """z_t = W_O h_t + b_o for every t: hs (T, B, H) -> zs (T, B, O).

    Computed as one (O, H) @ (H, T*B) product, so zs is a (T, B, O) view of an (O, T*B)
    array (one column per (t, b)): the loss sums over the classes along rows (losses.py)."""
    T, B, H = hs.shape
    zT = W_O @ hs.reshape(T * B, H).T
    zT += b_o[:, None]
    return zT.T.reshape(T, B, -1)


def forward(params, xs, h0=None, *, activation="tanh"):
    """Run the network over a sequence.

    params: RNNParams, LSTMParams or GRUParams (or a stacked one for several layers).
    xs:     (T, B, D) inputs x_1..x_T, time-major.
    h0:     the initial state, zeros if None: h (B, H) for the RNN and GRU, the pair (h, c)
            for the LSTM; a list with one per layer if stacked.
    activation: f of the plain RNN, one of 'tanh', 'sigmoid', 'relu' (gated cells: 'tanh' only;
            their nonlinearities are fixed by the cell).
    Returns a ForwardResult with .hs (T, B, H) = h_1..h_T, .zs (T, B, O) = W_O h_t + b_o,
    and .h_last to carry into the next window (exactly what h0= accepts).
    """
    get_activation(activation)
    cell = cell_module(params)
    if params.cell != "rnn" and activation != "tanh":
        raise ValueError(f"activation: applies to the plain RNN only; a {params.cell.upper()}'s "
                         f"nonlinearities are fixed (expected 'tanh', the default), got {activation!r}.")
    xs, h0s = check_inputs(params, xs, h0)
    with np.errstate(over="ignore", invalid="ignore"):
        layer_hs, caches = forward_layers(cell, params.layers, xs, h0s, activation)
        hs = layer_hs[-1]
        T, B, H = hs.shape
        zs = output_scores(params.W_O, params.b_o, hs)
    return ForwardResult(hs=hs, zs=zs, layer_hs=layer_hs, xs=xs, h0s=h0s, activation=activation,
                         caches=caches, cell=params.cell, stacked=params.stacked)
