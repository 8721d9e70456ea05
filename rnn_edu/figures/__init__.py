"""Matplotlib figures the lessons draw. No widgets here; plain functions returning a Figure.

Call `use_course_style()` once at the top of a notebook so every figure has the same
size and resolution (stored outputs then do not depend on the machine's defaults).
"""
import matplotlib as mpl

COURSE_STYLE = {
    "figure.figsize": (6.4, 4.0),
    "figure.dpi": 80,
    "savefig.dpi": 80,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "legend.fontsize": 9,
    "font.family": "DejaVu Sans",
}


def use_course_style():
    """Apply the course's figure defaults (size, dpi, grid, fonts)."""
    mpl.rcParams.update(COURSE_STYLE)
