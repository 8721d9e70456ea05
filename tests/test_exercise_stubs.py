"""The learner edition's stub (`raise NotImplementedError()`, nbgrader's code stub) never gives a
traceback: every checker answers "Not yet: write `name` above", and use_yours_or_library falls back
to rnn_edu's function, saying so in one line."""
import numpy as np
import pytest

import rnn_edu
from rnn_edu.course.exercises import ExerciseResult, use_yours_or_library
from rnn_edu.course.exercises import (bptt, forward, gradcheck, lesson00, lesson01, lesson02, lesson03,
                               lesson04, lesson05, lesson06, lesson07, lesson08, loss, training)


def make_stub(name):
    """What nbgrader's ClearSolutions leaves of a solution: the def line and the stub."""
    namespace = {}
    exec(f"def {name}(*args, **kwargs):\n    # YOUR CODE HERE\n    raise NotImplementedError()", namespace)
    return namespace[name]


FUNCTION_CHECKERS = [
    (forward.check_forward_step, "forward_step"),
    (forward.check_rnn_forward, "rnn_forward"),
    (loss.check_softmax_cross_entropy, "softmax_cross_entropy"),
    (lesson03.check_backward_step, "backward_step"),
    (bptt.check_rnn_backward, "rnn_backward"),
    (gradcheck.check_numerical_gradient, "numerical_gradient"),
    (gradcheck.check_relative_error, "relative_error"),
    (lesson05.check_clip_by_norm, "my_clip_by_norm"),
    (training.check_train_on_windows, "train_on_windows"),
    (lesson01.check_sgd_update, "my_sgd_update"),
    (lesson01.check_windows, "my_windows"),
    (lesson02.check_count_params, "my_count_params"),
    (lesson04.check_gradient_bound, "gradient_bound"),
    (lesson06.check_steps_below, "steps_below"),
    (lesson07.check_lstm_step_forward, "lstm_step_forward"),
    (lesson07.check_lstm_step_backward, "lstm_step_backward"),
    (lesson07.check_gru_step_forward, "gru_step_forward"),
    (lesson08.check_build_vocab, "build_vocab"),
    (lesson08.check_loss_per_char, "loss_per_char"),
    (lesson08.check_sequential_windows, "sequential_windows"),
    (lesson08.check_adam_step, "adam_step"),
    (lesson08.check_temperature_probs, "temperature_probs"),
]

VALUE_CHECKERS = [
    (lambda answer: lesson00.check_shapes(answer), "my_shapes"),
    (lambda answer: lesson02.check_param_count(answer, 27, [64, 32], 27), "param_count"),
    (lambda answer: lesson04.check_overflow_step("uint32", answer), "overflow_step"),
]


@pytest.mark.parametrize("checker, name", FUNCTION_CHECKERS + VALUE_CHECKERS,
                         ids=[n for _, n in FUNCTION_CHECKERS + VALUE_CHECKERS])
def test_a_stub_gets_not_yet_write_it_above(checker, name):
    result = checker(make_stub(name))
    assert isinstance(result, ExerciseResult)
    assert not result.passed and result.stub
    assert result.message == f"write `{name}` above, then run its cell and this one again."
    assert repr(result).startswith("NOT YET: write `")
    assert "Not yet:</b> write `" + name in result._repr_html_()
    assert "Traceback" not in result.message and "NotImplementedError" not in result.message


def test_a_stub_helper_is_named_rather_than_its_caller():
    """rnn_forward calling the learner's unwritten forward_step: write forward_step first."""
    forward_step = make_stub("forward_step")

    def rnn_forward(xs, h0, W_F, W_R, b_h):
        return np.stack([forward_step(x, h0, W_F, W_R, b_h) for x in xs])
    result = forward.check_rnn_forward(rnn_forward)
    assert result.stub and result.message.startswith("write `forward_step` above")


def test_other_exceptions_still_name_the_exception():
    def forward_step(*args):
        raise KeyError("oops")
    result = forward.check_forward_step(forward_step)
    assert not result.passed and not result.stub
    assert "your code raised KeyError" in result.message


