"""Lessons 03 and 04: exercise checkers, lesson figures, and what the notebooks embed."""
import json
import re
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

import rnn_edu
from rnn_edu.course import quiz
from rnn_edu.course.exercises.lesson03 import check_backward_step, example_step
from rnn_edu.course.exercises.lesson04 import W_EXAMPLE, check_gradient_bound, check_overflow_step
from rnn_edu.course.figures import bptt as bptt_figs
from rnn_edu.course.figures import gradients as grad_figs

matplotlib.use("Agg")
NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


# ---------------------------------------------------------------- lesson 03 exercise

def correct_step(dh_t, h_t, h_prev, x_t, W_F, W_R):
    da = dh_t * (1 - h_t ** 2)
    return da @ W_R, da.T @ h_prev


def _step(dh_prev, dW_R):
    """A learner's answer built from two formulas of (da, dh_t, h_t, h_prev, W_R)."""
    def backward_step(dh_t, h_t, h_prev, x_t, W_F, W_R):
        da = dh_t * (1 - h_t ** 2)
        env = dict(da=da, dh_t=dh_t, h_t=h_t, h_prev=h_prev, W_R=W_R, W_F=W_F, np=np)
        return eval(dh_prev, env), eval(dW_R, env)
    return backward_step


def test_backward_step_correct_answer_passes():
    result = check_backward_step(correct_step)
    assert result.passed, result.message
    assert repr(result).startswith("PASSED")


def test_example_step_is_consistent_with_step_backward():
    dh_t, h_t, h_prev, x_t, W_F, W_R = example_step(0)
    _, dh_prev, _, dW_R, _ = rnn_edu.step_backward(dh_t, h_t, h_prev, x_t, W_F, W_R, "tanh")
    np.testing.assert_allclose(correct_step(dh_t, h_t, h_prev, x_t, W_F, W_R)[0], dh_prev)
    np.testing.assert_allclose(correct_step(dh_t, h_t, h_prev, x_t, W_F, W_R)[1], dW_R)


@pytest.mark.parametrize("dh_prev, dW_R, expected", [
    ("da @ W_R", "da.T @ h_t", "should use h_{t-1}"),
    ("da @ W_R", "dh_t.T @ h_prev", "forgot f'(a_t)"),
    ("da @ W_R", "h_prev.T @ da", "transposed"),
    ("da @ W_R", "(dh_t * (1 - h_prev ** 2)).T @ h_prev", "must come from h_t"),
    ("da @ W_R", "(dh_t * (1 - h_t)).T @ h_prev", "squared"),
    ("da @ W_R", "(dh_t * (1 - np.tanh(h_t) ** 2)).T @ h_prev", "without applying tanh again"),
    ("da @ W_R", "da.T @ h_prev / 3", "don't average"),
    ("da @ W_R.T", "da.T @ h_prev", "not da @ W_R.T"),
    ("dh_t @ W_R", "da.T @ h_prev", "forgot f'(a_t)"),
    ("da @ W_F", "da.T @ h_prev", "shape"),
    ("da @ W_R + 1", "da.T @ h_prev", "differs from step_backward"),
])
def test_backward_step_names_the_wrong_term(dh_prev, dW_R, expected):
    result = check_backward_step(_step(dh_prev, dW_R))
    assert not result.passed
    assert expected in result.message
    assert ("dW_R" in result.message) or ("dh_prev" in result.message)


@pytest.mark.parametrize("answer, expected", [
    (lambda *a: 1 / 0, "raised ZeroDivisionError"),
    (lambda *a: None, "expected two arrays"),
    (lambda *a: (None, None), "fill in both"),
    (lambda *a: ("x", "y"), "numpy array of numbers"),
    (42, "expected a function"),
])
def test_backward_step_never_raises(answer, expected):
    result = check_backward_step(answer)
    assert not result.passed and expected in result.message


# ---------------------------------------------------------------- lesson 04 exercises

