"""What a recurrent layer costs: its parameter count (exact) and its time per step (measured).

Parameters of one layer reading D inputs with H units (the output layer not included):

    rnn   W_F (H, D), W_R (H, H), b_h (H,)                        H (D + H + 1)
    lstm  W_F (4H, D), W_R (4H, H), b_h (4H,)                     4H (D + H + 1)
    gru   W_F (3H, D), W_R (3H, H), b_h (3H,), b_R (3H,)          3H (D + H + 2)

The counts come from the arrays `init_params` builds, so they follow the library's conventions
(one bias for the RNN and LSTM, two for the GRU; PyTorch's nn.LSTM has two, 4H (D + H + 2)).

Lesson 07 (notebooks/07_gated_cells.ipynb), section on what each cell costs.
"""
import time

import numpy as np

from ..data import cue_task
from ..gradients import bptt
from ..params import init_params

CELLS = ("rnn", "lstm", "gru")


def layer_param_count(n_in, n_hidden, cell="rnn"):
    """Trainable parameters of one recurrent layer (no output layer), counted from init_params."""
    params = init_params(n_in, n_hidden, 1, seed=0, cell=cell)
    return int(sum(a.size for name, a in params.named_arrays().items() if name not in ("W_O", "b_o")))


def seconds_per_step(cell="rnn", *, n_hidden=64, batch=32, steps=100, repeats=3, seed=0):
    """Measured wall-clock time of one training step per time step: min over `repeats` of the time of
    one `bptt` (forward and backward, many-to-one) on the cue task, divided by `steps`.

    Times depend on the machine and its load: compare ratios between cells measured together,
    and never store the numbers as facts.
    """
    xs, cues = cue_task(batch, steps - 2, n_distractors=8, seed=seed)
    params = init_params(xs.shape[2], n_hidden, 2, seed=seed, cell=cell)
    best = np.inf
    for _ in range(repeats):
        start = time.perf_counter()
        bptt(params, xs, cues, many_to_one=True)
        best = min(best, time.perf_counter() - start)
    return best / steps
