"""Diagnostics: gradient norms through time, Jacobian products, overflow, counts."""
import numpy as np
import pytest

from rnn_edu import (count_params, forward, hidden_grad_norms, init_params, jacobian_product_norms,
                     largest_singular_value, overflow_step, repeated_products, spectral_radius)
from rnn_edu.gradcheck import numerical_gradient
from rnn_edu.losses import cross_entropy


def test_hidden_grad_norms_match_finite_differences():
    p = init_params(3, 4, 2, seed=0, spectral_radius=0.9)
    rng = np.random.default_rng(0)
    xs, y = rng.normal(size=(6, 2, 3)), np.array([0, 1])
    norms = hidden_grad_norms(p, xs, y)
    hs = forward(p, xs).hs
    for t in range(6):
        # L as a function of h_t alone: run the rest of the sequence from h_t
        def loss_from(h):
            z = forward(p, xs[t + 1:], h).zs[-1:] if t < 5 else (h @ p.W_O.T + p.b_o)[None]
            return cross_entropy(z, y[None])[0]
        h = hs[t].copy()
        g = np.zeros_like(h)
        for i in np.ndindex(h.shape):
            old = h[i]
            h[i] = old + 1e-6
            up = loss_from(h)
            h[i] = old - 1e-6
            down = loss_from(h)
            h[i] = old
            g[i] = (up - down) / 2e-6
        assert norms[t] == pytest.approx(np.linalg.norm(g), rel=1e-6)


def test_small_W_R_vanishes_large_explodes():
    rng = np.random.default_rng(0)
    xs, y = rng.normal(size=(30, 4, 3)) * 0.1, np.zeros(4, int)
    small = hidden_grad_norms(init_params(3, 16, 2, seed=0, spectral_radius=0.5), xs, y)
    assert small[0] < 1e-6 * small[-1]
    # bound: ||dh_T/dh_{T-k}|| <= (gamma sigma_max)^k with gamma = 1/4 for sigmoid
    p = init_params(3, 16, 2, seed=0, spectral_radius=1.5)
    J = jacobian_product_norms(p, xs, activation="sigmoid")
    bound = (0.25 * largest_singular_value(p.W_R)) ** np.arange(1, 31)
    assert np.all(J <= bound * (1 + 1e-9))
    big = init_params(3, 16, 2, seed=0, spectral_radius=3.0)
    lin = jacobian_product_norms(big, xs * 0, activation="relu")   # at h = 0 nothing is active
    assert np.all(lin == 0)


def test_jacobian_product_norm_matches_explicit_product():
    p = init_params(2, 3, 1, seed=2)
    xs = np.random.default_rng(1).normal(size=(4, 1, 2))
    hs = forward(p, xs).hs[:, 0]
    J = [np.diag(1 - hs[t] ** 2) @ p.W_R for t in range(4)]
    assert jacobian_product_norms(p, xs)[2] == pytest.approx(np.linalg.norm(J[3] @ J[2] @ J[1], 2))


def test_spectral_radius_and_singular_value():
    W = np.array([[0.0, 2.0], [0.5, 0.0]])        # eigenvalues +-1, singular values 2 and 0.5
    assert spectral_radius(W) == pytest.approx(1.0)
    assert largest_singular_value(W) == pytest.approx(2.0)


@pytest.mark.parametrize("dtype,expected_max", [("uint32", 2**32 - 1), ("int32", 2**31 - 1),
                                                ("float32", 3.4028234663852886e38), ("float64", 1.7976931348623157e308)])
def test_overflow_step_against_exact_arithmetic(dtype, expected_max):
    n = overflow_step(10, dtype)
    assert 10 ** (n - 1) <= expected_max < 10 ** n
    assert overflow_step(10, "uint32") == 10 and overflow_step(10, "float32") == 39
    assert overflow_step(2, "uint32") == 32 and overflow_step(2, "int32") == 31


def test_uint32_wraps_silently_float32_goes_inf():
    u = repeated_products(10, "uint32", 11)
    assert u[8] == 10**9 and u[9] == 10**10 % 2**32     # wrapped, no error
    f = repeated_products(10, "float32", 40)
    assert np.isfinite(f[37]) and np.isinf(f[38])
    with pytest.raises(ValueError, match="dtype: expected one of"):
        overflow_step(10, "int8")


def test_count_params_formula_and_containers():
    assert count_params(10, 20, 5) == 20 * 10 + 20 * 20 + 20 + 5 * 20 + 5
    assert count_params(10, [20, 30], 5) == (20 * 10 + 400 + 20) + (30 * 20 + 900 + 30) + (5 * 30 + 5)
    for hidden in (7, [4, 6], [3, 3, 3]):
        assert count_params(5, hidden, 2) == init_params(5, hidden, 2).num_params()
    with pytest.raises(ValueError, match="n_in: expected a positive integer"):
        count_params(0, 3, 2)
