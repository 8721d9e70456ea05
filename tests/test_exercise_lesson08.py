"""Lesson 08's four exercises of issue 21 (the vocabulary, the loss per character, sequential windows,
one Adam step): each checker passes a right answer written as a learner would, names every known slip,
and answers garbage (None, wrong shapes, a function that raises, not a function) without raising."""
import numpy as np
import pytest

import rnn_edu
from rnn_edu.course.exercises import IN_PLACE, ExerciseResult, lesson08, use_yours_or_library
from rnn_edu.course.exercises.adam import cases as adam_cases
from rnn_edu.lm.batching import seq_data_iter_sequential
from rnn_edu.lm.corpus import Vocab, shakespeare
from rnn_edu.lm.evaluation import evaluate
from rnn_edu.optim import Adam

RULE = IN_PLACE.split(" in place ")[1][:60]


def raises(*args, **kwargs):
    raise KeyError("oops")


def assert_hint(checker, fn, hint):
    result = checker(fn)
    assert isinstance(result, ExerciseResult) and not result.passed, result.message
    assert hint in result.message, result.message
    return result


# ---------------------------------------------------------------- the vocabulary

def vocab_right(text):
    chars = sorted(set(text))
    return "".join(chars), {c: i for i, c in enumerate(chars)}


def vocab_as_list(text):
    chars = sorted(set(text))
    return chars, {c: i for i, c in enumerate(chars)}


def vocab_with(chars_of, table_of=None):
    def build_vocab(text):
        chars = chars_of(text)
        table = table_of(chars) if table_of else {c: i for i, c in enumerate(chars)}
        return chars, table
    return build_vocab


@pytest.mark.parametrize("fn", [vocab_right, vocab_as_list, lesson08.library_build_vocab,
                                lambda text: (np.array(sorted(set(text))), dict((c, i) for i, c in
                                                                                 enumerate(sorted(set(text)))))])
def test_vocab_right_answers_pass(fn):
    result = lesson08.check_build_vocab(fn)
    assert result.passed, result.message


@pytest.mark.parametrize("fn, hint", [
    (vocab_with(lambda t: "".join(dict.fromkeys(t))), "the order they first appear"),
    (vocab_with(lambda t: list(t)), "more than once"),
    (vocab_with(lambda t: "".join(sorted(t))), "more than once"),
    (vocab_with(lambda t: "".join(sorted(set(t), reverse=True))), "descending"),
    (vocab_with(lambda t: "".join(sorted(set(t), key=lambda c: (c.lower(), c)))), "ignoring case"),
    (vocab_with(lambda t: "".join(sorted(set(t.replace("\n", ""))))), "white space is a character too"),
    (vocab_with(lambda t: "".join(sorted(set("".join(t.split()))))), "chars misses"),
    (vocab_with(lambda t: "".join(sorted(set(t + "#")))), "not in the text"),
    (lambda t: set(t), "expected two values"),
    (lambda t: (set(t), {}), "a set, which has no order"),
    (vocab_with(lambda t: "".join(sorted(set(t))), lambda cs: {i: c for i, c in enumerate(cs)}),
     "maps ids to characters"),
    (vocab_with(lambda t: "".join(sorted(set(t))), lambda cs: {c: i + 1 for i, c in enumerate(cs)}), "start at 1"),
    (vocab_with(lambda t: "".join(sorted(set(t))), lambda cs: {c: len(cs) - 1 - i for i, c in enumerate(cs)}),
     "its position in the sorted chars"),
    (vocab_with(lambda t: "".join(sorted(set(t))), lambda cs: {c: float(i) for i, c in enumerate(cs)}),
     "the ids are integers"),
    (vocab_with(lambda t: "".join(sorted(set(t))), lambda cs: {c: i for i, c in enumerate(cs[1:])}), "has no id for"),
    (vocab_with(lambda t: "".join(sorted(set(t))), lambda cs: list(range(len(cs)))), "should be a dict"),
    (lambda t: None, "returned None"),
    (lambda t: (None, None), "chars should be a string"),
    (raises, "your code raised KeyError"),
])
def test_vocab_slips_get_their_hint(fn, hint):
    assert_hint(lesson08.check_build_vocab, fn, hint)


