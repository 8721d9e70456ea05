"""The gradient explorer (lesson 04), driven headless: sliders in, PNG and readout out."""
import re
import subprocess
import sys
import warnings

import ipywidgets as w
import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

import rnn_edu
from rnn_edu.course.figures import BODY_TEXT_PX
from rnn_edu.course.figures.gradients import (X_LABEL, Y_LABEL, draw_grad_norms, frame_width_px, grad_norms_frame,
                                       grad_norms_png, measured_factor)
from rnn_edu.course.widgets import gradient_explorer
from rnn_edu.course.widgets.explorer import GradientExplorer, classify, explorer_problem

matplotlib.use("Agg")
VIEW_KEY = "application/vnd.jupyter.widget-view+json"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def explorer():
    return gradient_explorer(seed=0)


def _set(explorer, radius, activation, length):
    explorer.set(radius=radius, activation=activation, length=length)


RATIO = "‖∂L/∂h<sub>1</sub>‖ / ‖∂L/∂h<sub>T</sub>‖"


def _readout_ratio(explorer):
    match = re.search(r"Measured: " + re.escape(RATIO) + r" = ([0-9.e+-]+)", explorer.readout.value)
    assert match, explorer.readout.value
    return float(match.group(1))


def _direct_norms(seed, radius, activation, length):
    """||dL/dh_t|| computed straight from rnn_edu's public functions, not through the widget."""
    params, xs, targets = explorer_problem(seed)
    params.W_R[...] = rnn_edu.scale_to_spectral_radius(params.W_R, radius)
    return rnn_edu.hidden_grad_norms(params, xs[:length], targets, activation=activation)


def test_structure_classes_and_fallback_text(explorer):
    assert isinstance(explorer, GradientExplorer)
    assert repr(explorer) == "<GradientExplorer>"
    bundle = explorer._repr_mimebundle_()
    assert bundle["text/plain"] == ("[Gradient explorer: run this cell (Shift+Enter, or Run > Run All Cells) "
                                    "to use it]")                       # defect 7: says what to do
    assert bundle[VIEW_KEY]["model_id"] == explorer.container.model_id
    assert isinstance(explorer.container, w.VBox)
    assert "rnn-edu-explorer" in explorer.container._dom_classes
    assert "rnn-edu-explorer-plot" in explorer.image._dom_classes
    assert isinstance(explorer.radius, w.BoundedFloatText) and explorer.radius.description == "ρ(W_R)"
    assert isinstance(explorer.activation, w.ToggleButtons)
    assert tuple(explorer.activation.options) == ("tanh", "sigmoid", "relu")
    assert explorer.activation.description == "activation f"      # not a lone "f" above the buttons
    assert isinstance(explorer.length, w.BoundedIntText) and (explorer.length.min, explorer.length.max) == (5, 100)
    assert isinstance(explorer.image, w.HTML) and explorer.png.startswith(PNG_MAGIC)
    assert isinstance(explorer.readout, w.HTML)
    assert not any(isinstance(c, w.Output) for c in explorer.container.children)


def test_the_plot_has_a_text_alternative(explorer):
    _set(explorer, 0.5, "tanh", 50)
    alt = re.search(r"alt='([^']+)'", explorer.image.value).group(1)
    assert "against t = 1 to 50" in alt and "vanishing" in alt and "tanh" in alt
    assert f"data:image/png;base64," in explorer.image.value


def test_exported_from_widgets_package():
    import rnn_edu.course.widgets as widgets
    assert widgets.gradient_explorer is gradient_explorer


@pytest.mark.parametrize("radius, activation, length", [
    (0.5, "tanh", 50), (2.5, "tanh", 100), (1.0, "sigmoid", 20), (2.0, "relu", 100), (0.1, "relu", 5)])
def test_readout_matches_hidden_grad_norms(explorer, radius, activation, length):
    _set(explorer, radius, activation, length)
    direct = _direct_norms(0, radius, activation, length)
    np.testing.assert_allclose(explorer.norms, direct, rtol=1e-9)
    assert _readout_ratio(explorer) == pytest.approx(direct[0] / direct[-1], rel=6e-3)   # 3 digits shown
    sigma = rnn_edu.largest_singular_value(rnn_edu.scale_to_spectral_radius(explorer.params.W_R, radius))
    gamma = rnn_edu.GAMMA[activation]
    assert f"= {gamma:g} × {sigma:.2f} = {gamma * sigma:.2f}," in explorer.readout.value


def test_each_control_changes_image_and_readout(explorer):
    _set(explorer, 1.0, "tanh", 50)
    for control, value in [(explorer.radius, 2.0), (explorer.activation, "relu"), (explorer.length, 80)]:
        before_png, before_html, before_text = explorer.png, explorer.image.value, explorer.readout.value
        control.value = value
        assert explorer.png.startswith(PNG_MAGIC)
        assert explorer.png != before_png and explorer.image.value != before_html
        assert explorer.readout.value != before_text


