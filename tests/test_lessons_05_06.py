"""Exercise checkers of lessons 05 and 06, and their figure functions."""
import math

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import rnn_edu  # noqa: E402
from rnn_edu import clip_by_norm, global_norm  # noqa: E402
from rnn_edu.studies import cliff
from rnn_edu.data import delayed_echo_task  # noqa: E402
from rnn_edu.course.exercises import lesson05, lesson06  # noqa: E402
from rnn_edu.course.figures import clipping, longterm  # noqa: E402


# ---- lesson 05: clip by norm ----
def good_clip(grads, nu):
    n = global_norm(grads)
    s = nu / n if n > nu else 1.0
    return grads.map(lambda a: a * s)


def always_rescale(grads, nu):
    return grads.map(lambda a: a * nu / global_norm(grads))


def per_parameter(grads, nu):
    return grads.map(lambda a: a * nu / np.linalg.norm(a) if np.linalg.norm(a) > nu else a.copy())


def in_place(grads, nu):
    n = global_norm(grads)
    if n > nu:
        for a in grads.named_arrays().values():
            a *= nu / n
    return grads


def by_value(grads, nu):
    return rnn_edu.clip_by_value(grads, nu)


def upside_down(grads, nu):
    n = global_norm(grads)
    return grads.map(lambda a: a * n / nu) if n > nu else grads.copy()


@pytest.mark.parametrize("fn", [good_clip, lambda g, nu: clip_by_norm(g, nu)[0], lambda g, nu: clip_by_norm(g, nu)])
def test_lesson05_accepts_correct_answers(fn):
    result = lesson05.check_clip_by_norm(fn)
    assert result.passed, result.message


@pytest.mark.parametrize("fn, hint", [
    (always_rescale, "rescaled even below the threshold"),
    (per_parameter, "each parameter by its own norm"),
    (in_place, "changed its argument `grads` in place"),
    (by_value, "clip by value"),
    (upside_down, "upside down"),
    (lambda g, nu: 1 / 0, "ZeroDivisionError"),
    (lambda g, nu: g.flatten(), "RNNParams"),
])
def test_lesson05_names_the_mistake(fn, hint):
    result = lesson05.check_clip_by_norm(fn)
    assert not result.passed
    assert hint in result.message


def test_lesson05_rejects_non_callable():
    assert not lesson05.check_clip_by_norm(3).passed


# ---- lesson 06: steps until r^k < eps ----
def test_steps_below_reference_values():
    assert lesson06.steps_below(0.9, 1e-3) == 66
    assert 0.9 ** 65 >= 1e-3 > 0.9 ** 66
    assert lesson06.steps_below(0.5, 0.125) == 4


@pytest.mark.parametrize("fn", [lesson06.steps_below,
                                lambda r, e: math.floor(math.log(e) / math.log(r)) + 1])
def test_lesson06_accepts_correct_answers(fn):
    result = lesson06.check_steps_below(fn)
    assert result.passed, result.message


@pytest.mark.parametrize("fn, hint", [
    (lambda r, e: int(math.log(e) / math.log(r)), "off by one"),
    (lambda r, e: math.ceil(math.log(e) / math.log(r)), "strictly below"),
    (lambda r, e: math.log(e) / math.log(r), "expected an integer"),
    (lambda r, e: float(lesson06.steps_below(r, e)), "return an int"),
    (lambda r, e: 20, "0.9^20"),
    (lambda r, e: int(math.log(r) / math.log(e)), "upside down"),
    (lambda r, e: lesson06.steps_below(r, e) + 1, "one step too many"),
])
def test_lesson06_names_the_mistake(fn, hint):
    result = lesson06.check_steps_below(fn)
    assert not result.passed
    assert hint in result.message


# ---- figures ----
def _check(fig, n_axes_with_labels=1):
    assert isinstance(fig, matplotlib.figure.Figure)
    labelled = [ax for ax in fig.axes if ax.get_title() and ax.get_xlabel() and ax.get_ylabel()]
    assert len(labelled) >= n_axes_with_labels
    plt.close(fig)


def test_clipping_figures():
    g = cliff.pack_wb(4.0, 1.5)
    _check(clipping.plot_clip_vectors(cliff.unpack_wb(g), cliff.unpack_wb(clip_by_norm(g, 2.0)[0]),
                                      cliff.unpack_wb(rnn_edu.clip_by_value(g, 1.0)), 2.0, 1.0))
    ws, bs = np.linspace(2, 8, 13), np.linspace(-5, 0, 11)
    paths = {"plain": cliff.descend(4.58, -3.65, lr=2.0, steps=12),
             "clipped": cliff.descend(4.58, -3.65, lr=2.0, steps=12, clip_norm=0.25)}
    _check(clipping.plot_cliff(ws, bs, cliff.loss_surface(ws, bs), paths), n_axes_with_labels=2)
    xs, ys = delayed_echo_task(4, 6, seed=0)
    hist = rnn_edu.train(rnn_edu.init_params(4, 3, 4, seed=0), xs, ys, lr=0.1, epochs=3)
    _check(clipping.plot_training_losses({"run": hist}))
    _check(clipping.plot_norm_history(hist.norms_before, {"median": float(np.median(hist.norms_before))}))


def test_longterm_figures():
    _check(longterm.plot_accuracy_vs_gap([2, 5, 10], np.array([[1, 1], [0.9, 1], [0.5, 0.6]])))
    _check(longterm.plot_signal_to_cue({"gap 3": np.array([1e-3, 1e-2, 1e-1, 1.0, 1.0])}))
    _check(longterm.plot_path_factors({"forget gate": 0.99, "plain": 0.9}, steps=50))


def test_learning_curves_figure():
    recs = [{"gap": 5, "seed": s, "held_out_curve": [[100, 0.5], [200, 0.9 + 0.01 * s]]} for s in range(2)]
    _check(longterm.plot_learning_curves(recs, [5]))
