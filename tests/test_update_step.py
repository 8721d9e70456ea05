"""`rnn_edu.training.update`: the one step that `train` and lesson 08's `train_lm` both take."""
import numpy as np
import pytest

from rnn_edu import bptt, clip_by_norm, clip_by_value, forward, init_params, sgd_step, train
from rnn_edu.data import delayed_echo_task
from rnn_edu.lm.batching import batches
from rnn_edu.lm.training import train_lm
from rnn_edu.optim import Adam
from rnn_edu.training import update


def _same(a, b):
    return all(np.array_equal(x, b.named_arrays()[n]) for n, x in a.named_arrays().items())


@pytest.mark.parametrize("clip", [{}, {"clip_norm": 0.5}, {"clip_value": 0.01}])
def test_update_is_bptt_then_clip_then_step(clip):
    xs, t = delayed_echo_task(4, 12, seed=1)
    p = init_params(4, 8, 4, seed=2, spectral_radius=1.5)
    h0 = forward(p, xs[:5]).h_last
    new, value, g, g_clipped, h_T = update(p, xs[5:], t[5:], h0, lambda q, d: sgd_step(q, d, 0.1), **clip)
    loss, grads = bptt(p, xs[5:], t[5:], h0)
    want = clip_by_norm(grads, clip["clip_norm"])[0] if "clip_norm" in clip else \
        clip_by_value(grads, clip["clip_value"]) if "clip_value" in clip else grads
    assert value == loss and _same(g, grads) and _same(g_clipped, want)
    assert _same(new, sgd_step(p, want, 0.1))
    assert np.array_equal(h_T, forward(p, xs[5:], h0).h_last)
    if clip:
        assert not _same(g_clipped, grads)          # the clipping really acted on these gradients


def test_train_is_update_over_the_windows_of_each_epoch():
    xs, t = delayed_echo_task(4, 12, seed=1)
    p = init_params(4, 8, 4, seed=2)
    hist = train(p, xs, t, lr=0.2, epochs=2, seq_len=5, clip_norm=1.0)
    q, losses = p, []
    for _ in range(2):
        h = None
        for s in range(0, 12, 5):
            q, value, _, _, h = update(q, xs[s:s + 5], t[s:s + 5], h, lambda a, d: sgd_step(a, d, 0.2),
                                       clip_norm=1.0)
            losses.append(value)
    assert hist.losses == losses and _same(hist.params, q)


@pytest.mark.parametrize("partition", ["sequential", "random"])
def test_train_lm_is_update_over_the_batches(partition):
    rng = np.random.default_rng(0)
    ids, V = rng.integers(0, 7, size=600), 7
    p = init_params(V, 6, V, seed=0)
    hist = train_lm(p, ids, ids[:50], optimizer=Adam(0.01), batch_size=3, num_steps=8, partition=partition,
                    clip_norm=0.5, max_steps=4, eval_every=10, seed=5)
    q, opt, h, norms = p, Adam(0.01), None, []
    for k, (xs, targets) in zip(range(4), batches(ids, 3, 8, V, partition=partition, seed=5, dtype=p.dtype)):
        q, value, g, _, h = update(q, xs, targets, h if partition == "sequential" else None, opt.step,
                                   clip_norm=0.5)
        norms.append(np.sqrt(sum(np.sum(a.astype(np.float64) ** 2) for a in g.named_arrays().values())))
    assert hist.steps == 4 and _same(hist.params, q)
    np.testing.assert_allclose(hist.norms, norms, rtol=1e-12)
