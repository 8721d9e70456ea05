"""The fast whole-sequence forms equal the plain step-by-step equations they stand for."""
import numpy as np
import pytest

from rnn_edu import forward, init_params, step_backward
from rnn_edu.activations import DERIVATIVES, get_activation
from rnn_edu.backward import layer_deltas, layer_weight_grads
from rnn_edu.losses import cross_entropy, softmax

T, B, D, H = 6, 3, 4, 5


def layer_problem(activation, dtype=np.float64, seed=0):
    """Weights, inputs, h0, the forward states, and a random gradient arriving from above."""
    rng = np.random.default_rng(seed)
    p = init_params(D, H, 2, seed=seed, spectral_radius=0.9, dtype=dtype)
    p.b_h[:] = rng.normal(size=H) * 0.3
    xs = rng.normal(size=(T, B, D)).astype(dtype)
    h0 = rng.normal(size=(B, H)).astype(dtype)
    hs = forward(p, xs, h0, activation=activation).hs
    dhs_out = rng.normal(size=(T, B, H)).astype(dtype)
    return p, xs, h0, hs, dhs_out


def step_by_step_backward(p, xs, h0, hs, dhs_out, activation):
    """BPTT as a loop of step_backward, t = T..1, summing each step's weight gradients."""
    dW_F, dW_R, db_h = np.zeros_like(p.W_F), np.zeros_like(p.W_R), np.zeros_like(p.b_h)
    dh_next = np.zeros_like(h0)
    for t in range(T - 1, -1, -1):
        h_prev = hs[t - 1] if t > 0 else h0
        _, dh_next, gF, gR, gb = step_backward(dhs_out[t] + dh_next, hs[t], h_prev, xs[t],
                                               p.W_F, p.W_R, activation)
        dW_F += gF
        dW_R += gR
        db_h += gb
    return dW_F, dW_R, db_h, dh_next


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "relu"])
def test_layer_backward_equals_loop_of_step_backward(activation):
    p, xs, h0, hs, dhs_out = layer_problem(activation)
    dhs_before = dhs_out.copy()
    das, dh0 = layer_deltas(p.W_R, hs, dhs_out, activation)
    fast = layer_weight_grads(das, xs, h0, hs)
    *slow, slow_dh0 = step_by_step_backward(p, xs, h0, hs, dhs_out, activation)
    for name, a, b in zip(["dW_F", "dW_R", "db_h"], fast, slow):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-13, err_msg=name)
    np.testing.assert_allclose(dh0, slow_dh0, rtol=1e-12, atol=1e-13)
    np.testing.assert_array_equal(dhs_out, dhs_before)     # the inputs are left alone


def test_layer_backward_keeps_float32():
    p, xs, h0, hs, dhs_out = layer_problem("tanh", dtype=np.float32)
    das, dh0 = layer_deltas(p.W_R, hs, dhs_out)
    grads = layer_weight_grads(das, xs, h0, hs)
    assert das.dtype == dh0.dtype == np.float32
    assert all(g.dtype == np.float32 for g in grads)


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "relu"])
def test_derivatives_from_the_output(activation):
    a = np.linspace(-3, 3, 13) + 0.01           # keep off ReLU's kink at 0
    f, _ = get_activation(activation)
    h, eps = f(a), 1e-6
    numeric = (f(a + eps) - f(a - eps)) / (2 * eps)
    np.testing.assert_allclose(DERIVATIVES[activation](h), numeric, atol=1e-8)
    h_before = h.copy()
    DERIVATIVES[activation](h)
    np.testing.assert_array_equal(h, h_before)  # f'(a) is a new array; h is not changed


def test_cross_entropy_matches_its_definition():
    rng = np.random.default_rng(0)
    zs = rng.normal(size=(T, B, 7)) * 3
    targets = rng.integers(0, 7, size=(T, B))
    zs_before = zs.copy()
    loss, dzs = cross_entropy(zs, targets)
    p = softmax(zs)
    onehot = np.eye(7)[targets]
    assert loss == pytest.approx(-np.log(p[onehot == 1]).sum() / B, rel=1e-13)
    np.testing.assert_allclose(dzs, (p - onehot) / B, rtol=1e-12, atol=1e-15)
    np.testing.assert_array_equal(zs, zs_before)      # zs is not overwritten
