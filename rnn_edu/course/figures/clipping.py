"""Figures for lesson 05 (gradient clipping). Plain matplotlib; every function returns a Figure."""
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Circle, Rectangle

from .legends import legend_off_the_curves

PATH_STYLES = [dict(color="#d62728", marker="o"), dict(color="white", marker="s"),
               dict(color="#ff7f0e", marker="^"), dict(color="#17becf", marker="v")]


def plot_clip_vectors(g, g_norm, g_value, max_norm, limit):
    """Arrows of a 2-D gradient g, its norm-clipped and its value-clipped versions.

    g, g_norm, g_value: (2,) vectors; max_norm: nu (circle of radius nu);
    limit: c (the square [-c, c]^2 that clip-by-value projects into).
    """
    fig, ax = plt.subplots(figsize=(6.4, 6.6))
    ax.add_patch(Circle((0, 0), max_norm, fill=False, ls="--", color="#1f77b4",
                        label=rf"circle $\|g\| = \nu = {max_norm:g}$"))
    ax.add_patch(Rectangle((-limit, -limit), 2 * limit, 2 * limit, fill=False, ls=":",
                           color="#2ca02c", label=rf"square $|g_i| \leq c = {limit:g}$"))
    for vec, colour, label in [(g, "black", "original g"), (g_norm, "#1f77b4", "clipped by norm"),
                               (g_value, "#2ca02c", "clipped by value")]:
        ax.annotate("", xy=vec, xytext=(0, 0),
                    arrowprops=dict(arrowstyle="-|>", color=colour, lw=2.2, mutation_scale=16))
        ax.plot([], [], color=colour, lw=2.2,
                label=f"{label}: ({vec[0]:.2f}, {vec[1]:.2f}), angle {np.degrees(np.arctan2(vec[1], vec[0])):.0f} deg")
    box = 1.15 * max(max_norm, limit)
    ax.set_xlim(-box, max(box, 1.1 * g[0]))
    ax.set_ylim(-box, max(box, 1.1 * g[1]))
    ax.set_aspect("equal")
    ax.set_xlabel(r"gradient entry $g_1 = \partial L / \partial w$")
    ax.set_ylabel(r"gradient entry $g_2 = \partial L / \partial b$")
    ax.set_title("Clipping one 2-D gradient: by norm vs by value")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.13), frameon=False)   # below: hides nothing
    fig.tight_layout()
    return fig


def _exit_point(a, z, box):
    """Where the segment a -> z leaves the box ((w_lo, w_hi), (b_lo, b_hi))."""
    t = 1.0
    for k, (lo, hi) in enumerate(box):
        d = z[k] - a[k]
        if d > 0:
            t = min(t, (hi - a[k]) / d)
        elif d < 0:
            t = min(t, (lo - a[k]) / d)
    return a + t * (z - a)


def _draw_path(ax, path, label, style, box, size):
    """One descent path; a step that leaves the plot is drawn to the edge and explained."""
    pts = path.points
    inside = np.all([(pts[:, k] >= lo) & (pts[:, k] <= hi) for k, (lo, hi) in enumerate(box)], axis=0)
    stop = len(pts) if inside.all() else int(np.argmin(inside))
    ax.plot(pts[:stop, 0], pts[:stop, 1], "-", color=style["color"], lw=1.2, marker=style["marker"],
            ms=size, mec="black", mew=0.4, label=label)
    if stop < len(pts):
        a, z = pts[stop - 1], pts[stop]
        ax.annotate("", xy=_exit_point(a, z, box), xytext=a,
                    arrowprops=dict(arrowstyle="-|>", color=style["color"], lw=2, mutation_scale=18))
        ax.text(0.03, 0.04, f"{label}, update {stop}:\nstep of length {path.step_lengths[stop - 1]:.1e}\n"
                f"to (w, b) = ({z[0]:.3g}, {z[1]:.3g}),\noff the plot; L there = {path.losses[stop]:.2f}",
                transform=ax.transAxes,
                bbox=dict(boxstyle="round", fc="white", ec=style["color"], alpha=0.95))


