"""Clipping by norm keeps the direction; clipping by value can turn it."""
import math

import numpy as np
import pytest

from rnn_edu import RNNParams, clip_by_norm, clip_by_value, global_norm, init_params


def grads_of(values):
    """A gradient container whose entries are the given 1-D values spread over the arrays."""
    template = init_params(2, 2, 1, seed=0)
    return template.unflatten(np.asarray(values, dtype=float))


def test_clip_by_norm_rescales_to_threshold_and_keeps_direction():
    g = grads_of(np.arange(1.0, 14.0))
    before = g.flatten().copy()
    clipped, norm = clip_by_norm(g, 5.0)
    assert norm == pytest.approx(math.sqrt(sum(i * i for i in range(1, 14))))
    assert global_norm(clipped) == pytest.approx(5.0, rel=1e-12)
    cos = clipped.flatten() @ before / (np.linalg.norm(clipped.flatten()) * np.linalg.norm(before))
    assert cos == pytest.approx(1.0, abs=1e-12)
    np.testing.assert_array_equal(g.flatten(), before)          # input not mutated
    assert clipped.W_F is not g.W_F


def test_clip_by_norm_below_threshold_changes_nothing():
    g = grads_of(np.full(13, 0.1))
    clipped, norm = clip_by_norm(g, 10.0)
    assert norm == pytest.approx(0.1 * math.sqrt(13))
    np.testing.assert_array_equal(clipped.flatten(), g.flatten())
    assert clipped.W_R is not g.W_R


def test_clip_by_value_can_change_direction():
    v = np.zeros(13)
    v[0], v[1] = 10.0, 1.0                    # mostly along the first axis
    clipped = clip_by_value(grads_of(v), 1.0)
    c = clipped.flatten()
    assert c.max() <= 1.0 and c.min() >= -1.0
    assert c[0] == 1.0 and c[1] == 1.0          # now at 45 degrees: the direction turned
    cos = c @ v / (np.linalg.norm(c) * np.linalg.norm(v))
    assert cos < 0.8


def test_clipping_keeps_float32():
    g = init_params(2, 3, 1, seed=0, dtype=np.float32).map(lambda a: a * 100)
    assert clip_by_norm(g, 1.0)[0].W_R.dtype == np.float32
    assert clip_by_value(g, 1.0).W_R.dtype == np.float32


@pytest.mark.parametrize("bad", [0, -1.0, float("nan"), float("inf"), "5", None, True])
def test_bad_threshold_raises(bad):
    g = grads_of(np.ones(13))
    with pytest.raises(ValueError, match="max_norm"):
        clip_by_norm(g, bad)
    with pytest.raises(ValueError, match="limit"):
        clip_by_value(g, bad)


def test_clip_accepts_rnnparams_built_by_hand():
    g = RNNParams(W_F=[[3.0]], W_R=[[4.0]], b_h=[0.0], W_O=[[0.0]], b_o=[0.0])
    clipped, norm = clip_by_norm(g, 1.0)
    assert norm == 5.0
    assert clipped.W_F[0, 0] == pytest.approx(0.6) and clipped.W_R[0, 0] == pytest.approx(0.8)