def test_verdicts_small_and_large_W_R(explorer):
    _set(explorer, 0.3, "tanh", 50)
    assert ": vanishing</b>" in explorer.readout.value
    assert "this bound alone guarantees vanishing" in explorer.readout.value     # gamma sigma_max < 1
    _set(explorer, 2.5, "relu", 100)
    assert ": exploding</b>" in explorer.readout.value
    assert "the bound decides nothing" in explorer.readout.value


def test_readout_follows_the_measurement_not_the_bound(explorer):
    """Defect 10: sigmoid at rho = 5 vanishes (ratio ~2e-9) although gamma sigma_max > 1."""
    _set(explorer, 5.0, "sigmoid", 50)
    text = explorer.readout.value
    ratio = _readout_ratio(explorer)
    assert ratio < 1e-6 and ": vanishing</b>" in text
    assert "exploding" not in text and "possible" not in text
    g = measured_factor(explorer.norms)
    assert g == pytest.approx(ratio ** (1 / 49), rel=1e-2)
    assert f"on average × {g:.2f} per step over the 49 steps" in text
    sigma = rnn_edu.largest_singular_value(explorer.current_params().W_R)
    factor = 0.25 * sigma
    assert factor > 1
    assert f"Upper bound: each step multiplies the gradient's norm by at most" in text
    assert f"&le; {factor:.2f}<sup>49</sup> = {factor ** 49:.1e}" in text
    assert ratio < factor ** 49                                           # a bound, and it holds


def test_classify_words():
    assert classify(0.0).startswith("cut off")
    assert classify(1e-5) == "vanishing"
    assert classify(0.05) == "shrinking"
    assert classify(1.0) == "roughly stable"
    assert classify(1e2) == "growing"
    assert classify(1e6) == "exploding"
    assert classify(float("nan")).startswith("overflow")


def test_deterministic_frames():
    a, b = gradient_explorer(seed=0), gradient_explorer(seed=0)
    assert a.png == b.png and a.image.value == b.image.value and a.readout.value == b.readout.value
    c = gradient_explorer(seed=1)
    assert c.readout.value != a.readout.value


def test_corners_run_without_warnings_or_open_figures(explorer):
    plt.close("all")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for radius in (explorer.radius.min, explorer.radius.max):
            for activation in explorer.activation.options:
                for length in (explorer.length.min, explorer.length.max):
                    _set(explorer, radius, activation, length)
                    assert explorer.png.startswith(PNG_MAGIC)
    assert plt.get_fignums() == []          # callbacks never leave a pyplot figure to display


def test_frame_function_labels_and_png():
    fig, ax = plt.subplots()
    norms = np.logspace(-8, 0, 30)
    draw_grad_norms(ax, norms, bound_factor=0.9, title="a frame")
    assert ax.get_title() == "a frame"
    assert ax.get_xlabel() == X_LABEL == "time step t"
    assert ax.get_ylabel() == Y_LABEL == "||dL/dh_t|| (log scale)"
    assert ax.get_yscale() == "log"
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels[0].startswith("||dL/dh_t||") and labels[1].startswith("measured average")
    assert labels[2].startswith("upper bound: × 0.90")
    plt.close(fig)
    png = grad_norms_png(norms, bound_factor=0.9, title="a frame")
    assert png.startswith(PNG_MAGIC)
    assert plt.get_fignums() == []


def test_the_bound_line_is_drawn_only_where_it_shows_something():
    """Defect 10: for gamma sigma_max >= 1 the bound grows backwards, off the plot: not drawn.
    Below 1 it is drawn, entirely inside the plot and above the measured curve."""
    norms = np.logspace(-6, 0, 40) * (1 + 0.1 * np.sin(np.arange(40)))
    for factor in (1.0, 1.75, 2.2):
        fig, ax = plt.subplots()
        draw_grad_norms(ax, norms, bound_factor=factor)
        assert not any(line.get_label().startswith("upper bound") for line in ax.get_lines())
        plt.close(fig)
    fig, ax = plt.subplots()
    draw_grad_norms(ax, norms, bound_factor=0.9)
    bound = next(line for line in ax.get_lines() if line.get_label().startswith("upper bound"))
    low, high = ax.get_ylim()
    y = bound.get_ydata()
    assert np.all((y >= low) & (y <= high)) and np.all(y >= norms * (1 - 1e-12))
    plt.close(fig)


def test_measured_factor_is_the_geometric_mean_of_the_step_ratios():
    norms = np.array([0.001, 0.01, 0.05, 0.1, 1.0])
    steps = norms[:-1] / norms[1:]
    assert measured_factor(norms) == pytest.approx(np.prod(steps) ** (1 / 4))
    assert np.isnan(measured_factor(np.array([1.0]))) and np.isnan(measured_factor(np.array([np.inf, 1.0])))


