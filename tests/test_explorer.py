"""The gradient explorer (lesson 04), driven headless: sliders in, PNG and readout out."""
import re
import subprocess
import sys
import time
import warnings

import ipywidgets as w
import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

import rnn_edu
from rnn_edu.figures.gradients import X_LABEL, Y_LABEL, draw_grad_norms, grad_norms_png
from rnn_edu.widgets import gradient_explorer
from rnn_edu.widgets.explorer import GradientExplorer, classify, explorer_problem

matplotlib.use("Agg")
VIEW_KEY = "application/vnd.jupyter.widget-view+json"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def explorer():
    return gradient_explorer(seed=0)


def _set(explorer, radius, activation, length):
    explorer.radius.value = radius
    explorer.activation.value = activation
    explorer.length.value = length


def _readout_ratio(explorer):
    match = re.search(r"\|\|dL/dh_1\|\| / \|\|dL/dh_T\|\| = ([0-9.e+-]+)", explorer.readout.value)
    assert match, explorer.readout.value
    return float(match.group(1))


def _direct_norms(seed, radius, activation, length):
    """||dL/dh_t|| computed straight from rnn_edu's public functions, not through the widget."""
    params, xs, targets = explorer_problem(seed)
    params.W_R[...] = rnn_edu.scale_to_spectral_radius(params.W_R, radius)
    return rnn_edu.hidden_grad_norms(params, xs[:length], targets, activation=activation)


def test_structure_classes_and_stable_repr(explorer):
    assert isinstance(explorer, GradientExplorer)
    assert repr(explorer) == "<GradientExplorer>"
    bundle = explorer._repr_mimebundle_()
    assert bundle["text/plain"] == "<GradientExplorer>"
    assert bundle[VIEW_KEY]["model_id"] == explorer.container.model_id
    assert isinstance(explorer.container, w.VBox)
    assert "rnn-edu-explorer" in explorer.container._dom_classes
    assert "rnn-edu-explorer-plot" in explorer.image._dom_classes
    assert isinstance(explorer.radius, w.FloatSlider)
    assert isinstance(explorer.activation, w.ToggleButtons)
    assert tuple(explorer.activation.options) == ("tanh", "sigmoid", "relu")
    assert isinstance(explorer.length, w.IntSlider)
    assert isinstance(explorer.image, w.Image) and explorer.image.format == "png"
    assert isinstance(explorer.readout, w.HTML)
    assert not any(isinstance(c, w.Output) for c in explorer.container.children)


def test_exported_from_widgets_package():
    import rnn_edu.widgets as widgets
    assert widgets.gradient_explorer is gradient_explorer


@pytest.mark.parametrize("radius, activation, length", [
    (0.5, "tanh", 50), (2.5, "tanh", 100), (1.0, "sigmoid", 20), (2.0, "relu", 100), (0.1, "relu", 5)])
def test_readout_matches_hidden_grad_norms(explorer, radius, activation, length):
    _set(explorer, radius, activation, length)
    direct = _direct_norms(0, radius, activation, length)
    np.testing.assert_allclose(explorer.norms, direct, rtol=1e-9)
    assert _readout_ratio(explorer) == pytest.approx(direct[0] / direct[-1], rel=6e-3)   # 3 digits shown
    sigma = rnn_edu.largest_singular_value(rnn_edu.scale_to_spectral_radius(explorer.params.W_R, radius))
    assert f"sigma_max(W_R) = {sigma:.2f}" in explorer.readout.value
    assert f"gamma &middot; sigma_max = {rnn_edu.GAMMA[activation] * sigma:.2f}" in explorer.readout.value


def test_each_control_changes_image_and_readout(explorer):
    _set(explorer, 1.0, "tanh", 50)
    for control, value in [(explorer.radius, 2.0), (explorer.activation, "relu"), (explorer.length, 80)]:
        before_png, before_text = bytes(explorer.image.value), explorer.readout.value
        control.value = value
        assert bytes(explorer.image.value).startswith(PNG_MAGIC)
        assert bytes(explorer.image.value) != before_png
        assert explorer.readout.value != before_text


def test_verdicts_small_and_large_W_R(explorer):
    _set(explorer, 0.3, "tanh", 50)
    assert ": vanishing" in explorer.readout.value
    assert "vanishing is certain" in explorer.readout.value          # gamma sigma_max < 1
    _set(explorer, 2.5, "relu", 100)
    assert ": exploding" in explorer.readout.value
    assert "exploding is possible, not certain" in explorer.readout.value


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
    assert bytes(a.image.value) == bytes(b.image.value) and a.readout.value == b.readout.value
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
                    assert bytes(explorer.image.value).startswith(PNG_MAGIC)
    assert plt.get_fignums() == []          # callbacks never leave a pyplot figure to display


def test_redraw_is_fast(explorer):
    _set(explorer, 1.5, "tanh", 100)
    timings = []
    for _ in range(3):
        start = time.perf_counter()
        explorer.redraw()
        timings.append(time.perf_counter() - start)
    assert min(timings) < 0.3, timings


def test_frame_function_labels_and_png():
    fig, ax = plt.subplots()
    norms = np.logspace(-8, 0, 30)
    draw_grad_norms(ax, norms, bound_factor=0.9, title="a frame")
    assert ax.get_title() == "a frame"
    assert ax.get_xlabel() == X_LABEL == "time step t"
    assert ax.get_ylabel() == Y_LABEL == "||dL/dh_t|| (log scale)"
    assert ax.get_yscale() == "log"
    assert len(ax.get_lines()) == 2                      # the norms and the dashed bound
    plt.close(fig)
    png = grad_norms_png(norms, bound_factor=0.9, title="a frame")
    assert png.startswith(PNG_MAGIC)
    assert plt.get_fignums() == []


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
    code = ("import sys, rnn_edu, rnn_edu.figures.gradients, rnn_edu.exercises.lesson04; "
            "print('ipywidgets' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
