"""Build it yourself, lesson 01: one forward step, then the forward pass over a sequence.

    forward_step(x_t, h_prev, W_F, W_R, b_h) -> h_t = tanh(W_F x_t + W_R h_{t-1} + b_h)
        x_t: (B, D), h_prev: (B, H), W_F: (H, D), W_R: (H, H), b_h: (H,)  ->  h_t: (B, H)
    rnn_forward(xs, h0, W_F, W_R, b_h) -> hs = h_1..h_T
        xs: (T, B, D) time-major, h0: (B, H)  ->  hs: (T, B, H)

Rows are batch items, so W x becomes x @ W.T. `check_forward_step` and `check_rnn_forward`
compare with rnn_edu.step_forward and rnn_edu.forward; `library_forward_step` and
`library_rnn_forward` are those functions with the learner's signature (the fallbacks).
"""
import numpy as np

from rnn_edu import RNNParams, forward, sigmoid, step_forward
from . import (ExerciseResult, as_array, as_numbers, call_unchanged, function_name, reads_result, run_checks,
               shape_mismatch)

T, B, D, H = 5, 3, 2, 4        # all different, so a transposed weight or a swapped axis shows in the shape


def library_forward_step(x_t, h_prev, W_F, W_R, b_h):
    """rnn_edu's step: tanh(x_t @ W_F.T + h_prev @ W_R.T + b_h)."""
    return step_forward(x_t, h_prev, W_F, W_R, b_h, "tanh")


def library_rnn_forward(xs, h0, W_F, W_R, b_h):
    """rnn_edu.forward's hidden states h_1..h_T (T, B, H) for one tanh layer."""
    n_hidden = np.shape(W_R)[0]
    params = RNNParams(W_F=W_F, W_R=W_R, b_h=b_h, W_O=np.zeros((1, n_hidden)), b_o=np.zeros(1))
    return forward(params, xs, h0).hs


def example(seed=0):
    """Seeded arrays: xs (T, B, D), h0 (B, H), W_F (H, D), W_R (H, H), b_h (H,)."""
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(T, B, D)), np.tanh(rng.normal(size=(B, H))), rng.normal(size=(H, D)),
            0.8 * rng.normal(size=(H, H)) / np.sqrt(H), 0.5 * rng.normal(size=H))


def _step_mistakes(x_t, h_prev, W_F, W_R, b_h):
    """Wrong steps learners often write, each with its hint."""
    a = x_t @ W_F.T + h_prev @ W_R.T + b_h
    return [
        (np.tanh(x_t @ W_F.T + h_prev @ W_R + b_h),
         "W_R is transposed: with one row per batch item, W_R h_{t-1} is h_prev @ W_R.T."),
        (a, "the activation is missing: h_t = tanh(a_t), not the pre-activation a_t."),
        (sigmoid(a), "this lesson's f is tanh, not the sigmoid: h_t = np.tanh(a_t)."),
        (np.tanh(a - b_h), "the bias b_h is missing: a_t = W_F x_t + W_R h_{t-1} + b_h."),
        (np.tanh(x_t @ W_F.T + b_h), "the recurrent term W_R h_{t-1} is missing: without it the "
                                     "network has no memory."),
        (np.tanh(h_prev @ W_R.T + b_h), "the input term W_F x_t is missing."),
    ]


def _compare(name, got, want, mistakes, shape_hint):
    """(ok, hint) for one returned array."""
    got, hint = as_numbers(got, name)
    if hint:
        return False, hint
    if got.shape != want.shape:
        return False, shape_hint(got.shape, want.shape)
    if np.allclose(got, want, rtol=1e-6, atol=1e-9):
        return True, ""
    for wrong, hint in mistakes:
        if wrong.shape == want.shape and np.allclose(got, wrong, rtol=1e-6, atol=1e-9):
            return False, hint
    return False, (f"{name} differs from rnn_edu's by up to {np.max(np.abs(got - want)):.3g}. "
                   f"Recall h_t = tanh(x_t @ W_F.T + h_prev @ W_R.T + b_h).")


STEP_NAMES, SEQUENCE_NAMES = ("x_t", "h_prev", "W_F", "W_R", "b_h"), ("xs", "h0", "W_F", "W_R", "b_h")
STEP_WANT = ("each term of a_t must be (B, H), one row per batch item: W_F x_t is x_t @ W_F.T, "
             "(B, D) @ (D, H), and W_R h_{t-1} is h_prev @ W_R.T.")
