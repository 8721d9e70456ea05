"""Lesson 07 exercise: backward through one LSTM step (CS231n's `lstm_step_backward`, in the course's notation).

    lstm_step_backward(dh_t, dc_t, cache) -> (dx_t, dh_prev, dc_prev, dW_F, dW_R, db_h)

    cache = (x_t, h_prev, c_prev, gates, tanh_c, W_F, W_R), as rnn_edu.cells.lstm.step_forward returns it:
            gates (B, 4H) = [i, f, g, o] after their squashing functions, tanh_c = tanh(c_t) (B, H)
    dh_t (B, H): the total dL/dh_t;   dc_t (B, H): the gradient reaching c_t from step t+1
    dx_t (B, D), dh_prev, dc_prev (B, H), dW_F (4H, D), dW_R (4H, H), db_h (4H,)

`check_lstm_step_backward` compares the learner's six gradients with rnn_edu.cells.lstm.step_backward
on three examples (B = 1 among them, H != D, D != 4H, so a transposed product shows in the shape),
checks them against central differences of the step forward, and names the likely wrong term
(`_SLIPS`: each is the library's backward with one known slip), or else the gate blocks whose rows
of the weight gradients differ. A float32 answer is held to float32's precision (precision.py).
`library_lstm_step_backward` is step_backward itself (the fallback).
"""
from itertools import permutations

import numpy as np

from rnn_edu.cells.lstm import step_backward, step_forward
from rnn_edu.gradcheck import centered_difference
from . import (ExerciseResult, as_array, as_numbers, call_unchanged, function_name, reads_result, run_checks,
               shape_mismatch)
from .precision import close, largest_difference, tolerance

SIZES = [(3, 5, 2), (1, 4, 3), (2, 3, 4)]        # (B, D, H): B = 1 once, H != D, D != 4H
OUTPUTS = ("dx_t", "dh_prev", "dc_prev", "dW_F", "dW_R", "db_h")
ARGS = ("dh_t", "dc_t", "cache")
GATES = ("i", "f", "g", "o")
ROWS = ("0:H", "H:2H", "2H:3H", "3H:4H")


def library_lstm_step_backward(dh_t, dc_t, cache):
    """rnn_edu.cells.lstm.step_backward: (dx_t, dh_prev, dc_prev, dW_F, dW_R, db_h)."""
    return step_backward(dh_t, dc_t, cache)


def example(seed=0):
    """(dh_t, dc_t, forward inputs (x_t, h_prev, c_prev, W_F, W_R, b_h)) for SIZES[seed % 3], seeded.

    c_prev is not squashed (a cell state can exceed 1), so tanh(c_{t-1}) and tanh(c_t) differ clearly.
    """
    B, D, H = SIZES[seed % len(SIZES)]
    rng = np.random.default_rng(700 + seed)
    inputs = (rng.normal(size=(B, D)), np.tanh(rng.normal(size=(B, H))), 1.5 * rng.normal(size=(B, H)),
              rng.normal(size=(4 * H, D)), rng.normal(size=(4 * H, H)), rng.normal(size=4 * H))
    return rng.normal(size=(B, H)), rng.normal(size=(B, H)), inputs


def _split(a):
    H = a.shape[1] // 4
    return [a[:, k * H:(k + 1) * H] for k in range(4)]


