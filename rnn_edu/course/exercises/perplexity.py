"""Lesson 08 exercise: the loss per character, the perplexity and the bits per character.

    loss_per_char(zs, targets) -> (loss, perplexity, bits)
        zs (N, V)     a model's scores (before the softmax) at N positions of a text
        targets (N,)  the ids of the characters that came next
        loss = -(1/N) sum_t ln softmax(zs[t])[targets[t]]     (nats per character)
        perplexity = e^loss,   bits = loss / ln 2              (bits per character)

`check_loss_per_char` compares with rnn_edu.lm.evaluation (log_softmax_at, the mean that `evaluate`
takes, and `perplexity`); `library_loss_per_char` is that computation with the exercise's signature.
"""
import numpy as np

from rnn_edu.lm.evaluation import log_softmax_at, perplexity
from . import ExerciseResult, call_unchanged, function_name, reads_result, run_checks
from .precision import mismatch, tolerance

LN2, LN10 = np.log(2.0), np.log(10.0)


def library_loss_per_char(zs, targets):
    """rnn_edu's (loss in nats per character, perplexity, bits per character) for scores zs (N, V)."""
    zs = np.asarray(zs, dtype=np.float64)
    loss = float(-log_softmax_at(zs, np.asarray(targets, dtype=np.intp)).mean())
    return loss, perplexity(loss), loss / LN2


def as_metrics(out):
    """The learner's three numbers as a tuple of floats (a list, an array, numpy scalars accepted)."""
    if out is None:
        raise TypeError("your function returned None: did you forget the `return`?")
    try:
        values = np.asarray(out, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"expected three numbers (loss, perplexity, bits), got {type(out).__name__}.") from None
    if values.shape != (3,):
        raise ValueError(f"expected three numbers (loss, perplexity, bits), got an array of shape {values.shape}.")
    return tuple(float(v) for v in values)


def cases():
    """[(name, zs, targets)]: seeded, with N != V, one position, large scores and uint8 ids."""
    rng = np.random.default_rng(0)
    return [
        ("equal scores over V = 5", np.zeros((4, 5)), np.array([0, 3, 1, 4])),
        ("random scores, N = 6, V = 9", 2 * rng.normal(size=(6, 9)), rng.integers(0, 9, 6)),
        ("one position", np.array([[1.0, -2.0, 0.5]]), np.array([2])),
        ("large scores (about 800)", 800 + 3 * rng.normal(size=(5, 4)), rng.integers(0, 4, 5)),
        ("uint8 ids as in the corpus, N = 8, V = 65", rng.normal(size=(8, 65)),
         rng.integers(0, 65, 8).astype(np.uint8)),
    ]


TOL = (1e-9, 1e-12)          # (rtol, atol) for float64 answers; `tolerance` widens them for float32 ones


def _close(a, b, tol=TOL):
    return bool(np.isclose(a, b, rtol=tol[0], atol=tol[1]))


def _nll(zs, targets):
    return -log_softmax_at(zs, targets.astype(np.intp))


def _diagnose_loss(got, zs, targets, want, tol=TOL):
    nll = _nll(zs, targets)
    p = np.exp(-nll)
    N = len(targets)
    all_chars = float(-(zs - zs.max(axis=1, keepdims=True)
                        - np.log(np.exp(zs - zs.max(axis=1, keepdims=True)).sum(axis=1, keepdims=True))).mean())
    wrong = [
        (want / LN2, "the loss is in bits (log base 2); the loss per character is in nats, with the natural "
                     "log. Bits per character are the third value."),
        (want / LN10, "the loss uses log base 10; the loss per character is in nats, with the natural log."),
        (N * want, f"this is the sum over the N = {N} characters; the loss per character is the mean."),
        (-want, "the loss has the wrong sign: the log of a probability is negative, and the loss is the "
                "surprise, a positive number."),
        (float(-zs[np.arange(N), targets.astype(np.intp)].mean()),
         "the raw scores are not log-probabilities: turn each row of scores into probabilities over the V "
         "characters first."),
        (all_chars, "this averages over all V characters of each row; only the probability of the character "
                    "that came next counts."),
        (float(-np.log(p.mean())), "this is the log of the mean probability; the loss is the mean of the "
                                   "per-character surprises."),
    ]
    for value, hint in wrong:
        if np.isfinite(value) and _close(got, value, tol):
            return hint
    if not np.isfinite(got):
        if zs.max() > 700:
            return ("the loss is inf or NaN: exp of scores near 800 overflows. Each row's largest score can be "
                    "subtracted before exp without changing the softmax (lesson 03).")
        return "the loss is inf or NaN."
    return (f"the loss per character (N = {N}, V = {zs.shape[1]}) is {mismatch(got, want)}; "
            "the hints below go through it.")


