"""The gated cells through the one API: params helpers, float32, states carried across
windows, training, clipping, diagnostics, and clear messages for wrong shapes."""
import pydoc

import numpy as np
import pytest

import rnn_edu
from rnn_edu import (GRUParams, LSTMParams, StackedGRUParams, StackedLSTMParams, bptt, clip_by_norm,
                     clip_by_value, count_params, forward, init_params, sgd_step, train)
from rnn_edu.gradients import bptt_with_state

T, B, D, H, O = 8, 2, 3, 4, 3
CELLS = ["lstm", "gru"]


def data(seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(T, B, D)), rng.integers(0, O, size=(T, B))


def test_help_shows_the_three_cells():
    text = pydoc.render_doc(rnn_edu.init_params, renderer=pydoc.plaintext)
    for phrase in ("cell='rnn'", "cell='lstm'", "cell='gru'", "i, f, g, o", "r, z, n", "forget_bias", "update_bias"):
        assert phrase in text


@pytest.mark.parametrize("cell, kind, stacked, G, biases", [
    ("lstm", LSTMParams, StackedLSTMParams, 4, 1), ("gru", GRUParams, StackedGRUParams, 3, 2)])
def test_init_params_shapes_and_counts(cell, kind, stacked, G, biases):
    p = init_params(D, H, O, cell=cell)
    assert type(p) is kind and p.cell == cell
    assert p.W_F.shape == (G * H, D) and p.W_R.shape == (G * H, H) and p.b_h.shape == (G * H,)
    assert p.num_params() == G * H * (D + H + biases) + O * H + O == count_params(D, H, O, cell=cell)
    s = init_params(D, [H, 5], O, cell=cell)
    assert type(s) is stacked and s.n_hidden == [H, 5] and s.W_F[1].shape == (G * 5, H)
    assert s.num_params() == count_params(D, [H, 5], O, cell=cell)
    assert init_params(D, H, O, cell="rnn").num_params() == count_params(D, H, O)


def test_lstm_layer_count_is_4H_D_plus_H_plus_1():
    p = init_params(10, 20, 1, cell="lstm")
    assert p.num_params() - p.W_O.size - p.b_o.size == 4 * 20 * (10 + 20 + 1) == 2480


def test_forget_bias_is_one_by_default_and_can_be_changed():
    p = init_params(D, H, O, cell="lstm")
    np.testing.assert_array_equal(p.b_h[H:2 * H], 1.0)
    assert not p.b_h[:H].any() and not p.b_h[2 * H:].any()
    np.testing.assert_array_equal(init_params(D, H, O, cell="lstm", forget_bias=0.0).b_h, 0.0)
    s = init_params(D, [H, 5], O, cell="lstm", forget_bias=2.0)
    np.testing.assert_array_equal(s.b_h[1][5:10], 2.0)
    assert not init_params(D, H, O, cell="gru").b_h.any()


def test_update_bias_sets_only_the_grus_z_block():
    base = init_params(D, H, O, cell="gru", seed=3)
    p = init_params(D, H, O, cell="gru", seed=3, update_bias=3.0)
    np.testing.assert_array_equal(p.b_h[H:2 * H], 3.0)                  # PyTorch's b_iz
    assert not p.b_h[:H].any() and not p.b_h[2 * H:].any() and not p.b_R.any()
    for name, value in base.named_arrays().items():
        if name != "b_h":
            np.testing.assert_array_equal(p.named_arrays()[name], value, err_msg=name)
    s = init_params(D, [H, 5], O, cell="gru", update_bias=-1.5)
    np.testing.assert_array_equal(s.b_h[0][H:2 * H], -1.5)
    np.testing.assert_array_equal(s.b_h[1][5:10], -1.5)
    assert not s.b_h[1][:5].any() and not s.b_h[1][10:].any()
    # z starts at sigma(update_bias) when the rest of the pre-activation is zero
    from rnn_edu.cells import gru
    h_prev = np.ones((B, H))
    h, _ = gru.step_forward(np.zeros((B, D)), h_prev, np.zeros_like(p.W_F), np.zeros_like(p.W_R),
                            p.b_h, p.b_R)
    np.testing.assert_allclose(h, 1 / (1 + np.exp(-3.0)) * h_prev)      # n = tanh(0) = 0
    # the LSTM and the plain RNN are untouched by it (as forget_bias leaves the GRU alone)
    np.testing.assert_array_equal(init_params(D, H, O, cell="lstm", update_bias=3.0).b_h,
                                  init_params(D, H, O, cell="lstm").b_h)


