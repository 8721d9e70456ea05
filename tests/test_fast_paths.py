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


# -- the LSTM's fast path (rnn_edu/cells/lstm_fast.py), which bptt runs, against the step code --

def lstm_problem(dtype, H=5, T=7, B=3, D=4, seed=3):
    rng = np.random.default_rng(seed)
    W_F, W_R = rng.normal(size=(4 * H, D)) * 0.5, rng.normal(size=(4 * H, H)) * 0.5
    b_h, xs = rng.normal(size=4 * H) * 0.3, rng.normal(size=(T, B, D))
    h0, c0, dhs = rng.normal(size=(B, H)), rng.normal(size=(B, H)), rng.normal(size=(T, B, H))
    return [a.astype(dtype) for a in (W_F, W_R, b_h, xs, h0, c0, dhs)]


@pytest.mark.parametrize("wide", [False, True])
@pytest.mark.parametrize("chunk_bytes", [1, 200, 1440, 1 << 20])   # 1440: chunks of 3, 3 and 1 steps
def test_lstm_fast_path_equals_the_step_code(wide, chunk_bytes, monkeypatch):
    """Forward states, dL/dh_0, dL/dc_0 and the weight gradients of lstm_fast equal those of a
    loop of the readable step functions, on both forward layouts and for chunks of 1, a few
    (the last one shorter) and all steps in the backward pass (float64, to rounding)."""
    from rnn_edu.cells import lstm, lstm_fast
    monkeypatch.setattr(lstm_fast, "WIDE", 1 if wide else 10 ** 9)
    monkeypatch.setattr(lstm_fast, "CHUNK_BYTES", chunk_bytes)
    W_F, W_R, b_h, xs, h0, c0, dhs = lstm_problem(np.float64)
    hs, cs, cache = lstm_fast.forward(W_F, W_R, b_h, xs, h0, c0)
    das, dh0, dc0 = lstm_fast.backward(dhs, cache)
    h, c, step_caches = h0, c0, []
    for t, x in enumerate(xs):
        h, c, sc = lstm.step_forward(x, h, c, W_F, W_R, b_h)
        step_caches.append(sc)
        np.testing.assert_allclose(hs[t], h, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(cs[t], c, rtol=1e-12, atol=1e-14)
    dh, dc, total = np.zeros_like(h0), np.zeros_like(c0), 0
    for t in range(len(xs) - 1, -1, -1):
        _, dh, dc, gF, gR, gb = lstm.step_backward(dhs[t] + dh, dc, step_caches[t])
        total = total + np.concatenate([gF.ravel(), gR.ravel(), gb])
    np.testing.assert_allclose(dh0, dh, rtol=1e-11, atol=1e-13)
    np.testing.assert_allclose(dc0, dc, rtol=1e-11, atol=1e-13)
    fast = layer_weight_grads(das, xs, h0, hs)
    np.testing.assert_allclose(np.concatenate([g.ravel() for g in fast]), total, rtol=1e-11, atol=1e-13)


@pytest.mark.parametrize("wide", [False, True])
def test_lstm_fast_path_keeps_float32(wide, monkeypatch):
    """No float64 constant leaks into a float32 run: every array the fast path returns or keeps
    is float32, and it agrees with the float64 run to float32 rounding."""
    from rnn_edu.cells import lstm_fast
    monkeypatch.setattr(lstm_fast, "WIDE", 1 if wide else 10 ** 9)
    args32 = lstm_problem(np.float32)
    hs, cs, cache = lstm_fast.forward(*args32[:6])
    kept = [hs, cs] + [a for a in cache if isinstance(a, np.ndarray)]
    das, dh0, dc0 = lstm_fast.backward(args32[6], cache)
    assert all(a.dtype == np.float32 for a in kept + [das, dh0, dc0])
    args64 = [a.astype(np.float64) for a in args32]
    hs64, _, cache64 = lstm_fast.forward(*args64[:6])
    das64 = lstm_fast.backward(args64[6], cache64)[0]
    np.testing.assert_allclose(hs, hs64, rtol=0, atol=1e-6)
    np.testing.assert_allclose(das, das64, rtol=0, atol=1e-5 * np.abs(das64).max())


def test_lstm_fast_backward_spends_its_cache():
    """The backward pass writes dL/da_t over the gates (no second (T, B, 4H) array); a second
    backward through the same cache raises instead of returning wrong numbers."""
    from rnn_edu.cells import lstm_fast
    W_F, W_R, b_h, xs, h0, c0, dhs = lstm_problem(np.float64)
    _, _, cache = lstm_fast.forward(W_F, W_R, b_h, xs, h0, c0)
    gates = cache[5]
    das = lstm_fast.backward(dhs, cache)[0]
    assert das is gates
    with pytest.raises(RuntimeError, match="already used it"):
        lstm_fast.backward(dhs, cache)


def test_lstm_bptt_repeats_exactly():
    """Scratch arrays kept between calls carry nothing from one call into the next."""
    from rnn_edu import bptt
    p = init_params(4, 6, 3, seed=1, cell="lstm")
    rng = np.random.default_rng(2)
    xs, ys = rng.normal(size=(5, 2, 4)), rng.integers(0, 3, size=(5, 2))
    first = bptt(p, xs, ys)
    bptt(p, rng.normal(size=(9, 2, 4)), rng.integers(0, 3, size=(9, 2)))   # other shapes in between
    again = bptt(p, xs, ys)
    assert first[0] == again[0]
    np.testing.assert_array_equal(first[1].flatten(), again[1].flatten())


def test_spent_lstm_cache_refuses_the_truncated_hooks():
    """After bptt's backward pass, the forward result's cache refuses a step back with a clear
    message; its states (used to carry h_T, c_T into the next window) stay readable."""
    from rnn_edu.cells import lstm
    from rnn_edu.gradients import bptt_with_state
    p = init_params(4, 6, 3, seed=1, cell="lstm")
    rng = np.random.default_rng(2)
    xs, ys = rng.normal(size=(5, 2, 4)), rng.integers(0, 3, size=(5, 2))
    _, _, fwd = bptt_with_state(p, xs, ys)
    h_T, c_T = fwd.h_last
    np.testing.assert_array_equal(h_T, forward(p, xs).hs[-1])
    dstate = lstm.zero_state(2, 6, np.float64)
    with pytest.raises(RuntimeError, match="already used it"):
        lstm.truncated_step(p.layers[0], fwd.caches[0], 4, dstate)
