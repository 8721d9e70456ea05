"""Every gradient of bptt against centered finite differences in float64."""
import itertools

import numpy as np
import pytest

from rnn_edu import bptt, gradient_check, init_params

T, B, D, H, O = 5, 3, 4, 6, 3


def min_abs_preactivation(p, xs):
    """The smallest |a_t| over every unit, step and layer: ReLU's kink is at a = 0."""
    inputs, smallest = xs, np.inf
    for W_F, W_R, b_h in p.layers:
        h, states = np.zeros((xs.shape[1], W_R.shape[0])), []
        for x in inputs:
            a = x @ W_F.T + h @ W_R.T + b_h
            smallest = min(smallest, np.abs(a).min())
            h = np.maximum(a, 0)
            states.append(h)
        inputs = np.stack(states)
    return smallest


def problem(loss, many_to_one, hidden, seed=0, activation="tanh"):
    """A small random problem; for ReLU, one whose pre-activations all keep away from the kink."""
    if activation == "relu":
        while min_abs_preactivation(*_problem(loss, many_to_one, hidden, seed)[:2]) < 0.02:
            seed += 1
    return _problem(loss, many_to_one, hidden, seed)


def _problem(loss, many_to_one, hidden, seed):
    rng = np.random.default_rng(seed)
    p = init_params(D, hidden, O, seed=seed + 1, spectral_radius=0.9)
    p.b_o[:] = rng.normal(size=O) * 0.1
    xs = rng.normal(size=(T, B, D))
    if loss == "cross_entropy":
        targets = rng.integers(0, O, size=(B,) if many_to_one else (T, B))
    else:
        targets = rng.normal(size=(B, O) if many_to_one else (T, B, O))
    return p, xs, targets


GRID = list(itertools.product(["tanh", "sigmoid", "relu"], ["cross_entropy", "mse"],
                              [False, True], [None, 1, 2], [H, [H, 5]]))


@pytest.mark.parametrize("activation,loss,many_to_one,truncate,hidden", GRID)
def test_gradient_check(activation, loss, many_to_one, truncate, hidden):
    p, xs, targets = problem(loss, many_to_one, hidden, activation=activation)
    res = gradient_check(p, xs, targets, activation=activation, loss=loss,
                         many_to_one=many_to_one, truncate=truncate)
    assert set(res) == set(p.named_arrays())
    worst = max(res, key=res.get)
    assert res.max_error < 1e-6, f"gradient of {worst} is off (relative error {res[worst]:.2e}):\n{res}"


def test_gradient_check_with_initial_state_and_relu_output():
    p, xs, _ = problem("mse", False, H)
    h0 = np.random.default_rng(5).normal(size=(B, H))
    targets = np.abs(np.random.default_rng(6).normal(size=(T, B, O)))
    res = gradient_check(p, xs, targets, h0, loss="mse", output_activation="relu")
    assert res.max_error < 1e-6, res


def test_gradient_check_catches_a_wrong_gradient(monkeypatch):
    """The checker is not a rubber stamp: a gradient missing its recurrent term fails."""
    import rnn_edu.backward as bw
    real = bw.layer_weight_grads

    def no_recurrent_term(das, xs, h0, hs):
        dW_F, dW_R, db = real(das, xs, h0, hs)
        return dW_F, dW_R * 0.5, db

    monkeypatch.setattr("rnn_edu.gradients.layer_weight_grads", no_recurrent_term)
    p, xs, targets = problem("cross_entropy", False, H)
    res = gradient_check(p, xs, targets)
    assert res["W_R"] > 0.1 and res["W_F"] < 1e-6


@pytest.mark.parametrize("hidden", [H, [H, 5]])
def test_truncate_T_equals_full(hidden):
    p, xs, targets = problem("cross_entropy", False, hidden)
    full = bptt(p, xs, targets)[1]
    for k in (T, T + 3):
        trunc = bptt(p, xs, targets, truncate=k)[1]
        np.testing.assert_allclose(trunc.flatten(), full.flatten(), rtol=1e-12, atol=1e-14)
    short = bptt(p, xs, targets, truncate=2)[1]
    assert not np.allclose(short.flatten(), full.flatten())


def test_truncation_leaves_output_weights_alone():
    p, xs, targets = problem("mse", False, H)
    full, short = bptt(p, xs, targets, loss="mse")[1], bptt(p, xs, targets, loss="mse", truncate=1)[1]
    np.testing.assert_allclose(short.W_O, full.W_O)
    np.testing.assert_allclose(short.b_o, full.b_o)


def test_lower_layer_W_R_gets_time_and_layer_paths():
    p, xs, targets = problem("cross_entropy", False, [H, 5])
    layer_only = bptt(p, xs, targets, truncate=1)[1].W_R[0]   # L_t reaches only step t: via layer 2
    both = bptt(p, xs, targets)[1].W_R[0]
    assert np.linalg.norm(layer_only) > 1e-3                     # the layer path alone carries gradient
    assert np.linalg.norm(both - layer_only) > 1e-3              # and the time path adds more


def test_float32_gradients_stay_float32_and_agree():
    p, xs, targets = problem("cross_entropy", False, H)
    l64, g64 = bptt(p, xs, targets)
    l32, g32 = bptt(p.astype(np.float32), xs, targets)
    assert all(a.dtype == np.float32 for a in g32.named_arrays().values())
    assert l32 == pytest.approx(l64, rel=1e-5)
    np.testing.assert_allclose(g32.flatten(), g64.flatten(), rtol=1e-3, atol=1e-5)


def test_loss_definition_sum_over_steps_mean_over_batch():
    p, xs, targets = problem("mse", False, H)
    from rnn_edu import forward
    z = forward(p, xs).zs
    expected = ((z - targets) ** 2).sum() / B
    assert bptt(p, xs, targets, loss="mse")[0] == pytest.approx(expected, rel=1e-14)
    m2o = bptt(p, xs, targets[-1], loss="mse", many_to_one=True)[0]
    assert m2o == pytest.approx(((z[-1] - targets[-1]) ** 2).sum() / B, rel=1e-14)
    ce_targets = np.zeros((T, B), int)
    logp = z - np.log(np.exp(z).sum(-1, keepdims=True))
    assert bptt(p, xs, ce_targets)[0] == pytest.approx(-logp[..., 0].sum() / B, rel=1e-12)