def _backward(dh, dc, cache, slip=None):
    """The step's six gradients, with one known slip (a name of _SLIPS) or none."""
    x, h_prev, c_prev, gates, tanh_c, W_F, W_R = cache
    i, f, g, o = _split(gates)
    slope = {"not squared": 1 - tanh_c, "tanh twice": 1 - np.tanh(tanh_c) ** 2}.get(slip, 1 - tanh_c ** 2)
    via_h = dh * (1 if slip == "no o in via h" else o) * (1 if slip == "no slope in via h" else slope)
    total = {"no via h": dc, "no dc": via_h}.get(slip, dc + via_h)
    d_sig = (lambda s: 1 - s * s) if slip == "sigmoid slope" else (lambda s: s * (1 - s))
    d_tanh = (lambda s: s * (1 - s)) if slip == "tanh slope" else (lambda s: 1 - s * s)
    if slip == "no slopes":
        d_sig = d_tanh = np.ones_like
    tanh_for_o = {"o with c_prev": np.tanh(c_prev), "o without tanh": 1.0}.get(slip, tanh_c)
    da = {"i": total * (i if slip == "i and g" else g) * d_sig(i),
          "f": total * (h_prev if slip == "f with h_prev" else c_prev) * d_sig(f),
          "g": total * (g if slip == "i and g" else i) * d_tanh(g),
          "o": dh * tanh_for_o * d_sig(o)}
    order = slip if isinstance(slip, tuple) else GATES
    da = np.concatenate([da[n] for n in order], axis=1)
    dc_prev = {"no f": total, "dc only": dc * f}.get(slip, total * f)
    dh_prev = da @ W_R + (dh if slip == "direct h" else 0)
    dW_R = da.T @ (c_prev if slip == "dW_R with c_prev" else h_prev)
    scale = 1 / len(x) if slip == "mean" else 1
    return da @ W_F, dh_prev, dc_prev, scale * (da.T @ x), scale * dW_R, scale * da.sum(axis=0)


_SLIPS = {
    "no f": "dc_prev is missing the forget gate factor: on its way to c_t, c_{t-1} is multiplied by f_t.",
    "dc only": ("dc_prev carries only dc_t, the gradient from step t+1. c_t also reaches the loss through "
                "h_t = o_t * tanh(c_t); dc_prev needs the whole gradient at c_t, that part included."),
    "no via h": ("the gradient through h_t is missing from c_t's: c_t feeds h_t = o_t * tanh(c_t), so the "
                 "total gradient at c_t is dc_t plus what dh_t sends back through that product."),
    "no dc": "dc_t, the gradient reaching c_t from step t+1, is missing: add it to what arrives through h_t.",
    "no o in via h": "the part of dh_t that goes back into c_t is missing the output gate o_t, which multiplies "
                     "tanh(c_t) in h_t.",
    "no slope in via h": ("the part of dh_t that goes back into c_t is missing tanh's slope at c_t "
                          "(tanh_c in the cache is tanh(c_t))."),
    "not squared": "tanh's slope is 1 - tanh(c_t)**2, squared, not 1 - tanh(c_t).",
    "tanh twice": "tanh_c in the cache is already tanh(c_t): its slope is 1 - tanh_c**2, without np.tanh again.",
    "o with c_prev": ("the o gate's derivative uses tanh(c_{t-1}) instead of tanh(c_t): o_t multiplies "
                      "tanh(c_t), the new cell state (tanh_c in the cache)."),
    "o without tanh": "the o gate's derivative is missing tanh(c_t), the value o_t multiplies in h_t.",
    "sigmoid slope": ("i, f and o are sigmoids: their slope, in terms of the gate s, is s * (1 - s); "
                      "1 - s**2 is tanh's."),
    "tanh slope": "the candidate g is a tanh: its slope is 1 - g**2; g * (1 - g) is a sigmoid's.",
    "no slopes": ("the gates' slopes are missing: each block of the pre-activation gradient passes through "
                  "the derivative of its own squashing function (sigmoid for i, f, o; tanh for g)."),
    "i and g": ("the input gate and the candidate are crossed: in i_t * g_t the gradient reaching i_t is "
                "scaled by g_t, and the one reaching g_t by i_t."),
    "f with h_prev": "the forget gate multiplies c_{t-1}, not h_{t-1}: its derivative uses c_prev.",
    "direct h": ("dh_prev: in an LSTM, h_{t-1} is not added to anything directly; it reaches the step "
                 "only through W_R, into the four gate blocks, so dh_t itself does not pass to dh_prev."),
    "dW_R with c_prev": "dW_R: W_R multiplies h_{t-1} (h_prev), not c_{t-1}.",
    "mean": "the weight gradients sum over the batch rows; you averaged them (divided by B).",
}
for _order in permutations(GATES):
    if _order != GATES:
        _SLIPS[_order] = (f"gate order: the four blocks of the pre-activation gradient must follow the rows of "
                          f"W_F, W_R and b_h, i, f, g, o (rows 0:H, H:2H, 2H:3H, 3H:4H); you stacked them as "
                          f"{', '.join(_order)}.")