def test_vocab_matches_the_corpus_vocabulary():
    text = "".join(Vocab.from_text("ab").chars) + shakespeare()[0].chars
    chars, table = lesson08.library_build_vocab(text)
    assert chars == shakespeare()[0].chars and [table[c] for c in chars] == list(range(65))


# ---------------------------------------------------------------- the loss per character

def loss_right(zs, targets):
    s = zs - zs.max(axis=1, keepdims=True)
    logp = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
    loss = -logp[np.arange(len(targets)), targets].mean()
    return loss, np.exp(loss), loss / np.log(2)


def loss_variant(loss_of=None, ppl_of=None, bits_of=None):
    """A learner's loss_per_char with one slip: loss_of(nll per char, zs, targets), ppl_of(loss, nll), ..."""
    def loss_per_char(zs, targets):
        s = zs - zs.max(axis=1, keepdims=True)
        nll = -(s - np.log(np.exp(s).sum(axis=1, keepdims=True)))[np.arange(len(targets)), targets]
        loss = loss_of(nll, zs, targets) if loss_of else nll.mean()
        ppl = ppl_of(loss, nll) if ppl_of else np.exp(loss)
        return loss, ppl, bits_of(loss) if bits_of else loss / np.log(2)
    return loss_per_char


def loss_naive(zs, targets):
    p = np.exp(zs) / np.exp(zs).sum(axis=1, keepdims=True)
    loss = -np.log(p[np.arange(len(targets)), targets]).mean()
    return loss, np.exp(loss), loss / np.log(2)


def loss_in_place(zs, targets):
    zs -= zs.max(axis=1, keepdims=True)
    logp = zs - np.log(np.exp(zs).sum(axis=1, keepdims=True))
    loss = -logp[np.arange(len(targets)), targets].mean()
    return loss, np.exp(loss), loss / np.log(2)


@pytest.mark.parametrize("fn", [loss_right, lesson08.library_loss_per_char,
                                lambda zs, t: list(loss_right(zs, t)), lambda zs, t: np.array(loss_right(zs, t))])
def test_loss_right_answers_pass(fn):
    result = lesson08.check_loss_per_char(fn)
    assert result.passed, result.message


@pytest.mark.parametrize("fn, hint", [
    (loss_variant(loss_of=lambda nll, zs, t: nll.mean() / np.log(2)), "log base 2"),
    (loss_variant(loss_of=lambda nll, zs, t: nll.mean() / np.log(10)), "log base 10"),
    (loss_variant(loss_of=lambda nll, zs, t: nll.sum()), "the sum over the N"),
    (loss_variant(loss_of=lambda nll, zs, t: -nll.mean()), "wrong sign"),
    (loss_variant(loss_of=lambda nll, zs, t: -zs[np.arange(len(t)), t].mean()), "raw scores are not log-probabilities"),
    (loss_variant(loss_of=lambda nll, zs, t: -np.log(np.exp(-nll).mean())), "log of the mean probability"),
    (loss_variant(ppl_of=lambda loss, nll: np.exp(nll.sum())), "perplexity of the sum"),
    (loss_variant(ppl_of=lambda loss, nll: 2 ** loss), "powers of 2 go with bits"),
    (loss_variant(ppl_of=lambda loss, nll: np.exp(nll).mean()), "mean of the per-character exponentials"),
    (loss_variant(ppl_of=lambda loss, nll: np.exp(-loss)), "1 / perplexity"),
    (loss_variant(ppl_of=lambda loss, nll: loss), "the loss itself"),
    (loss_variant(bits_of=lambda loss: loss * np.log(2)), "multiplied by ln 2"),
    (loss_variant(bits_of=lambda loss: loss), "the bits equal the nats"),
    (loss_naive, "exp of scores near 800 overflows"),
    (loss_in_place, "changed its argument `zs` in place"),
    (lambda zs, t: loss_right(zs, t)[:2], "expected three numbers"),
    (lambda zs, t: (zs.mean(axis=1), 1.0, 1.0), "expected three numbers"),
    (lambda zs, t: None, "returned None"),
    (lambda zs, t: ("a", "b", "c"), "expected three numbers"),
    (lambda zs, t: -np.log(np.exp(zs[t]) / np.exp(zs).sum()), "IndexError"),
    (raises, "your code raised KeyError"),
])
def test_loss_slips_get_their_hint(fn, hint):
    assert_hint(lesson08.check_loss_per_char, fn, hint)