def _diagnose_perplexity(got, zs, targets, want_loss, want, tol=TOL):
    nll = _nll(zs, targets)
    N = len(targets)
    with np.errstate(over="ignore"):
        wrong = [
            (np.exp(N * want_loss), f"this is the perplexity of the sum over the N = {N} characters; perplexity "
                                    f"is computed from the mean loss per character."),
            (2.0 ** want_loss, "this raises 2 to the loss in nats; powers of 2 go with bits, powers of e with "
                               "nats."),
            (10.0 ** want_loss, "this raises 10 to the loss in nats; powers of e go with nats."),
            (float(np.exp(nll).mean()), "this is the mean of the per-character exponentials; perplexity is the "
                                        "exponential of the mean loss."),
            (np.exp(-want_loss), "this is 1 / perplexity: the exponent has the sign of the loss."),
            (want_loss, "this is the loss itself; perplexity turns it into a number of choices."),
        ]
    for value, hint in wrong:
        if np.isfinite(value) and _close(got, value, tol) and not _close(value, want, tol):
            return hint
    if np.isinf(got) and np.isinf(np.exp(N * want_loss)):
        return wrong[0][1]
    return f"the perplexity is {mismatch(got, want)}; the hints below go through it."


def _diagnose_bits(got, want_loss, want, tol=TOL):
    wrong = [
        (want_loss * LN2, "the bits were multiplied by ln 2; converting nats to bits goes the other way."),
        (want_loss, "the bits equal the nats: the loss in nats still has to be converted to bits."),
        (want_loss / LN10, "this converts to log base 10, not to bits (log base 2)."),
    ]
    for value, hint in wrong:
        if _close(got, value, tol) and not _close(value, want, tol):
            return hint
    return f"the bits per character are {mismatch(got, want)}; the hints below go through it."


NAMES = ("zs", "targets")


def _check(fn, zs, targets):
    try:
        out, hint = call_unchanged(fn, (zs, targets), NAMES)
    except IndexError as exc:
        return False, (f"your code raised IndexError: {exc}. zs is (N, V) = {zs.shape}, one row per position "
                       f"and one column per character; targets[t] is a column index of row t.")
    if hint:
        return False, hint
    try:
        loss, ppl, bits = as_metrics(out)
    except (TypeError, ValueError) as exc:
        return False, str(exc)
    want = library_loss_per_char(zs, targets)
    tol = tolerance([out], *TOL)             # a float32 answer is held to float32's precision
    if not _close(loss, want[0], tol):
        return False, _diagnose_loss(loss, zs, targets, want[0], tol)
    if not _close(ppl, want[1], tol):
        return False, _diagnose_perplexity(ppl, zs, targets, want[0], want[1], tol)
    if not _close(bits, want[2], tol):
        return False, _diagnose_bits(bits, want[0], want[2], tol)
    return True, ""


@reads_result(as_metrics)
def check_loss_per_char(loss_per_char):
    """Check loss_per_char(zs, targets) -> (loss, perplexity, bits) against rnn_edu.lm.evaluation."""
    fn = loss_per_char
    if not callable(fn):
        return ExerciseResult(False, f"expected a function loss_per_char(zs, targets), got {type(fn).__name__}.")
    return run_checks([(name, lambda zs=zs, t=t: _check(fn, zs, t)) for name, zs, t in cases()],
                      function_name(fn))
