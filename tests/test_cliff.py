"""The cliff surface of a one-unit RNN: BPTT gradient, the wall, and descent with/without clipping."""
import numpy as np
import pytest

from rnn_edu import clip_by_norm, global_norm


from rnn_edu.studies import cliff
@pytest.mark.parametrize("w, b", [(5.0, -2.0), (3.0, -1.0), (1.0, 0.5), (7.0, -4.0), (6.0, -2.0)])
def test_cliff_gradient_matches_finite_differences_away_from_the_wall(w, b):
    eps = 1e-6
    _, grad = cliff.cliff_gradient(w, b)
    numeric = np.array([cliff.cliff_loss(w + eps, b) - cliff.cliff_loss(w - eps, b),
                        cliff.cliff_loss(w, b + eps) - cliff.cliff_loss(w, b - eps)]) / (2 * eps)
    rel = np.abs(grad - numeric) / np.maximum(1e-12, np.abs(grad) + np.abs(numeric))
    assert rel.max() < 1e-6


def test_loss_of_gradient_and_forward_and_surface_agree():
    ws, bs = np.array([1.0, 4.5, 6.0]), np.array([-3.0, -1.0])
    surface = cliff.loss_surface(ws, bs)
    assert surface.shape == (2, 3)
    for i, b in enumerate(bs):
        for j, w in enumerate(ws):
            loss, _ = cliff.cliff_gradient(w, b)
            assert surface[i, j] == pytest.approx(cliff.cliff_loss(w, b), rel=1e-12, abs=1e-15)
            assert loss == pytest.approx(surface[i, j], rel=1e-12, abs=1e-15)


def test_the_wall_exists():
    w = 6.0                                   # wall on b = -w/2
    below, above = cliff.cliff_loss(w, -w / 2 - 1e-4), cliff.cliff_loss(w, -w / 2 + 1e-4)
    assert below - above > 0.3                # a jump of the loss over a change of 2e-4 in b
    _, g_far = cliff.cliff_gradient(5.0, -2.5 - 1e-2)
    _, g_wall = cliff.cliff_gradient(5.0, -2.5 - 1e-5)
    assert np.linalg.norm(g_wall) > 1000 * np.linalg.norm(g_far)


def test_pack_unpack_and_clipping_act_on_the_2d_gradient():
    g = cliff.pack_wb(4.0, 1.5)
    np.testing.assert_array_equal(cliff.unpack_wb(g), [4.0, 1.5])
    assert global_norm(g) == pytest.approx(np.hypot(4.0, 1.5))
    clipped = cliff.unpack_wb(clip_by_norm(g, 2.0)[0])
    np.testing.assert_allclose(clipped, np.array([4.0, 1.5]) * 2.0 / np.hypot(4.0, 1.5))


def _demo(clip):
    d = dict(cliff.DEMO)
    nu = d.pop("clip_norm")
    return cliff.descend(**d, clip_norm=nu if clip else None), d["lr"] * nu


def test_descend_with_clipping_never_steps_further_than_lr_nu_and_ends_low():
    path, bound = _demo(clip=True)
    assert path.points.shape == (cliff.DEMO["steps"] + 1, 2)
    assert path.step_lengths.max() <= bound * (1 + 1e-12)
    assert path.norms.max() > 100                  # it did meet the wall
    assert path.losses[-1] < 0.01


def test_descend_without_clipping_takes_a_huge_step_on_the_wall():
    plain, bound = _demo(clip=False)
    clipped, _ = _demo(clip=True)
    k = int(np.argmax(plain.step_lengths))
    assert plain.step_lengths[k] > 1000 * bound   # flung far away
    np.testing.assert_allclose(plain.points[:k + 1], clipped.points[:k + 1])   # same path until then
    assert plain.losses[-1] > 0.05 > clipped.losses[-1]


def test_descend_rejects_bad_arguments():
    with pytest.raises(ValueError, match="lr"):
        cliff.descend(1.0, 0.0, lr=-1.0, steps=3)
    with pytest.raises(ValueError, match="steps"):
        cliff.descend(1.0, 0.0, lr=1.0, steps=0)