def test_the_all_characters_slip_is_named():
    def loss_per_char(zs, targets):
        s = zs - zs.max(axis=1, keepdims=True)
        loss = -(s - np.log(np.exp(s).sum(axis=1, keepdims=True))).mean()
        return loss, np.exp(loss), loss / np.log(2)
    assert_hint(lesson08.check_loss_per_char, loss_per_char, "averages over all V characters")


def loss_float32(zs, targets):
    """A right answer computed in float32 throughout (the scores cast first)."""
    zs = zs.astype(np.float32)
    s = zs - zs.max(axis=1, keepdims=True)
    logp = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
    loss = -logp[np.arange(len(targets)), targets].mean()
    return loss, np.exp(loss), loss / np.float32(np.log(2))


@pytest.mark.parametrize("fn", [loss_float32, lambda zs, t: tuple(np.float32(x) for x in loss_right(zs, t))],
                         ids=["computed in float32", "rounded to float32"])
def test_a_right_float32_loss_passes(fn):
    result = lesson08.check_loss_per_char(fn)
    assert result.passed, result.message


def test_a_float64_loss_is_still_held_to_float64_and_shown_with_digits_that_differ():
    def off(zs, targets):
        loss, ppl, bits = loss_right(zs, targets)
        return loss * (1 + 1e-8), ppl, bits
    message = assert_hint(lesson08.check_loss_per_char, off, "relative difference 1.0e-08").message
    got, want = message.split(" is ", 1)[1].split(" (relative")[0].split(", expected ")
    assert got != want and float(got) != float(want), message
    result = lesson08.check_loss_per_char(lambda zs, t: tuple(np.float32(x) * (1 + 1e-3) for x in loss_right(zs, t)))
    assert not result.passed, "a float32 answer is not let off by more than float32's precision"


def test_the_tolerance_follows_the_learner_s_dtype_and_numbers_shown_never_look_equal():
    from rnn_edu.course.exercises.precision import mismatch, tolerance
    assert tolerance([1.0, np.float64(2.0), [np.zeros(2)]], 1e-9, 1e-12) == (1e-9, 1e-12)
    rtol, atol = tolerance([np.float64(1.0), [np.zeros(2, np.float32)]], 1e-9, 1e-12)
    assert rtol == pytest.approx(100 * np.finfo(np.float32).eps) and atol == pytest.approx(1e-12 * rtol / 1e-9)
    assert tolerance([np.arange(3)], 1e-6, 1e-9) == (1e-6, 1e-9)             # integers: float64's
    text = mismatch(1.6094379124341003 * (1 + 1e-9), 1.6094379124341003)
    got, want = text.split(" (")[0].split(", expected ")
    assert got != want and "relative difference 1.0e-09" in text, text


def test_the_library_loss_is_evaluate_on_a_model():
    """library_loss_per_char on a network's scores is rnn_edu.lm.evaluation.evaluate."""
    from rnn_edu.lm.batching import one_hot_window
    p = rnn_edu.init_params(7, 5, 7, seed=0)
    ids = np.random.default_rng(1).integers(0, 7, 40)
    zs = rnn_edu.forward(p, one_hot_window(ids[:-1, None], 7, np.float64)).zs[:, 0]
    loss, ppl, bits = lesson08.library_loss_per_char(zs, ids[1:])
    assert np.isclose(loss, evaluate(p, ids), rtol=1e-12)
    assert np.isclose(ppl, np.exp(loss)) and np.isclose(bits, np.log2(ppl))


