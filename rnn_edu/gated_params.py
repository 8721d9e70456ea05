"""Parameters of the gated cells, LSTM and GRU, in PyTorch's layout.

LSTM, gates stacked in the order i, f, g, o (input, forget, cell candidate, output)::

    W_F: (4H, D)   W_R: (4H, H)   b_h: (4H,)      W_O: (O, H)   b_o: (O,)

One hidden bias: PyTorch's bias_ih + bias_hh (exported as bias_ih = b_h, bias_hh = 0).
One LSTM layer has 4H(D + H + 1) parameters.

GRU, gates stacked in the order r, z, n (reset, update, candidate)::

    W_F: (3H, D)   W_R: (3H, H)   b_h: (3H,) input side   b_R: (3H,) recurrent side

b_R is needed because the candidate reads r * (W_hn h + b_hn): its recurrent bias sits
inside the reset gate's product and cannot be merged into b_h. One GRU layer has
3H(D + H + 2) parameters.
"""
from dataclasses import dataclass

import numpy as np

from .containers import OneLayerParams, StackedParams

LSTM_GATES, GRU_GATES = "i, f, g, o", "r, z, n"


@dataclass(eq=False, repr=False)
class LSTMParams(OneLayerParams):
    """Weights of a one-layer LSTM (also used for its gradients).

    W_F: (4H, D) input weights of the gates i, f, g, o, stacked in that order.
    W_R: (4H, H) recurrent weights, same order.
    b_h: (4H,)   gate biases (the forget block b_h[H:2H] starts at 1.0 by default).
    W_O: (O, H), b_o: (O,) the output layer z_t = W_O h_t + b_o.
    """
    GATES, GATE_NAMES = 4, LSTM_GATES
    cell = "lstm"
    W_F: np.ndarray
    W_R: np.ndarray
    b_h: np.ndarray
    W_O: np.ndarray
    b_o: np.ndarray


@dataclass(eq=False, repr=False)
class GRUParams(OneLayerParams):
    """Weights of a one-layer GRU (also used for its gradients).

    W_F: (3H, D) input weights of the gates r, z, n, stacked in that order.
    W_R: (3H, H) recurrent weights, same order.
    b_h: (3H,)   input-side biases (PyTorch's bias_ih).
    b_R: (3H,)   recurrent-side biases (PyTorch's bias_hh).
    W_O: (O, H), b_o: (O,) the output layer z_t = W_O h_t + b_o.
    """
    GATES, GATE_NAMES, LAYER_FIELDS = 3, GRU_GATES, ("W_F", "W_R", "b_h", "b_R")
    cell = "gru"
    W_F: np.ndarray
    W_R: np.ndarray
    b_h: np.ndarray
    b_R: np.ndarray
    W_O: np.ndarray
    b_o: np.ndarray


class StackedLSTMParams(StackedParams):
    """Weights of an L-layer LSTM: lists W_F, W_R, b_h (one (4H_l, D_l), (4H_l, H_l), (4H_l,)
    per layer, gates i, f, g, o), layer l reading layer l-1's h_t; W_O: (O, H_L), b_o: (O,)."""
    GATES, GATE_NAMES = 4, LSTM_GATES
    cell = "lstm"


class StackedGRUParams(StackedParams):
    """Weights of an L-layer GRU: lists W_F, W_R, b_h, b_R (gates r, z, n), one entry per
    layer, layer l reading layer l-1's h_t; W_O: (O, H_L), b_o: (O,)."""
    GATES, GATE_NAMES, LAYER_FIELDS = 3, GRU_GATES, ("W_F", "W_R", "b_h", "b_R")
    cell = "gru"


GATED = {"lstm": (LSTMParams, StackedLSTMParams, 4), "gru": (GRUParams, StackedGRUParams, 3)}
