"""Notation the learner sees (issue 22, item 6): a checker's hint quotes what the learner wrote or
names the expected shapes, never an expression the learner did not write; an option's hover
text is never raw LaTeX."""
import re

import numpy as np
import pytest

from rnn_edu.course.exercises import forward, lesson07

# an expression with W_F and x_t in the order the learner did NOT write: x_t @ W_F without .T
OTHER_ORDER = re.compile(r"x_t @ W_F(?!\.T)")


def forward_step(x_t, h_prev, W_F, W_R, b_h):
    return np.tanh(W_F @ x_t + W_R @ h_prev + b_h)


def lstm_step_forward(x_t, h_prev, c_prev, W_F, W_R, b_h):
    a = W_F @ x_t + W_R @ h_prev + b_h
    H = h_prev.shape[1]
    c = c_prev * a[:, H:2 * H] + a[:, :H] * a[:, 2 * H:3 * H]
    return a[:, 3 * H:] * np.tanh(c), c


@pytest.mark.parametrize("check, fn", [(forward.check_forward_step, forward_step),
                                       (lesson07.check_lstm_step_forward, lstm_step_forward)])
def test_the_hint_for_w_f_at_x_t_quotes_the_learner_s_line(check, fn):
    message = check(fn).message
    assert "W_F @ x_t" in message, message                      # the learner's own line, quoted
    assert not OTHER_ORDER.search(message), f"the hint talks about x_t @ W_F: {message}"
    assert "x_t (3, " in message and "W_F (" in message          # the shapes the learner was given
    assert "(B, H)" in message or "(B, 4H)" in message           # the shape each term must have


def test_without_source_the_hint_still_names_the_shapes():
    namespace = {"np": np}
    exec("def forward_step(x_t, h_prev, W_F, W_R, b_h):\n    return np.tanh(W_F @ x_t + W_R @ h_prev + b_h)\n",
         namespace)
    message = forward.check_forward_step(namespace["forward_step"]).message
    assert message.split(": ", 1)[1].startswith("the shapes do not line up. The arguments are"), message
    assert not OTHER_ORDER.search(message), message
    assert "x_t (3, 2)" in message and "W_F (4, 2)" in message, message


def test_a_transposed_result_is_described_by_its_shape():
    def transposed(x_t, h_prev, W_F, W_R, b_h):
        return np.tanh(W_F @ x_t.T + W_R @ h_prev.T + b_h[:, None])
    message = forward.check_forward_step(transposed).message
    assert "transpose of the expected (B, H)" in message and "W_F @ x_t.T" not in message, message
