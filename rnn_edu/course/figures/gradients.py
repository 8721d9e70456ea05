"""Figures for lesson 04: gradient norms through time, activation slopes, decay of powers.

Each `draw_*` function draws into a given Axes; each `*_figure` function makes a pyplot
figure for a notebook (end the cell with `plt.show()`); `grad_norms_frame` renders one
frame of the gradient explorer to PNG bytes without touching pyplot, so a widget callback
never leaves a figure behind for the notebook to display.
"""
import io

import matplotlib as mpl
import numpy as np
from matplotlib import ticker
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from rnn_edu.activations import d_sigmoid, d_tanh, sigmoid
from rnn_edu.diagnostics import effective_factor
from . import COURSE_STYLE
from .display import smallest_text_px
from .legends import legend_off_the_curves

X_LABEL = "time step t"
Y_LABEL = "||dL/dh_t|| (log scale)"


def _positive_limits(values, pad=10.0):
    """(low, high) y-limits around the positive, finite entries of `values` (log axes)."""
    v = np.asarray(values, dtype=np.float64)
    v = v[np.isfinite(v) & (v > 0)]
    if v.size == 0:
        return 1e-3, 1e3
    return v.min() / pad, v.max() * pad


def _decade_label(value, _pos):
    """Tick label such as 1e-05, in plain text (mathtext labels are slow to lay out)."""
    return f"{value:.0e}"


def measured_factor(norms):
    """The measured per-step factor (`rnn_edu.diagnostics.effective_factor`)."""
    return effective_factor(norms)


def measured_label(label, norms):
    """'<label>: measured × g per step' (g = effective_factor(norms)), or the label alone if g is undefined."""
    g = effective_factor(norms)
    return f"{label}: measured × {g:.2f} per step" if np.isfinite(g) and g > 0 else label


def draw_grad_norms(ax, norms, *, bound_factor=None, title=None, cell_norms=None):
    """Plot ||dL/dh_t|| against t = 1..T on a log axis.

    norms: (T,) array from `rnn_edu.hidden_grad_norms` (only L_T scored).
    bound_factor: gamma * sigma_max(W_R).  When it is below 1 the upper bound
        ||dL/dh_t|| <= (gamma sigma_max)^(T - t) ||dL/dh_T||  is drawn dashed: it lies above the
        curve and shows the guaranteed decay.  From 1 up the bound grows backwards, off the plot
        within a few steps, and says nothing about what happens: it is not drawn.
    A dotted line shows the measured average factor per step (see `measured_factor`).
    Zeros (a path cut by inactive ReLUs) cannot be shown on a log axis and are left out.
    cell_norms: (T,) ||dL/dc_t|| of an LSTM's cell state, drawn dashed (None: not drawn).
    """
    norms = np.asarray(norms, dtype=np.float64)
    T = norms.size
    t = np.arange(1, T + 1)
    low, high = _positive_limits(norms if cell_norms is None else np.concatenate([norms, cell_norms]))
    shown = np.where(norms > 0, norms, np.nan)
    ax.plot(t, shown, marker="o", markersize=3, lw=1.5, label="||dL/dh_t|| (loss at t = T)")
    if cell_norms is not None:
        c = np.asarray(cell_norms, dtype=np.float64)
        ax.plot(t, np.where(c > 0, c, np.nan), ls="--", lw=1.5, color="#2ca02c", label="||dL/dc_t|| (cell state)")
    g = measured_factor(norms)
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        if np.isfinite(g) and g > 0:
            ax.plot(t, norms[-1] * g ** (T - t).astype(np.float64), ls=":", color="#d62728", lw=1.5,
                    label=f"measured average: × {g:.2f} per step")
        if bound_factor is not None and bound_factor < 1 and np.isfinite(norms[-1]) and norms[-1] > 0:
            bound = norms[-1] * np.power(float(bound_factor), (T - t).astype(np.float64))
            ax.plot(t, np.clip(bound, low, None), ls="--", color="0.35", lw=1.2,
                    label=f"upper bound: × {bound_factor:.2f} (γ σ_max) per step")
    ax.set_yscale("log")
    ax.yaxis.set_major_formatter(ticker.FuncFormatter(_decade_label))   # plain text: fast
    ax.yaxis.set_minor_locator(ticker.NullLocator())                     # no minor ticks: fast
    ax.set_ylim(low, high)
    ax.set_xlim(0.5, T + 0.5)
    ax.set_xlabel(X_LABEL)
    ax.set_ylabel(Y_LABEL if cell_norms is None else "gradient norm (log scale)")
    ax.set_title(title or "How far back the gradient of L_T reaches", y=1.01)   # fixed y: no layout pass
    ax.legend(loc="best")
    return ax


def grad_norms_figure(curves, *, title=None):
    """Several ||dL/dh_t|| curves on one log axis, for a notebook.

    curves: dict {label: (T,) array of norms}. Each legend entry names the measured effective
    factor per step (`effective_factor`) when it is defined. Returns the pyplot Figure.
    """
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots()
    for label, norms in curves.items():
        norms = np.asarray(norms, dtype=np.float64)
        ax.plot(np.arange(1, norms.size + 1), np.where(norms > 0, norms, np.nan), label=measured_label(label, norms))
    ax.set_yscale("log")
    ax.set_xlabel(X_LABEL)
    ax.set_ylabel(Y_LABEL)
    ax.set_title(title or "Gradient norm of the last loss term, going back in time")
    fig.tight_layout()
    legend_off_the_curves(ax)
    return fig


