"""Momentum, Adagrad and Adam: each update against its formula, and against torch.optim."""
import numpy as np
import pytest

from optional import torch_or_skip

from rnn_edu import bptt, init_params, sgd_step, train
from rnn_edu.data import text_task
from rnn_edu.optim import Adagrad, Adam, AdamW, Momentum


def _grads(params, k, seed=0):
    """k containers of random 'gradients' shaped like params."""
    rng = np.random.default_rng(seed)
    return [params.map(lambda a: rng.normal(size=a.shape)) for _ in range(k)]


def _run(opt, params, grads):
    out = []
    for g in grads:
        params = opt.step(params, g)
        out.append(params)
    return out


def test_momentum_follows_its_formula():
    p = init_params(3, 4, 2, seed=0)
    gs = _grads(p, 3)
    got = _run(Momentum(0.1, momentum=0.9), p, gs)
    W, b = p.W_R.copy(), np.zeros_like(p.W_R)
    for t, g in enumerate(gs):
        b = g.W_R if t == 0 else 0.9 * b + g.W_R          # b_1 = g_1, b_t = mu b_{t-1} + g_t
        W = W - 0.1 * b
        np.testing.assert_allclose(got[t].W_R, W, rtol=0, atol=1e-15)


def test_adagrad_follows_its_formula():
    p = init_params(3, 4, 2, seed=0)
    gs = _grads(p, 3)
    got = _run(Adagrad(0.5), p, gs)
    W, s = p.W_F.copy(), 0.0
    for t, g in enumerate(gs):
        s = s + g.W_F ** 2
        W = W - 0.5 * g.W_F / (np.sqrt(s) + 1e-10)
        np.testing.assert_allclose(got[t].W_F, W, rtol=0, atol=1e-14)
    # the first step moves every entry by lr * sign(g) (up to eps)
    np.testing.assert_allclose(got[0].b_o - p.b_o, -0.5 * np.sign(gs[0].b_o), atol=1e-9)


def test_adam_follows_its_formula():
    p = init_params(3, 4, 2, seed=0)
    gs = _grads(p, 4)
    got = _run(Adam(0.01), p, gs)
    W, m, v = p.W_O.copy(), 0.0, 0.0
    for t, g in enumerate(gs, start=1):
        m = 0.9 * m + 0.1 * g.W_O
        v = 0.999 * v + 0.001 * g.W_O ** 2
        W = W - 0.01 * (m / (1 - 0.9 ** t)) / (np.sqrt(v / (1 - 0.999 ** t)) + 1e-8)
        np.testing.assert_allclose(got[t - 1].W_O, W, rtol=1e-13, atol=1e-15)
    # the first bias-corrected step is lr * g / (|g| + eps): about lr in size
    np.testing.assert_allclose(np.abs(got[0].b_h - p.b_h), 0.01, rtol=1e-6)


def test_defaults():
    """Adagrad's and Adam's defaults are torch.optim's; Momentum's mu = 0.9 is not (torch.optim.SGD: 0)."""
    assert Momentum(0.1).momentum == 0.9
    assert Adagrad(0.1).eps == 1e-10
    a = Adam(0.1)
    assert a.betas == (0.9, 0.999) and a.eps == 1e-8


@pytest.mark.torch
def test_which_defaults_are_torchs():
    import inspect
    torch = torch_or_skip()
    default = {name: {k: p.default for k, p in inspect.signature(getattr(torch.optim, name)).parameters.items()}
               for name in ("SGD", "Adagrad", "Adam")}
    assert default["Adagrad"]["eps"] == Adagrad(0.1).eps
    assert tuple(default["Adam"]["betas"]) == Adam(0.1).betas and default["Adam"]["eps"] == Adam(0.1).eps
    assert default["SGD"]["momentum"] == 0 != Momentum(0.1).momentum


@pytest.mark.torch
@pytest.mark.parametrize("make", ["momentum", "adagrad", "adam", "adamw"])
def test_matches_torch_optim_over_several_steps(make):
    torch = torch_or_skip()
    p = init_params(5, 6, 4, seed=2, spectral_radius=0.9)
    p = p.map(lambda a: a + 0.01)                      # non-zero biases too
    gs = _grads(p, 6, seed=3)
    ours, tor = {
        "momentum": (Momentum(0.05, momentum=0.8), lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.8)),
        "adagrad": (Adagrad(0.05), lambda ps: torch.optim.Adagrad(ps, lr=0.05)),
        "adam": (Adam(0.01, betas=(0.8, 0.99)), lambda ps: torch.optim.Adam(ps, lr=0.01, betas=(0.8, 0.99))),
        "adamw": (AdamW(0.01, betas=(0.8, 0.99), weight_decay=0.5),
                  lambda ps: torch.optim.AdamW(ps, lr=0.01, betas=(0.8, 0.99), weight_decay=0.5)),
    }[make]
    names = list(p.named_arrays())
    tp = [torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in p.named_arrays().values()]
    topt = tor(tp)
    q = p
    for g in gs:
        q = ours.step(q, g)
        for t, n in zip(tp, names):
            t.grad = torch.tensor(g.named_arrays()[n], dtype=torch.float64)
        topt.step()
        for t, n in zip(tp, names):
            np.testing.assert_allclose(q.named_arrays()[n], t.detach().numpy(), rtol=0, atol=1e-12)
    assert not np.allclose(q.W_R, p.W_R)               # it did move