def test_gradient_bound_correct_passes():
    result = check_gradient_bound(lambda W, f, k: (rnn_edu.GAMMA[f] * np.linalg.norm(W, 2)) ** k)
    assert result.passed, result.message


def test_example_matrix_separates_the_norms():
    rho, sigma = rnn_edu.spectral_radius(W_EXAMPLE), rnn_edu.largest_singular_value(W_EXAMPLE)
    assert rho < sigma < np.linalg.norm(W_EXAMPLE)


@pytest.mark.parametrize("answer, expected", [
    (lambda W, f, k: (rnn_edu.GAMMA[f] * rnn_edu.spectral_radius(W)) ** k, "spectral radius"),
    (lambda W, f, k: (rnn_edu.GAMMA[f] * np.linalg.norm(W)) ** k, "Frobenius"),
    (lambda W, f, k: np.linalg.norm(W, 2) ** k, "left out gamma"),
    (lambda W, f, k: rnn_edu.GAMMA[f] * np.linalg.norm(W, 2) ** k, "raised to the power k"),
    (lambda W, f, k: (rnn_edu.GAMMA[f] * np.linalg.norm(W, 2)) ** (k - 1), "not k - 1"),
    (lambda W, f, k: 1.0, "expected (gamma * sigma_max)^k"),
    (lambda W, f, k: None, "expected a number"),
    (lambda W, f, k: 1 / 0, "raised ZeroDivisionError"),
    ("not a function", "expected a function"),
])
def test_gradient_bound_names_the_mistake(answer, expected):
    result = check_gradient_bound(answer)
    assert not result.passed and expected in result.message


@pytest.mark.parametrize("dtype, step", [("uint32", 10), ("int32", 10), ("float32", 39), ("float64", 309)])
def test_overflow_step_correct(dtype, step):
    assert check_overflow_step(dtype, step).passed
    assert rnn_edu.overflow_step(10, dtype) == step


@pytest.mark.parametrize("dtype, answer, expected", [
    ("uint32", 9, "still fits"), ("uint32", 32, "number of bits"), ("uint32", 11, "too late"),
    ("uint32", 3, "too early"), ("float32", 10, "4-byte integer"), ("float32", 38, "still fits"),
    ("float32", 128, "not by 2"), ("float32", "39", "whole number"), ("float16", 5, "dtype"),
    ("uint32", True, "whole number"),
])
def test_overflow_step_hints(dtype, answer, expected):
    result = check_overflow_step(dtype, answer)
    assert not result.passed and expected in result.message


def test_overflow_messages_use_exact_integer_maximum():
    assert "4,294,967,295" in check_overflow_step("uint32", 9).message


# ---------------------------------------------------------------- figures

def _assert_labelled(fig):
    assert fig.axes
    for ax in fig.axes:
        assert ax.get_title() or fig._suptitle is not None
        assert ax.get_xlabel()
    assert any(ax.get_ylabel() for ax in fig.axes)
    plt.close(fig)


def test_lesson_figures_have_titles_and_labels():
    _assert_labelled(bptt_figs.lookback_figure(12, 4))
    _assert_labelled(bptt_figs.truncation_error_figure([1, 2, 3], [0.5, 0.1, 0.01], dependency=2))
    _assert_labelled(grad_figs.activation_slopes_figure())
    _assert_labelled(grad_figs.power_decay_figure({"0.9": 0.9}))
    _assert_labelled(grad_figs.jacobian_norms_figure({"a": np.array([1.0, 0.5])}, {"a": 0.9}))
    _assert_labelled(grad_figs.grad_norms_figure({"a": np.array([1e-3, 1.0])}))


