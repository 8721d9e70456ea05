"""Lesson 08's exercises, in the order the lesson asks for them:

    build_vocab(text)                                  the vocabulary            (exercises.vocab)
    loss_per_char(zs, targets)                         loss, perplexity, bits    (exercises.perplexity)
    sequential_windows(ids, batch_size, num_steps, offset)   minibatch windows   (exercises.windows)
    adam_step(w, g, m, v, t, lr, betas, eps)           one Adam update           (exercises.adam)
    temperature_probs(z, T)                            the distribution at a temperature (below)

The temperature exercise:

    p = softmax(z / T),   softmax(s)_k = exp(s_k - max(s)) / sum_j exp(s_j - max(s))

`check_temperature_probs(fn)` compares the learner's fn(z, T) with rnn_edu.lm.sampling.next_char_probs;
`library_temperature_probs` is that function (the fallback). Each other exercise has its check_* and
library_* in its own module, imported here so the lesson reaches all five as lesson08.<name>.
"""
import numpy as np

from rnn_edu.lm.sampling import next_char_probs
from . import ExerciseResult, as_array, as_numbers, call_unchanged, function_name, reads_result, run_checks
from .adam import check_adam_step, library_adam_step  # noqa: F401 (the lesson's names)
from .perplexity import check_loss_per_char, library_loss_per_char  # noqa: F401
from .vocab import check_build_vocab, library_build_vocab  # noqa: F401
from .windows import check_sequential_windows, library_sequential_windows  # noqa: F401


def library_temperature_probs(z, T):
    """rnn_edu's softmax(z / T) for one score vector z (V,), T > 0."""
    return next_char_probs(z, T)


def _softmax(s):
    e = np.exp(s - s.max())
    return e / e.sum()


def _diagnose(got, z, T):
    want = _softmax(z / T)
    if got.shape != want.shape:
        return False, f"expected an array of shape {want.shape} (one probability per character), got {got.shape}."
    if np.allclose(got, want, rtol=1e-9, atol=1e-12):
        return True, ""
    if not np.all(np.isfinite(got)):
        return False, ("the result holds inf or NaN: exp(z / T) overflows when T is small. Subtract "
                       "max(z / T) before exp; it cancels in the ratio.")
    if np.allclose(got, _softmax(z * T)):
        return False, "you multiplied the scores by T; the temperature divides them: z / T."
    if np.allclose(got, _softmax(z)) and T != 1:
        return False, "the temperature is missing: the probabilities are softmax(z), not softmax(z / T)."
    if np.allclose(got / got.sum(), want):
        return False, f"the probabilities add up to {got.sum():.4g}, not 1: divide by their sum."
    return False, (f"the probabilities differ from softmax(z / T) by up to {np.max(np.abs(got - want)):.3g} "
                   f"(z = {np.round(z, 2).tolist()}, T = {T}).")


def _case(fn, z, T):
    def check():
        out, hint = call_unchanged(fn, (z, T), ("z", "T"))
        if hint:
            return False, hint + " Here z / T makes a new array."
        got, hint = as_numbers(out, "the probabilities")
        if hint:
            return False, hint
        return _diagnose(got, z, T)
    return check


@reads_result(as_array)
def check_temperature_probs(fn):
    """Check fn(z, T) -> softmax(z / T) on several score vectors and temperatures."""
    if not callable(fn):
        return ExerciseResult(False, f"expected a function fn(z, T), got {type(fn).__name__}.")
    z = np.array([2.0, 1.0, 0.0, -1.0])
    return run_checks([
        ("T = 1 (the model's own distribution)", _case(fn, z, 1.0)),
        ("T = 0.5 (sharper)", _case(fn, z, 0.5)),
        ("T = 2 (flatter)", _case(fn, z, 2.0)),
        ("T = 0.01 with large scores", _case(fn, np.array([30.0, 29.5, -4.0]), 0.01)),
    ], function_name(fn))
