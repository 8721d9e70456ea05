"""Build-it-yourself checkers, BPTT, gradient check and the training loop: the right answer
passes, each known mistake gets its own hint, and the learner's pieces assemble into rnn_edu.bptt."""
import numpy as np
import pytest

import rnn_edu
from rnn_edu.course.exercises.bptt import assemble_bptt, check_rnn_backward, example, library_rnn_backward
from rnn_edu.course.exercises.gradcheck import (CASES, check_numerical_gradient, check_relative_error,
                                         library_relative_error)
from rnn_edu.course.exercises.training import check_train_on_windows, library_train_on_windows
from rnn_edu.course.exercises.forward import library_rnn_forward
from rnn_edu.course.exercises.loss import library_softmax_cross_entropy


# ---------------------------------------------------------------- rnn_backward

def backward(dhs, hs, h0, xs, W_F, W_R, *, carry=True, order=None, assign=False, mean=False,
             use_h_t=False, slope=True, carry_T=False, first_h=None):
    """A learner's loop, with switches that each introduce one mistake."""
    T = len(hs)
    dW_F, dW_R, db_h = np.zeros_like(W_F), np.zeros_like(W_R), np.zeros(W_R.shape[0])
    dh_next = np.zeros_like(h0)
    for t in (order or reversed(range(T))):
        dh = dhs[t] + dh_next if carry else dhs[t]
        da = dh * (1 - hs[t] ** 2) if slope else dh
        if t > 0:
            h_prev = hs[t - 1]
        else:
            h_prev = h0 if first_h is None else first_h
        if use_h_t:
            h_prev = hs[t]
        if assign:
            dW_F, dW_R, db_h = da.T @ xs[t], da.T @ h_prev, da.sum(axis=0)
        else:
            dW_F, dW_R, db_h = dW_F + da.T @ xs[t], dW_R + da.T @ h_prev, db_h + da.sum(axis=0)
        dh_next = da @ W_R.T if carry_T else da @ W_R
    if mean:
        return dW_F / T, dW_R / T, db_h / T
    return dW_F, dW_R, db_h


def with_(**switches):
    def fn(dhs, hs, h0, xs, W_F, W_R):
        if switches.get("first_h") == "zeros":
            return backward(dhs, hs, h0, xs, W_F, W_R, first_h=np.zeros_like(h0))
        if switches.get("order") == "forwards":
            return backward(dhs, hs, h0, xs, W_F, W_R, order=range(len(hs)))
        return backward(dhs, hs, h0, xs, W_F, W_R, **switches)
    return fn


BACKWARD_MISTAKES = {
    "not carried back through time": with_(carry=False),
    "instead of adding them up (+=)": with_(assign=True),
    "averaged over the time steps": with_(mean=True),
    "should use h_{t-1}": with_(use_h_t=True),
    "you forgot f'(a_t)": with_(slope=False),
    "not da @ W_R.T": with_(carry_T=True),
    "loop backwards": with_(order="forwards"),
    "use h0, which need not be zero": with_(first_h="zeros"),
    "expected three arrays": lambda *a: backward(*a)[:2],
    "is still None: fill in all three": lambda *a: (None, None, None),
    "in that order": lambda *a: backward(*a)[::-1],
}


def test_rnn_backward_right_answer_passes():
    result = check_rnn_backward(backward)
    assert result.passed, result.message


def test_rnn_backward_references_agree_with_bptt():
    for seed in (0, 1, 5):
        args, from_bptt = example(seed)
        for ref in (library_rnn_backward(*args), backward(*args)):
            for got, want in zip(ref, from_bptt):
                np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("hint", list(BACKWARD_MISTAKES))
def test_rnn_backward_names_the_mistake(hint):
    result = check_rnn_backward(BACKWARD_MISTAKES[hint])
    assert not result.passed
    assert hint in result.message, result.message


