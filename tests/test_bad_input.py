"""Wrong input gets a message naming the argument, the expected shape and the received one."""
import numpy as np
import pytest

from rnn_edu import RNNParams, bptt, forward, init_params, train

P = init_params(3, 4, 2, seed=0)
XS = np.zeros((5, 2, 3))


@pytest.mark.parametrize("xs,match", [
    (np.zeros((5, 2, 7)), r"xs: expected shape \(T, B, D\) with D = 3.*= \(5, 2, 3\), got shape \(5, 2, 7\)"),
    (np.zeros((5, 3)), r"xs: expected a 3-D array of shape \(T, B, D\), got shape \(5, 3\)"),
    (np.zeros((0, 2, 3)), r"xs: expected at least one time step"),
])
def test_wrong_xs_shape(xs, match):
    with pytest.raises(ValueError, match=match):
        forward(P, xs)


def test_nan_in_inputs():
    xs = XS.copy()
    xs[1, 0, 2] = np.nan
    with pytest.raises(ValueError, match=r"xs: expected finite numbers, got 1 NaN or inf entry"):
        forward(P, xs)


def test_wrong_dtype():
    with pytest.raises(TypeError, match=r"xs: expected a real-valued numeric array, got dtype <U1"):
        forward(P, np.full((5, 2, 3), "a"))
    with pytest.raises(TypeError, match="complex"):
        forward(P, XS.astype(complex))


def test_wrong_h0():
    with pytest.raises(ValueError, match=r"h0: expected shape \(B, H\).*= \(2, 4\), got shape \(4,\)"):
        forward(P, XS, np.zeros(4))


def test_targets_that_do_not_match():
    with pytest.raises(ValueError, match=r"targets: expected shape \(T, B\).* = \(5, 2\), got shape \(2,\)"):
        bptt(P, XS, np.zeros(2, int))
    with pytest.raises(ValueError, match=r"targets: expected shape \(B,\).* = \(2,\), got shape \(5, 2\)"):
        bptt(P, XS, np.zeros((5, 2), int), many_to_one=True)
    with pytest.raises(ValueError, match=r"targets: expected class labels in \[0, 1\].*got values from 0 to 7"):
        bptt(P, XS, np.array([[0, 7]] * 5))
    with pytest.raises(TypeError, match=r"targets: expected integer class labels"):
        bptt(P, XS, np.full((5, 2), 0.5))
    with pytest.raises(ValueError, match=r"targets: expected shape \(T, B, O\) = \(5, 2, 2\), got shape \(5, 2\)"):
        bptt(P, XS, np.zeros((5, 2)), loss="mse")


@pytest.mark.parametrize("kwargs,match", [
    (dict(activation="softplus"), r"activation: expected one of \['relu', 'sigmoid', 'tanh'\], got 'softplus'"),
    (dict(loss="hinge"), r"loss: expected one of \['cross_entropy', 'mse'\], got 'hinge'"),
    (dict(truncate=0), r"truncate: expected a positive integer or None, got 0"),
    (dict(output_activation="relu"), r"output_activation: 'relu' is for loss='mse'"),
])
def test_unknown_names(kwargs, match):
    with pytest.raises(ValueError, match=match):
        bptt(P, XS, np.zeros((5, 2), int), **kwargs)


def test_params_shapes_are_checked():
    with pytest.raises(ValueError, match=r"W_F: expected shape \(H, D\) with H = 4 \(from W_R\), got shape \(3, 3\)"):
        RNNParams(W_F=np.zeros((3, 3)), W_R=np.zeros((4, 4)), b_h=np.zeros(4), W_O=np.zeros((2, 4)), b_o=np.zeros(2))
    with pytest.raises(ValueError, match=r"W_O: expected shape \(O, H\) with H = 4, got shape \(2, 5\)"):
        RNNParams(W_F=np.zeros((4, 3)), W_R=np.zeros((4, 4)), b_h=np.zeros(4), W_O=np.zeros((2, 5)), b_o=np.zeros(2))
    with pytest.raises(TypeError, match=r"one dtype.*W_F: float32.*W_R: float64"):
        RNNParams(W_F=np.zeros((4, 3), np.float32), W_R=np.zeros((4, 4)), b_h=np.zeros(4),
                  W_O=np.zeros((2, 4)), b_o=np.zeros(2))
    with pytest.raises(TypeError, match="params: expected RNNParams"):
        forward({"W_F": 1}, XS)


def test_train_rejects_bad_settings():
    with pytest.raises(ValueError, match="lr: expected a positive finite number"):
        train(P, XS, np.zeros((5, 2), int), lr=-1)
    with pytest.raises(ValueError, match="at most one"):
        train(P, XS, np.zeros((5, 2), int), lr=0.1, clip_norm=1, clip_value=1)


def test_exploding_gradients_are_reported_not_hidden():
    from rnn_edu import NonFiniteGradientWarning
    p = init_params(3, 8, 2, seed=0, spectral_radius=4.0, dtype=np.float32)
    xs = np.random.default_rng(0).normal(size=(60, 2, 3)) * 10
    with pytest.warns(NonFiniteGradientWarning, match=r"inf or NaN in the gradient of W_F \(\d+ entries\)"):
        loss, grads = bptt(p, xs, np.zeros((60, 2, 2)), activation="relu", loss="mse")
    assert not np.all(np.isfinite(grads.W_R))


@pytest.mark.parametrize("kwargs,exc,match", [
    (dict(n_in=0, n_hidden=4, n_out=2), ValueError, "n_in: expected a positive integer, got 0"),
    (dict(n_in=3, n_hidden=[4, -1], n_out=2), ValueError, r"n_hidden\[1\]: expected a positive integer"),
    (dict(n_in=3, n_hidden=4, n_out=2, spectral_radius=float("nan")), ValueError, "spectral_radius"),
    (dict(n_in=3, n_hidden=4, n_out=2, dtype=np.int32), TypeError, "dtype: expected float32 or float64, got int32"),
])
def test_init_params_rejects_bad_sizes(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        init_params(**kwargs)