@pytest.mark.parametrize("cell", CELLS)
@pytest.mark.parametrize("hidden", [H, [H, 5]])
def test_container_helpers(cell, hidden):
    p = init_params(D, hidden, O, cell=cell, seed=1)
    q = p.unflatten(p.flatten() * 2)
    assert type(q) is type(p)
    np.testing.assert_array_equal(q.flatten(), 2 * p.flatten())
    c = p.copy()
    c.W_O[...] = 0
    assert p.W_O.any()
    r = p.from_named(p.named_arrays())
    np.testing.assert_array_equal(r.flatten(), p.flatten())
    assert p.astype(np.float32).dtype == np.float32 and p.n_in == D and p.n_out == O


@pytest.mark.parametrize("cell", CELLS)
def test_float32_is_kept(cell):
    p = init_params(D, [H, H], O, cell=cell, dtype=np.float32)
    xs, y = data()
    fwd = forward(p, xs)
    assert fwd.hs.dtype == fwd.zs.dtype == np.float32
    loss, g = bptt(p, xs, y, truncate=3)
    assert g.dtype == np.float32 and all(a.dtype == np.float32 for a in g.named_arrays().values())
    _, g64 = bptt(p.astype(np.float64), xs, y, truncate=3)
    np.testing.assert_allclose(g.flatten(), g64.flatten(), rtol=1e-3, atol=1e-5)


@pytest.mark.parametrize("cell", CELLS)
@pytest.mark.parametrize("hidden", [H, [H, 5]])
def test_windows_with_the_state_carried_equal_one_forward(cell, hidden):
    """forward(...).h_last is exactly what h0= accepts: two windows give the one-pass outputs."""
    p = init_params(D, hidden, O, cell=cell, seed=2)
    xs, y = data()
    whole = forward(p, xs)
    first = forward(p, xs[:3])
    second = forward(p, xs[3:], first.h_last)
    np.testing.assert_allclose(np.concatenate([first.zs, second.zs]), whole.zs, rtol=1e-12, atol=1e-14)
    if cell == "lstm":
        state = second.h_last if isinstance(hidden, int) else second.h_last[-1]
        assert isinstance(state, tuple) and len(state) == 2
    # the gradients of a window with a carried state equal bptt with that state as h0
    _, g1, fwd1 = bptt_with_state(p, xs[3:], y[3:], first.h_last)
    _, g2 = bptt(p, xs[3:], y[3:], first.h_last)
    np.testing.assert_array_equal(g1.flatten(), g2.flatten())


@pytest.mark.parametrize("cell", CELLS)
def test_training_on_windows_lowers_the_loss(cell):
    xs, y = data(3)
    p = init_params(D, [H, H], O, cell=cell, seed=0)
    hist = train(p, xs, y, lr=0.5, epochs=30, seq_len=3, clip_norm=5.0)
    assert hist.stop_reason == "max_epochs" and len(hist.losses) == 30 * 3
    assert hist.epoch_losses[-1] < 0.7 * hist.epoch_losses[0]
    assert type(hist.params) is type(p)
    # the windowed loop carries the state: its first update equals bptt on the first window
    loss0, g0 = bptt(p, xs[:3], y[:3])
    assert hist.losses[0] == pytest.approx(loss0, rel=1e-12)


@pytest.mark.parametrize("cell", CELLS)
def test_clipping_and_sgd_step_accept_gated_grads(cell):
    p = init_params(D, H, O, cell=cell)
    xs, y = data()
    _, g = bptt(p, xs, y)
    clipped, norm = clip_by_norm(g, 1e-3)
    assert type(clipped) is type(g) and norm > 1e-3
    assert np.sqrt(np.sum(clipped.flatten() ** 2)) == pytest.approx(1e-3)
    assert np.abs(clip_by_value(g, 1e-4).flatten()).max() <= 1e-4
    new = sgd_step(p, g, 0.1)
    np.testing.assert_allclose(new.flatten(), p.flatten() - 0.1 * g.flatten())
    with pytest.raises(TypeError, match="expected LSTMParams like params|expected GRUParams like params"):
        sgd_step(p, init_params(D, H, O).map(np.zeros_like), 0.1)