def test_the_frame_text_is_as_large_as_the_body_text():
    """Shown frame_width_px() wide, the smallest text of a frame is at least BODY_TEXT_PX."""
    png, text_px = grad_norms_frame(np.logspace(-8, 0, 30), bound_factor=0.9, title="t")
    width = int.from_bytes(png[16:20], "big")                       # PNG IHDR width
    assert text_px * frame_width_px() / width >= BODY_TEXT_PX


def test_frame_function_default_title_and_zeros():
    fig, ax = plt.subplots()
    draw_grad_norms(ax, np.array([0.0, 1e-3, 1.0]))
    assert ax.get_title()                                # a default title
    plt.close(fig)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert grad_norms_png(np.zeros(5)).startswith(PNG_MAGIC)            # all paths cut
        assert grad_norms_png(np.array([np.inf, 1.0]), bound_factor=2.0).startswith(PNG_MAGIC)


def test_numerics_do_not_import_widgets():
    code = ("import sys, rnn_edu, rnn_edu.course.figures.gradients, rnn_edu.course.exercises.lesson04; "
            "print('ipywidgets' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# ---- the cell switch (lesson 07) ----

def test_cell_switch_is_labelled_and_starts_on_the_plain_rnn():
    e = gradient_explorer(seed=0)
    assert isinstance(e.cell, w.ToggleButtons) and tuple(e.cell.options) == ("rnn", "lstm", "gru")
    assert e.cell.value == "rnn" and e.cell.description == "cell" and len(e.cell.tooltips) == 3
    assert isinstance(e.gate_bias, w.BoundedFloatText) and e.gate_bias.description == "gate bias"
    assert e.gate_bias.tooltip and e.gate_bias.disabled and not e.radius.disabled
    assert e.cell in e.container.children
    assert e.cell_norms is None


@pytest.mark.parametrize("cell, bias, length", [("lstm", 1.0, 50), ("lstm", 5.0, 100), ("gru", 1.0, 80),
                                                ("gru", -2.0, 20)])
def test_gated_cells_show_hidden_grad_norms_of_their_weights(cell, bias, length):
    e = gradient_explorer(seed=0)
    e.set(cell=cell, gate_bias=bias, length=length)
    params = rnn_edu.init_params(4, 16, 4, seed=0, cell=cell)
    params.b_h[16:32] = bias                                   # the forget gate (LSTM) / update gate (GRU)
    _, xs, targets = explorer_problem(0)
    if cell == "lstm":
        h, c = rnn_edu.hidden_grad_norms(params, xs[:length], targets, cell_state=True)
        np.testing.assert_allclose(e.cell_norms, c, rtol=1e-9)
        assert "Cell state: ‖∂L/∂c<sub>1</sub>‖ / ‖∂L/∂c<sub>T</sub>‖ = " + f"{c[0] / c[-1]:.2e}" in e.readout.value
        assert "cell state dashed" in e.image.value
    else:
        h = rnn_edu.hidden_grad_norms(params, xs[:length], targets)
        assert e.cell_norms is None and "Cell state" not in e.readout.value
    np.testing.assert_allclose(e.norms, h, rtol=1e-9)
    assert _readout_ratio(e) == pytest.approx(h[0] / h[-1], rel=6e-3)
    assert f"σ({bias:.1f}) = {1 / (1 + np.exp(-bias)):.2f}" in e.readout.value
    assert "Upper bound" not in e.readout.value                 # no sigma_max bound for a non-square W_R
    assert e.radius.disabled and e.activation.disabled and not e.gate_bias.disabled
    alt = re.search(r"alt='([^']+)'", e.image.value).group(1)
    assert cell.upper() in alt and f"bias b_{'f' if cell == 'lstm' else 'z'} = {bias:.1f}" in alt


def test_a_larger_forget_bias_carries_the_signal_further():
    e = gradient_explorer(seed=0)
    ratios = []
    for bias in (0.0, 1.0, 5.0):
        e.set(cell="lstm", gate_bias=bias, length=100)
        ratios.append(e.norms[0] / e.norms[-1])
    assert ratios[0] < ratios[1] < ratios[2]


def test_switching_back_to_the_rnn_restores_its_frame():
    a, b = gradient_explorer(seed=0), gradient_explorer(seed=0)
    before = a.readout.value
    a.set(cell="gru", gate_bias=3.0)
    assert a.readout.value != before and a.png != b.png
    a.cell.value = "rnn"
    assert a.readout.value == before and a.png == b.png and a.cell_norms is None
    assert not a.radius.disabled and a.gate_bias.disabled


def test_gated_corners_run_without_warnings_or_open_figures():
    e = gradient_explorer(seed=0, cell="lstm")
    assert e.cell.value == "lstm"
    plt.close("all")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for cell in ("lstm", "gru"):
            for bias in (e.gate_bias.min, e.gate_bias.max):
                for length in (e.length.min, e.length.max):
                    e.set(cell=cell, gate_bias=bias, length=length)
                    assert e.png.startswith(PNG_MAGIC)
    assert plt.get_fignums() == []
