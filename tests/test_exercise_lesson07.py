"""Lesson 07 exercise: one LSTM step forward, its checker and every hint it gives."""
import numpy as np
import pytest

from rnn_edu.activations import sigmoid
from rnn_edu.cells import lstm
from rnn_edu.course.exercises import use_yours_or_library
from rnn_edu.course.exercises.lesson07 import (check_lstm_step_forward, example, library_lstm_step_forward)


def make_step(order="ifgo", gates=sigmoid, cand=np.tanh, cell=None, out=None, swap=False, transpose=False):
    """A learner's LSTM step with one chosen mistake."""
    def lstm_step_forward(x_t, h_prev, c_prev, W_F, W_R, b_h):
        H = h_prev.shape[1]
        a = x_t @ (W_F if transpose else W_F.T) + h_prev @ W_R.T + b_h
        blocks = {name: a[:, k * H:(k + 1) * H] for k, name in enumerate(order)}
        i, f, g, o = gates(blocks["i"]), gates(blocks["f"]), cand(blocks["g"]), gates(blocks["o"])
        c = cell(i, f, g, c_prev) if cell else f * c_prev + i * g
        h = out(o, c, c_prev) if out else o * np.tanh(c)
        return (c, h) if swap else (h, c)
    return lstm_step_forward


def correct(x_t, h_prev, c_prev, W_F, W_R, b_h):
    H = h_prev.shape[1]
    a = x_t @ W_F.T + h_prev @ W_R.T + b_h
    i, f, g, o = sigmoid(a[:, :H]), sigmoid(a[:, H:2 * H]), np.tanh(a[:, 2 * H:3 * H]), sigmoid(a[:, 3 * H:])
    c = f * c_prev + i * g
    return o * np.tanh(c), c


def test_the_reference_is_the_library_step():
    args = example(0)
    h, c, _ = lstm.step_forward(*args)
    np.testing.assert_allclose(library_lstm_step_forward(*args)[0], h)
    np.testing.assert_allclose(correct(*args)[0], h, rtol=1e-12)
    np.testing.assert_allclose(correct(*args)[1], c, rtol=1e-12)


@pytest.mark.parametrize("fn", [correct, make_step(), library_lstm_step_forward])
def test_correct_answers_pass(fn):
    result = check_lstm_step_forward(fn)
    assert result.passed, result.message
    assert repr(result).startswith("PASSED")


@pytest.mark.parametrize("fn, hint", [
    (make_step(order="figo"), "gate order"),
    (make_step(order="ifog"), "you read them as i, f, o, g"),
    (make_step(order="gifo"), "gate order"),
    (make_step(cand=sigmoid), "the candidate g_t uses tanh"),
    (make_step(gates=np.tanh), "the gates i, f, o use the sigmoid"),
    (make_step(gates=np.tanh, cand=sigmoid), "swapped"),
    (make_step(cell=lambda i, f, g, c: c + i * g), "the forget gate is missing"),
    (make_step(cell=lambda i, f, g, c: f * c + g), "the input gate is missing"),
    (make_step(cell=lambda i, f, g, c: i * g), "c_prev is missing"),
    (make_step(cell=lambda i, f, g, c: f * c + (1 - f) * g), "not by 1 - f_t"),
    (make_step(cell=lambda i, f, g, c: f * c * i * g), "a sum of two terms"),
    (make_step(out=lambda o, c, cp: o * c), "the tanh of the cell is missing"),
    (make_step(out=lambda o, c, cp: np.tanh(o * c)), "not tanh(o_t * c_t)"),
    (make_step(out=lambda o, c, cp: o * np.tanh(cp)), "not c_prev"),
    (make_step(out=lambda o, c, cp: np.tanh(c)), "the output gate is missing"),
    (make_step(out=lambda o, c, cp: sigmoid(o * c)), "with tanh, not a sigmoid"),
    (make_step(out=lambda o, c, cp: 0.5 * o * np.tanh(c)), "c_t is right but h_t is not"),
    (make_step(cell=lambda i, f, g, c: f * c + i * g + 0.1), "c_t differs from rnn_edu's"),
    (make_step(swap=True), "h_t and c_t are swapped"),
    (make_step(transpose=True), "the shapes do not line up"),
    (lambda *a: correct(*a)[0], "expected two arrays (h_t, c_t)"),
    (lambda *a: (*correct(*a), None), "got 3 values"),
    (lambda *a: (None, correct(*a)[1]), "returned None"),
    (lambda *a: (correct(*a)[0].T, correct(*a)[1]), "h_t has shape (2, 3), expected (B, H) = (3, 2)"),
    (lambda *a: 1 / 0, "ZeroDivisionError"),
])
def test_each_mistake_gets_its_hint(fn, hint):
    result = check_lstm_step_forward(fn)
    assert not result.passed
    assert hint in result.message, result.message


def test_the_fallback_message_points_to_the_hints_without_the_formula():
    message = check_lstm_step_forward(make_step(cell=lambda i, f, g, c: f * c + i * g + 0.1)).message
    assert "the hints below" in message, message
    assert not [bit for bit in ["c_t = f", "o * tanh", "x_t @ W_F.T", "f * c_prev"] if bit in message], message


def test_the_stub_and_non_functions():
    def lstm_step_forward(x_t, h_prev, c_prev, W_F, W_R, b_h):
        raise NotImplementedError()
    result = check_lstm_step_forward(lstm_step_forward)
    assert not result.passed and result.stub and "write `lstm_step_forward` above" in result.message
    assert "expected a function" in check_lstm_step_forward(3).message


def test_inputs_are_not_mutated_and_the_fallback_picks(capsys):
    def sloppy(x_t, h_prev, c_prev, W_F, W_R, b_h):
        h, c = correct(x_t, h_prev, c_prev, W_F, W_R, b_h)
        c_prev *= 0            # the course's one rule: inputs are left as they were (lesson 01)
        return h, c
    result = check_lstm_step_forward(sloppy)
    assert not result.passed and "changed its argument `c_prev` in place" in result.message
    chosen = use_yours_or_library(correct, check_lstm_step_forward, library_lstm_step_forward)
    assert chosen.__wrapped__ is correct          # yours, its result read as the checker reads it
    bad = make_step(order="figo")
    assert use_yours_or_library(bad, check_lstm_step_forward, library_lstm_step_forward) is library_lstm_step_forward
    out = capsys.readouterr().out
    assert "Using your correct." in out and "does not pass its check yet" in out
