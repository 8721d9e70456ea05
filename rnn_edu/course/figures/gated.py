"""Figures for lesson 07 (gated cells). Plain matplotlib; every function returns a Figure."""
import matplotlib.pyplot as plt
import numpy as np

from .gradients import measured_factor
from .legends import legend_off_the_curves

COLOURS = {"RNN": "#1f77b4", "LSTM": "#2ca02c", "GRU": "#d62728"}


def _colour(label):
    return next((c for name, c in COLOURS.items() if label.startswith(name)), None)


def plot_gated_signal(curves, *, dotted=(), title="Gradient of the last loss term, 120 steps back"):
    """||dL/dh_t|| (solid) and ||dL/dc_t|| (dashed: labels containing 'c_t') against t, log axis;
    the labels listed in `dotted` are drawn dotted (a second start of the same cell).

    curves: {label: (T,) array from rnn_edu.hidden_grad_norms}, labels starting with the cell's
    name (RNN, LSTM, GRU) to pick its colour. Each legend entry names its measured factor per
    step, the geometric mean of the T - 1 step ratios (`measured_factor`).
    """
    fig, ax = plt.subplots(figsize=(6.8, 4.4))
    for label, norms in curves.items():
        norms = np.asarray(norms, dtype=float)
        g = measured_factor(norms)
        ax.plot(np.arange(1, norms.size + 1), np.where(norms > 0, norms, np.nan),
                ls=":" if label in dotted else "--" if "c_t" in label else "-", color=_colour(label), lw=1.6,
                label=f"{label}: × {g:.3f} per step")
    ax.axvline(1, color="gray", ls=":", label="cue step t = 1")
    ax.set_yscale("log")
    ax.set_xlabel("time step t (the question is the last step)")
    ax.set_ylabel("gradient norm (log scale)")
    ax.set_title(title)
    fig.tight_layout()
    legend_off_the_curves(ax)
    return fig


def plot_accuracy_by_cell(comparison, *, chance=0.5, per_row=3,
                          title="Cue task, same budget: accuracy of each seed"):
    """One panel per gap (rows of `per_row`); per cell, every seed's training (open) and held-out
    (filled) accuracy, the number of seeds under the cell's name. A spare panel slot holds the legend.

    comparison: {gap: {cell: Accuracies}} from rnn_edu.studies.gated_sweep.compare.
    """
    n_panels = len(comparison)
    cols = min(per_row, n_panels)
    rows = -(-n_panels // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(6.8, 3.3 * rows + 0.5), sharey=True, squeeze=False)
    flat = axes.ravel()
    for ax, (gap, by_cell) in zip(flat, comparison.items()):
        for k, (cell, acc) in enumerate(by_cell.items()):
            colour = _colour(cell.upper())
            n = len(acc.seeds)
            offsets = np.linspace(-0.08, 0.08, n) if n > 1 else np.zeros(1)
            ax.plot(k - 0.15 + offsets, acc.train, "o", mfc="none", color=colour, ms=8,
                    label="training" if k == 0 else None)
            ax.plot(k + 0.15 + offsets, acc.held_out, "o", color=colour, ms=8,
                    label="held-out" if k == 0 else None)
        ax.axhline(chance, color="gray", ls="--", label=f"chance ({chance:.0%})")
        ax.set_xticks(range(len(by_cell)), [f"{c.upper()}\n({len(a.seeds)})" for c, a in by_cell.items()])
        ax.set_xlim(-0.6, len(by_cell) - 0.4)
        ax.set_ylim(0.3, 1.05)
        ax.set_title(f"gap {gap} (T = {gap + 2})")
        ax.set_xlabel("cell (seeds run)")
    for ax in axes[:, 0]:
        ax.set_ylabel("accuracy (fraction correct)")
    fig.suptitle(title)
    fig.tight_layout()
    if n_panels < flat.size:                       # the legend in the first spare slot
        for spare in flat[n_panels:]:
            spare.axis("off")
        flat[n_panels].legend(*flat[0].get_legend_handles_labels(), loc="center")
    else:
        legend_off_the_curves(flat[n_panels - 1])
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
