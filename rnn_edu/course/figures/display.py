"""Figures as accessible images: a PNG in an <img> with a text alternative.

JupyterLab shows a plain ``image/png`` output as an ``<img>`` without ``alt``
text, which screen readers announce as an unlabelled image (axe-core's
"image-alt" rule, critical).  `register_figure_display()` (called by
`use_course_style()`) makes IPython display every matplotlib figure as
``text/html`` instead: the same PNG in an ``<img>`` whose ``alt`` describes the
figure from its own titles, axis labels and legend entries.

The ``<img>`` also carries ``data-min-text-px``: the size of the smallest text
in the figure in image pixels, so the browser tests can check that every
figure's text, as shown, is at least as large as the notebook's body text.
"""
import base64
import html
import io
import math
import re

from matplotlib.figure import Figure
from matplotlib.text import Text

CSS_FIGURE = "rnn-edu-figure"
MAX_ALT = 400            # characters of alt text


def _texts(fig):
    """Visible, non-empty text artists of a figure."""
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


def smallest_text_px(fig, dpi=None):
    """Size of the figure's smallest text in image pixels at `dpi` (default: the figure's)."""
    sizes = [t.get_fontsize() for t in _texts(fig)]
    return min(sizes) * (dpi or fig.dpi) / 72.0 if sizes else None


def _plain(text):
    """Label text without mathtext markup, for reading aloud: $\\gamma\\sigma_{max}$ -> gamma sigma_max."""
    text = re.sub(r"\\([A-Za-z]+)", r" \1 ", text.replace("$", "").replace("\\|", "||"))
    return " ".join(text.replace("{", "").replace("}", "").replace("\\", "").split())


def describe(fig):
    """A short text alternative: the titles, axis labels and legend entries of each panel."""
    parts = []
    suptitle = getattr(fig, "_suptitle", None)
    if suptitle is not None and suptitle.get_text().strip():
        parts.append(_plain(suptitle.get_text()) + ".")
    for ax in fig.get_axes():
        if not ax.get_visible():
            continue
        title, x, y = (_plain(s) for s in (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()))
        panel = f"{title}: " if title else ""
        if ax.get_label() == "<colorbar>":
            parts.append(f"Colour scale: {y or x}.")
            continue
        if not ax.axison:                       # a diagram: name its labels
            labels = [_plain(t.get_text()) for t in ax.texts if t.get_text().strip()]
            panel += "diagram" + (" with labels " + ", ".join(labels[:12]) if labels else "")
        else:
            panel += f"{y or 'values'} against {x or 'position'}" if (x or y) else "plot"
        legend = ax.get_legend()
        if legend is not None:
            entries = [_plain(t.get_text()) for t in legend.get_texts() if t.get_text().strip()]
            if entries:
                panel += "; shows " + ", ".join(entries)
        parts.append(panel + ".")
    text = " ".join(parts) or "A figure."
    return "Figure. " + (text if len(text) <= MAX_ALT else text[:MAX_ALT - 3] + "...")


def png_bytes(fig, dpi=None):
    """The figure as PNG bytes, cropped like the inline backend does (bbox_inches='tight')."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi or fig.dpi, bbox_inches="tight",
                facecolor=fig.get_facecolor(), edgecolor=fig.get_edgecolor())
    return buffer.getvalue()


def img_html(png, alt, min_text_px, width_css=None, css=CSS_FIGURE):
    """An <img> holding `png` with its alt text (and the smallest text size as data)."""
    size = f" style='width:{width_css};max-width:100%;height:auto'" if width_css else ""
    data = f" data-min-text-px='{math.floor(min_text_px * 100) / 100:.2f}'" if min_text_px else ""
    return (f"<img class='{css}' alt='{html.escape(alt, quote=True)}'{data}{size} "
            f"src='data:image/png;base64,{base64.b64encode(png).decode('ascii')}'>")


def figure_html(fig):
    """IPython text/html formatter: the figure as an accessible <img>."""
    if not fig.get_axes() and not _texts(fig):
        return None                            # an empty figure shows as text only
    return img_html(png_bytes(fig), describe(fig), smallest_text_px(fig))


def register_figure_display():
    """In IPython, display matplotlib figures as accessible <img> HTML, not as bare PNG."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with Jupyter
        return False
    shell = get_ipython()
    if shell is None:
        return False
    formatters = shell.display_formatter.formatters
    formatters["text/html"].for_type(Figure, figure_html)
    formatters["image/png"].pop(Figure, None)        # the same PNG, once, inside the <img>
    return True