TOL = (1e-6, 1e-9)           # (rtol, atol) for float64 answers; `tolerance` widens them for float32 ones
NUMERIC = 1e-6               # the largest relative error against central differences, for float64 answers


def _close(got, want, tol=TOL):
    return close(got, want, tol)


def numeric_gradients(dh, dc, inputs, eps=1e-5):
    """Central differences of L = sum(dh * h_t) + sum(dc * c_t) through lstm.step_forward, for
    every entry of (x_t, h_prev, c_prev, W_F, W_R, b_h): six arrays in OUTPUTS' order."""
    work = [np.array(a, dtype=np.float64) for a in inputs]

    def objective():
        h, c, _ = step_forward(*work)
        return float(np.sum(dh * h) + np.sum(dc * c))
    grads = []
    for arr in work:
        grads.append(np.zeros_like(arr))
        for i in np.ndindex(arr.shape):
            grads[-1][i] = centered_difference(objective, arr, i, eps, 2)
    return grads


def _relative_error(a, n):
    """The largest difference relative to the arrays' size (entries near 0 do not blow it up)."""
    return float(np.max(np.abs(a - n)) / max(1e-8, np.max(np.abs(a)) + np.max(np.abs(n))))


def _call(fn, dh, dc, inputs):
    """(six float arrays, (rtol, atol)) or (None, hint): the learner's result on a fresh cache, and the
    tolerances its dtype calls for."""
    cache = step_forward(*inputs)[2]
    shapes = {"dh_t": dh.shape, "dc_t": dc.shape, "x_t": inputs[0].shape, "W_F": inputs[3].shape,
              "W_R": inputs[4].shape}
    try:
        out, hint = call_unchanged(fn, (dh, dc, cache), ARGS)
    except ValueError as exc:
        hint = shape_mismatch(exc, shapes, "the gradient of the pre-activations a_t is (B, 4H), one row "
                              "per batch item, like a_t itself; W_F is (4H, D) and W_R (4H, H).")
        if hint is None:
            raise
        return None, hint
    if hint:
        return None, hint
    if not isinstance(out, (tuple, list)) or len(out) != 6:
        size = f"{len(out)} values" if isinstance(out, (tuple, list)) else type(out).__name__
        return None, f"expected six arrays ({', '.join(OUTPUTS)}), got {size}."
    got = []
    for name, value in zip(OUTPUTS, out):
        array, hint = as_numbers(value, name)
        if hint:
            return None, f"{name}: {hint}"
        got.append(array)
    return got, tolerance(out, *TOL)


def _shape_hint(got, want, B, D, H):
    wanted = {"dx_t": "(B, D)", "dh_prev": "(B, H)", "dc_prev": "(B, H)", "dW_F": "(4H, D)", "dW_R": "(4H, H)",
              "db_h": "(4H,)"}
    for name, g, w in zip(OUTPUTS, got, want):
        if g.shape != w.shape:
            extra = " (its transpose)" if g.shape == w.shape[::-1] and g.ndim == 2 else ""
            if name == "db_h" and g.shape == (B, 4 * H):
                extra = " (one row per batch item; b_h has one entry per row of W_F)"
            return (f"{name} has shape {g.shape}{extra}, expected {wanted[name]} = {w.shape} "
                    f"(here B = {B}, D = {D}, H = {H}).")
    return None


def _blocks(got, want, tol):
    """The gate blocks (of GATES) in which the weight gradients dW_F, dW_R, db_h differ."""
    H = want[5].shape[0] // 4
    rows = [slice(k * H, (k + 1) * H) for k in range(4)]
    return [GATES[k] for k, r in enumerate(rows)
            if not all(_close(got[j][r], want[j][r], tol) for j in (3, 4, 5))]


def _where(blocks):
    """A hint naming the gate blocks that differ and what they have in common, without the formula."""
    rows = ", ".join(f"{n}: rows {ROWS[GATES.index(n)]}" for n in blocks)
    agree = [n for n in GATES if n not in blocks]
    one = len(blocks) == 1
    text = (f"the {', '.join(blocks)} block{'' if one else 's'} of the pre-activation gradient "
            f"differ{'s' if one else ''} ({rows} of dW_F, dW_R and db_h); {', '.join(agree)} "
            f"agree{'s' if len(agree) == 1 else ''}. ")
    if blocks == ["o"]:
        return text + ("The o block is the only one that reaches the loss through h_t alone, not through c_t: "
                       "check what o_t multiplies in h_t, and which gradient arrives at h_t.")
    if set(blocks) == {"i", "f", "g"}:
        return text + ("These three reach the loss only through c_t, and the o block does not: check the "
                       "gradient at c_t, the sum of its two routes.")
    return text + ("Go through the forward equation of each block that differs: which values it multiplies, "
                   "and the slope of its own squashing function.")


