"""Lesson 07 exercise: write one LSTM step forward.

    lstm_step_forward(x_t, h_prev, c_prev, W_F, W_R, b_h) -> (h_t, c_t)

        a_t = W_F x_t + W_R h_{t-1} + b_h              (B, 4H), blocks in PyTorch's order i, f, g, o
        i_t = sigmoid(a_i)   f_t = sigmoid(a_f)   g_t = tanh(a_g)   o_t = sigmoid(a_o)
        c_t = f_t * c_{t-1} + i_t * g_t                 (element-wise)
        h_t = o_t * tanh(c_t)

    x_t (B, D), h_prev and c_prev (B, H), W_F (4H, D), W_R (4H, H), b_h (4H,) -> h_t, c_t (B, H)

`check_lstm_step_forward` compares with `rnn_edu.cells.lstm.step_forward` and names the likely
mistake (gate order, sigmoid vs tanh, the cell update, the output); `library_lstm_step_forward`
is that function with the exercise's signature (the fallback).

The lesson's two other exercises have a module each and are imported from here, so the lesson reads
every checker from one place: `lstm_step_backward` (lstm_backward.py, the step's six gradients) and
`gru_step_forward` (gru_step.py).
"""
from itertools import permutations

import numpy as np

from rnn_edu.activations import sigmoid
from rnn_edu.cells.lstm import step_forward
from . import (ExerciseResult, as_array, as_numbers, call_unchanged, function_name, reads_result, run_checks,
               shape_mismatch)
from .precision import close
from .gru_step import check_gru_step_forward, library_gru_step_forward  # noqa: F401 (the lesson's exercises)
from .lstm_backward import check_lstm_step_backward, library_lstm_step_backward  # noqa: F401

B, D, H = 3, 5, 2        # all different (and 4H = 8 too), so a transposed weight shows in the shape
GATES = ("i", "f", "g", "o")
NAMES = {"i": "input gate i", "f": "forget gate f", "g": "candidate g", "o": "output gate o"}


def library_lstm_step_forward(x_t, h_prev, c_prev, W_F, W_R, b_h):
    """rnn_edu.cells.lstm.step_forward with the exercise's signature: (h_t, c_t)."""
    h_t, c_t, _ = step_forward(x_t, h_prev, c_prev, W_F, W_R, b_h)
    return h_t, c_t


def example(seed=0):
    """Seeded arrays: x_t (B, D), h_prev (B, H), c_prev (B, H), W_F (4H, D), W_R (4H, H), b_h (4H,).

    c_prev is not squashed (a cell state can exceed 1), so tanh(c) and c differ clearly.
    """
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(B, D)), np.tanh(rng.normal(size=(B, H))), 1.5 * rng.normal(size=(B, H)),
            rng.normal(size=(4 * H, D)), rng.normal(size=(4 * H, H)), rng.normal(size=4 * H))


def _blocks(x_t, h_prev, W_F, W_R, b_h):
    """{gate name: pre-activation (B, H)} in the order i, f, g, o."""
    a = x_t @ W_F.T + h_prev @ W_R.T + b_h
    return {name: a[:, k * H:(k + 1) * H] for k, name in enumerate(GATES)}


def _step(a, c_prev, squash=None, cell=None, out=None):
    """An LSTM step from pre-activation blocks `a`, with optional wrong pieces."""
    sq = {"i": sigmoid, "f": sigmoid, "g": np.tanh, "o": sigmoid, **(squash or {})}
    i, f, g, o = (sq[n](a[n]) for n in GATES)
    c = (cell or (lambda i, f, g, c_prev: f * c_prev + i * g))(i, f, g, c_prev)
    h = (out or (lambda o, c, c_prev: o * np.tanh(c)))(o, c, c_prev)
    return h, c


