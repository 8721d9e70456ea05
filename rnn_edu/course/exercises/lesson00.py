"""Lesson 00 warm-up: the shapes of the arrays, time-major.

    check_shapes(answer, T, B, D, H, O)   answer = {"xs": shape, "hs": shape, "zs": shape}
"""
import numpy as np

from rnn_edu import forward, init_params
from . import ExerciseResult, answer_value, run_checks

NAMES = {"xs": "the inputs x_1..x_T", "hs": "the hidden states h_1..h_T", "zs": "the output scores z_1..z_T"}


def expected_shapes(T, B, D, H, O):
    """The shapes rnn_edu itself produces, read off a real forward pass."""
    xs = np.zeros((T, B, D))
    result = forward(init_params(D, H, O, seed=0), xs)
    return {"xs": xs.shape, "hs": result.hs.shape, "zs": result.zs.shape}


def _diagnose(name, got, want, sizes):
    """(ok, hint) for one array's shape."""
    try:
        got = tuple(int(s) for s in got)
    except (TypeError, ValueError):
        return False, f"the shape of {name} should be a tuple of whole numbers, got {got!r}."
    if got == want:
        return True, ""
    T, B = sizes["T"], sizes["B"]
    if len(got) != 3:
        return False, f"{name} ({NAMES[name]}) has three axes: time, batch, features; you gave {len(got)}."
    if got == (want[1], want[0], want[2]) and T != B:
        return False, (f"{name}: the course is time-major, so time comes first: (T, B, ...) = {want}, "
                       f"not (B, T, ...) = {got}.")
    if got[:2] == want[:2]:
        return False, (f"{name}: time and batch are right; the last axis of {NAMES[name]} "
                       f"has the wrong size ({got[2]}, expected {want[2]}).")
    return False, f"{name}: expected {want}, got {got}."


def check_shapes(answer, T=10, B=4, D=3, H=8, O=2):
    """Check {"xs": ..., "hs": ..., "zs": ...} (or a zero-argument function returning it)
    against the shapes of a real forward pass."""
    answer, stub = answer_value(answer, "my_shapes")
    if stub:
        return stub
    if not isinstance(answer, dict):
        return ExerciseResult(False, f"expected a dict with keys 'xs', 'hs', 'zs', got {type(answer).__name__}.")
    missing = [k for k in NAMES if k not in answer]
    if missing:
        return ExerciseResult(False, f"your dict is missing {', '.join(missing)}: give all of 'xs', 'hs', 'zs'.")
    want = expected_shapes(T, B, D, H, O)
    sizes = dict(T=T, B=B, D=D, H=H, O=O)
    return run_checks([(f"shape of {name}", lambda name=name: _diagnose(name, answer[name], want[name], sizes))
                       for name in NAMES])
