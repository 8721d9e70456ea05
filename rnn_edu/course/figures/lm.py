"""Figures of lesson 08: learning curves of a character model, comparisons, gradient-norm spikes."""
import matplotlib.pyplot as plt
import numpy as np

from .legends import LEGEND_PLACES


def _covered(ax, legend):
    """Drawn points of the axes' lines under the legend (lines resampled every 2 px), vectorised."""
    r = ax.figure.canvas.get_renderer()
    box, inside = legend.get_window_extent(r), ax.get_window_extent(r)
    n = 0
    for line in ax.get_lines():
        xy = ax.transData.transform(np.column_stack(line.get_data()).astype(np.float64))
        xy = xy[np.all(np.isfinite(xy), axis=1)]
        if len(xy) > 1 and line.get_linestyle() not in ("None", "", " "):
            steps = np.maximum(2, (np.hypot(*(xy[1:] - xy[:-1]).T) / 2).astype(int))
            xy = np.concatenate([np.linspace(a, b, k) for a, b, k in zip(xy[:-1], xy[1:], steps)])
        x, y = xy[:, 0], xy[:, 1]
        n += int(np.sum((x >= box.x0) & (x <= box.x1) & (y >= box.y0) & (y <= box.y1)
                        & (x >= inside.x0) & (x <= inside.x1) & (y >= inside.y0) & (y <= inside.y1)))
    return n


def legend_off_the_curves(ax):
    """The course's rule (figures/legends.py): the first place where the legend hides no drawn
    point, else outside on the right; counted with numpy, for lines with many points."""
    for place in LEGEND_PLACES:
        legend = ax.legend(loc=place)
        if _covered(ax, legend) == 0:
            return legend
    return ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0)


def running_mean(values, k):
    """Mean of each block of k consecutive values (the last, shorter block included)."""
    v = np.asarray(values, dtype=float)
    return np.array([v[i:i + k].mean() for i in range(0, len(v), k)])


def plot_lm_curves(train_loss, val_steps, val_loss, *, block=50, uniform=None, best_step=None,
                   title="Learning curves"):
    """Training loss (mean of each block of updates) and validation loss, in nats per character."""
    fig, ax = plt.subplots()
    tr = running_mean(train_loss, block)
    x = np.minimum(np.arange(len(tr)) * block + block, len(train_loss))
    ax.plot(x, tr, label=f"training (mean of {block} updates)")
    ax.plot(val_steps, val_loss, "o-", ms=4, label="validation")
    if uniform is not None:       # room above the line for the legend
        ax.axhline(uniform, color="grey", ls=":", label=f"uniform guess, ln V = {uniform:.2f}")
        low = min(np.min(tr), np.min(val_loss))
        ax.set_ylim(low - 0.05 * (uniform - low), uniform + 0.6 * (uniform - low))
    if best_step is not None:
        ax.axvline(best_step, color="grey", ls="--", lw=1, label=f"best validation (update {best_step})")
    ax.set_xlabel("update (window of B x T characters)")
    ax.set_ylabel("loss (nats per character)")
    ax.set_title(title)
    legend_off_the_curves(ax)
    fig.tight_layout()
    return fig


def plot_compare(runs, *, key="val_loss", title, ylabel="validation loss (nats per character)"):
    """runs: {label: [run dict per seed]}; one colour per label, one line per seed."""
    fig, ax = plt.subplots()
    for i, (label, seeds) in enumerate(runs.items()):
        for j, r in enumerate(seeds):
            ax.plot(r["val_steps"], r[key], "o-", ms=3, color=f"C{i}", alpha=1.0 if j == 0 else 0.55,
                    label=f"{label}" if j == 0 else None)
    ax.set_xlabel("update")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    fig.canvas.draw()                  # final limits before the legend's place is chosen
    legend_off_the_curves(ax)
    fig.tight_layout()
    return fig


def plot_norm_spikes(norms, *, threshold, title="Gradient norm before clipping, every update"):
    """norms: {label: norms per update}; log scale, with the clipping threshold nu as a line."""
    fig, ax = plt.subplots()
    for i, (label, v) in enumerate(norms.items()):
        ax.plot(np.arange(1, len(v) + 1), v, lw=1, color=f"C{i}", label=label)
    ax.axhline(threshold, color="black", ls="--", lw=1, label=f"threshold nu = {threshold:g}")
    ax.set_yscale("log")
    ax.set_xlabel("update")
    ax.set_ylabel("global gradient norm ||g||")
    ax.set_title(title)
    legend_off_the_curves(ax)
    fig.tight_layout()
    return fig


