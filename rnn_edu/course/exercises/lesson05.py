"""Lesson 05 exercise: implement clipping by the global norm.

    g <- g * nu / ||g||   when ||g|| > nu,    ||g|| = sqrt(sum over ALL parameters of g_i^2)

`check_clip_by_norm(fn)` compares the learner's fn(grads, max_norm) with rnn_edu.clip_by_norm;
`library_clip_by_norm` is that function with the exercise's signature (the fallback).
"""
import numpy as np

from rnn_edu.clipping import clip_by_norm, clip_by_value, global_norm
from rnn_edu.params import RNNParams, init_params
from . import ExerciseResult, call_unchanged, function_name, reads_result, run_checks


def library_clip_by_norm(grads, max_norm):
    """rnn_edu.clip_by_norm with the exercise's signature: the clipped gradients only."""
    return clip_by_norm(grads, max_norm)[0]


def _grads(scale, seed):
    """A gradient container with random entries (D=3, H=4, O=2) times `scale`."""
    rng = np.random.default_rng(seed)
    return init_params(3, 4, 2, seed=seed).map(lambda a: scale * rng.normal(size=a.shape))


def as_clipped(out):
    """The learner's result as the clipped RNNParams that later cells use: an RNNParams, or a
    (clipped, norm) pair as rnn_edu.clip_by_norm returns it. TypeError for anything else."""
    if isinstance(out, (tuple, list)) and len(out) == 2 and isinstance(out[0], RNNParams):
        out = out[0]
    if not isinstance(out, RNNParams):
        raise TypeError(f"expected an RNNParams of clipped gradients (or the pair (clipped, norm)), "
                        f"got {type(out).__name__}.")
    return out


def _per_parameter(grads, nu):
    """The classic mistake: each array clipped by its own norm."""
    def clip(a):
        n = np.linalg.norm(a)
        return a * nu / n if n > nu else a.copy()
    return grads.map(clip)


def _diagnose(got, grads, nu):
    """(ok, hint) comparing the learner's result with clip_by_norm(grads, nu)."""
    want, norm = clip_by_norm(grads, nu)
    g, w = got.flatten(), want.flatten()
    if np.allclose(g, w, rtol=1e-9, atol=1e-12):
        return True, ""
    if norm <= nu and np.isclose(global_norm(got), nu):
        return False, (f"||g|| = {norm:.3f} is already below nu = {nu}, so the gradient must pass "
                       f"unchanged; you rescaled even below the threshold.")
    if np.allclose(g, _per_parameter(grads, nu).flatten()):
        return False, ("you clipped each parameter by its own norm instead of the global norm "
                       "||g|| taken over all parameters together (W_F, W_R, b_h, W_O, b_o).")
    if np.allclose(g, clip_by_value(grads, nu).flatten()):
        return False, "you clipped each entry to [-nu, nu] (clip by value); rescale the whole vector instead."
    if np.allclose(g, grads.flatten() * nu):
        return False, "you multiplied by nu but did not divide by ||g||: the factor is nu / ||g||."
    if np.allclose(g, grads.flatten() * norm / nu):
        return False, "the factor is upside down: multiply by nu / ||g||, not ||g|| / nu."
    if np.allclose(g, grads.flatten() / norm):
        return False, "you normalised to length 1; the clipped gradient should have length nu."
    return False, (f"the clipped entries differ from rnn_edu.clip_by_norm by up to "
                   f"{np.max(np.abs(g - w)):.3g}; expected global norm {global_norm(want):.4f}, "
                   f"got {global_norm(got):.4f}.")


def _case(fn, grads, nu):
    def check():
        out, hint = call_unchanged(fn, (grads, nu), ("grads", "max_norm"))
        if hint:
            return False, hint + " Here grads.map(...) makes the new container."
        try:
            got = as_clipped(out)
        except TypeError as exc:
            return False, str(exc)
        return _diagnose(got, grads, nu)
    return check


@reads_result(as_clipped)
def check_clip_by_norm(fn):
    """Check fn(grads, max_norm) -> clipped RNNParams against rnn_edu.clip_by_norm."""
    if not callable(fn):
        return ExerciseResult(False, f"expected a function fn(grads, max_norm), got {type(fn).__name__}.")
    big, small = _grads(3.0, seed=1), _grads(0.01, seed=2)
    lopsided = _grads(0.01, seed=3)
    lopsided.W_R[0, 0] = 50.0                       # one huge entry: per-parameter clipping differs
    return run_checks([
        ("a large gradient (||g|| > nu)", _case(fn, big, 1.0)),
        ("a small gradient (||g|| < nu)", _case(fn, small, 1.0)),
        ("one parameter with a huge gradient", _case(fn, lopsided, 5.0)),
        ("another threshold", _case(fn, big, 2.5)),
    ], function_name(fn))
