"""Figures for lesson 07 (gated cells). Plain matplotlib; every function returns a Figure."""
import matplotlib.pyplot as plt
import numpy as np

from .gradients import measured_factor
from .legends import legend_off_the_curves

COLOURS = {"RNN": "#1f77b4", "LSTM": "#2ca02c", "GRU": "#d62728"}


def _colour(label):
    return next((c for name, c in COLOURS.items() if label.startswith(name)), None)


def plot_gated_signal(curves, *, title="Gradient of the last loss term, 120 steps back"):
    """||dL/dh_t|| (solid) and ||dL/dc_t|| (dashed: labels containing 'c_t') against t, log axis.

    curves: {label: (T,) array from rnn_edu.hidden_grad_norms}, labels starting with the cell's
    name (RNN, LSTM, GRU) to pick its colour. Each legend entry names its measured factor per
    step, the geometric mean of the T - 1 step ratios (`measured_factor`).
    """
    fig, ax = plt.subplots(figsize=(6.8, 4.4))
    for label, norms in curves.items():
        norms = np.asarray(norms, dtype=float)
        g = measured_factor(norms)
        ax.plot(np.arange(1, norms.size + 1), np.where(norms > 0, norms, np.nan),
                ls="--" if "c_t" in label else "-", color=_colour(label), lw=1.6,
                label=f"{label}: × {g:.3f} per step")
    ax.axvline(1, color="gray", ls=":", label="cue step t = 1")
    ax.set_yscale("log")
    ax.set_xlabel("time step t (the question is the last step)")
    ax.set_ylabel("gradient norm (log scale)")
    ax.set_title(title)
    fig.tight_layout()
    legend_off_the_curves(ax)
    return fig


def plot_accuracy_by_cell(results, gap, *, chance=0.5,
                          title="Cue task: training and held-out accuracy by cell"):
    """Accuracy of every seed at one gap, per cell: training (open) and held-out (filled).

    results: {cell label: (train (S,), held_out (S,))} accuracies in [0, 1].
    """
    fig, ax = plt.subplots(figsize=(6.8, 4.0))
    for k, (label, (train, held)) in enumerate(results.items()):
        train, held = np.asarray(train, float), np.asarray(held, float)
        offsets = np.linspace(-0.08, 0.08, train.size) if train.size > 1 else np.zeros(1)
        ax.plot(k - 0.15 + offsets, train, "o", mfc="none", color=_colour(label), ms=8,
                label="training (one seed)" if k == 0 else None)
        ax.plot(k + 0.15 + offsets, held, "o", color=_colour(label), ms=8,
                label="held-out (one seed)" if k == 0 else None)
    ax.axhline(chance, color="gray", ls="--", label=f"chance ({chance:.0%})")
    ax.set_xticks(range(len(results)), list(results))
    ax.set_xlim(-0.6, len(results) - 0.4)
    ax.set_ylim(0.3, 1.05)
    ax.set_xlabel(f"cell (gap {gap})")
    ax.set_ylabel("accuracy (fraction correct)")
    ax.set_title(title)
    fig.tight_layout()
    legend_off_the_curves(ax)
    return fig
