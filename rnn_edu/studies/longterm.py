"""Lesson 06's experiment: a plain RNN on the cue task, over gaps and seeds.

Every epoch trains on a FRESH batch of cue sequences (the network never sees the same
distractors twice), so a failure to learn cannot be memorisation: the training accuracy is
measured on sequences the network was trained on, the held-out accuracy on sequences it never saw.

    run_one(gap, seed)  -> one record (per-epoch curves, final accuracies, rho(W_R))
    load_sweep(cell)    -> the records shipped in rnn_edu/assets/longterm_sweep_<cell>.json,
                           written by scripts/longterm_sweep.py

Lesson 06 (notebooks/06_long_term_dependencies.ipynb); lesson 07 reuses run_one.
"""
import json
from pathlib import Path

import numpy as np

from ..clipping import clip_by_norm
from ..data import cue_task
from ..diagnostics import spectral_radius
from ..forward import forward
from ..gradients import bptt_with_state
from ..optim import sgd_step
from ..params import init_params

ASSETS = Path(__file__).resolve().parent.parent / "assets"

# The settings of the shipped sweep (lesson 06 quotes them).
SETTINGS = dict(hidden=16, n_distractors=8, batch=64, lr=0.1, clip_norm=1.0, epochs=2000,
                eval_every=100, n_train_eval=4, n_held_out=1024)
GAPS = (10, 20, 30, 40, 50, 60, 80, 100, 120, 150)
SEEDS = (0, 1, 2)
CELLS = ("rnn", "lstm", "gru")
# Each gated cell's initial gate bias, stored with every record ("gate_bias"): the LSTM's forget
# gate and the GRU's update gate start biased towards keeping the carried state (sigma(1) = 0.73,
# sigma(3) = 0.95 of it per step); at the GRU's default 0.0, z = 0.5 halves it at every step.
GATE_BIAS = {"rnn": {}, "lstm": {"forget_bias": 1.0}, "gru": {"update_bias": 3.0}}
HELD_OUT = 10 ** 6          # the held-out sequences' seed entry: no training epoch reaches it


def batch_seed(seed, gap, epoch):
    """The data seed of one training epoch: [seed, gap, epoch] (a NumPy seed sequence)."""
    return [int(seed), int(gap), int(epoch)]


def make_params(n_in, seed, cell="rnn", hidden=16, gate_bias=None):
    """Initial weights: init_params(n_in, hidden, 2, seed=seed), with cell= and the cell's
    gate bias (GATE_BIAS[cell] unless `gate_bias` gives another dict) for gated cells."""
    if cell not in CELLS:
        raise ValueError(f"cell: expected one of {', '.join(CELLS)}, got {cell!r}.")
    if cell == "rnn":
        return init_params(n_in, hidden, 2, seed=seed)
    bias = GATE_BIAS[cell] if gate_bias is None else gate_bias
    try:
        return init_params(n_in, hidden, 2, seed=seed, cell=cell, **bias)
    except TypeError as err:
        raise ValueError(f"cell: {cell!r} needs init_params(..., cell=) from the gated cells "
                         f"(issue 11); this rnn_edu has only the plain RNN ({err}).") from None


def accuracy(params, xs, cues):
    """Fraction of sequences whose last output's largest score is the cue."""
    return float(np.mean(forward(params, xs).zs[-1].argmax(axis=1) == cues))


def held_out_set(gap, seed, n):
    """n sequences from a seed no training epoch uses: (xs, cues)."""
    return cue_task(n, gap, n_distractors=SETTINGS["n_distractors"], seed=[int(seed), int(gap), HELD_OUT])