@pytest.mark.parametrize("cell", CELLS)
def test_hidden_grad_norms_match_finite_differences_of_h(cell):
    """||dL/dh_t|| from hidden_grad_norms equals the norm of a numerical dL/dh_t: perturb h_t by
    running the sequence in two windows and nudging the carried state."""
    p = init_params(D, H, O, cell=cell, seed=1)
    xs, y = data()
    norms = rnn_edu.hidden_grad_norms(p, xs, y[-1])
    t = 4
    head = forward(p, xs[:t + 1]).h_last
    def loss_from(h):
        state = (h, head[1]) if cell == "lstm" else h
        return rnn_edu.bptt(p, xs[t + 1:], y[-1], state, many_to_one=True)[0]
    h = (head[0] if cell == "lstm" else head).copy()
    num = np.zeros_like(h)
    for i in np.ndindex(h.shape):
        up, down = h.copy(), h.copy()
        up[i] += 1e-6
        down[i] -= 1e-6
        num[i] = (loss_from(up) - loss_from(down)) / 2e-6
    assert norms[t] == pytest.approx(np.linalg.norm(num), rel=1e-6)
    if cell == "lstm":
        hn, cn = rnn_edu.hidden_grad_norms(p, xs, y[-1], cell_state=True)
        np.testing.assert_array_equal(hn, norms)
        assert cn.shape == (T,) and np.all(cn > 0)


def test_activation_is_for_the_plain_rnn_only():
    p = init_params(D, H, O, cell="lstm")
    with pytest.raises(ValueError, match="plain RNN only"):
        forward(p, data()[0], activation="relu")


@pytest.mark.parametrize("bad, match", [
    (lambda: LSTMParams(np.zeros((12, 3)), np.zeros((16, 4)), np.zeros(16), np.zeros((3, 4)), np.zeros(3)),
     r"W_F: expected shape \(4H, D\) with H = 4"),
    (lambda: LSTMParams(np.zeros((16, 3)), np.zeros((4, 4)), np.zeros(16), np.zeros((3, 4)), np.zeros(3)),
     r"W_R: expected shape \(4H, H\) \(i, f, g, o stacked\)"),
    (lambda: GRUParams(np.zeros((12, 3)), np.zeros((12, 4)), np.zeros(12), np.zeros(4), np.zeros((3, 4)),
                       np.zeros(3)), r"b_R: expected shape \(3H,\) = \(12,\)"),
    (lambda: StackedLSTMParams([np.zeros((16, 3)), np.zeros((16, 5))], [np.zeros((16, 4))] * 2,
                               [np.zeros(16)] * 2, np.zeros((3, 4)), np.zeros(3)),
     r"layer 1 W_F: expected shape \(4H, 4\)"),
    (lambda: init_params(D, H, O, cell="lstmm"), r"cell: expected one of \['gru', 'lstm', 'rnn'\]"),
    (lambda: init_params(D, H, O, cell="lstm", forget_bias=float("nan")), "forget_bias: expected a finite"),
    (lambda: init_params(D, H, O, cell="gru", update_bias=float("inf")), "update_bias: expected a finite"),
    (lambda: init_params(D, H, O, cell="gru", update_bias="3"), "update_bias: expected a finite number, got '3'"),
    (lambda: init_params(D, H, O, cell="gru", update_bias=True), "update_bias: expected a finite"),
])
def test_wrong_params_give_clear_messages(bad, match):
    with pytest.raises((ValueError, TypeError), match=match):
        bad()


def test_wrong_states_give_clear_messages():
    xs, y = data()
    lstm = init_params(D, H, O, cell="lstm")
    with pytest.raises(ValueError, match=r"h0: expected the LSTM state \(h, c\), two arrays of shape "
                                         r"\(B, H\) = \(2, 4\), got a ndarray of shape \(2, 4\)"):
        forward(lstm, xs, np.zeros((B, H)))
    with pytest.raises(ValueError, match=r"h0\[1\] \(c\): expected shape \(B, H\)"):
        forward(lstm, xs, (np.zeros((B, H)), np.zeros((B, H + 1))))
    gru = init_params(D, [H, 5], O, cell="gru")
    with pytest.raises(ValueError, match=r"h0: expected one initial state per layer \(2\), got 1"):
        forward(gru, xs, [np.zeros((B, H))])
    with pytest.raises(ValueError, match=r"h0\[1\]: expected shape \(B, H\) with B = 2 \(from xs\), H = 5"):
        forward(gru, xs, [np.zeros((B, H)), np.zeros((B, H))])
    with pytest.raises(ValueError, match=r"xs: expected shape \(T, B, D\) with D = 3"):
        bptt(gru, np.zeros((T, B, 4)), y)
    with pytest.raises(TypeError, match="expected RNNParams, LSTMParams or GRUParams"):
        forward({"W_F": 1}, xs)
