"""Matplotlib figures the lessons draw. No widgets here; plain functions returning a Figure.

Call `use_course_style()` once at the top of a notebook so every figure has the same
size, resolution and text sizes (stored outputs then do not depend on the machine's
defaults), and is displayed with a text alternative (see `display.py`).

Text sizes: a figure is shown at one image pixel per CSS pixel, so a font of `s` points
is `s * dpi / 72` pixels on screen.  At 100 dpi every text of at least MIN_FONT_PT
points is at least BODY_TEXT_PX pixels: as large as JupyterLab's body text at 100 % zoom.
"""
import matplotlib as mpl

BODY_TEXT_PX = 14        # JupyterLab's notebook body text (--jp-content-font-size1) at 100 % zoom
DPI = 100
MIN_FONT_PT = 10.5       # 10.5 pt at 100 dpi = 14.6 px >= BODY_TEXT_PX

COURSE_STYLE = {
    "figure.figsize": (6.4, 4.0),
    "figure.dpi": DPI,
    "savefig.dpi": "figure",
    "axes.grid": True,
    "grid.alpha": 0.3,
    "font.size": MIN_FONT_PT,
    "axes.titlesize": 13,
    "axes.labelsize": 11.5,
    "xtick.labelsize": MIN_FONT_PT,
    "ytick.labelsize": MIN_FONT_PT,
    "legend.fontsize": MIN_FONT_PT,
    "legend.title_fontsize": MIN_FONT_PT,
    "figure.titlesize": 13,
    "font.family": "DejaVu Sans",
}


def use_course_style():
    """Apply the course's figure defaults, and show figures as images with alt text."""
    from .display import register_figure_display
    mpl.rcParams.update(COURSE_STYLE)
    register_figure_display()
