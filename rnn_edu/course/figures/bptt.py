"""Figures for lesson 03: what truncated BPTT keeps and what it loses.

Plain pyplot functions returning the Figure; end the notebook cell with `plt.show()`.
"""
import matplotlib.pyplot as plt
import numpy as np


def lookback_kstep(T, k):
    """Steps reached by each L_t under k-step look-back: mask (T, T), [t-1, s-1] = 1 if
    L_t's gradient reaches step s, i.e. t-k+1 <= s <= t (1-based)."""
    t, s = np.meshgrid(np.arange(1, T + 1), np.arange(1, T + 1), indexing="ij")
    return ((s <= t) & (s > t - k)).astype(float)


def lookback_windows(T, k):
    """Steps reached by each L_t when training on windows of k steps with the state carried:
    L_t reaches back only to the first step of its own window. Mask (T, T) as above."""
    t, s = np.meshgrid(np.arange(1, T + 1), np.arange(1, T + 1), indexing="ij")
    return ((s <= t) & ((s - 1) // k == (t - 1) // k)).astype(float)


def lookback_figure(T, k):
    """Side by side: which steps s the gradient of each L_t reaches, for full BPTT,
    k-step look-back (bptt(..., truncate=k)) and windows of k (train(..., seq_len=k))."""
    panels = [("full BPTT", lookback_kstep(T, T)),
              (f"(a) look-back k = {k}", lookback_kstep(T, k)),
              (f"(b) windows of {k}, state carried", lookback_windows(T, k))]
    fig, axes = plt.subplots(1, 3, figsize=(9.6, 3.6), sharey=True)
    for ax, (title, mask) in zip(axes, panels):
        ax.imshow(mask, cmap="Blues", vmin=0, vmax=1.3, origin="upper",
                  extent=(0.5, T + 0.5, T + 0.5, 0.5))
        ax.set_title(title, fontsize=11)
        ax.set_xlabel("step s receiving gradient")
        ax.grid(False)
    axes[0].set_ylabel("loss term L_t (step t)")
    fig.suptitle("Which steps each loss term L_t sends gradient to (shaded)")
    fig.tight_layout()
    return fig


def truncation_error_figure(ks, rel_diffs, dependency=None):
    """Relative difference ||dW_R(k) - dW_R(full)|| / ||dW_R(full)|| against the look-back k.

    ks: look-back lengths; rel_diffs: one relative difference per k (log axis).
    dependency: if given, a vertical line at the look-back the task needs.
    """
    fig, ax = plt.subplots()
    ax.plot(ks, rel_diffs, marker="o", markersize=4)
    if dependency is not None:
        ax.axvline(dependency, color="0.4", ls="--", lw=1,
                   label=f"k = {dependency}: shortest look-back spanning the delay")
        ax.legend(loc="upper right")
    ax.set_yscale("log")
    ax.set_xlabel("look-back k (time steps)")
    ax.set_ylabel("relative difference of dL/dW_R (log scale)")
    ax.set_title("Truncated BPTT: how much of dL/dW_R is lost")
    fig.tight_layout()
    return fig