def _mistakes(x_t, h_prev, c_prev, W_F, W_R, b_h):
    """[(h_t, c_t, hint)] for the wrong steps learners often write."""
    a = _blocks(x_t, h_prev, W_F, W_R, b_h)
    found = []
    for order in permutations(GATES):
        if order != GATES:
            read = dict(zip(order, (a[n] for n in GATES)))
            found.append((*_step(read, c_prev),
                          f"gate order: the four blocks of rows of W_F, W_R and b_h are, in PyTorch's order, "
                          f"i, f, g, o (rows 0:H the input gate, H:2H the forget gate, 2H:3H the candidate, "
                          f"3H:4H the output gate); you read them as {', '.join(order)}."))
    found += [
        (*_step(a, c_prev, squash={"g": sigmoid}),
         "sigmoid vs tanh: the candidate g_t uses tanh (it is content, and may be negative); only the "
         "three gates i, f, o use the sigmoid."),
        (*_step(a, c_prev, squash={"i": np.tanh, "f": np.tanh, "o": np.tanh}),
         "sigmoid vs tanh: the gates i, f, o use the sigmoid (a fraction in (0, 1)); only g uses tanh."),
        (*_step(a, c_prev, squash={"i": np.tanh, "f": np.tanh, "g": sigmoid, "o": np.tanh}),
         "sigmoid vs tanh are swapped: i, f, o use the sigmoid and g uses tanh."),
        (*_step(a, c_prev, squash={n: sigmoid for n in GATES}),
         "sigmoid vs tanh: the candidate g_t uses tanh, not the sigmoid."),
        (*_step(a, c_prev, cell=lambda i, f, g, c: c + i * g),
         "the cell update: the forget gate is missing, c_t = f_t * c_prev + i_t * g_t."),
        (*_step(a, c_prev, cell=lambda i, f, g, c: f * c + g),
         "the cell update: the input gate is missing, c_t = f_t * c_prev + i_t * g_t."),
        (*_step(a, c_prev, cell=lambda i, f, g, c: i * g),
         "the cell update: c_prev is missing, so the cell keeps nothing; c_t = f_t * c_prev + i_t * g_t."),
        (*_step(a, c_prev, cell=lambda i, f, g, c: f * c + (1 - f) * g),
         "the cell update: the new content is scaled by the input gate i_t, not by 1 - f_t (that is a "
         "GRU-like coupling); c_t = f_t * c_prev + i_t * g_t."),
        (*_step(a, c_prev, cell=lambda i, f, g, c: f * c * i * g),
         "the cell update is a sum of two terms, c_t = f_t * c_prev + i_t * g_t, not a product."),
        (*_step(a, c_prev, out=lambda o, c, cp: o * c),
         "the output: h_t = o_t * tanh(c_t); the tanh of the cell is missing."),
        (*_step(a, c_prev, out=lambda o, c, cp: np.tanh(o * c)),
         "the output: h_t = o_t * tanh(c_t), the gate outside the tanh, not tanh(o_t * c_t)."),
        (*_step(a, c_prev, out=lambda o, c, cp: o * np.tanh(cp)),
         "the output: h_t = o_t * tanh(c_t) uses the new cell state c_t, not c_prev."),
        (*_step(a, c_prev, out=lambda o, c, cp: np.tanh(c)),
         "the output: the output gate is missing, h_t = o_t * tanh(c_t)."),
        (*_step(a, c_prev, out=lambda o, c, cp: sigmoid(o * c)),
         "the output: h_t = o_t * tanh(c_t), with tanh, not a sigmoid."),
    ]
    return found


def _close(got, want):
    return close(got, want, (1e-6, 1e-9))


NAMES = ("x_t", "h_prev", "c_prev", "W_F", "W_R", "b_h")
WANT = ("the pre-activations a_t are (B, 4H), one row per batch item: W_F x_t is x_t @ W_F.T, "
        "(B, D) @ (D, 4H), and W_R h_{t-1} is h_prev @ W_R.T, (B, H) @ (H, 4H).")


def as_state(out):
    """The learner's (h_t, c_t) as two float arrays (a list or tuple of array-likes accepted)."""
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        raise TypeError("expected two arrays (h_t, c_t)")
    return as_array(out[0]), as_array(out[1])


def _check(fn, seed):
    """(ok, hint) for one example."""
    args = example(seed)
    try:
        out, hint = call_unchanged(fn, args, NAMES)
    except ValueError as exc:
        hint = shape_mismatch(exc, {n: np.shape(a) for n, a in zip(NAMES, args)}, WANT)
        if hint is None:
            raise
    if hint:
        return False, hint
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        size = f"{len(out)} values" if isinstance(out, (tuple, list)) else type(out).__name__
        return False, f"expected two arrays (h_t, c_t), got {size}."
    (h, hint_h), (c, hint_c) = as_numbers(out[0], "h_t"), as_numbers(out[1], "c_t")
    if hint_h or hint_c:
        return False, hint_h or hint_c
    want_h, want_c = library_lstm_step_forward(*args)
    for name, got in (("h_t", h), ("c_t", c)):
        if got.shape != want_h.shape:
            return False, f"{name} has shape {got.shape}, expected (B, H) = {want_h.shape}."
    if _close(h, want_h) and _close(c, want_c):
        return True, ""
    if _close(h, want_c) and _close(c, want_h):
        return False, "h_t and c_t are swapped: return (h_t, c_t) in that order."
    for wrong_h, wrong_c, hint in _mistakes(*args):
        if _close(h, wrong_h) and _close(c, wrong_c):
            return False, hint
    if _close(c, want_c):
        return False, ("c_t is right but h_t is not: h_t = o_t * tanh(c_t), with the output gate "
                       f"o_t = sigmoid of rows 3H:4H (h_t off by up to {np.max(np.abs(h - want_h)):.3g}).")
    return False, (f"c_t differs from rnn_edu's by up to {np.max(np.abs(c - want_c)):.3g}. Go through §1's "
                   "equations one block at a time (which rows, which squashing function, the cell update); "
                   "the hints below go through it.")


@reads_result(as_state)
def check_lstm_step_forward(lstm_step_forward):
    """Check lstm_step_forward(x_t, h_prev, c_prev, W_F, W_R, b_h) -> (h_t, c_t) against
    rnn_edu.cells.lstm.step_forward on two examples; never raises."""
    if not callable(lstm_step_forward):
        return ExerciseResult(False, "expected a function lstm_step_forward(x_t, h_prev, c_prev, W_F, W_R, "
                                     f"b_h), got {type(lstm_step_forward).__name__}.")
    return run_checks([(f"one LSTM step (example {s + 1})", lambda s=s: _check(lstm_step_forward, s))
                       for s in (0, 1)], function_name(lstm_step_forward))
