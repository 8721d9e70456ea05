"""Build-it-yourself checkers, forward pass and loss: the right answer passes, each known mistake
gets its own hint (each wrong version below is written the way a learner would write it)."""
import numpy as np
import pytest

import rnn_edu
from rnn_edu.course.exercises.forward import (check_forward_step, check_rnn_forward, example,
                                       library_forward_step, library_rnn_forward)
from rnn_edu.course.exercises.loss import check_softmax_cross_entropy, library_softmax_cross_entropy


# ---------------------------------------------------------------- forward_step

def step(x_t, h_prev, W_F, W_R, b_h):
    return np.tanh(x_t @ W_F.T + h_prev @ W_R.T + b_h)


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


STEP_MISTAKES = {
    "W_R is transposed": lambda x, h, WF, WR, b: np.tanh(x @ WF.T + h @ WR + b),
    "activation is missing": lambda x, h, WF, WR, b: x @ WF.T + h @ WR.T + b,
    "not the sigmoid": lambda x, h, WF, WR, b: sigmoid(x @ WF.T + h @ WR.T + b),
    "bias b_h is missing": lambda x, h, WF, WR, b: np.tanh(x @ WF.T + h @ WR.T),
    "recurrent term W_R h_{t-1} is missing": lambda x, h, WF, WR, b: np.tanh(x @ WF.T + b),
    "input term W_F x_t is missing": lambda x, h, WF, WR, b: np.tanh(h @ WR.T + b),
    "line up in your line `lambda x, h, WF, WR, b: np.tanh(x @ WF + h":
        lambda x, h, WF, WR, b: np.tanh(x @ WF + h @ WR.T + b),
    "the transpose of the expected (B, H)": lambda x, h, WF, WR, b: np.tanh(WF @ x.T + WR @ h.T + b[:, None]),
    "forget the `return`": lambda x, h, WF, WR, b: None,
}


def test_forward_step_right_answer_passes():
    result = check_forward_step(step)
    assert result.passed, result.message


def test_library_forward_step_is_rnn_edu_step_forward():
    xs, h0, W_F, W_R, b_h = example(3)
    np.testing.assert_array_equal(library_forward_step(xs[0], h0, W_F, W_R, b_h),
                                  rnn_edu.step_forward(xs[0], h0, W_F, W_R, b_h))
    np.testing.assert_allclose(step(xs[0], h0, W_F, W_R, b_h), library_forward_step(xs[0], h0, W_F, W_R, b_h))


@pytest.mark.parametrize("hint", list(STEP_MISTAKES))
def test_forward_step_names_the_mistake(hint):
    result = check_forward_step(STEP_MISTAKES[hint])
    assert not result.passed
    assert hint in result.message, result.message


# ---------------------------------------------------------------- rnn_forward

def sequence(xs, h0, W_F, W_R, b_h):
    h, hs = h0, []
    for x_t in xs:
        h = step(x_t, h, W_F, W_R, b_h)
        hs.append(h)
    return np.stack(hs)


def not_carried(xs, h0, W_F, W_R, b_h):
    return np.stack([step(x_t, h0, W_F, W_R, b_h) for x_t in xs])


def stored_before(xs, h0, W_F, W_R, b_h):
    h, hs = h0, []
    for x_t in xs:
        hs.append(h)
        h = step(x_t, h, W_F, W_R, b_h)
    return np.stack(hs)


def with_h0(xs, h0, W_F, W_R, b_h):
    return np.concatenate([h0[None], sequence(xs, h0, W_F, W_R, b_h)])


def last_only(xs, h0, W_F, W_R, b_h):
    return sequence(xs, h0, W_F, W_R, b_h)[-1]


def batch_major_out(xs, h0, W_F, W_R, b_h):
    return sequence(xs, h0, W_F, W_R, b_h).transpose(1, 0, 2)


def batch_major_loop(xs, h0, W_F, W_R, b_h):
    h, hs = h0, []
    for t in range(xs.shape[1]):
        h = step(xs[:, t], h, W_F, W_R, b_h)
        hs.append(h)
    return np.stack(hs)


def transposed_W_R(xs, h0, W_F, W_R, b_h):
    h, hs = h0, []
    for x_t in xs:
        h = np.tanh(x_t @ W_F.T + h @ W_R + b_h)
        hs.append(h)
    return np.stack(hs)


