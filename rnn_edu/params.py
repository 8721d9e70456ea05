"""Parameters of a recurrent network, and their initialisation.

A one-layer RNN has five arrays::

    h_t = f(W_F x_t + W_R h_{t-1} + b_h)      W_F: (H, D)  W_R: (H, H)  b_h: (H,)
    y_t = g(W_O h_t + b_o)                    W_O: (O, H)  b_o: (O,)

`RNNParams` holds them; `StackedRNNParams` holds one (W_F, W_R, b_h) per layer
and a single output layer on top. Gradients use the same containers.
The gated cells' containers (LSTMParams, GRUParams) live in `gated_params.py`;
`init_params(..., cell=...)` builds any of them (params imports gated_params, never the reverse).
"""
from dataclasses import dataclass

import numpy as np

from .containers import FLOAT_DTYPES, OneLayerParams, StackedParams
from .gated_params import GATED
from .validate import check_choice, check_finite_number, check_positive_finite, check_positive_int

CELLS = ("rnn", "lstm", "gru")


@dataclass(eq=False, repr=False)
class RNNParams(OneLayerParams):
    """Weights of a one-layer RNN (also used for its gradients).

    W_F: (H, D) feed-forward weight, input -> hidden.
    W_R: (H, H) recurrent weight, hidden -> hidden.
    b_h: (H,)   hidden bias.
    W_O: (O, H) output weight, hidden -> output.
    b_o: (O,)   output bias.
    All arrays share one dtype: float64 by default, float32 kept as float32.
    """
    W_F: np.ndarray
    W_R: np.ndarray
    b_h: np.ndarray
    W_O: np.ndarray
    b_o: np.ndarray


class StackedRNNParams(StackedParams):
    """Weights of an L-layer RNN: layer l reads the hidden states of layer l-1.

        h^l_t = f(W_F[l] h^{l-1}_t + W_R[l] h^l_{t-1} + b_h[l]),   h^0_t = x_t
        y_t   = g(W_O h^L_t + b_o)

    W_F, W_R, b_h are lists with one array per layer; W_O: (O, H_L), b_o: (O,).
    """

    def __init__(self, W_F, W_R, b_h, W_O, b_o):
        super().__init__(W_F, W_R, b_h, W_O, b_o)


def scale_to_spectral_radius(W, rho):
    """Rescale a square matrix so that its spectral radius max|eig(W)| equals `rho`."""
    return W * (rho / np.max(np.abs(np.linalg.eigvals(W))))


def _layer_init(rng, n_in, n_hidden, spectral_radius, dtype):
    W_F = rng.normal(0.0, 1.0 / np.sqrt(n_in), size=(n_hidden, n_in))
    W_R = rng.normal(0.0, 1.0 / np.sqrt(n_hidden), size=(n_hidden, n_hidden))
    if spectral_radius is not None:
        W_R = scale_to_spectral_radius(W_R, spectral_radius)
    return W_F.astype(dtype), W_R.astype(dtype), np.zeros(n_hidden, dtype)


def hidden_sizes(n_in, n_hidden, n_out):
    """Check the sizes of an architecture; return the hidden sizes as a list (one per layer).

    n_hidden is an int (one layer) or a list of ints (stacked layers); all must be positive.
    """
    sizes = [n_hidden] if np.isscalar(n_hidden) else list(n_hidden)
    for name, v in [("n_in", n_in), ("n_out", n_out)] + [(f"n_hidden[{i}]", h) for i, h in enumerate(sizes)]:
        check_positive_int(name, v)
    return sizes


def _init_gated(cell, n_in, n_hidden, sizes, n_out, seed, spectral_radius, dtype, forget_bias,
               update_bias=0.0):
    """The gated branch of `init_params` (sizes already checked): LSTMParams or GRUParams (or stacked).

    W_F ~ N(0, 1/D), W_R ~ N(0, 1/H), biases zero, LSTM forget block = forget_bias,
    GRU update block of b_h (b_iz) = update_bias.
    spectral_radius=rho rescales each gate's (H, H) block of W_R to spectral radius rho.
    """
    one, stacked, G = GATED[cell]
    rng = np.random.default_rng(seed)
    layers, below = [], n_in
    for H in sizes:
        W_F = rng.normal(0.0, 1.0 / np.sqrt(below), size=(G * H, below))
        W_R = rng.normal(0.0, 1.0 / np.sqrt(H), size=(G * H, H))
        if spectral_radius is not None:
            W_R = np.concatenate([scale_to_spectral_radius(W_R[k * H:(k + 1) * H], spectral_radius)
                                  for k in range(G)])
        b_h = np.zeros(G * H)
        if cell == "lstm":
            b_h[H:2 * H] = forget_bias
        else:
            b_h[H:2 * H] = update_bias
        layer = [W_F.astype(dtype), W_R.astype(dtype), b_h.astype(dtype)]
        if cell == "gru":
            layer.append(np.zeros(G * H, dtype))
        layers.append(layer)
        below = H
    W_O = rng.normal(0.0, 1.0 / np.sqrt(below), size=(n_out, below)).astype(dtype)
    b_o = np.zeros(n_out, dtype)
    if np.isscalar(n_hidden):
        return one(*layers[0], W_O, b_o)
    return stacked(*(list(t) for t in zip(*layers)), W_O, b_o)


