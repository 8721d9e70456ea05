"""Figures for lesson 06 (long-term dependencies). Plain matplotlib; every function returns a Figure."""
import matplotlib.pyplot as plt
import numpy as np

from .legends import legend_off_the_curves


def plot_accuracy_vs_gap(gaps, accuracies, *, chance=0.5,
                         title="Plain RNN on the cue task: held-out accuracy vs gap"):
    """Mean and spread (min to max) over seeds of the held-out accuracy at each gap.

    gaps: (G,) gap lengths; accuracies: (G, S) accuracy in [0, 1] for S seeds.
    """
    gaps, acc = np.asarray(gaps), np.asarray(accuracies, dtype=float)
    fig, ax = plt.subplots(figsize=(6.8, 4.0))
    ax.fill_between(gaps, acc.min(axis=1), acc.max(axis=1), alpha=0.25, label="spread over seeds (min to max)")
    ax.plot(gaps, acc.mean(axis=1), "o-", label=f"mean of {acc.shape[1]} seeds")
    for s in range(acc.shape[1]):
        ax.plot(gaps, acc[:, s], ".", color="gray", ms=4, label="one seed" if s == 0 else None)
    ax.axhline(chance, color="#d62728", ls="--", label=f"chance ({chance:.0%})")
    ax.set_ylim(0.3, 1.05)
    ax.set_xlabel("gap between cue and question (time steps)")
    ax.set_ylabel("held-out accuracy (fraction correct)")
    ax.set_title(title)
    fig.tight_layout()
    legend_off_the_curves(ax)
    return fig


def plot_signal_to_cue(curves, *, title=r"How much loss signal reaches each step: $\|\partial L / \partial h_t\|$"):
    """||dL/dh_t|| against t (log scale) for trained nets; the cue is step 1.

    curves: {label: (T,) array from rnn_edu.hidden_grad_norms}.
    """
    fig, ax = plt.subplots(figsize=(6.8, 4.0))
    for label, norms in curves.items():
        norms = np.asarray(norms, dtype=float)
        line, = ax.plot(np.arange(1, len(norms) + 1), norms, ".-", label=label)
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
    """r^k for k = 0..steps (log scale), one line per factor r: {label: r}."""
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
    legend_off_the_curves(ax)
    return fig
