"""Forward pass: a hand-computed case, the fused form against the step form, shapes."""
import numpy as np
import pytest

import rnn_edu
from rnn_edu import RNNParams, forward, init_params, step_forward


def test_forward_matches_hand_computed_case():
    # one input, one hidden unit, one output: h_t = tanh(0.5 x_t + 0.8 h_{t-1} + 0.1), z_t = 2 h_t - 1
    p = RNNParams(W_F=[[0.5]], W_R=[[0.8]], b_h=[0.1], W_O=[[2.0]], b_o=[-1.0])
    xs = np.array([1.0, -2.0, 0.5]).reshape(3, 1, 1)
    h1 = np.tanh(0.5 * 1.0 + 0.8 * 0.0 + 0.1)          # 0.537049...
    h2 = np.tanh(0.5 * -2.0 + 0.8 * h1 + 0.1)
    h3 = np.tanh(0.5 * 0.5 + 0.8 * h2 + 0.1)
    fwd = forward(p, xs)
    assert fwd.hs[:, 0, 0] == pytest.approx([h1, h2, h3], abs=1e-15)
    assert fwd.zs[:, 0, 0] == pytest.approx([2 * h1 - 1, 2 * h2 - 1, 2 * h3 - 1], abs=1e-15)
    assert h1 == pytest.approx(0.5370495669980353, abs=1e-15)


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "relu"])
def test_fused_forward_equals_step_by_step(activation):
    p = init_params(3, 5, 2, seed=3)
    p.b_h[:] = np.linspace(-0.5, 0.5, 5)
    xs = np.random.default_rng(0).normal(size=(7, 4, 3))
    h0 = np.random.default_rng(1).normal(size=(4, 5))
    h, steps = h0, []
    for t in range(7):
        h = step_forward(xs[t], h, p.W_F, p.W_R, p.b_h, activation)
        steps.append(h)
    fwd = forward(p, xs, h0, activation=activation)
    np.testing.assert_allclose(fwd.hs, np.stack(steps), rtol=1e-13, atol=1e-14)
    assert fwd.hs.shape == (7, 4, 5) and fwd.zs.shape == (7, 4, 2)
    np.testing.assert_allclose(fwd.h_last, steps[-1])


def test_stacked_forward_feeds_each_layer_the_one_below():
    p = init_params(3, [4, 6], 2, seed=0)
    xs = np.random.default_rng(0).normal(size=(5, 2, 3))
    fwd = forward(p, xs)
    lower = rnn_edu.forward(RNNParams(p.W_F[0], p.W_R[0], p.b_h[0], np.zeros((1, 4)), np.zeros(1)), xs).hs
    np.testing.assert_allclose(fwd.layer_hs[0], lower)
    assert fwd.hs.shape == (5, 2, 6)
    assert [h.shape for h in fwd.h_last] == [(2, 4), (2, 6)]


def test_float32_is_kept():
    p = init_params(3, 4, 2, seed=0, dtype=np.float32)
    fwd = forward(p, np.ones((2, 1, 3)))
    assert p.W_R.dtype == np.float32 and fwd.hs.dtype == np.float32 and fwd.zs.dtype == np.float32


def test_spectral_radius_option():
    small = init_params(3, 16, 2, seed=0, spectral_radius=0.5)
    large = init_params(3, 16, 2, seed=0, spectral_radius=2.0)
    assert rnn_edu.spectral_radius(small.W_R) == pytest.approx(0.5)
    assert rnn_edu.spectral_radius(large.W_R) == pytest.approx(2.0)


def test_params_helpers_roundtrip():
    p = init_params(3, [4, 5], 2, seed=0)
    v = p.flatten()
    assert v.shape == (p.num_params(),) == (rnn_edu.count_params(3, [4, 5], 2),)
    q = p.unflatten(v * 2)
    np.testing.assert_allclose(q.flatten(), 2 * v)
    c = p.copy()
    c.W_R[0][0, 0] += 1
    assert p.W_R[0][0, 0] != c.W_R[0][0, 0]
    assert "parameters" in repr(p)


def test_bptt_docstring_documents_shapes_and_loss():
    doc = rnn_edu.bptt.__doc__
    for text in ["(T, B, D)", "(T, B)", "(B,)", "(T, B, O)", "averaged over the batch", "truncate"]:
        assert text in doc
