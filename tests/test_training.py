"""The update rule, the training loop, windows with carried state, stopping."""
import warnings

import numpy as np
import pytest

from rnn_edu import NonFiniteGradientWarning, bptt, forward, init_params, sgd_step, train
from rnn_edu.data import text_task


def test_sgd_step_subtracts_the_gradient():
    p = init_params(2, 3, 2, seed=0)
    xs = np.random.default_rng(0).normal(size=(4, 2, 2))
    y = np.array([[0, 1]] * 4)
    loss, g = bptt(p, xs, y)
    q = sgd_step(p, g, 0.1)
    np.testing.assert_allclose(q.W_R, p.W_R - 0.1 * g.W_R)
    assert bptt(q, xs, y)[0] < loss                         # downhill
    wrong = p.map(np.copy)
    for name, a in wrong.named_arrays().items():
        a += 0.1 * g.named_arrays()[name]                    # the sign error in some notes: W + lr*g
    assert bptt(wrong, xs, y)[0] > loss                     # uphill
    np.testing.assert_array_equal(p.W_R, init_params(2, 3, 2, seed=0).W_R)   # p unchanged


def test_training_reduces_loss_on_next_character_task():
    xs, y, vocab = text_task("abcabcabcabcabcabcabcabc")
    hist = train(init_params(len(vocab), 8, len(vocab), seed=0), xs, y, lr=0.5, epochs=60, seq_len=6)
    assert len(hist.losses) == 60 * 4                       # 23 steps -> windows of 6, 6, 6, 5
    assert hist.epoch_losses[-1] < 0.1 * hist.epoch_losses[0]
    assert hist.stop_reason == "max_epochs" and hist.epochs == 60


def test_windows_carry_the_hidden_state():
    xs, y, vocab = text_task("hello world, hello rnn")
    p = init_params(len(vocab), 5, len(vocab), seed=1)
    hist = train(p, xs, y, lr=0.1, epochs=1, seq_len=8)
    # replay by hand: window 2 starts from the h_T of window 1 (computed before the update)
    h1 = forward(p, xs[:8]).h_last
    loss1, g1 = bptt(p, xs[:8], y[:8])
    p1 = sgd_step(p, g1, 0.1)
    loss2, _ = bptt(p1, xs[8:16], y[8:16], h1)
    assert hist.losses[:2] == pytest.approx([loss1, loss2], rel=1e-12)
    assert loss2 != pytest.approx(bptt(p1, xs[8:16], y[8:16])[0], rel=1e-6)   # state mattered


def test_clipping_in_training_records_both_norms():
    xs, y, vocab = text_task("abababababababab")
    hist = train(init_params(len(vocab), 6, len(vocab), seed=0), xs, y, lr=0.3, epochs=5, clip_norm=0.5)
    assert all(a == pytest.approx(min(b, 0.5)) for a, b in zip(hist.norms_after, hist.norms_before))
    assert max(hist.norms_before) > 0.5


def test_stops_when_loss_change_below_tol():
    xs, y, vocab = text_task("aaaaaaaaaaaaaaab")
    hist = train(init_params(len(vocab), 4, len(vocab), seed=0), xs, y, lr=0.5, epochs=500, tol=1e-4)
    assert hist.stop_reason == "converged" and hist.epochs < 500
    assert abs(hist.epoch_losses[-1] - hist.epoch_losses[-2]) < 1e-4


def test_divergence_stops_as_non_finite():
    p = init_params(3, 8, 2, seed=0, spectral_radius=3.0, dtype=np.float32)
    xs = np.random.default_rng(0).normal(size=(40, 2, 3)) * 5
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        hist = train(p, xs, np.ones((40, 2, 2)), lr=0.5, epochs=50, activation="relu", loss="mse")
    assert hist.stop_reason == "non-finite"
    assert any(issubclass(w.category, NonFiniteGradientWarning) for w in caught)