# ---------------------------------------------------------------- sequential windows

def windows_right(ids, batch_size, num_steps, offset):
    L = (len(ids) - offset - 1) // batch_size
    X = np.reshape(ids[offset:offset + L * batch_size], (batch_size, L))
    Y = np.reshape(ids[offset + 1:offset + 1 + L * batch_size], (batch_size, L))
    return [(X[:, i:i + num_steps].T, Y[:, i:i + num_steps].T) for i in range(0, L - num_steps + 1, num_steps)]


def windows_generator(ids, batch_size, num_steps, offset):
    for X, Y in windows_right(ids, batch_size, num_steps, offset):
        yield X.tolist(), Y.tolist()


def windows_consecutive(ids, batch_size, num_steps, offset):
    """Consecutive blocks of B windows: rows restart instead of continuing (random partitioning's layout)."""
    out, s, B, T = [], offset, batch_size, num_steps
    while s + B * T + 1 <= len(ids):
        X = np.stack([ids[s + b * T:s + (b + 1) * T] for b in range(B)], axis=1)
        out.append((X, np.stack([ids[s + b * T + 1:s + (b + 1) * T + 1] for b in range(B)], axis=1)))
        s += B * T
    return out


def windows_variant(**change):
    def sequential_windows(ids, batch_size, num_steps, offset):
        B, T = batch_size, num_steps
        off = 0 if change.get("no_offset") else offset
        L = (len(ids) - off - (0 if change.get("no_room") else 1)) // B
        X = ids[off:off + L * B].reshape(B, L)
        Y = ids[off + 1:off + 1 + L * B]
        if change.get("no_room"):
            Y = np.append(Y, Y[-1] + 1)[:L * B]
        Y = Y.reshape(B, L)
        if change.get("same_y"):
            Y = X
        stop = L - T + 1 + (T - 1 if change.get("partial") else 0)
        out = [(X[:, i:i + T], Y[:, i:i + T]) for i in range(0, stop, T)]
        if change.get("batch_major"):
            return out
        out = [(x.T, y.T) for x, y in out]
        if change.get("drop_last"):
            out = out[:-1]
        return out
    return sequential_windows


def windows_stream_too_long(ids, batch_size, num_steps, offset):
    """The slip as a learner writes it: streams of (N - offset) // B, targets shifted by one in the text
    (numpy cannot reshape the targets when N - offset is a multiple of B)."""
    L = (len(ids) - offset) // batch_size
    X = ids[offset:offset + L * batch_size].reshape(batch_size, L)
    Y = ids[offset + 1:offset + 1 + L * batch_size].reshape(batch_size, L)
    return [(X[:, i:i + num_steps].T, Y[:, i:i + num_steps].T) for i in range(0, L - num_steps + 1, num_steps)]


def windows_inside_streams(ids, batch_size, num_steps, offset):
    """The other reading of "equally long streams": each stream holds its own targets."""
    L = (len(ids) - offset) // batch_size
    S = ids[offset:offset + L * batch_size].reshape(batch_size, L)
    X, Y = S[:, :-1], S[:, 1:]
    return [(X[:, i:i + num_steps].T, Y[:, i:i + num_steps].T) for i in range(0, L - num_steps, num_steps)]


def windows_in_place(ids, batch_size, num_steps, offset):
    out = [(x.copy(), y.copy()) for x, y in windows_right(ids, batch_size, num_steps, offset)]
    ids[:] = 0
    return out


@pytest.mark.parametrize("fn", [windows_right, windows_generator, lesson08.library_sequential_windows,
                                lambda *a: tuple(windows_right(*a)),
                                lambda *a: [[x.astype(float), y.astype(float)] for x, y in windows_right(*a)]])
