"""Figures for lesson 06 (long-term dependencies). Plain matplotlib; every function returns a Figure."""
import matplotlib.pyplot as plt
import numpy as np

from rnn_edu.diagnostics import effective_factor
from .legends import legend_off_the_curves


def plot_accuracy_vs_gap(gaps, held_out, train=None, *, chance=0.5,
                         title="Plain RNN on the cue task: accuracy vs gap"):
    """Mean and spread (min to max) over seeds of the accuracy at each gap.

    gaps: (G,) gap lengths; held_out, train: (G, S) accuracies in [0, 1] for S seeds
    (train optional: accuracy on sequences the network trained on).
    """
    gaps = np.asarray(gaps)
    fig, ax = plt.subplots(figsize=(6.8, 4.0))
    series = [("held-out", held_out, "o-", "C0")] + ([("training", train, "s--", "C1")] if train is not None else [])
    for name, acc, style, color in series:
        acc = np.asarray(acc, dtype=float)
        ax.fill_between(gaps, acc.min(axis=1), acc.max(axis=1), alpha=0.2, color=color)
        ax.plot(gaps, acc.mean(axis=1), style, color=color, ms=5,
                label=f"{name}: mean of {acc.shape[1]} seeds (band: min to max)")
    ax.axhline(chance, color="#d62728", ls=":", label=f"chance ({chance:.0%})")
    ax.set_ylim(0.3, 1.05)
    ax.set_xlabel("gap between cue and question (time steps)")
    ax.set_ylabel("accuracy (fraction correct)")
    ax.set_title(title)
    fig.tight_layout()
    legend_off_the_curves(ax)
    return fig


def plot_learning_curves(records, gaps, *, chance=0.5,
                         title="Held-out accuracy during training, per gap"):
    """Held-out accuracy against epoch for the given gaps: one line per seed, one colour per gap.

    records: the sweep's records (rnn_edu.studies.longterm.load_sweep()["records"]).
    """
    fig, ax = plt.subplots(figsize=(6.8, 4.0))
    for i, gap in enumerate(gaps):
        runs = [r for r in records if r["gap"] == gap]
        for j, r in enumerate(runs):
            e, acc = np.asarray(r["held_out_curve"], dtype=float).T
            ax.plot(e, acc, ".-", color=f"C{i}", lw=1, ms=3, alpha=0.8,
                    label=f"gap {gap} ({len(runs)} seeds)" if j == 0 else None)
    ax.axhline(chance, color="#d62728", ls=":", label=f"chance ({chance:.0%})")
    ax.set_ylim(0.3, 1.05)
    ax.set_xlabel("epoch (one fresh batch of 64 sequences each)")
    ax.set_ylabel("held-out accuracy (fraction correct)")
    ax.set_title(title, fontsize=12)
    fig.tight_layout()
    legend_off_the_curves(ax)
    return fig


def factor_label(label, norms):
    """'<label>: measured × g per step', g = rnn_edu.effective_factor(norms)."""
    return f"{label}: measured × {effective_factor(norms):.2f} per step"


def plot_signal_to_cue(curves, *, title=r"How much loss signal reaches each step: $\|\partial L / \partial h_t\|$"):
    """||dL/dh_t|| against t (log scale); the cue is step 1.

    curves: {label: (T,) array from rnn_edu.hidden_grad_norms}. Each legend entry names the
    measured effective factor per step (see `factor_label`), not the bound gamma * sigma_max.
    """
    fig, ax = plt.subplots(figsize=(6.8, 4.0))
    for label, norms in curves.items():
        norms = np.asarray(norms, dtype=float)
        line, = ax.plot(np.arange(1, len(norms) + 1), norms, ".-", label=factor_label(label, norms))
        ax.plot(1, norms[0], "o", ms=9, mfc="none", color=line.get_color())
    ax.axvline(1, color="gray", ls=":", label="cue step t = 1")
    ax.set_yscale("log")
    ax.set_xlabel("time step t (the question is the last step)")
    ax.set_ylabel(r"$\|\partial L / \partial h_t\|$ (log scale)")
    ax.set_title(title, fontsize=11)
    fig.tight_layout()
    legend_off_the_curves(ax)
    return fig


def plot_path_factors(factors, steps, *, floor=1e-3,
                      title="Gradient surviving k steps back: gated path vs plain RNN"):
    """r^k for k = 0..steps (log scale), one line per factor r: {label: r}.

    Each r is a per-step factor held constant: a forget gate, or a measured effective factor.
    """
    k = np.arange(steps + 1)
    fig, ax = plt.subplots(figsize=(6.8, 4.0))
    for label, r in factors.items():
        ax.plot(k, float(r) ** k, label=f"{label}: {r:g}^k")
    ax.axhline(floor, color="gray", ls="--", label=f"{floor:g}")
    ax.set_yscale("log")
    ax.set_ylim(1e-12, 2)
    ax.set_xlabel("steps back from the loss, k")
    ax.set_ylabel("factor on the gradient (log scale)")
    ax.set_title(title, fontsize=11)
    fig.tight_layout()
    legend_off_the_curves(ax, outside="below")          # its labels are long
    return fig