SEQUENCE_MISTAKES = {
    "the state is not carried": not_carried,
    "off by one": stored_before,
    "h0 is an input, not an output": with_h0,
    "return every state h_1..h_T": last_only,
    "the course is time-major": batch_major_out,
    "not xs[:, t]": batch_major_loop,
    "W_R is transposed": transposed_W_R,
}


def test_rnn_forward_right_answer_passes():
    result = check_rnn_forward(sequence)
    assert result.passed, result.message


def test_library_rnn_forward_matches_a_loop_of_steps():
    args = example(4)
    np.testing.assert_allclose(library_rnn_forward(*args), sequence(*args), rtol=1e-12)


@pytest.mark.parametrize("hint", list(SEQUENCE_MISTAKES))
def test_rnn_forward_names_the_mistake(hint):
    result = check_rnn_forward(SEQUENCE_MISTAKES[hint])
    assert not result.passed
    assert hint in result.message, result.message


# ---------------------------------------------------------------- softmax_cross_entropy

def stable_probs(zs):
    e = np.exp(zs - zs.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def onehot(targets, O):
    return np.eye(O)[targets]


def ce(zs, targets):
    B = zs.shape[1]
    p = stable_probs(zs)
    loss = -np.log(np.take_along_axis(p, targets[..., None], axis=-1)).sum() / B
    return loss, (p - onehot(targets, zs.shape[-1])) / B


def changed(loss_change=None, grad_change=None, probs=stable_probs):
    def fn(zs, targets):
        B = zs.shape[1]
        p = probs(zs)
        loss = -np.log(np.take_along_axis(p, targets[..., None], axis=-1)).sum() / B
        grad = (p - onehot(targets, zs.shape[-1])) / B
        return (loss_change(loss, zs) if loss_change else loss), (grad_change(grad, p, zs) if grad_change else grad)
    return fn


def naive_probs(zs):
    e = np.exp(zs)
    return e / e.sum(axis=-1, keepdims=True)


def batch_axis_probs(zs):
    e = np.exp(zs - zs.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


LOSS_MISTAKES = {
    "averaged over the time steps; the course sums": changed(lambda L, zs: L / zs.shape[0]),
    "summed over the batch": changed(lambda L, zs: L * zs.shape[1]),
    "the sign is flipped": changed(lambda L, zs: -L),
    "natural log": changed(lambda L, zs: L / np.log(2)),
    "runs over the batch axis": changed(probs=batch_axis_probs),
    "exp overflowed": changed(probs=naive_probs),
    "not divided by B": changed(grad_change=lambda g, p, zs: g * zs.shape[1]),
    "sign of the gradient is flipped": changed(grad_change=lambda g, p, zs: -g),
    "subtract the one-hot target": changed(grad_change=lambda g, p, zs: p / zs.shape[1]),
    "gradient was averaged over the time steps": changed(grad_change=lambda g, p, zs: g / zs.shape[0]),
    "shape of zs": changed(grad_change=lambda g, p, zs: g.sum(axis=0)),
}


def test_softmax_cross_entropy_right_answer_passes():
    result = check_softmax_cross_entropy(ce)
    assert result.passed, result.message


def test_library_loss_is_the_loss_bptt_reports():
    """The checker's reference is rnn_edu.bptt's loss, and its dL/dz gives bptt's dW_O and db_o."""
    rng = np.random.default_rng(7)
    params = rnn_edu.init_params(3, 5, 4, seed=7)
    xs, targets = rng.normal(size=(6, 2, 3)), rng.integers(0, 4, size=(6, 2))
    fwd = rnn_edu.forward(params, xs)
    loss, grads = rnn_edu.bptt(params, xs, targets)
    ref_loss, dzs = library_softmax_cross_entropy(fwd.zs, targets)
    assert ref_loss == pytest.approx(loss, rel=1e-12)
    np.testing.assert_allclose(np.einsum("tbo,tbh->oh", dzs, fwd.hs), grads.W_O, rtol=1e-10)
    np.testing.assert_allclose(dzs.sum(axis=(0, 1)), grads.b_o, rtol=1e-10, atol=1e-15)


@pytest.mark.parametrize("hint", list(LOSS_MISTAKES))
def test_softmax_cross_entropy_names_the_mistake(hint):
    result = check_softmax_cross_entropy(LOSS_MISTAKES[hint])
    assert not result.passed
    assert hint in result.message, result.message