def init_params(n_in, n_hidden, n_out, *, seed=0, spectral_radius=None, dtype=np.float64, cell="rnn",
                forget_bias=1.0, update_bias=0.0):
    """Random weights of an RNN, LSTM or GRU, reproducible from `seed`.

    n_in = D inputs, n_hidden = H units (an int, or a list such as [8, 8] for stacked
    layers), n_out = O outputs. `cell` chooses the recurrent cell:

    cell='rnn' (default): RNNParams (StackedRNNParams for a list of sizes)
        h_t = f(W_F x_t + W_R h_{t-1} + b_h)
        W_F (H, D) ~ N(0, 1/D), W_R (H, H) ~ N(0, 1/H), b_h = 0.
        `spectral_radius=rho` rescales W_R so that max|eig(W_R)| = rho: rho < 1 gives
        a "small W_R" whose gradients vanish, rho > 1 a "large W_R" that can explode.

    cell='lstm': LSTMParams (StackedLSTMParams), gates stacked in PyTorch's order i, f, g, o
        [i; f; g; o] = W_F x_t + W_R h_{t-1} + b_h     W_F (4H, D), W_R (4H, H), b_h (4H,)
        c_t = sigma(f) * c_{t-1} + sigma(i) * tanh(g),   h_t = sigma(o) * tanh(c_t)
        W_F ~ N(0, 1/D), W_R ~ N(0, 1/H); b_h = 0 except the forget gate's block,
        which is `forget_bias` (1.0 by default, so that c_t starts by keeping c_{t-1}).

    cell='gru': GRUParams (StackedGRUParams), gates stacked in PyTorch's order r, z, n
        r, z = sigma(W_F x_t + b_h + W_R h_{t-1} + b_R)  (their blocks)
        n = tanh(W_in x_t + b_in + r * (W_hn h_{t-1} + b_hn)),   h_t = (1 - z) * n + z * h_{t-1}
        W_F (3H, D) ~ N(0, 1/D), W_R (3H, H) ~ N(0, 1/H); b_h (3H,) and b_R (3H,) zero except
        the update gate's block of b_h (b_h[H:2H], PyTorch's b_iz), which is `update_bias`
        (0.0 by default). The GRU's counterpart of forget_bias: z starts at about
        sigma(update_bias), so h_t starts by keeping that share of h_{t-1} (0.5 at 0.0,
        0.95 at 3.0).
        forget_bias applies to the LSTM only, update_bias to the GRU only.

    For every cell W_O (O, H) ~ N(0, 1/H) and b_o = 0. `dtype` is float64 or float32.
    """
    sizes = hidden_sizes(n_in, n_hidden, n_out)
    check_choice("cell", cell, CELLS)
    if spectral_radius is not None:
        check_positive_finite("spectral_radius", spectral_radius)
    check_finite_number("forget_bias", forget_bias)
    check_finite_number("update_bias", update_bias)
    if np.dtype(dtype).type not in FLOAT_DTYPES:
        raise TypeError(f"dtype: expected float32 or float64, got {np.dtype(dtype)}.")
    if cell != "rnn":
        return _init_gated(cell, n_in, n_hidden, sizes, n_out, seed, spectral_radius, dtype, forget_bias,
                          update_bias)
    rng = np.random.default_rng(seed)
    layers, below = [], n_in
    for H in sizes:
        layers.append(_layer_init(rng, below, H, spectral_radius, dtype))
        below = H
    W_O = rng.normal(0.0, 1.0 / np.sqrt(below), size=(n_out, below)).astype(dtype)
    b_o = np.zeros(n_out, dtype)
    if np.isscalar(n_hidden):
        (W_F, W_R, b_h), = layers
        return RNNParams(W_F=W_F, W_R=W_R, b_h=b_h, W_O=W_O, b_o=b_o)
    W_F, W_R, b_h = (list(t) for t in zip(*layers))
    return StackedRNNParams(W_F, W_R, b_h, W_O, b_o)
