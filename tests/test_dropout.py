"""Dropout on the output connection: the gradient with a fixed mask, the mask's statistics,
train_lm's use of it, and PyTorch's agreement on the same mask."""
import numpy as np
import pytest

import rnn_edu
from rnn_edu.dropout import dropout_mask
from rnn_edu.gradients import bptt
from optional import torch_or_skip


def _case(cell, seed=0):
    rng = np.random.default_rng(seed)
    T, B, D, H = 5, 3, 4, 6
    p = rnn_edu.init_params(D, H, D, seed=seed, cell=cell)
    xs = rng.standard_normal((T, B, D))
    ys = rng.integers(0, D, size=(T, B))
    return p, xs, ys, dropout_mask(rng, (T, B, H), 0.4, np.float64)


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_the_gradient_with_a_mask_matches_central_differences(cell):
    p, xs, ys, m = _case(cell)
    loss, g = bptt(p, xs, ys, dropout_mask=m)
    arrays, eps = p.named_arrays(), 1e-6
    for name in ("W_F", "W_R", "W_O", "b_o"):
        a = arrays[name]
        num = np.zeros_like(a)
        for idx in np.ndindex(a.shape):
            old = a[idx]
            a[idx] = old + eps
            up = bptt(p, xs, ys, dropout_mask=m)[0]
            a[idx] = old - eps
            down = bptt(p, xs, ys, dropout_mask=m)[0]
            a[idx] = old
            num[idx] = (up - down) / (2 * eps)
        got = g.named_arrays()[name]
        assert np.max(np.abs(got - num)) <= 1e-7 * max(1.0, np.max(np.abs(num))), name


def test_the_mask_changes_the_loss_and_all_ones_changes_nothing():
    p, xs, ys, m = _case("lstm")
    plain, g0 = bptt(p, xs, ys)
    ones, g1 = bptt(p, xs, ys, dropout_mask=np.ones_like(m))
    assert ones == pytest.approx(plain, rel=1e-14)
    for a, b in zip(g0.named_arrays().values(), g1.named_arrays().values()):
        np.testing.assert_allclose(a, b, rtol=1e-13, atol=1e-15)
    assert bptt(p, xs, ys, dropout_mask=m)[0] != pytest.approx(plain, rel=1e-6)


def test_the_mask_keeps_1_minus_p_scaled_by_its_inverse():
    m = dropout_mask(np.random.default_rng(1), (50, 32, 64), 0.25)
    assert set(np.unique(m)) == {0.0, np.float32(1 / 0.75)}
    assert np.mean(m == 0) == pytest.approx(0.25, abs=0.01)
    assert np.mean(m) == pytest.approx(1.0, abs=0.02)       # the expected input is unchanged
    for bad in (-0.1, 1.0, "0.2", None):
        with pytest.raises(ValueError, match="0 <= p < 1"):
            dropout_mask(np.random.default_rng(0), (2, 2, 2), bad)


def test_a_mask_of_the_wrong_shape_is_refused_by_name():
    p, xs, ys, m = _case("rnn")
    with pytest.raises(ValueError, match=r"dropout_mask: expected the shape of the hidden states \(5, 3, 6\)"):
        bptt(p, xs, ys, dropout_mask=m[:, :2])


def test_train_lm_with_dropout_is_seeded_and_differs_from_none():
    from rnn_edu.lm.training import train_lm
    from rnn_edu.optim import Adam
    ids = np.random.default_rng(0).integers(0, 7, size=3000)
    runs = []
    for d in (0.0, 0.3, 0.3):
        p = rnn_edu.init_params(7, 8, 7, seed=0, cell="lstm")
        h = train_lm(p, ids, ids[:500], optimizer=Adam(1e-2), batch_size=4, num_steps=10, max_steps=5,
                     eval_every=5, seed=0, dropout=d)
        runs.append(h.train_loss)
    assert runs[1] == runs[2] and runs[0] != runs[1]


@pytest.mark.torch
def test_torch_agrees_on_the_same_mask():
    torch = torch_or_skip()
    from rnn_edu.torch_interop import params_to_torch
    p, xs, ys, m = _case("lstm")
    loss, g = bptt(p, xs, ys, dropout_mask=m)
    rnn, head = params_to_torch(p)
    out, _ = rnn(torch.from_numpy(xs))
    z = head(out * torch.from_numpy(m))
    tl = torch.nn.functional.cross_entropy(z.reshape(-1, z.shape[-1]), torch.from_numpy(ys).reshape(-1),
                                           reduction="sum") / xs.shape[1]
    tl.backward()
    assert tl.item() == pytest.approx(loss, rel=1e-12)
    np.testing.assert_allclose(head.weight.grad.numpy(), g.W_O, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(rnn.weight_hh_l0.grad.numpy(), g.W_R, rtol=1e-10, atol=1e-12)
