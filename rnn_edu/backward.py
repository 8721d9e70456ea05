"""Backpropagation through time for one plain-RNN layer (kept under its old name).

The code lives in rnn_edu/cells/rnn.py, next to its forward step; the parts that do not
depend on the cell (weight gradients from the deltas, inputs' gradients, truncation) are
in rnn_edu/stack.py. This module re-exports the names it used to define.
"""
from .cells import rnn
from .cells.rnn import layer_backward, layer_deltas, step_backward  # noqa: F401
from .stack import input_grads, layer_weight_grads, truncated_layers  # noqa: F401


def truncated_deltas(layers, layer_hs, dtop, scored, k, activation="tanh"):
    """Truncated BPTT through plain-RNN layers (see stack.truncated_layers): a list of
    das (T, B, H_l), one per layer, for layers (W_F, W_R, b_h) and their states layer_hs."""
    h0s = [rnn.zero_state(dtop.shape[1], hs.shape[-1], hs.dtype) for hs in layer_hs]
    caches = [(h0, hs, activation) for h0, hs in zip(h0s, layer_hs)]
    return [d for d, _ in truncated_layers(rnn, layers, caches, dtop, scored, k)]