def test_value_checkers_accept_a_function_returning_the_value():
    assert lesson00.check_shapes(lambda: {"xs": (10, 4, 3), "hs": (10, 4, 8), "zs": (10, 4, 2)}).passed
    assert lesson02.check_param_count(lambda: rnn_edu.count_params(27, [64, 32], 27), 27, [64, 32], 27).passed
    assert not lesson02.check_param_count(lambda: rnn_edu.count_params(27, [64, 32], 27) - 1, 27, [64, 32], 27).passed
    assert lesson04.check_overflow_step("uint32", lambda: 10).passed
    assert "raised ZeroDivisionError" in lesson04.check_overflow_step("uint32", lambda: 1 / 0).message


# ---------------------------------------------------------------- use_yours_or_library

def good_step(x_t, h_prev, W_F, W_R, b_h):
    return np.tanh(x_t @ W_F.T + h_prev @ W_R.T + b_h)


def test_a_passing_function_is_used(capsys):
    chosen = use_yours_or_library(good_step, forward.check_forward_step, forward.library_forward_step,
                                  "forward_step")
    assert chosen.__wrapped__ is good_step         # yours, its result read as its checker reads it
    assert capsys.readouterr().out == "Using your forward_step.\n"


def test_a_stub_falls_back_to_the_library_in_one_line(capsys):
    chosen = use_yours_or_library(make_stub("forward_step"), forward.check_forward_step,
                                  forward.library_forward_step)
    assert chosen is forward.library_forward_step
    assert capsys.readouterr().out == "Your forward_step is not written yet; using rnn_edu's instead.\n"


def test_a_wrong_function_falls_back_to_the_library(capsys):
    def forward_step(x_t, h_prev, W_F, W_R, b_h):
        return np.tanh(x_t @ W_F.T + h_prev @ W_R + b_h)
    chosen = use_yours_or_library(forward_step, forward.check_forward_step, forward.library_forward_step)
    assert chosen is forward.library_forward_step
    out = capsys.readouterr().out
    assert out == "Your forward_step does not pass its check yet; using rnn_edu's instead.\n"


def test_fallback_never_raises_even_if_the_checker_does(capsys):
    def broken_checker(fn):
        raise RuntimeError("checker bug")
    chosen = use_yours_or_library(good_step, broken_checker, rnn_edu.step_forward, "forward_step")
    assert chosen is rnn_edu.step_forward
    assert capsys.readouterr().out.count("\n") == 1


@pytest.mark.parametrize("checker, library", [
    (forward.check_forward_step, forward.library_forward_step),
    (forward.check_rnn_forward, forward.library_rnn_forward),
    (loss.check_softmax_cross_entropy, loss.library_softmax_cross_entropy),
    (bptt.check_rnn_backward, bptt.library_rnn_backward),
    (gradcheck.check_relative_error, gradcheck.library_relative_error),
    (lesson05.check_clip_by_norm, lesson05.library_clip_by_norm),
    (lesson03.check_backward_step, lesson03.library_backward_step),
    (lesson01.check_windows, lesson01.library_windows),
    (lesson02.check_count_params, rnn_edu.count_params),
    (lesson04.check_gradient_bound, lesson04.bound),
    (lesson06.check_steps_below, lesson06.steps_below),
    (gradcheck.check_numerical_gradient, gradcheck.library_numerical_gradient),
    (training.check_train_on_windows, training.library_train_on_windows),
    (lesson07.check_lstm_step_forward, lesson07.library_lstm_step_forward),
    (lesson07.check_lstm_step_backward, lesson07.library_lstm_step_backward),
    (lesson07.check_gru_step_forward, lesson07.library_gru_step_forward),
    (lesson08.check_build_vocab, lesson08.library_build_vocab),
    (lesson08.check_loss_per_char, lesson08.library_loss_per_char),
    (lesson08.check_sequential_windows, lesson08.library_sequential_windows),
    (lesson08.check_adam_step, lesson08.library_adam_step),
    (lesson08.check_temperature_probs, lesson08.library_temperature_probs),
])
def test_every_library_fallback_passes_its_own_checker(checker, library):
    """A fallback must be a drop-in for the learner's function: same signature, same results."""
    result = checker(library)
    assert result.passed, result.message
