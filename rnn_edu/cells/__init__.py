"""One module per recurrent cell, each with the same small set of functions.

    rnn.py    h_t = f(W_F x_t + W_R h_{t-1} + b_h)
    lstm.py   gates i, f, g, o; c_t = f c_{t-1} + i g; h_t = o tanh(c_t)
    gru.py    gates r, z, n; h_t = (1 - z) n + z h_{t-1}

Each has step_forward, step_backward, layer_forward and layer_backward (equations in
their docstrings), and the hooks the shared code calls: run_layer, run_layer_backward,
truncated_step, state_at, zero_state, h_part. `cell_module(params)` picks the module
for a params container.
"""
from . import gru, lstm, rnn

MODULES = {"rnn": rnn, "lstm": lstm, "gru": gru}
STATE_MEANING = {"rnn": "h, (B, H)", "lstm": "the pair (h, c), each (B, H)", "gru": "h, (B, H)"}


def cell_module(params):
    """The cell module (rnn, lstm or gru) for a params container; TypeError for anything else."""
    from ..containers import ParamsMixin
    if not isinstance(params, ParamsMixin):
        raise TypeError(f"params: expected RNNParams, LSTMParams or GRUParams (or a stacked one), "
                        f"got {type(params).__name__}.")
    return MODULES[params.cell]
