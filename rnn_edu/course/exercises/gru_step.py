"""Lesson 07 exercise: one GRU step forward.

    gru_step_forward(x_t, h_prev, W_F, W_R, b_h, b_R) -> h_t

    x_t (B, D), h_prev (B, H), W_F (3H, D), W_R (3H, H), b_h and b_R (3H,) -> h_t (B, H),
    rows of W_F, W_R, b_h, b_R in blocks of H in PyTorch's order r, z, n
    (the equations are rnn_edu.cells.gru's module docstring).

`check_gru_step_forward` compares with `rnn_edu.cells.gru.step_forward` on three examples (B = 1
among them, H != D, D != 3H) and names the likely mistake (`_mistakes`: the library's step with one
known slip each: gate order, z and 1 - z, where r applies, the biases, the squashing functions);
`library_gru_step_forward` is that function with the exercise's signature (the fallback).
"""
from itertools import permutations

import numpy as np

from rnn_edu.activations import sigmoid
from rnn_edu.cells.gru import step_forward
from . import ExerciseResult, as_array, as_numbers, call_unchanged, function_name, reads_result, run_checks, \
    shape_mismatch
from .precision import close, largest_difference, tolerance

SIZES = [(3, 5, 2), (1, 4, 3), (2, 3, 4)]        # (B, D, H): B = 1 once, H != D, D != 3H
NAMES = ("x_t", "h_prev", "W_F", "W_R", "b_h", "b_R")
BLOCKS = ("r", "z", "n")
WANT = ("the pre-activations are (B, 3H), one row per batch item: with x_t (B, D) and W_F (3H, D), "
        "the input side is (B, D) @ (D, 3H), and the recurrent side (B, H) @ (H, 3H).")


def library_gru_step_forward(x_t, h_prev, W_F, W_R, b_h, b_R):
    """rnn_edu.cells.gru.step_forward with the exercise's signature: h_t (B, H)."""
    return step_forward(x_t, h_prev, W_F, W_R, b_h, b_R)[0]


def example(seed=0):
    """Seeded x_t (B, D), h_prev (B, H), W_F (3H, D), W_R (3H, H), b_h, b_R (3H,) for SIZES[seed % 3].

    The biases are as large as the weights, so leaving one out, or putting b_R's n block outside
    the reset gate, changes h_t clearly.
    """
    B, D, H = SIZES[seed % len(SIZES)]
    rng = np.random.default_rng(710 + seed)
    return (rng.normal(size=(B, D)), np.tanh(rng.normal(size=(B, H))), rng.normal(size=(3 * H, D)),
            rng.normal(size=(3 * H, H)), rng.normal(size=3 * H), rng.normal(size=3 * H))


def _step(x_t, h_prev, W_F, W_R, b_h, b_R, order=BLOCKS, slip=None):
    """A GRU step with the blocks read in `order` and one known slip (or none)."""
    H = h_prev.shape[1]
    b_h = 0 * b_h if slip == "no b_h" else b_h
    b_R = 0 * b_R if slip == "no b_R" else b_R
    wx, wh = x_t @ W_F.T, h_prev @ W_R.T
    blk = {name: k for k, name in enumerate(order)}

    def part(a, name):
        return a[..., blk[name] * H:(blk[name] + 1) * H]
    gate, cand = (np.tanh, sigmoid) if slip == "squash swapped" else (sigmoid, np.tanh)
    if slip == "all sigmoid":
        cand = sigmoid
    if slip == "all tanh":
        gate = np.tanh
    r = (np.tanh if slip == "r tanh" else gate)(part(wx, "r") + part(b_h, "r") + part(wh, "r") + part(b_R, "r"))
    z = (np.tanh if slip == "z tanh" else gate)(part(wx, "z") + part(b_h, "z") + part(wh, "z") + part(b_R, "z"))
    x_side, h_side = part(wx, "n") + part(b_h, "n"), part(wh, "n") + part(b_R, "n")
    if slip == "reset before product":                   # Cho et al. / d2l: W_hn (r * h_prev) + b_hn
        W_hn = W_R[blk["n"] * H:(blk["n"] + 1) * H]
        a_n = x_side + (r * h_prev) @ W_hn.T + part(b_R, "n")
    elif slip == "b_R outside r":
        a_n = x_side + r * part(wh, "n") + part(b_R, "n")
    elif slip == "r on input":
        a_n = r * x_side + h_side
    elif slip == "r on both":
        a_n = r * (x_side + h_side)
    elif slip == "no r":
        a_n = x_side + h_side
    elif slip == "z for r":
        a_n = x_side + z * h_side
    else:
        a_n = x_side + r * h_side
    n = cand(a_n)
    if slip == "z swapped":
        return z * n + (1 - z) * h_prev
    if slip == "no 1 - z":
        return n + z * h_prev
    if slip == "r for z":
        return (1 - r) * n + r * h_prev
    if slip == "only n":
        return n
    return (1 - z) * n + z * h_prev


