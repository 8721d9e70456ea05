"""The unrolled RNN as a diagram, with the paths the gradients of W_F, W_O and W_R take.

    h_t = f(W_F x_t + W_R h_{t-1} + b_h)      y_t = g(W_O h_t + b_o)      loss E_n at t = n

Inputs x_t are boxes (bottom row), hidden states h_t circles (middle row), outputs y_t
boxes (top row), and the loss E_n sits above the last output. Back from E_n:
  * the local path (orange): E_n -> y_n -> W_O, and h_n -> W_F x_n, one step each;
  * the recurrent path (red): h_n -> h_{n-1} -> ... -> h_1, one W_R factor per step back.
"""
import matplotlib.pyplot as plt
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

ROW_Y = {"x": 0.0, "h": 1.0, "y": 2.0, "E": 2.85}
LOCAL_COLOUR = "#e67e00"        # orange
RECURRENT_COLOUR = "#c0392b"    # red
FORWARD_COLOUR = "#555555"


def _box(ax, x, y, text, colour="#dbe9f6"):
    """A rounded box centred at (x, y) with a label."""
    ax.add_patch(FancyBboxPatch((x - 0.22, y - 0.17), 0.44, 0.34, boxstyle="round,pad=0.02",
                                fc=colour, ec="#333333", lw=1.2, zorder=3))
    ax.text(x, y, text, ha="center", va="center", fontsize=11, zorder=4)


def _circle(ax, x, y, text):
    """A circle centred at (x, y) with a label (a hidden state)."""
    ax.add_patch(Circle((x, y), 0.21, fc="#fdf2d0", ec="#333333", lw=1.2, zorder=3))
    ax.text(x, y, text, ha="center", va="center", fontsize=11, zorder=4)


def _arrow(ax, start, end, colour, *, lw=1.4, style="-|>", ls="-", rad=0.0, label=None, label_at=None):
    """An arrow from start to end; an optional label at label_at (x, y)."""
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle=style, mutation_scale=12, color=colour,
                                 lw=lw, ls=ls, connectionstyle=f"arc3,rad={rad}", zorder=2))
    if label:
        ax.text(*label_at, label, ha="center", va="center", fontsize=10.5, color=colour,
                bbox=dict(fc="white", ec="none", pad=0.5), zorder=5)


def _forward_arrows(ax, steps):
    """The forward computation: x_t -> h_t (W_F), h_{t-1} -> h_t (W_R), h_t -> y_t (W_O)."""
    for t in range(1, steps + 1):
        _arrow(ax, (t, ROW_Y["x"] + 0.18), (t, ROW_Y["h"] - 0.22), FORWARD_COLOUR,
               label="$W_F$", label_at=(t - 0.2, 0.5))
        _arrow(ax, (t, ROW_Y["h"] + 0.22), (t, ROW_Y["y"] - 0.18), FORWARD_COLOUR,
               label="$W_O$", label_at=(t - 0.2, 1.5))
        _arrow(ax, (t - 0.78, ROW_Y["h"]), (t - 0.22, ROW_Y["h"]), FORWARD_COLOUR,
               label="$W_R$" if t > 1 else None, label_at=(t - 0.5, 1.14))


def _gradient_arrows(ax, steps):
    """Backward paths from E_n: local (orange) and recurrent (red)."""
    n = steps
    _arrow(ax, (n + 0.12, ROW_Y["E"] - 0.17), (n + 0.12, ROW_Y["y"] + 0.19), LOCAL_COLOUR, lw=2.6)
    _arrow(ax, (n + 0.3, ROW_Y["y"] - 0.1), (n + 0.3, ROW_Y["h"] + 0.12), LOCAL_COLOUR, lw=2.6,
           label="$\\partial E_n/\\partial W_O$", label_at=(n + 0.62, 1.5))
    _arrow(ax, (n + 0.3, ROW_Y["h"] - 0.12), (n + 0.3, ROW_Y["x"] + 0.1), LOCAL_COLOUR, lw=2.6,
           label="$\\partial E_n/\\partial W_F$", label_at=(n + 0.62, 0.5))
    for t in range(n, 1, -1):
        _arrow(ax, (t - 0.12, ROW_Y["h"] - 0.2), (t - 0.88, ROW_Y["h"] - 0.2), RECURRENT_COLOUR,
               lw=2.6, rad=-0.45, label="$W_R$", label_at=(t - 0.5, 0.62))


def draw_unrolled(steps=4, show_gradients=True):
    """Draw the RNN unrolled over `steps` time steps, with the loss E_n at the last one.

    steps: number of time steps n drawn (2 to 8). show_gradients: add the backward paths
    (orange: W_F and W_O, local; red: W_R, back along h_n, h_{n-1}, ..., h_1) and a legend.
    Returns the matplotlib Figure.
    """
    if not isinstance(steps, int) or not 2 <= steps <= 8:
        raise ValueError(f"steps: expected an integer from 2 to 8, got {steps!r}.")
    fig, ax = plt.subplots(figsize=(7.4, 4.6))
    for t in range(1, steps + 1):
        sub = "n" if t == steps else str(t)
        _box(ax, t, ROW_Y["x"], f"$x_{{{sub}}}$")
        _circle(ax, t, ROW_Y["h"], f"$h_{{{sub}}}$")
        _box(ax, t, ROW_Y["y"], f"$y_{{{sub}}}$", colour="#e3f1df")
    _circle(ax, 0, ROW_Y["h"], "$h_0$")
    _box(ax, steps, ROW_Y["E"], "$E_n$", colour="#f6d5d1")
    _forward_arrows(ax, steps)
    if show_gradients:
        _gradient_arrows(ax, steps)
        ax.legend(handles=[
            Line2D([], [], color=FORWARD_COLOUR, lw=1.4, label="forward pass"),
            Line2D([], [], color=LOCAL_COLOUR, lw=2.6, label="$W_F$, $W_O$: local path (one step)"),
            Line2D([], [], color=RECURRENT_COLOUR, lw=2.6, label="$W_R$: back along $h_n, h_{n-1}, \\dots$"),
        ], loc="upper left", framealpha=0.95)
    ax.set_xlim(-0.5, steps + 1.0)
    ax.set_ylim(-0.45, 3.2)
    ax.set_xticks(range(0, steps + 1))
    ax.set_xticklabels(["0"] + [str(t) if t < steps else f"n = {t}" for t in range(1, steps + 1)])
    ax.set_yticks([ROW_Y["x"], ROW_Y["h"], ROW_Y["y"], ROW_Y["E"]])
    ax.set_yticklabels(["input", "hidden", "output", "loss"])
    ax.set_aspect("equal")
    ax.grid(False)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_xlabel("time step t")
    ax.set_ylabel("layer")
    ax.set_title(f"The RNN unrolled over {steps} steps"
                 + (": where the gradients of $E_n$ flow" if show_gradients else ""))
    fig.tight_layout()
    return fig
