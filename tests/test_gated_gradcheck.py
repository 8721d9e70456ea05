"""LSTM and GRU gradients against centered finite differences (float64).

Both losses, many-to-one and many-to-many, full and truncated BPTT, one and two layers.
For truncate=k the numerical side differentiates the truncated objective (each L_t rerun
from the frozen states of step t-k, c_{t-k} included for the LSTM).
"""
import numpy as np
import pytest

import rnn_edu
from rnn_edu import bptt, gradient_check, init_params

T, B, D, O = 6, 3, 4, 3
EPS = 3e-3            # order-4 differences: truncation error ~eps^4, rounding ~1e-16 / eps


def problem(cell, hidden, loss, many_to_one, seed=0):
    rng = np.random.default_rng(seed)
    p = init_params(D, hidden, O, cell=cell, seed=seed)
    p = p.map(lambda a: a + rng.normal(scale=0.2, size=a.shape))   # non-zero biases, all gates busy
    xs = rng.normal(size=(T, B, D))
    if loss == "cross_entropy":
        targets = rng.integers(0, O, size=(B,) if many_to_one else (T, B))
    else:
        targets = rng.normal(size=(B, O) if many_to_one else (T, B, O))
    return p, xs, targets


@pytest.mark.parametrize("cell", ["lstm", "gru"])
@pytest.mark.parametrize("hidden", [5, [5, 4]], ids=["1layer", "2layers"])
@pytest.mark.parametrize("loss", ["cross_entropy", "mse"])
@pytest.mark.parametrize("many_to_one", [False, True], ids=["many2many", "many2one"])
@pytest.mark.parametrize("truncate", [None, 2], ids=["full", "trunc2"])
def test_gated_gradients_match_finite_differences(cell, hidden, loss, many_to_one, truncate):
    p, xs, targets = problem(cell, hidden, loss, many_to_one)
    res = gradient_check(p, xs, targets, loss=loss, many_to_one=many_to_one, truncate=truncate, eps=EPS)
    assert set(res) == set(p.named_arrays())
    worst = max(res, key=res.get)
    assert res.max_error < 1e-6, f"{cell}: gradient of {worst} is off ({res[worst]:.2e}):\n{res}"


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_gradient_check_with_initial_state(cell):
    p, xs, targets = problem(cell, [5, 4], "mse", False, seed=3)
    rng = np.random.default_rng(9)
    state = lambda H: (rng.normal(size=(B, H)), rng.normal(size=(B, H))) if cell == "lstm" \
        else rng.normal(size=(B, H))  # noqa: E731
    h0 = [state(5), state(4)]
    for k in (None, 3):
        res = gradient_check(p, xs, targets, h0, loss="mse", truncate=k, eps=EPS)
        assert res.max_error < 1e-6, res


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_truncation_changes_the_gradient_and_k_ge_T_is_full(cell):
    p, xs, targets = problem(cell, [5, 4], "cross_entropy", False)
    full = bptt(p, xs, targets)[1].flatten()
    for k in (T, T + 2):
        np.testing.assert_allclose(bptt(p, xs, targets, truncate=k)[1].flatten(), full,
                                   rtol=1e-12, atol=1e-14)
    short = bptt(p, xs, targets, truncate=1)[1]
    assert not np.allclose(short.flatten(), full)
    np.testing.assert_allclose(short.W_O, bptt(p, xs, targets)[1].W_O)   # output layer untouched


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_gradient_check_catches_a_wrong_recurrent_gradient(cell, monkeypatch):
    """The check is not a rubber stamp: halving dW_R makes it fail on W_R only."""
    real = rnn_edu.gradients.layer_weight_grads

    def half_recurrent(*args):
        dW_F, dW_R, db = real(*args)
        return dW_F, dW_R * 0.5, db

    monkeypatch.setattr("rnn_edu.gradients.layer_weight_grads", half_recurrent)
    p, xs, targets = problem(cell, 5, "cross_entropy", False)
    res = gradient_check(p, xs, targets, eps=EPS)
    assert res["W_R"] > 0.1 and res["W_F"] < 1e-6


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_layer_backward_equals_a_loop_of_step_backward(cell):
    """The fast layer code and the readable step code compute the same gradients."""
    from rnn_edu.cells import gru, lstm
    rng = np.random.default_rng(1)
    p, xs, _ = problem(cell, 5, "mse", False)
    H = 5
    dhs = rng.normal(size=(T, B, H))
    if cell == "lstm":
        h0, c0 = rng.normal(size=(B, H)), rng.normal(size=(B, H))
        hs, cs, cache = lstm.layer_forward(p.W_F, p.W_R, p.b_h, xs, h0, c0)
        das, dh0, dc0 = lstm.layer_backward(dhs, cache)
        h, c, caches = h0, c0, []
        for t in range(T):
            h, c, step_cache = lstm.step_forward(xs[t], h, c, p.W_F, p.W_R, p.b_h)
            caches.append(step_cache)
            np.testing.assert_allclose(hs[t], h, rtol=1e-12, atol=1e-14)
            np.testing.assert_allclose(cs[t], c, rtol=1e-12, atol=1e-14)
        dh, dc, total = np.zeros((B, H)), np.zeros((B, H)), 0
        for t in range(T - 1, -1, -1):
            _, dh, dc, dW_F, dW_R, db = lstm.step_backward(dhs[t] + dh, dc, caches[t])
            total = total + np.concatenate([dW_F.ravel(), dW_R.ravel(), db])
        np.testing.assert_allclose(dc, dc0, rtol=1e-11, atol=1e-13)
        das_h = das
    else:
        h0 = rng.normal(size=(B, H))
        hs, cache = gru.layer_forward(p.W_F, p.W_R, p.b_h, p.b_R, xs, h0)
        das, das_h, dh0 = gru.layer_backward(dhs, cache)
        h, caches = h0, []
        for t in range(T):
            h, step_cache = gru.step_forward(xs[t], h, p.W_F, p.W_R, p.b_h, p.b_R)
            caches.append(step_cache)
            np.testing.assert_allclose(hs[t], h, rtol=1e-12, atol=1e-14)
        dh, total = np.zeros((B, H)), 0
        for t in range(T - 1, -1, -1):
            _, dh, dW_F, dW_R, db, db_R = gru.step_backward(dhs[t] + dh, caches[t])
            total = total + np.concatenate([dW_F.ravel(), dW_R.ravel(), db, db_R])
    np.testing.assert_allclose(dh, dh0, rtol=1e-11, atol=1e-13)
    dW_F, dW_R, db = rnn_edu.stack.layer_weight_grads(das, xs, h0, hs, None if das_h is das else das_h)
    fast = [dW_F.ravel(), dW_R.ravel(), db] + ([] if das_h is das else [das_h.sum(axis=(0, 1))])
    np.testing.assert_allclose(np.concatenate(fast), total, rtol=1e-11, atol=1e-13)