def test_windows_right_answers_pass(fn):
    result = lesson08.check_sequential_windows(fn)
    assert result.passed, result.message


@pytest.mark.parametrize("fn, hint", [
    (windows_consecutive, "each row continues where its previous window ended"),
    (windows_variant(batch_major=True), "time-major"),
    (windows_variant(same_y=True), "Y equals X"),
    (windows_variant(no_offset=True), "skip the first offset"),
    (windows_variant(no_room=True), "leave room for the target"),
    (windows_variant(drop_last=True), "too few"),
    (windows_variant(partial=True), "fewer than num_steps"),
    (windows_variant(partial=True), "the last window has 1 step, fewer"),
    (windows_stream_too_long, "leave room for the target after the last input"),
    (windows_inside_streams, "the input streams follow one another without a gap"),
    (windows_inside_streams, "leave room for the target after the last input"),
    (windows_in_place, "changed its argument `ids` in place"),
    (lambda *a: None, "returned None"),
    (lambda *a: 3, "expected a list of (X, Y) pairs"),
    (lambda *a: [np.zeros((5, 3), int)], "should be a pair (X, Y)"),
    (lambda *a: [(np.full((5, 3), "a"), np.full((5, 3), "b"))], "integer character ids"),
    (lambda ids, B, T, o: [(y, x) for x, y in windows_right(ids, B, T, o)], "the character before X"),
    (raises, "your code raised KeyError"),
])
def test_windows_slips_get_their_hint(fn, hint):
    assert_hint(lesson08.check_sequential_windows, fn, hint)


def test_streams_that_hold_their_own_targets_are_named_where_the_windows_show_it():
    """With N - offset = 45, B = 3, T = 5 the two readings give different windows: the message names which."""
    from rnn_edu.course.exercises import windows
    ids = np.arange(47)
    want = lesson08.library_sequential_windows(ids, 3, 5, 2)
    ok, hint = windows._diagnose(windows_inside_streams(ids, 3, 5, 2), want, 3, 5, 2, 47)
    assert not ok and hint.startswith("each of your streams keeps its own last character as a target only"), hint
    padded = windows_variant(no_room=True)(ids, 3, 5, 2)
    ok, hint = windows._diagnose(padded, want, 3, 5, 2, 47)
    assert not ok and hint.startswith("the streams are one character too long each"), hint


def test_the_library_windows_are_seq_data_iter_sequential():
    ids = np.arange(50)
    for offset in range(6):
        class Rng:
            def integers(self, low, high, o=offset):
                return o
        want = list(seq_data_iter_sequential(ids, 3, 5, Rng()))
        got = lesson08.library_sequential_windows(ids, 3, 5, offset)
        assert len(got) == len(want) and all(np.array_equal(a, c) and np.array_equal(b, d)
                                             for (a, b), (c, d) in zip(got, want))
    # the lesson's example (seed 0 draws offset 5): rows start at 5, 19, 33
    assert lesson08.library_sequential_windows(ids, 3, 5, 5)[0][0][0].tolist() == [5, 19, 33]


# ---------------------------------------------------------------- one Adam step

def adam_right(w, g, m, v, t, lr, betas=(0.9, 0.999), eps=1e-8):
    b1, b2 = betas
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g ** 2
    m_hat, v_hat = m / (1 - b1 ** t), v / (1 - b2 ** t)
    return w - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