@pytest.mark.parametrize("T, k", [(12, 4), (10, 3), (5, 5), (7, 1)])
def test_lookback_masks(T, k):
    a, b = bptt_figs.lookback_kstep(T, k), bptt_figs.lookback_windows(T, k)
    t = np.arange(1, T + 1)
    np.testing.assert_array_equal(a.sum(axis=1), np.minimum(t, k))        # L_t reaches min(t, k) steps
    np.testing.assert_array_equal(b.sum(axis=1), (t - 1) % k + 1)          # back to its window's start
    assert np.all(np.triu(a, 1) == 0) and np.all(np.triu(b, 1) == 0)     # never into the future
    np.testing.assert_array_equal(bptt_figs.lookback_kstep(T, T), np.tril(np.ones((T, T))))


def test_window_gradient_with_carried_state_is_exact():
    """Lesson 03's windows: bptt on a slice with h0 = the previous window's h_last (a constant)
    is the exact gradient of that window's loss, as finite differences confirm."""
    from rnn_edu.data import delayed_echo_task
    xs, y = delayed_echo_task(batch=2, steps=6, n_symbols=3, delay=1, seed=0)
    p = rnn_edu.init_params(3, 4, 3, seed=0)
    h = rnn_edu.forward(p, xs[:3]).h_last
    check = rnn_edu.gradient_check(p, xs[3:], y[3:], h)
    assert check.passed(1e-6)


def test_power_decay_numbers_in_lesson_04():
    assert 0.9 ** 20 == pytest.approx(0.1216, abs=1e-4)
    assert next(k for k in range(1, 1000) if 0.9 ** k < 1e-3) == 66
    assert int(rnn_edu.repeated_products(10, "uint32", 12)[9]) == 1410065408


# ---------------------------------------------------------------- the notebooks

def _cells(name):
    return json.loads((NOTEBOOKS / name).read_text())["cells"]


def _quiz_ids(cells):
    ids = []
    for c in cells:
        if c["cell_type"] == "code":
            ids += re.findall(r'quiz\.show\("([^"]+)"\)', "".join(c["source"]))
    return ids


@pytest.mark.parametrize("name, lesson, required", [
    ("03_backprop_through_time.ipynb", "03", []),
    ("04_vanishing_exploding.ipynb", "04",
     ["vanishing-not-true", "exploding-4-byte-overflow", "exploding-float32-overflow"]),
])
def test_notebook_quizzes_objectives_summary(name, lesson, required):
    cells = _cells(name)
    ids = _quiz_ids(cells)
    bank = {q.id for q in quiz.lesson_questions(lesson)}
    assert len(ids) >= 3 and set(ids) <= bank
    assert set(required) <= set(ids)
    assert "By the end of this lesson" in "".join(cells[0]["source"])
    assert "## Summary" in "".join(cells[-1]["source"])
    assert "use_course_style()" in "".join(cells[1]["source"])


def test_four_byte_quiz_is_alone_in_its_cell():
    sources = ["".join(c["source"]).strip() for c in _cells("04_vanishing_exploding.ipynb")
               if c["cell_type"] == "code"]
    assert 'quiz.show("exploding-4-byte-overflow")' in sources


@pytest.mark.parametrize("name, checker", [("03_backprop_through_time.ipynb", "check_backward_step"),
                                           ("04_vanishing_exploding.ipynb", "check_gradient_bound")])
def test_notebooks_ship_a_passing_exercise(name, checker):
    for c in _cells(name):
        src = "".join(c["source"])
        if c["cell_type"] == "code" and checker + "(" in src and "import" not in src:
            outputs = c.get("outputs", [])
            if outputs:
                text = "".join(outputs[0]["data"]["text/plain"])
                if text.startswith("PASSED"):
                    return
    pytest.fail(f"{name}: no executed cell shows {checker} passing")


def test_an_unrecognised_backward_step_is_told_where_to_look_not_the_answer():
    """A wrong step that matches no known slip gets the size of the difference and a pointer to the
    lesson and the hints, not the derivative the exercise asks for (issue 18)."""
    message = check_backward_step(_step("da @ W_R + 1", "da.T @ h_prev")).message
    assert "differs from step_backward" in message and "hints below" in message
    for giveaway in ("1 - h_t**2", "da @ W_R", "da.T @ h_prev"):
        assert giveaway not in message, message