def plot_candidates(runs, *, block=250, title="The candidates: training and validation loss"):
    """runs: {label: run dict with train_loss, val_steps, val_loss}. One colour per run: its
    validation loss (solid, dots; in the legend) and its training loss (dashed, mean of each
    block of updates); say so in the title."""
    fig, ax = plt.subplots(figsize=(7.2, 4.4))
    for i, (label, r) in enumerate(runs.items()):
        tr = running_mean(r["train_loss"], block)
        x = np.minimum(np.arange(len(tr)) * block + block, len(r["train_loss"]))
        ax.plot(r["val_steps"], r["val_loss"], "o-", ms=3, color=f"C{i}", label=label)
        ax.plot(x, tr, "--", color=f"C{i}", alpha=0.8)
    low = min(min(r["val_loss"]) for r in runs.values())
    lowest_train = min(running_mean(r["train_loss"], block).min() for r in runs.values())
    ax.set_ylim(min(low - 0.25, lowest_train - 0.05), low + 0.9)       # every curve's end stays inside
    ax.set_xlabel("update (window of B x T characters)")
    ax.set_ylabel("loss (nats per character)")
    ax.set_title(title)
    fig.canvas.draw()
    legend_off_the_curves(ax)
    fig.tight_layout()
    return fig


def plot_trap(runs, *, uniform, zeros_for=(), title="Validation of the H = 128 runs, two ways (2 seeds each)"):
    """Lesson 08's study (rnn_edu/studies/lm_trap.py): two panels over the updates, 2 seeds each.

    runs: {label: [run dict per seed]} with val_steps, val_warm, val_zero and trap_blank.
    Top: validation loss after the warm-up (solid); for the labels in zeros_for also from zeros
    at the part's first character (dashed). Bottom: the share of starts from zeros at blank
    lines of the validation part that end trapped, in percent.
    """
    fig, (top, low) = plt.subplots(2, 1, sharex=True, figsize=(9.6, 7.8))
    for i, (label, seeds) in enumerate(runs.items()):
        for j, r in enumerate(seeds):
            # markers of falling size, so that runs drawn on top of each other all stay visible
            kw = dict(color=f"C{i}", alpha=1.0 if j == 0 else 0.55, marker="sod^v"[i % 5], ms=9 - 2 * (i % 4),
                      mfc="none")
            first = j == 0
            top.plot(r["val_steps"], r["val_warm"], "-", label=f"{label}, after warm-up" if first else None, **kw)
            if label in zeros_for:
                top.plot(r["val_steps"], r["val_zero"], "--", label=f"{label}, from zeros" if first else None,
                         **{**kw, "marker": "x"})
            low.plot(r["val_steps"], 100 * np.asarray(r["trap_blank"]), "-", label=label if first else None, **kw)
    top.axhline(uniform, color="grey", ls=":", label=f"uniform guess, ln V = {uniform:.2f}")
    top.set_ylabel("validation loss\n(nats per character)")
    top.set_title(title)
    low.set_ylabel("starts at a blank line\nthat end trapped (%)")
    low.set_xlabel("update")
    low.set_ylim(-5, 105)
    top.set_xlabel("update")
    top.tick_params(labelbottom=True)
    for ax in (top, low):
        ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0)
    fig.tight_layout()
    return fig


def plot_along_part(starts, losses, *, cut, cut_label, title, before_label=None, levels=None,
                    level_label="validation part", xlabel="position in the test part (thousand characters)"):
    """The loss per character of consecutive pieces of one part, a step per piece.

    starts: (K,) the first position of each piece, in characters; losses: {label: (K,) losses};
    cut: a position to mark with a dashed line, named cut_label (and before_label left of it).
    levels: one value per curve (e.g. its loss on another part), drawn as a dotted line in its
    colour and named "<curve's label>, <level_label>".
    """
    starts = np.asarray(starts, float) / 1000
    width = starts[1] - starts[0] if len(starts) > 1 else 1.0
    fig, ax = plt.subplots(figsize=(9.6, 4.8))
    for i, (label, ys) in enumerate(losses.items()):
        ys = np.asarray(ys, float)
        ax.stairs(ys, np.append(starts, starts[-1] + width), baseline=None, color=f"C{i}", lw=2, label=label)
        if levels is not None:
            ax.axhline(levels[i], color=f"C{i}", ls=":", lw=1.5, label=f"{label}, {level_label}")
    ax.axvline(cut / 1000, color="grey", ls="--", lw=1.5)
    ax.text(cut / 1000, 0.97, f" {cut_label}", transform=ax.get_xaxis_transform(), ha="left", va="top")
    if before_label:
        ax.text(cut / 1000, 0.97, f"{before_label} ", transform=ax.get_xaxis_transform(), ha="right", va="top")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("loss (nats per character)")
    ax.set_title(title)
    low, high = ax.get_ylim()
    ax.set_ylim(low - 0.3 * (high - low), high + 0.1 * (high - low))    # room for the legend and labels
    ax.legend(loc="lower right")
    fig.tight_layout()
    return fig
