"""Gated cells still need clipping: lesson 05's diverging run, repeated with the LSTM and the GRU.

Lesson 07 (notebooks/07_gated_cells.ipynb), section "Gated cells still need clipping".

The task is lesson 05's delayed echo (at each of 30 steps one of 4 symbols; the target is the
symbol seen 2 steps earlier), 16 sequences for training and 256 new ones held out, H = 16, plain
gradient descent at a learning rate of 1.0 for 150 updates, from the cell's default start
(`init_params(cell=...)`), with and without clipping by the global norm.

    run(cell, seed, clip_norm)  -> Outcome(late_loss, held_out)
    late_loss   median of the last 50 training losses (cross-entropy summed over the 30 steps;
                a uniform guess costs 30 ln 4 = 41.6)
    held_out    share of the echoed symbols (steps after the delay) predicted right on the
                256 new sequences; chance is 1/4

A diverged run's loss jumps chaotically, so `words` reports verdicts, not digits.
"""
from dataclasses import dataclass

import numpy as np

from ..data import delayed_echo_task
from ..forward import forward
from ..params import init_params
from ..training import train

DELAY, STEPS, SYMBOLS, HIDDEN, LR, EPOCHS = 2, 30, 4, 16, 1.0, 150
DIVERGED, LEARNED = 100.0, 2.0            # late-loss verdicts
GOOD, CHANCE_BAND = 0.98, 0.3             # held-out verdicts (chance is 0.25)


@dataclass(frozen=True)
class Outcome:
    late_loss: float
    held_out: float


def _tasks():
    train_set = delayed_echo_task(batch=16, steps=STEPS, n_symbols=SYMBOLS, delay=DELAY, seed=0)
    held_out = delayed_echo_task(batch=256, steps=STEPS, n_symbols=SYMBOLS, delay=DELAY, seed=1)
    return train_set, held_out


def accuracy(params, xs, targets):
    """Share of the steps after the delay whose most likely symbol is the target."""
    predicted = forward(params, xs).zs.argmax(-1)
    return float((predicted[DELAY:] == targets[DELAY:]).mean())


def run(cell, seed, clip_norm=None):
    """Train one cell from seed `seed` at LR = 1.0, clipped at `clip_norm` (None: not clipped)."""
    (xs, targets), (xv, tv) = _tasks()
    params = init_params(SYMBOLS, HIDDEN, SYMBOLS, seed=seed, cell=cell)
    history = train(params, xs, targets, lr=LR, epochs=EPOCHS, clip_norm=clip_norm)
    return Outcome(float(np.median(history.losses[-50:])), accuracy(history.params, xv, tv))


def words(outcome):
    """'loss above 100 (diverged), held-out accuracy below 0.3 (chance: 0.25)' and the like."""
    loss = ("above 100 (diverged)" if not outcome.late_loss <= DIVERGED
            else f"below {LEARNED:g}" if outcome.late_loss < LEARNED else "between 2 and 100")
    acc = (f"{GOOD:.2f} or more" if outcome.held_out >= GOOD
           else f"below {CHANCE_BAND:g} (chance: 0.25)" if outcome.held_out < CHANCE_BAND else "in between")
    return f"loss {loss}, held-out accuracy {acc}"