def test_assembled_bptt_equals_rnn_edu_bptt_and_passes_gradient_check():
    """The learner's three pieces (here rnn_edu's own) make the same loss and gradients as bptt."""
    learner_bptt = assemble_bptt(library_rnn_forward, library_softmax_cross_entropy, backward)
    rng = np.random.default_rng(3)
    params = rnn_edu.init_params(3, 5, 4, seed=3)
    xs, targets, h0 = rng.normal(size=(7, 2, 3)), rng.integers(0, 4, size=(7, 2)), rng.normal(size=(2, 5))
    for h in (None, h0):
        loss, grads = learner_bptt(params, xs, targets, h)
        ref_loss, ref = rnn_edu.bptt(params, xs, targets, h)
        assert loss == pytest.approx(ref_loss, rel=1e-12)
        for name, a in ref.named_arrays().items():
            np.testing.assert_allclose(grads.named_arrays()[name], a, rtol=1e-10, atol=1e-14)


def test_assembled_bptt_with_a_wrong_backward_trains_worse_than_the_right_one():
    """What lesson 03 shows with the learner's BPTT: the echo task trains with the right pieces."""
    xs, y = rnn_edu.data.delayed_echo_task(batch=8, steps=12, n_symbols=4, delay=1, seed=0)
    start = rnn_edu.init_params(4, 12, 4, seed=0, spectral_radius=0.9)
    final = {}
    for name, back in {"right": backward, "not carried": with_(carry=False)}.items():
        step_fn, p = assemble_bptt(library_rnn_forward, library_softmax_cross_entropy, back), start
        for _ in range(200):
            loss, grads = step_fn(p, xs, y)
            p = rnn_edu.sgd_step(p, grads, 0.1)
        final[name] = loss
    first = rnn_edu.bptt(start, xs, y)[0]
    assert final["right"] < 0.01 * first
    assert final["right"] < final["not carried"]


# ---------------------------------------------------------------- numerical gradient

def numerical(f, W, eps=1e-5, *, one_sided=False, scale=2.0, sign=1, restore=True, whole=False):
    grad = np.zeros_like(W)
    for i in np.ndindex(W.shape):
        old = W[i]
        if whole:
            W += eps
            up = f()
            W -= 2 * eps
            down = f()
            W += eps
            grad[i] = (up - down) / (2 * eps)
            continue
        W[i] = old + eps
        up = f()
        W[i] = old if one_sided else old - eps
        down = f()
        if restore:
            W[i] = old
        grad[i] = sign * (up - down) / (eps if one_sided else scale * eps)
    return grad


GRADIENT_MISTAKES = {
    "one-sided difference": lambda f, W, eps=1e-5: numerical(f, W, eps, one_sided=True),
    "divides by 2 eps, not eps": lambda f, W, eps=1e-5: numerical(f, W, eps, scale=1.0),
    "the sign is flipped": lambda f, W, eps=1e-5: numerical(f, W, eps, sign=-1),
    "changed its argument `W` in place": lambda f, W, eps=1e-5: numerical(f, W, eps, restore=False),
    "moved every entry of W at once": lambda f, W, eps=1e-5: numerical(f, W, eps, whole=True),
    "one number per entry of W": lambda f, W, eps=1e-5: numerical(f, W, eps).ravel(),
}


def test_numerical_gradient_right_answer_passes():
    result = check_numerical_gradient(numerical)
    assert result.passed, result.message


@pytest.mark.parametrize("hint", list(GRADIENT_MISTAKES))
def test_numerical_gradient_names_the_mistake(hint):
    result = check_numerical_gradient(GRADIENT_MISTAKES[hint])
    assert not result.passed
    assert hint in result.message, result.message


# ---------------------------------------------------------------- relative error

def rel(a, n):
    return np.max(np.abs(a - n) / np.maximum(1e-8, np.abs(a) + np.abs(n)))


RELATIVE_MISTAKES = {
    "that is the absolute error": lambda a, n: np.max(np.abs(a - n)),
    "not by max(|a|, |n|)": lambda a, n: np.max(np.abs(a - n) / np.maximum(1e-8, np.maximum(abs(a), abs(n)))),
    "not by |a| alone": lambda a, n: np.max(np.abs(a - n) / np.maximum(1e-8, np.abs(a))),
    "not the mean": lambda a, n: np.mean(np.abs(a - n) / np.maximum(1e-8, np.abs(a) + np.abs(n))),
    "0/0": lambda a, n: np.max(np.abs(a - n) / (np.abs(a) + np.abs(n))),
    "not an array": lambda a, n: np.abs(a - n) / np.maximum(1e-8, np.abs(a) + np.abs(n)),
}