def plot_cliff(ws, bs, surface, paths, *, title="The cliff: loss of a one-unit RNN over (w, b)"):
    """Heatmap of log10 L(w, b) with gradient-descent paths, and their losses per step.

    ws: (n_w,), bs: (n_b,), surface: (n_b, n_w) from rnn_edu.studies.cliff.loss_surface.
    paths: {label: CliffPath}. Paths leaving the plot are cut at the edge and annotated.
    """
    fig, (ax, ax_loss) = plt.subplots(1, 2, figsize=(10.6, 5.4), width_ratios=[1.35, 1])
    mesh = ax.pcolormesh(ws, bs, np.log10(np.maximum(surface, 1e-8)), shading="auto",
                         cmap="viridis", vmin=-5, vmax=0)
    fig.colorbar(mesh, ax=ax, label=r"$\log_{10} L(w, b)$  (loss, log scale)")
    box = ((ws[0], ws[-1]), (bs[0], bs[-1]))
    items = list(zip(paths.items(), PATH_STYLES))
    for n, ((label, path), style) in reversed(list(enumerate(items))):   # first path on top
        _draw_path(ax, path, label, style, box, size=3.0 + 1.5 * n)
    for (label, path), style in items:
        colour = "black" if style["color"] == "white" else style["color"]
        ax_loss.plot(np.arange(len(path.losses)), path.losses, color=colour, label=label)
    start = next(iter(paths.values())).points[0]
    ax.plot(*start, "*", color="yellow", mec="black", ms=14, label="start", zorder=5)
    ax.set_xlim(*box[0])
    ax.set_ylim(*box[1])
    ax.set_xlabel("recurrent weight w  (W_R, dimensionless)")
    ax.set_ylabel("bias b  (b_h, dimensionless)")
    ax.set_title(title, fontsize=12)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncols=3, frameon=False)   # below: hides nothing
    ax_loss.set_yscale("log")
    ax_loss.set_xlabel("gradient-descent update k")
    ax_loss.set_ylabel(r"loss $L = (h_T - \mathrm{target})^2$ (log scale)")
    ax_loss.set_title("Loss along each path", fontsize=12)
    fig.tight_layout()
    legend_off_the_curves(ax_loss)
    return fig


DIVERGED = 100.0   # a final loss above this is reported as "diverged", not by its digits


def final_loss_words(losses):
    """'final 0.0145', or 'diverged: final loss above 100' for a run whose last loss is above 100.

    A diverged run's loss jumps chaotically: its digits change with the machine's arithmetic
    (CPU, BLAS, threads), so only the verdict is stable enough to print.
    """
    last = float(losses[-1])
    if not np.isfinite(last) or last > DIVERGED:
        return f"diverged: final loss above {DIVERGED:g}"
    return f"final {last:.3g}"


def plot_training_losses(histories, *, title="Training with and without gradient clipping"):
    """Loss per update (log scale) of several `rnn_edu.train` runs: {label: TrainHistory}."""
    fig, ax = plt.subplots(figsize=(6.8, 4.0))
    for label, hist in histories.items():
        ax.plot(np.arange(1, len(hist.losses) + 1), hist.losses, label=f"{label} ({final_loss_words(hist.losses)})")
    ax.set_yscale("log")
    ax.set_xlabel("update (one per epoch)")
    ax.set_ylabel("loss summed over steps (nats, log)")
    ax.set_title(title)
    fig.tight_layout()
    legend_off_the_curves(ax)
    return fig


def plot_norm_history(norms, thresholds, *, title="Gradient norms of a healthy run"):
    """||g|| before clipping at every update (log scale) with candidate thresholds nu.

    norms: sequence of ||g||; thresholds: {label: nu}, each drawn as a horizontal line
    with the fraction of updates it would clip.
    """
    norms = np.asarray(norms, dtype=float)
    fig, ax = plt.subplots(figsize=(6.8, 4.0))
    ax.plot(np.arange(1, len(norms) + 1), norms, ".-", color="black", lw=0.8, ms=3,
            label=r"$\|g\|$ before clipping")
    for (label, nu), colour in zip(thresholds.items(), ["#1f77b4", "#d62728", "#2ca02c"]):
        ax.axhline(nu, color=colour, ls="--",
                   label=f"{label}: nu = {nu:.3g}, clips {np.mean(norms > nu):.0%} of updates")
    ax.set_yscale("log")
    ax.set_xlabel("update (one per epoch)")
    ax.set_ylabel(r"global gradient norm $\|g\|$ (log scale)")
    ax.set_title(title)
    fig.tight_layout()
    legend_off_the_curves(ax)
    return fig