SHARPNESS = 2        # the PNG holds twice the pixels it is shown with, so it stays crisp


def grad_norms_frame(norms, *, bound_factor=None, title=None, cell_norms=None):
    """One explorer frame: (PNG bytes, size of its smallest text in PNG pixels).

    `draw_grad_norms` in the course style, rendered with Agg (no pyplot), SHARPNESS times
    the course figure size in pixels; show it `frame_width_px()` wide.
    """
    with mpl.rc_context(COURSE_STYLE):
        fig = Figure(figsize=COURSE_STYLE["figure.figsize"], dpi=COURSE_STYLE["figure.dpi"])
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        draw_grad_norms(ax, norms, bound_factor=bound_factor, title=title, cell_norms=cell_norms)
        fig.subplots_adjust(left=0.15, right=0.97, bottom=0.15, top=0.91)   # tight_layout is slow
        dpi = SHARPNESS * COURSE_STYLE["figure.dpi"]
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=dpi, pil_kwargs={"compress_level": 1})   # fast to encode
        return buffer.getvalue(), smallest_text_px(fig, dpi)


def grad_norms_png(norms, *, bound_factor=None, title=None):
    """One explorer frame as PNG bytes (see `grad_norms_frame`)."""
    return grad_norms_frame(norms, bound_factor=bound_factor, title=title)[0]


def frame_width_px():
    """The width at which an explorer frame is shown: the course figure width in CSS pixels."""
    return int(COURSE_STYLE["figure.figsize"][0] * COURSE_STYLE["figure.dpi"])


def activation_slopes_figure(a_max=6.0):
    """f'(a) for sigmoid and tanh over [-a_max, a_max], each maximum marked (both at a = 0).

    sigmoid'(a) = s (1 - s) <= 1/4;  tanh'(a) = 1 - tanh(a)^2 <= 1.
    """
    import matplotlib.pyplot as plt
    a = np.linspace(-a_max, a_max, 401)
    fig, ax = plt.subplots()
    ax.plot(a, d_tanh(np.tanh(a)), label="tanh'(a) = 1 - tanh(a)^2")
    ax.plot(a, d_sigmoid(sigmoid(a)), label="sigmoid'(a) = s(a)(1 - s(a))")
    for peak, name in [(1.0, "tanh"), (0.25, "sigmoid")]:
        ax.plot([0.0], [peak], "ko", markersize=5)
        ax.annotate(f"max {name}' = {peak:g} at a = 0", (0.0, peak), xytext=(0.6, peak + 0.05))
    ax.set_ylim(0, 1.2)
    ax.set_xlabel("pre-activation a (dimensionless)")
    ax.set_ylabel("slope f'(a)")
    ax.set_title("The slopes that multiply the gradient at every step")
    fig.tight_layout()
    legend_off_the_curves(ax)
    return fig


def power_decay_figure(factors, steps=100, threshold=1e-3, ylim=(1e-12, 2.0)):
    """factor^k against k = 0..steps on a log axis, with a horizontal line at `threshold`.

    factors: dict {label: factor per step}; ylim: the y-range shown. Returns the pyplot Figure.
    """
    import matplotlib.pyplot as plt
    k = np.arange(steps + 1)
    fig, ax = plt.subplots()
    for label, factor in factors.items():
        ax.plot(k, float(factor) ** k.astype(np.float64), label=label)
    ax.axhline(threshold, color="0.3", ls=":", label=f"threshold {threshold:g}")
    ax.set_yscale("log")
    ax.set_ylim(*ylim)
    ax.set_xlabel("number of backward steps k")
    ax.set_ylabel("size after k steps, factor^k (log scale)")
    ax.set_title("Repeated multiplication by a constant factor")
    fig.tight_layout()
    legend_off_the_curves(ax)
    return fig


def jacobian_norms_figure(curves, bounds=None):
    """||dh_T/dh_{T-k}||_2 against k, optionally with dashed bounds (gamma sigma_max)^k.

    curves: dict {label: (T,) array from `rnn_edu.jacobian_product_norms`};
    bounds: dict {label: gamma * sigma_max} drawn in the same colour order.
    """
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots()
    for i, (label, norms) in enumerate(curves.items()):
        k = np.arange(1, len(norms) + 1)
        line, = ax.plot(k, norms, label=label)
        if bounds and label in bounds:
            ax.plot(k, float(bounds[label]) ** k.astype(np.float64), ls="--", color=line.get_color(),
                    lw=1, label=rf"bound $(\gamma\sigma_{{max}})^k$ = {bounds[label]:.2f}$^k$")
    ax.set_yscale("log")
    ax.set_xlabel("steps back k")
    ax.set_ylabel("||dh_T/dh_{T-k}||_2 (log scale)")
    ax.set_title("Norm of the product of k step Jacobians")
    fig.tight_layout()
    legend_off_the_curves(ax)
    return fig
