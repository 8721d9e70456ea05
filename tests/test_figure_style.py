"""The course's figure style: text as large as the notebook's body text, legends that hide
nothing, and figures shown as images with a text alternative (issue 13, defect 9 and axe)."""
import json
import re
import subprocess
import sys
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

from rnn_edu.course.figures import BODY_TEXT_PX, COURSE_STYLE, DPI, MIN_FONT_PT, use_course_style
from rnn_edu.course.figures.clipping import plot_clip_vectors
from rnn_edu.course.figures.display import describe, figure_html, smallest_text_px
from rnn_edu.course.figures.gradients import power_decay_figure
from rnn_edu.course.figures.legends import points_under_legend

matplotlib.use("Agg")
ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
FIGURE_IMG = re.compile(r"<img class='rnn-edu-figure' alt='([^']*)' data-min-text-px='([0-9.]+)'")


@pytest.fixture(autouse=True)
def course_style():
    with matplotlib.rc_context():
        use_course_style()
        yield
    plt.close("all")


def test_every_text_size_of_the_style_reaches_the_body_text():
    assert MIN_FONT_PT * DPI / 72 >= BODY_TEXT_PX
    assert COURSE_STYLE["figure.dpi"] == DPI and COURSE_STYLE["savefig.dpi"] == "figure"
    sizes = {k: v for k, v in COURSE_STYLE.items() if k.endswith(("size", "fontsize")) and k != "figure.figsize"}
    assert sizes and all(v >= MIN_FONT_PT for v in sizes.values()), sizes


def test_the_clipping_legend_is_readable_and_hides_nothing():
    """Lesson 05's "Clipping one 2-D gradient" (its legend was 7.5 pt, 6-7 px)."""
    fig = plot_clip_vectors(np.array([4.0, 1.5]), np.array([1.87, 0.70]), np.array([1.0, 1.0]),
                            max_norm=2.0, limit=1.0)
    ax = fig.axes[0]
    legend = ax.get_legend()
    assert min(t.get_fontsize() for t in legend.get_texts()) * fig.dpi / 72 >= BODY_TEXT_PX
    assert smallest_text_px(fig) >= BODY_TEXT_PX
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    box, axes_box = legend.get_window_extent(renderer), ax.get_window_extent(renderer)
    assert box.y1 <= axes_box.y0, "the legend must sit outside the plot, where it hides no arrow"
    assert fig.get_window_extent().contains(box.x0, box.y0) and box.x1 <= fig.bbox.x1


@pytest.mark.parametrize("ylim", [(1e-12, 1e5), (1e-12, 2.0)])
def test_the_repeated_multiplication_legend_hides_no_curve(ylim):
    """Lesson 04's "Repeated multiplication" (its legend hid the 0.25 curve)."""
    fig = power_decay_figure({"factor 1.1": 1.1, "factor 0.9": 0.9, "factor 0.25 (sigmoid's best)": 0.25},
                             ylim=ylim)
    ax = fig.axes[0]
    fig.canvas.draw()
    assert points_under_legend(ax, ax.get_legend()) == 0
    assert smallest_text_px(fig) >= BODY_TEXT_PX


def test_a_legend_over_a_curve_is_detected():
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1], label="diagonal")
    legend = ax.legend(loc="center")
    fig.canvas.draw()
    assert points_under_legend(ax, legend) > 0


def test_a_figure_is_an_image_with_a_text_alternative():
    fig, (left, right) = plt.subplots(1, 2)
    left.plot([1, 2], [3, 4], label=r"$\gamma\sigma_{max}$ curve")
    left.set(title="Growth", xlabel="step k", ylabel=r"size $\|g\|$")
    left.legend()
    right.axis("off")
    right.text(0.5, 0.5, "h_1")
    alt = describe(fig)
    assert alt.startswith("Figure. Growth: size ||g|| against step k; shows gamma sigma _max curve.")
    assert "diagram with labels h_1" in alt
    html = figure_html(fig)
    match = re.match(r"<img class='rnn-edu-figure' alt='([^']+)' data-min-text-px='([0-9.]+)' "
                     r"src='data:image/png;base64,[A-Za-z0-9+/=]+'>$", html)
    assert match and float(match.group(2)) == pytest.approx(smallest_text_px(fig), abs=0.005)


IN_IPYTHON = """
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from IPython.core.interactiveshell import InteractiveShell
shell = InteractiveShell.instance()
from rnn_edu.course.figures import use_course_style
use_course_style()
fig, ax = plt.subplots()
ax.plot([1, 2, 3])
ax.set_title("A line")
data, _ = shell.display_formatter.format(fig)
print(sorted(data))
"""


def test_in_ipython_figures_display_as_accessible_html_only():
    out = subprocess.run([sys.executable, "-c", IN_IPYTHON], capture_output=True, text=True, check=True,
                         cwd=ROOT, timeout=120)
    assert out.stdout.strip() == "['text/html', 'text/plain']"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_every_stored_figure_has_alt_text_and_large_enough_text(path):
    """The stored lessons (make notebooks): no bare PNG, every figure with alt text and
    its smallest text at least BODY_TEXT_PX (shown 1:1; the browser tests check the scale)."""
    nb = json.loads(path.read_text())
    for index, cell in enumerate(nb["cells"]):
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            assert "image/png" not in data, f"{path.name} cell {index}: a bare PNG has no alt text"
            html = "".join(data.get("text/html", ""))
            for alt, px in FIGURE_IMG.findall(html):
                assert alt.startswith("Figure. ") and len(alt) > 20, (path.name, index, alt)
                assert float(px) >= BODY_TEXT_PX, f"{path.name} cell {index}: smallest text {px} px ({alt[:80]})"