MISTAKES = {
    "z swapped": ("z and 1 - z are swapped: in this course (and in PyTorch) z_t is the fraction of h_{t-1} "
                  "that is kept, and 1 - z_t the fraction of the candidate n_t that is written (§3's warning "
                  "about the other convention)."),
    "no 1 - z": "the candidate's share is missing: n_t enters h_t scaled by 1 - z_t, the part not kept.",
    "only n": "h_t is the candidate n_t alone: the update gate z_t keeps part of h_{t-1} in h_t.",
    "r for z": "the GRU's r and z gates are crossed: the update gate z (rows H:2H) mixes n_t and h_{t-1}; "
               "the reset gate r (rows 0:H) acts inside the candidate.",
    "z for r": "the candidate uses the update gate z where the reset gate r (rows 0:H) belongs.",
    "reset before product": ("the GRU's r gate multiplies the wrong term: you applied it to h_{t-1} before the "
                             "product with W_R (Cho et al.'s and d2l's form). Here, as in PyTorch, r_t scales "
                             "the recurrent product and its bias, W_hn h_{t-1} + b_hn (§3)."),
    "b_R outside r": ("the GRU's r gate multiplies the wrong term: the n block of the recurrent bias b_R "
                      "sits inside r_t * (...), with W_hn h_{t-1}; you added it outside."),
    "r on input": ("the GRU's r gate multiplies the wrong term: it scales the recurrent side of the candidate "
                   "(W_R's and b_R's n rows), not the input side (W_F's and b_h's)."),
    "r on both": ("the GRU's r gate multiplies the wrong term: it scales only the recurrent side of the "
                  "candidate, not the input side as well."),
    "no r": "the reset gate is missing from the candidate n_t.",
    "no b_h": "b_h is missing: the input-side bias is added in all three blocks.",
    "no b_R": "b_R is missing: the recurrent-side bias is added in all three blocks (in n, inside the reset gate).",
    "squash swapped": "sigmoid vs tanh are swapped: r and z are sigmoid gates (fractions), n is a tanh candidate.",
    "all sigmoid": "the candidate n_t uses tanh (it is content and may be negative), not the sigmoid.",
    "all tanh": "the gates r and z use the sigmoid (a fraction in (0, 1)); only the candidate n uses tanh.",
    "r tanh": "the reset gate r uses the sigmoid, like z (a fraction in (0, 1)), not tanh; only the candidate n "
              "uses tanh.",
    "z tanh": "the update gate z uses the sigmoid, like r (a fraction in (0, 1)), not tanh; only the candidate n "
              "uses tanh.",
}


def _mistakes(args):
    """[(h_t, hint)] for the slips above and every other order of the three blocks."""
    found = [(_step(*args, slip=slip), hint) for slip, hint in MISTAKES.items()]
    for order in permutations(BLOCKS):
        if order != BLOCKS:
            found.append((_step(*args, order=order),
                          f"gate order: the three blocks of rows of W_F, W_R, b_h and b_R are, in PyTorch's "
                          f"order, r, z, n (rows 0:H the reset gate, H:2H the update gate, 2H:3H the candidate); "
                          f"you read them as {', '.join(order)}."))
    return found


TOL = (1e-6, 1e-9)           # (rtol, atol) for float64 answers; `tolerance` widens them for float32 ones


def _close(got, want, tol=TOL):
    return close(got, want, tol)


def as_state(out):
    """The learner's h_t as a float array (lists and float32 accepted)."""
    if isinstance(out, tuple):
        raise TypeError("expected one array h_t, got a tuple")
    return as_array(out)


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
    if isinstance(out, tuple):
        return False, (f"expected one array h_t (B, H), got a tuple of {len(out)}: the GRU's state is h_t "
                       "alone (rnn_edu's step_forward also returns a cache; this exercise does not).")
    h, hint = as_numbers(out, "h_t")
    if hint:
        return False, hint
    want = library_gru_step_forward(*args)
    if h.shape != want.shape:
        extra = " (its transpose)" if h.shape == want.shape[::-1] else ""
        return False, f"h_t has shape {h.shape}{extra}, expected (B, H) = {want.shape}."
    tol = tolerance([out], *TOL)             # a float32 answer is held to float32's precision
    if _close(h, want, tol):
        return True, ""
    for wrong, hint in _mistakes(args):
        if _close(h, wrong, tol):
            return False, hint
    return False, (f"h_t differs from rnn_edu's by {largest_difference(h, want)}. Go through §3's "
                   "equations one block at a time (which rows, which bias, which squashing function, where "
                   "the reset gate acts); the hints below go through it.")


@reads_result(as_state)
def check_gru_step_forward(gru_step_forward):
    """Check gru_step_forward(x_t, h_prev, W_F, W_R, b_h, b_R) -> h_t against
    rnn_edu.cells.gru.step_forward on three examples; never raises."""
    if not callable(gru_step_forward):
        return ExerciseResult(False, "expected a function gru_step_forward(x_t, h_prev, W_F, W_R, b_h, b_R), "
                                     f"got {type(gru_step_forward).__name__}.")
    return run_checks([(f"one GRU step (example {s + 1}: B, D, H = {', '.join(map(str, SIZES[s]))})",
                        lambda s=s: _check(gru_step_forward, s)) for s in range(len(SIZES))],
                      function_name(gru_step_forward))