def adam_variant(correct=(True, True), shift=0, root=True, eps_at="sqrt", square=True, swap_betas=False,
                 sign=-1, state="new"):
    def adam_step(w, g, m, v, t, lr, betas=(0.9, 0.999), eps=1e-8):
        b1, b2 = betas[::-1] if swap_betas else betas
        m_new = b1 * m + (1 - b1) * g
        v_new = b2 * v + (1 - b2) * (g * g if square else g)
        tt = t + shift
        m_hat = m_new / (1 - b1 ** tt) if correct[0] else m_new
        v_hat = v_new / (1 - b2 ** tt) if correct[1] else v_new
        if eps_at == "inside":
            step = m_hat / np.sqrt(v_hat + eps)
        elif eps_at == "none":
            step = m_hat / np.sqrt(v_hat)
        elif eps_at == "ratio":
            step = m_hat / np.sqrt(v_hat) + eps
        elif eps_at == "uncorrected":
            step = np.sqrt(1 - b2 ** tt) / (1 - b1 ** tt) * m_new / (np.sqrt(v_new) + eps)
        else:
            step = m_hat / ((np.sqrt(v_hat) if root else v_hat) + eps)
        w_new = w + sign * lr * step
        return {"new": (w_new, m_new, v_new), "old": (w_new, m, v), "hat": (w_new, m_hat, v_hat),
                "swapped": (w_new, v_new, m_new)}[state]
    return adam_step


def adam_in_place(w, g, m, v, t, lr, betas=(0.9, 0.999), eps=1e-8):
    b1, b2 = betas
    m *= b1
    m += (1 - b1) * g
    v *= b2
    v += (1 - b2) * g * g
    return w - lr * (m / (1 - b1 ** t)) / (np.sqrt(v / (1 - b2 ** t)) + eps), m, v


def adam_defaults_wrong(w, g, m, v, t, lr, betas=(0.9, 0.99), eps=1e-8):
    return adam_right(w, g, m, v, t, lr, betas, eps)


@pytest.mark.parametrize("fn", [adam_right, adam_variant(), lesson08.library_adam_step,
                                lambda *a, **k: [x.tolist() for x in adam_right(*a, **k)]])
def test_adam_right_answers_pass(fn):
    result = lesson08.check_adam_step(fn)
    assert result.passed, result.message


@pytest.mark.parametrize("fn, hint", [
    (adam_variant(correct=(False, False)), "the bias corrections are missing"),
    (adam_variant(correct=(False, True)), "the bias correction of m is missing"),
    (adam_variant(correct=(True, False)), "the bias correction of v is missing"),
    (adam_variant(shift=-1), "t counts the steps from 1"),
    (adam_variant(shift=+1), "t + 1"),
    (adam_variant(root=False), "the square root is missing"),
    (adam_variant(eps_at="inside"), "eps is inside the square root"),
    (adam_variant(eps_at="uncorrected"), "before the bias correction"),
    (adam_variant(eps_at="none"), "eps is not in the denominator: where g = 0"),
    (adam_variant(eps_at="ratio"), "eps is not in the denominator: where g = 0"),
    (adam_variant(square=False), "squared gradients"),
    (adam_variant(swap_betas=True), "beta1 and beta2 are swapped"),
    (adam_variant(sign=+1), "moves against it"),
    (adam_variant(state="old"), "come back as they were passed in"),
    (adam_variant(state="hat"), "you returned the corrected m^ and v^"),
    (adam_variant(state="swapped"), "m_new and v_new are swapped"),
    (adam_in_place, "changed its arguments `m` and `v` in place"),
    (adam_defaults_wrong, "the defaults are betas=(0.9, 0.999)"),
    (lambda w, g, *a, **k: w - 0.001 * g, "expected three arrays"),
    (lambda *a, **k: adam_right(*a, **k)[:2], "expected three arrays (w_new, m_new, v_new), got 2 values"),
    (lambda *a, **k: (None, None, None), "w_new is None"),
    (lambda *a, **k: tuple(x.ravel()[:1] for x in adam_right(*a, **k)), "has shape"),
    (lambda *a, **k: ("w", "m", "v"), "should be a numpy array of numbers"),
    (lambda *a, **k: None, "returned None"),
    (raises, "your code raised KeyError"),
])
def test_adam_slips_get_their_hint(fn, hint):
    assert_hint(lesson08.check_adam_step, fn, hint)