def run_one(gap, seed, *, cell="rnn", epochs=None, settings=None, gate_bias=None):
    """Train on a fresh batch every epoch; return a dict of curves and final accuracies.

    gate_bias:    the gated cell's initial gate bias (GATE_BIAS[cell] by default), stored.

    loss[e]:      cross-entropy of epoch e's batch, before that epoch's update.
    correct[e]:   how many of that batch the network answered right, before the update.
    held_out_curve: (epoch, held-out accuracy) every eval_every epochs.
    train_accuracy: the final network on the last n_train_eval batches it trained on.
    held_out_accuracy: the final network on n_held_out sequences it never saw.
    """
    s = dict(SETTINGS, **(settings or {}))
    epochs = s["epochs"] if epochs is None else int(epochs)
    k = s["n_distractors"]
    bias = dict(GATE_BIAS[cell] if gate_bias is None else gate_bias) if cell in CELLS else {}
    params = make_params(2 + k + 1, seed, cell, s["hidden"], bias)
    rho_start = _rho(params)
    xh, ch = held_out_set(gap, seed, s["n_held_out"])
    loss, correct, curve = [], [], []
    for e in range(epochs):
        xs, cues = cue_task(s["batch"], gap, n_distractors=k, seed=batch_seed(seed, gap, e))
        value, grads, fwd = bptt_with_state(params, xs, cues, None, many_to_one=True)
        loss.append(float(f"{value:.8g}"))      # stored with 8 significant digits
        correct.append(int(np.sum(fwd.zs[-1].argmax(axis=1) == cues)))
        params = sgd_step(params, clip_by_norm(grads, s["clip_norm"])[0], s["lr"])
        if (e + 1) % s["eval_every"] == 0:
            curve.append([e + 1, accuracy(params, xh, ch)])
    last = range(max(0, epochs - s["n_train_eval"]), epochs)
    train_acc = float(np.mean([accuracy(params, *cue_task(s["batch"], gap, n_distractors=k,
                                                         seed=batch_seed(seed, gap, e))) for e in last]))
    extra = {"gate_bias": bias} if cell != "rnn" else {}
    return dict(cell=cell, gap=int(gap), seed=int(seed), epochs=epochs, **extra, loss=loss, correct=correct,
                held_out_curve=curve, train_accuracy=train_acc, held_out_accuracy=accuracy(params, xh, ch),
                rho_start=rho_start, rho_end=_rho(params))


def _rho(params):
    W_R = getattr(params, "W_R", None)
    return None if W_R is None or np.ndim(W_R) != 2 or W_R.shape[0] != W_R.shape[1] else spectral_radius(W_R)


def sweep_path(cell="rnn"):
    return ASSETS / f"longterm_sweep_{cell}.json"


def load_sweep(cell="rnn", path=None):
    """The shipped sweep: {"settings": ..., "records": [run_one(...) dicts]}."""
    path = Path(path) if path is not None else sweep_path(cell)
    if not path.exists():
        raise FileNotFoundError(f"{path}: expected the sweep's data file; run "
                                f"`python scripts/longterm_sweep.py --cell {cell}` to make it.")
    try:
        data = json.loads(path.read_text())
        records = data["records"]
    except (ValueError, KeyError, TypeError) as err:
        raise ValueError(f"{path}: expected JSON with 'settings' and 'records', got a file that "
                         f"does not parse ({err}).") from None
    return data


def accuracy_table(records):
    """(gaps, seeds, train (G, S), held_out (G, S)) from a list of records."""
    gaps = sorted({r["gap"] for r in records})
    seeds = sorted({r["seed"] for r in records})
    by = {(r["gap"], r["seed"]): r for r in records}
    train = np.array([[by[g, s]["train_accuracy"] for s in seeds] for g in gaps])
    held = np.array([[by[g, s]["held_out_accuracy"] for s in seeds] for g in gaps])
    return gaps, seeds, train, held


def where_it_falls(gaps, held_out, solved=0.9, chance_band=0.6):
    """(largest gap up to which every seed reaches `solved`, smallest gap from which every
    seed's held-out accuracy stays below `chance_band`): the two ends of the fall."""
    ok = np.all(np.asarray(held_out) >= solved, axis=1)
    low = np.all(np.asarray(held_out) < chance_band, axis=1)
    last_solved = max((g for g, o in zip(gaps, ok) if o and all(ok[:list(gaps).index(g) + 1])), default=None)
    first_chance = next((g for i, g in enumerate(gaps) if all(low[i:])), None)
    return last_solved, first_chance
