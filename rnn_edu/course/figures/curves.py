"""Line and bar plots of numbers recorded per update or per time step (losses, gradient sizes)."""
import matplotlib.pyplot as plt
import numpy as np


def _check_series(label, values):
    """values as a 1-D float array with at least one entry."""
    arr = np.asarray(values, dtype=float)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{label}: expected a non-empty 1-D sequence of numbers, "
                         f"got shape {tuple(arr.shape)}.")
    return arr


def plot_curves(curves, *, title, xlabel, ylabel, start=1, logy=False, markers=False):
    """One line per entry of `curves` ({label: values}), x = start, start+1, ...

    Returns the Figure. Use it for loss per update ("update (window)", "loss (nats)"),
    loss per step of gradient descent, and the like.
    """
    if not isinstance(curves, dict) or not curves:
        raise ValueError(f"curves: expected a non-empty dict {{label: values}}, got {type(curves).__name__}.")
    fig, ax = plt.subplots()
    for label, values in curves.items():
        arr = _check_series(f"curves[{label!r}]", values)
        ax.plot(np.arange(start, start + arr.size), arr, marker="o" if markers else None,
                ms=4, label=label)
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    if len(curves) > 1:
        ax.legend()
    fig.tight_layout()
    return fig


def plot_per_step(series, *, title, ylabel, xlabel="time step t", start=1, logy=True):
    """Grouped bars, one group per time step t = start..start+T-1, one colour per entry of `series`.

    series: {label: values of shape (T,)}, all of the same length. Returns the Figure.
    With logy=True every value must be positive (a zero bar cannot be drawn on a log axis).
    """
    if not isinstance(series, dict) or not series:
        raise ValueError(f"series: expected a non-empty dict {{label: values}}, got {type(series).__name__}.")
    arrays = {k: _check_series(f"series[{k!r}]", v) for k, v in series.items()}
    lengths = {a.size for a in arrays.values()}
    if len(lengths) != 1:
        raise ValueError(f"series: expected equal lengths, got {sorted(lengths)}.")
    T = lengths.pop()
    if logy and any(np.any(a <= 0) for a in arrays.values()):
        raise ValueError("series: a log axis needs positive values; pass logy=False or drop the zeros.")
    width = 0.8 / len(arrays)
    fig, ax = plt.subplots()
    steps = np.arange(start, start + T)
    for i, (label, arr) in enumerate(arrays.items()):
        ax.bar(steps + (i - (len(arrays) - 1) / 2) * width, arr, width=width, label=label)
    if logy:
        ax.set_yscale("log")
    ax.set_xticks(steps)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    if len(arrays) > 1:
        ax.legend()
    fig.tight_layout()
    return fig