def test_relative_error_right_answer_passes():
    result = check_relative_error(rel)
    assert result.passed, result.message


def test_library_relative_error_is_what_gradient_check_reports():
    params = rnn_edu.init_params(2, 3, 2, seed=1)
    rng = np.random.default_rng(1)
    xs, targets = rng.normal(size=(4, 2, 2)), rng.integers(0, 2, size=(4, 2))
    check = rnn_edu.gradient_check(params, xs, targets)
    for name, err in check.items():
        a, n = check.analytic.named_arrays()[name], check.numerical.named_arrays()[name]
        assert library_relative_error(a, n) == pytest.approx(err, rel=1e-12, abs=0)
    for a, n in CASES:
        assert library_relative_error(a, n) == pytest.approx(rel(a, n))


@pytest.mark.parametrize("hint", list(RELATIVE_MISTAKES))
def test_relative_error_names_the_mistake(hint):
    with np.errstate(all="ignore"):
        result = check_relative_error(RELATIVE_MISTAKES[hint])
    assert not result.passed
    assert hint in result.message, result.message


# ---------------------------------------------------------------- training loop over windows

def loop(params, xs, targets, seq_len, lr, epochs, *, carry=True, reset=True, sign=-1, after=False,
         drop_last=False, per_epoch=False, losses_per_epoch=False, no_update=False):
    """A learner's loop, with switches that each introduce one mistake."""
    losses, h, T = [], None, len(xs)
    last_start = T - seq_len if drop_last else T - 1
    for _ in range(epochs):
        if reset:
            h = None
        summed, epoch_loss = None, 0.0
        for start in range(0, last_start + 1, seq_len):
            x_w, y_w = xs[start:start + seq_len], targets[start:start + seq_len]
            loss, grads = rnn_edu.bptt(params, x_w, y_w, h if carry else None)
            epoch_loss += loss
            if not losses_per_epoch:
                losses.append(loss)
            if per_epoch:
                summed = grads.flatten() if summed is None else summed + grads.flatten()
                h = rnn_edu.forward(params, x_w, h).h_last
                continue
            if no_update:
                new = params
            elif sign < 0:
                new = rnn_edu.sgd_step(params, grads, lr)
            else:
                new = params.unflatten(params.flatten() + lr * grads.flatten())
            h = rnn_edu.forward(new if after else params, x_w, h if carry else None).h_last
            params = new
        if per_epoch:
            params = params.unflatten(params.flatten() - lr * summed)
        if losses_per_epoch:
            losses.append(epoch_loss)
    return params, losses


def loop_with(**switches):
    return lambda *args: loop(*args, **switches)


TRAINING_MISTAKES = {
    "the state is not carried": loop_with(carry=False),
    "restart from a zero state at the start of every epoch": loop_with(reset=False),
    "wrong sign": loop_with(sign=+1),
    "before the update": loop_with(after=True),
    "the last, shorter window is missing": loop_with(drop_last=True),
    "one update per window": loop_with(per_epoch=True),
    "one per window": loop_with(losses_per_epoch=True),
    "came back unchanged": loop_with(no_update=True),
    "expected (params, losses)": lambda *a: loop(*a)[0],
}


def test_train_on_windows_right_answer_passes():
    result = check_train_on_windows(loop)
    assert result.passed, result.message


def test_library_loop_is_rnn_edu_train():
    xs, y = rnn_edu.data.delayed_echo_task(batch=3, steps=10, n_symbols=3, delay=2, seed=4)
    params = rnn_edu.init_params(3, 4, 3, seed=4)
    trained, losses = library_train_on_windows(params, xs, y, 4, 0.1, 3)
    mine, my_losses = loop(params, xs, y, 4, 0.1, 3)
    np.testing.assert_allclose(losses, my_losses, rtol=1e-12)
    np.testing.assert_allclose(trained.flatten(), mine.flatten(), rtol=1e-12)


@pytest.mark.parametrize("hint", list(TRAINING_MISTAKES))
def test_train_on_windows_names_the_mistake(hint):
    result = check_train_on_windows(TRAINING_MISTAKES[hint])
    assert not result.passed
    assert hint in result.message, result.message
