"""Lessons 00-02: the environment check, the exercise checkers and the figure functions."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from rnn_edu import count_params  # noqa: E402
from rnn_edu.course.env_check import REQUIREMENTS, check_environment, version_tuple  # noqa: E402
from rnn_edu.course.exercises.lesson01 import check_sgd_update, check_windows  # noqa: E402
from rnn_edu.course.exercises.lesson02 import check_count_params, check_param_count  # noqa: E402
from rnn_edu.course.figures.curves import plot_curves, plot_per_step  # noqa: E402
from rnn_edu.course.figures.unrolled import LOCAL_COLOUR, RECURRENT_COLOUR, draw_unrolled  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


# ---------------------------------------------------------------- environment check (lesson 00)

def test_environment_check_passes_here_and_prints_no_exact_versions():
    report = check_environment()
    assert report.ok, str(report)
    text = str(report)
    assert text.count(" ok (>= ") == len(REQUIREMENTS)
    assert "All set" in text
    assert np.__version__ not in text                      # stable across machines
    assert report.versions()["numpy"] == np.__version__
    assert repr(report) == "<EnvReport: ok>"


def test_missing_and_old_packages_are_named_with_fixes():
    fake = {"numpy": None, "ipywidgets": "7.7.1"}
    report = check_environment(version_of=lambda dist: fake.get(dist, "99.0"))
    assert not report.ok
    assert [p.name for p in report.problems] == ["numpy", "ipywidgets"]
    text = str(report)
    assert "numpy ......... MISSING (needs >= 1.24)" in text
    assert "ipywidgets .... TOO OLD (needs >= 8.0)" in text
    assert "make lab" in text and "conda env create -f environment.yml" in text
    assert repr(report) == "<EnvReport: 2 problem(s)>"


def test_version_tuple_reads_leading_numbers():
    assert version_tuple("1.24.3") == (1, 24, 3)
    assert version_tuple("8.1.9rc1") == (8, 1, 9)
    assert version_tuple("2.0.0+local.1") == (2, 0, 0)
    assert version_tuple("3.10") > version_tuple("3.9")


# ---------------------------------------------------------------- lesson 01 exercises

def test_sgd_update_correct_answer_passes():
    assert check_sgd_update(lambda W, dW, lr: W - lr * dW).passed


def test_sgd_update_in_place_answer_is_refused_by_the_course_s_one_rule():
    """Issue 22: W -= lr * dW changes the caller's W; lesson 05's checker refused it, lesson 01's
    passed it. One rule now (tests/test_exercise_rules.py checks every checker)."""
    def in_place(W, dW, lr):
        W -= lr * dW
        return W
    result = check_sgd_update(in_place)
    assert not result.passed and "changed its argument `W` in place" in result.message


@pytest.mark.parametrize("fn, hint", [
    (lambda W, dW, lr: W + lr * dW, "sign is flipped"),
    (lambda W, dW, lr: W - dW, "learning rate is missing"),
    (lambda W, dW, lr: -lr * dW, "only the step"),
    (lambda W, dW, lr: W, "unchanged"),
    (lambda W, dW, lr: W - dW / lr, "divided by lr"),
    (lambda W, dW, lr: W - 0.1 * dW, "use the argument lr"),
    (lambda W, dW, lr: None, "forget the `return`"),
    (lambda W, dW, lr: (W - lr * dW).ravel(), "shape"),
    (lambda W, dW, lr: 1 / 0, "raised ZeroDivisionError"),
])
def test_sgd_update_wrong_answers_get_specific_hints(fn, hint):
    result = check_sgd_update(fn)
    assert not result.passed
    assert hint in result.message
    assert repr(result).startswith("NOT YET: ")


def test_sgd_update_not_a_function():
    result = check_sgd_update(0.1)
    assert not result.passed and "expected a function" in result.message


def _windows(T, s):
    return [(a + 1, min(a + s, T)) for a in range(0, T, s)]


def test_windows_correct_answer_passes():
    assert check_windows(_windows).passed


@pytest.mark.parametrize("fn, hint", [
    (lambda T, s: [(a, min(a + s, T)) for a in range(0, T, s)], "from 1"),
    (lambda T, s: [(a + 1, a + s) for a in range(0, T - s + 1, s)], "last, shorter window"),
    (lambda T, s: [(a + 1, a + s) for a in range(0, T - s + 1)], "slide by one"),
    (lambda T, s: [(1, s)] + [(a, min(a + s, T)) for a in range(s, T, s)], "share a token"),
    (lambda T, s: [(a + 1, a + s) for a in range(0, T, s)], "clip the last one"),
    (lambda T, s: None, "forget the `return`"),
    (lambda T, s: 5, "list of (first, last) pairs"),
])
def test_windows_wrong_answers_get_specific_hints(fn, hint):
    result = check_windows(fn)
    assert not result.passed
    assert hint in result.message


# ---------------------------------------------------------------- lesson 02 exercises

def _count(D, sizes, O):
    total, below = 0, D
    for H in sizes:
        total += H * below + H * H + H
        below = H
    return total + O * below + O


def test_count_params_correct_answer_passes():
    assert check_count_params(_count).passed
    assert check_count_params(lambda D, Hs, O: count_params(D, Hs, O)).passed


@pytest.mark.parametrize("fn, hint", [
    (lambda D, Hs, O: _count(D, Hs, O) - sum(Hs) - O, "forgot the biases"),
    (lambda D, Hs, O: _count(D, Hs, O) - sum(Hs), "hidden biases b_h are missing"),
    (lambda D, Hs, O: _count(D, Hs, O) - O, "output bias b_o is missing"),
    (lambda D, Hs, O: sum(H * D + H * H + H for H in Hs) + O * Hs[-1] + O, "reads the H units of the layer below"),
    (lambda D, Hs, O: _count(D, Hs, O) - sum(H * H for H in Hs), "W_R are missing"),
    (lambda D, Hs, O: _count(D, Hs, O) - O * Hs[-1] - O, "output layer"),
    (lambda D, Hs, O: _count(D, Hs, O) - O * Hs[-1] + O * Hs[0], "sits on the last layer"),
    (lambda D, Hs, O: _count(D, Hs, O) + 1, "expected a different total"),
    (lambda D, Hs, O: "725", "expected a whole number"),
    (lambda D, Hs, O: None, "forget the `return`"),
])
def test_count_params_wrong_answers_get_specific_hints(fn, hint):
    result = check_count_params(fn)
    assert not result.passed
    assert hint in result.message


def test_param_count_for_one_architecture():
    assert check_param_count(1545, 10, [20, 20], 5).passed
    assert check_param_count(1545.0, 10, [20, 20], 5).passed
    assert check_param_count(725, 10, 20, 5).passed
    assert "forgot the biases" in check_param_count(700, 10, 20, 5).message
    assert "layer below" in check_param_count(1345, 10, [20, 20], 5).message
    assert "whole number" in check_param_count(1545.5, 10, [20, 20], 5).message
    assert "whole number" in check_param_count(True, 10, [20, 20], 5).message


# ---------------------------------------------------------------- figures

def _labelled(fig):
    ax = fig.axes[0]
    assert isinstance(fig, matplotlib.figure.Figure)
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    return ax


def test_draw_unrolled_has_labels_legend_and_both_gradient_colours():
    fig = draw_unrolled(steps=4)
    ax = _labelled(fig)
    assert ax.get_xlabel() == "time step t"
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert len(labels) == 3 and any("W_R" in s for s in labels) and any("W_O" in s for s in labels)
    colours = {matplotlib.colors.to_hex(p.get_edgecolor()) for p in ax.patches}
    assert LOCAL_COLOUR in colours and RECURRENT_COLOUR in colours
    texts = {t.get_text() for t in ax.texts}
    assert {"$x_{1}$", "$h_{n}$", "$y_{n}$", "$E_n$"} <= texts


def test_draw_unrolled_without_gradients_and_bad_steps():
    ax = _labelled(draw_unrolled(steps=3, show_gradients=False))
    assert ax.get_legend() is None
    for bad in (1, 9, 2.5, "4"):
        with pytest.raises(ValueError, match="steps"):
            draw_unrolled(steps=bad)


def test_plot_curves_labels_and_legend():
    fig = plot_curves({"a": [3, 2, 1], "b": [1, 2, 3]}, title="T", xlabel="update (window)",
                      ylabel="loss (nats)", logy=True, start=0)
    ax = _labelled(fig)
    assert ax.get_xlabel() == "update (window)" and ax.get_ylabel() == "loss (nats)"
    assert ax.get_yscale() == "log" and len(ax.get_legend().get_texts()) == 2
    assert list(ax.lines[0].get_xdata()) == [0, 1, 2]
    with pytest.raises(ValueError, match="curves"):
        plot_curves({}, title="T", xlabel="x", ylabel="y")
    with pytest.raises(ValueError, match="1-D"):
        plot_curves({"a": [[1, 2]]}, title="T", xlabel="x", ylabel="y")


def test_plot_per_step_bars_and_checks():
    fig = plot_per_step({"a": [1.0, 0.5, 0.25], "b": [2.0, 1.0, 0.5]}, title="T", ylabel="norm", start=2)
    ax = _labelled(fig)
    assert ax.get_xlabel() == "time step t"
    assert list(ax.get_xticks()) == [2, 3, 4] and len(ax.patches) == 6
    with pytest.raises(ValueError, match="equal lengths"):
        plot_per_step({"a": [1.0], "b": [1.0, 2.0]}, title="T", ylabel="y")
    with pytest.raises(ValueError, match="log axis"):
        plot_per_step({"a": [0.0, 1.0]}, title="T", ylabel="y")
    assert _labelled(plot_per_step({"a": [0.0, 1.0]}, title="T", ylabel="y", logy=False))


def test_an_unrecognised_count_is_not_given_the_formula():
    """Issue 18: the fallback message points to the shapes and the hints, not to H D + H^2 + H."""
    message = check_count_params(lambda D, Hs, O: _count(D, Hs, O) + 1).message
    assert "hints below" in message
    for giveaway in ("H_l D_l", "H_l^2", "O H_L"):
        assert giveaway not in message, message