SEQUENCE_WANT = ("xs is time-major: step t reads xs[t], shape (B, D), not xs[:, t]; each step's "
                 f"terms are (B, H): {STEP_WANT.split(': ', 1)[1]}")


def _call(fn, args, names, want):
    """fn(*copies of args) under the course's rule for inputs: (result, None), or (None, hint)
    when fn changed an argument or the shapes of its products do not line up."""
    try:
        return call_unchanged(fn, args, names)
    except ValueError as exc:
        hint = shape_mismatch(exc, {n: np.shape(a) for n, a in zip(names, args)}, want)
        if hint is None:
            raise
        return None, hint


def _step_shape_hint(got, want):
    if got == want[::-1]:
        return (f"h_t has shape {got}, the transpose of the expected (B, H) = {want}: return one row "
                f"per batch item, as x_t (B, D) has.")
    return f"h_t has shape {got}, expected (B, H) = {want}."


def _check_step(fn, seed):
    xs, h0, W_F, W_R, b_h = example(seed)
    args = (xs[0], h0, W_F, W_R, b_h)
    got, hint = _call(fn, args, STEP_NAMES, STEP_WANT)
    if hint:
        return False, hint
    return _compare("h_t", got, library_forward_step(*args), _step_mistakes(*args), _step_shape_hint)


@reads_result(as_array)
def check_forward_step(forward_step):
    """Check forward_step(x_t, h_prev, W_F, W_R, b_h) -> (B, H) against rnn_edu.step_forward."""
    if not callable(forward_step):
        return ExerciseResult(False, "expected a function forward_step(x_t, h_prev, W_F, W_R, b_h), "
                                     f"got {type(forward_step).__name__}.")
    return run_checks([(f"one step (example {s + 1})", lambda s=s: _check_step(forward_step, s))
                       for s in (0, 1)], function_name(forward_step))


def _sequence_variant(xs, h0, W_F, W_R, b_h, carry=True, keep_before=False):
    """A loop of library steps, optionally with a classic mistake: state not carried, or
    each stored state taken before its step (h_0..h_{T-1})."""
    hs, h = [], h0
    for x_t in xs:
        new = library_forward_step(x_t, h if carry else h0, W_F, W_R, b_h)
        hs.append(h if keep_before else new)
        h = new
    return np.stack(hs)


def _sequence_mistakes(xs, h0, W_F, W_R, b_h):
    args = (xs, h0, W_F, W_R, b_h)
    return [
        (_sequence_variant(*args, carry=False),
         "the state is not carried: step t must start from h_{t-1}, the state the step before "
         "produced, not from h0 every time."),
        (_sequence_variant(*args, keep_before=True),
         "off by one: hs[t] is the state after step t (h_1..h_T); you stored the state before it."),
        (_sequence_variant(xs, h0, W_F, W_R.T, b_h),
         "W_R is transposed: with one row per batch item, W_R h_{t-1} is h_prev @ W_R.T."),
    ]


def _sequence_shape_hint(got, want):
    T_, B_, H_ = want
    if got == (T_ + 1, B_, H_):
        return f"hs has {T_ + 1} states; return h_1..h_T only ({T_} of them): h0 is an input, not an output."
    if got == (B_, H_):
        return f"you returned one state of shape {got}; return every state h_1..h_T, shape (T, B, H) = {want}."
    if got == (B_, T_, H_):
        return f"hs is batch-major {got}; the course is time-major: (T, B, H) = {want}, hs[t] = h_(t+1)."
    return f"hs has shape {got}, expected (T, B, H) = {want}."


def _check_sequence(fn, seed):
    args = example(seed)
    got, hint = _call(fn, args, SEQUENCE_NAMES, SEQUENCE_WANT)
    if hint:
        return False, hint
    return _compare("hs", got, library_rnn_forward(*args), _sequence_mistakes(*args), _sequence_shape_hint)


@reads_result(as_array)
def check_rnn_forward(rnn_forward):
    """Check rnn_forward(xs, h0, W_F, W_R, b_h) -> hs (T, B, H) against rnn_edu.forward."""
    if not callable(rnn_forward):
        return ExerciseResult(False, "expected a function rnn_forward(xs, h0, W_F, W_R, b_h), "
                                     f"got {type(rnn_forward).__name__}.")
    return run_checks([(f"a sequence of T = {T} steps (example {s + 1})",
                        lambda s=s: _check_sequence(rnn_forward, s)) for s in (0, 1)],
                      function_name(rnn_forward))