def _diagnose(got, want, dh, dc, cache, tol=TOL):
    """(ok, hint) once the shapes are right."""

    def close(a, b):
        return _close(a, b, tol)
    wrong = [k for k in range(6) if not close(got[k], want[k])]
    if not wrong:
        return True, ""
    if wrong == [1, 2] and close(got[1], want[2]) and close(got[2], want[1]):
        return False, "dh_prev and dc_prev are swapped: return (" + ", ".join(OUTPUTS) + ") in that order."
    variants = [(slip, _backward(dh, dc, cache, slip)) for slip in _SLIPS]
    for slip, grads in variants:
        if all(close(g, v) for g, v in zip(got, grads)):
            return False, _SLIPS[slip]
    first = wrong[0]
    for slip, grads in variants:
        if close(got[first], grads[first]):
            return False, f"{OUTPUTS[first]}: {_SLIPS[slip]}"
    blocks = _blocks(got, want, tol)
    if 0 < len(blocks) < 4:
        return False, _where(blocks)
    right = [OUTPUTS[k] for k in range(6) if k not in wrong]
    agree = f"{', '.join(right)} agree{'s' if len(right) == 1 else ''} with it" if right else "none agrees with it"
    return False, (f"{', '.join(OUTPUTS[k] for k in wrong)} differ{'s' if len(wrong) == 1 else ''} from "
                   f"rnn_edu's step_backward ({OUTPUTS[first]} by {largest_difference(got[first], want[first])}"
                   f"); {agree}. Go back through the forward "
                   "equations one at a time, from h_t and c_t to the four gate blocks, then to the inputs and "
                   "weights; the hints below go through it.")


def _check(fn, seed):
    """(ok, hint) for one example: the library's gradients, then central differences."""
    dh, dc, inputs = example(seed)
    got, tol = _call(fn, dh, dc, inputs)
    if got is None:
        return False, tol
    cache = step_forward(*inputs)[2]
    want = step_backward(dh, dc, cache)
    B, D = inputs[0].shape
    hint = _shape_hint(got, want, B, D, dh.shape[1])
    if hint:
        return False, hint
    ok, hint = _diagnose(got, want, dh, dc, cache, tol)
    if not ok:
        return False, hint
    for name, g, n in zip(OUTPUTS, got, numeric_gradients(dh, dc, inputs)):
        if _relative_error(g, n) > NUMERIC * tol[0] / TOL[0]:
            return False, (f"{name} disagrees with central differences of the step forward (relative error "
                           f"{_relative_error(g, n):.1e}).")
    return True, ""


def as_gradients(out):
    """The learner's six gradients as float arrays (a list or tuple of array-likes accepted)."""
    if not isinstance(out, (tuple, list)) or len(out) != 6:
        raise TypeError("expected six arrays (" + ", ".join(OUTPUTS) + ")")
    return tuple(as_array(a) for a in out)


@reads_result(as_gradients)
def check_lstm_step_backward(lstm_step_backward):
    """Check lstm_step_backward(dh_t, dc_t, cache) -> (dx_t, dh_prev, dc_prev, dW_F, dW_R, db_h) against
    rnn_edu.cells.lstm.step_backward and central differences on three examples; never raises."""
    if not callable(lstm_step_backward):
        return ExerciseResult(False, "expected a function lstm_step_backward(dh_t, dc_t, cache), got "
                                     f"{type(lstm_step_backward).__name__}.")
    return run_checks([(f"one LSTM step backward (example {s + 1}: B, D, H = {', '.join(map(str, SIZES[s]))})",
                        lambda s=s: _check(lstm_step_backward, s)) for s in range(len(SIZES))],
                      function_name(lstm_step_backward))