@pytest.mark.parametrize("opt", [Momentum(0.1), Adagrad(0.1), Adam(0.01)], ids=repr)
def test_works_for_stacked_params_and_keeps_inputs(opt):
    p = init_params(3, [4, 5], 3, seed=0)
    g = _grads(p, 1)[0]
    before = p.copy()
    q = opt.step(p, g)
    assert type(q) is type(p) and q.n_hidden == [4, 5]
    for n, a in p.named_arrays().items():
        np.testing.assert_array_equal(a, before.named_arrays()[n])      # params not changed
        assert not np.array_equal(q.named_arrays()[n], a)


def test_float32_stays_float32():
    p = init_params(3, 4, 2, seed=0, dtype=np.float32)
    q = Adam(0.01).step(p, _grads(p, 1)[0].astype(np.float32))
    assert q.dtype == np.float32


def test_bad_inputs_have_clear_messages():
    with pytest.raises(ValueError, match="lr: expected a positive finite number"):
        Adam(-1)
    with pytest.raises(ValueError, match=r"momentum: expected a number in \[0, 1\)"):
        Momentum(0.1, momentum=1.5)
    with pytest.raises(ValueError, match="betas: expected two numbers"):
        Adam(0.1, betas=(0.9,))
    with pytest.raises(ValueError, match="eps: expected a positive"):
        Adagrad(0.1, eps=0)
    p, q = init_params(3, 4, 2), init_params(3, [4, 4], 2)
    with pytest.raises(TypeError, match="grads: expected RNNParams like params, got StackedRNNParams"):
        Adam(0.1).step(p, q)
    with pytest.raises(ValueError, match=r"grads.W_F: expected shape \(4, 3\) like params.W_F, got \(5, 3\)"):
        Adam(0.1).step(p, init_params(3, 5, 2))
    opt = Adam(0.1)
    opt.step(p, p)
    with pytest.raises(ValueError, match="make a new optimiser for a new model"):
        opt.step(q, q)


def test_train_takes_an_optimizer():
    xs, y, vocab = text_task("abcabcabcabcabcabcabcabc")
    p = init_params(len(vocab), 8, len(vocab), seed=0)
    hist = train(p, xs, y, optimizer=Adam(0.05), epochs=30, seq_len=6)
    assert hist.losses[-1] < 0.1 * hist.losses[0]
    # the same as stepping by hand
    opt, q, h = Adam(0.05), p, None
    from rnn_edu.gradients import bptt_with_state
    for w in [slice(0, 6), slice(6, 12)]:
        _, g, f = bptt_with_state(q, xs[w], y[w], h)
        q, h = opt.step(q, g), f.h_last
    h3 = train(p, xs[:12], y[:12], optimizer=Adam(0.05), epochs=1, seq_len=6)
    np.testing.assert_allclose(h3.params.W_R, q.W_R, rtol=1e-12)
    with pytest.raises(ValueError, match="expected one of them"):
        train(p, xs, y, lr=0.1, optimizer=Adam(0.1))
    with pytest.raises(TypeError, match=r"optimizer: expected an object with .step"):
        train(p, xs, y, optimizer="adam")
    with pytest.raises(ValueError, match="lr: expected a positive finite number"):
        train(p, xs, y)
    # sgd_step is unchanged: W - lr g
    _, g = bptt(p, xs, y)
    np.testing.assert_allclose(sgd_step(p, g, 0.1).W_F, p.W_F - 0.1 * g.W_F)


def test_adamw_shrinks_the_weights_then_takes_adams_step():
    p = init_params(5, 6, 4, seed=2, spectral_radius=0.9)
    g = _grads(p, 1, seed=3)[0]
    ours = AdamW(0.01, weight_decay=0.5).step(p, g)
    plain = Adam(0.01).step(p.map(lambda a: a * (1 - 0.01 * 0.5)), g)
    for n, a in ours.named_arrays().items():
        np.testing.assert_array_equal(a, plain.named_arrays()[n])
    assert not np.allclose(ours.W_R, Adam(0.01).step(p, g).W_R)      # the decay did act
    with pytest.raises(ValueError, match="weight_decay: expected a number >= 0, got -1"):
        AdamW(0.01, weight_decay=-1)