def adam_float32(w, g, m, v, t, lr, betas=(0.9, 0.999), eps=1e-8):
    """A right step computed in float32 throughout."""
    w, g, m, v = (np.asarray(a, dtype=np.float32) for a in (w, g, m, v))
    return adam_right(w, g, m, v, t, lr, betas, eps)


def test_a_right_float32_adam_step_passes_and_its_slips_are_still_named():
    result = lesson08.check_adam_step(adam_float32)
    assert result.passed, result.message

    def no_correction_float32(w, g, m, v, t, lr, betas=(0.9, 0.999), eps=1e-8):
        w, g, m, v = (np.asarray(a, dtype=np.float32) for a in (w, g, m, v))
        return adam_variant(correct=(False, False))(w, g, m, v, t, lr, betas, eps)
    assert_hint(lesson08.check_adam_step, no_correction_float32, "the bias corrections are missing")


def test_the_fallback_message_does_not_recite_adam():
    def adam_step(w, g, m, v, t, lr, betas=(0.9, 0.999), eps=1e-8):
        w_new, m_new, v_new = adam_right(w, g, m, v, t, lr, betas, eps)
        return w_new * 1.01, m_new, v_new
    message = assert_hint(lesson08.check_adam_step, adam_step, "the hints below go through it").message
    assert "sqrt" not in message and "1 - beta" not in message and "m^" not in message


def test_unrecognised_losses_and_windows_are_told_where_to_look_not_the_answer():
    """No known slip matched: the message gives the numbers and points to the hints, never the formula."""
    def off(zs, targets):
        loss, ppl, bits = loss_right(zs, targets)
        return loss * 1.01, ppl, bits
    message = assert_hint(lesson08.check_loss_per_char, off, "the hints below go through it").message
    for giveaway in ("mean", "log", "exp(", "e^", "softmax", "ln"):
        assert giveaway not in message.split(":", 1)[1], message

    def positions_not_ids(ids, batch_size, num_steps, offset):
        return windows_right(np.arange(len(ids)), batch_size, num_steps, offset)
    assert_hint(lesson08.check_sequential_windows, positions_not_ids, "read the values of ids")


def test_the_library_step_is_the_optimiser_step_by_step():
    """library_adam_step, carried for several steps, gives what rnn_edu.optim.Adam gives on a container."""
    rng = np.random.default_rng(3)
    p = rnn_edu.init_params(2, 3, 2, seed=0)
    opt, w = Adam(0.01), p
    m = v = np.zeros_like(p.W_R)
    mine = p.W_R
    for t in range(1, 6):
        g = p.map(lambda a: rng.normal(size=a.shape))
        w = opt.step(w, g)
        mine, m, v = lesson08.library_adam_step(mine, g.W_R, m, v, t, 0.01)
        np.testing.assert_allclose(mine, w.W_R, rtol=1e-13)
    name, args = adam_cases()[0]
    assert abs(lesson08.library_adam_step(*args)[0] - args[0])[:3] == pytest.approx([0.002] * 3, rel=1e-6)


# ---------------------------------------------------------------- every checker

CHECKERS = [(lesson08.check_build_vocab, lesson08.library_build_vocab, "build_vocab"),
            (lesson08.check_loss_per_char, lesson08.library_loss_per_char, "loss_per_char"),
            (lesson08.check_sequential_windows, lesson08.library_sequential_windows, "sequential_windows"),
            (lesson08.check_adam_step, lesson08.library_adam_step, "adam_step")]


@pytest.mark.parametrize("checker, library, name", CHECKERS, ids=[c[2] for c in CHECKERS])
def test_not_a_function_and_the_fallback(checker, library, name, capsys):
    for garbage in (None, 3, "text"):
        result = checker(garbage)
        assert not result.passed and f"expected a function {name}(" in result.message
    chosen = use_yours_or_library(raises, checker, library, name)
    assert chosen is library
    assert capsys.readouterr().out == f"Your {name} does not pass its check yet; using rnn_edu's instead.\n"
