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


def plot_accuracy_by_cell(comparison, *, chance=0.5,
                          title="Cue task, same budget: accuracy of each seed"):
    """One panel per gap; per cell, every seed's training (open) and held-out (filled) accuracy.

    comparison: {gap: {cell: Accuracies}} from rnn_edu.gated_sweep.compare.
    """
    fig, axes = plt.subplots(1, len(comparison), figsize=(6.8, 4.0), sharey=True, squeeze=False)
    for ax, (gap, by_cell) in zip(axes[0], comparison.items()):
        for k, (cell, acc) in enumerate(by_cell.items()):
            colour = _colour(cell.upper())
            n = len(acc.seeds)
            offsets = np.linspace(-0.08, 0.08, n) if n > 1 else np.zeros(1)
            ax.plot(k - 0.15 + offsets, acc.train, "o", mfc="none", color=colour, ms=8,
                    label="training" if k == 0 else None)
            ax.plot(k + 0.15 + offsets, acc.held_out, "o", color=colour, ms=8,
                    label="held-out" if k == 0 else None)
        ax.axhline(chance, color="gray", ls="--", label=f"chance ({chance:.0%})")
        ax.set_xticks(range(len(by_cell)), [c.upper() for c in by_cell])
        ax.set_xlim(-0.6, len(by_cell) - 0.4)
        ax.set_ylim(0.3, 1.05)
        ax.set_xlabel(f"cell, at gap {gap}")
        ax.set_title(f"gap {gap} (T = {gap + 2})")
    axes[0][0].set_ylabel("accuracy (fraction correct)")
    fig.suptitle(title)
    fig.tight_layout()
    legend_off_the_curves(axes[0][-1])
    return fig


def plot_held_out_curves(sweeps, gap, *, chance=0.5, title=None):
    """Held-out accuracy during training at one gap: one thin line per seed, per cell.

    sweeps: {cell: shipped sweep} (records with held_out_curve = [[epoch, accuracy], ...]).
    """
    fig, ax = plt.subplots(figsize=(6.8, 4.0))
    for cell, sweep in sweeps.items():
        rows = sorted((r for r in sweep["records"] if r["gap"] == gap), key=lambda r: r["seed"])
        for i, r in enumerate(rows):
            epochs, acc = np.array(r["held_out_curve"], dtype=float).T
            ax.plot(epochs, acc, color=_colour(cell.upper()), lw=1.4, alpha=0.85,
                    label=f"{cell.upper()} ({len(rows)} seeds)" if i == 0 else None)
    ax.axhline(chance, color="gray", ls="--", label=f"chance ({chance:.0%})")
    ax.set_ylim(0.3, 1.05)
    ax.set_xlabel("training epoch (a fresh batch of 64 sequences each)")
    ax.set_ylabel("held-out accuracy (fraction correct)")
    ax.set_title(title or f"Learning the cue task at gap {gap}")
    fig.tight_layout()
    legend_off_the_curves(ax)
    return fig
