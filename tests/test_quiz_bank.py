"""The question bank: sizes, seed questions, computed keys and facts in the text."""
import math
import re
from pathlib import Path

import numpy as np
import pytest

import rnn_edu
from rnn_edu.course import quiz

# the lesson seeds the bank is built from, beside the repository: ../shared/seeds
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def _first_k_below(factor, limit):
    """Smallest k with factor**k < limit, by repeated multiplication."""
    k, value = 0, 1.0
    while value >= limit:
        k, value = k + 1, value * factor
    return k


def _sigmoid_slope_max():
    """max of sigma'(x) on a fine grid."""
    s = 1.0 / (1.0 + np.exp(-np.linspace(-10, 10, 200001)))
    return float(np.max(s * (1 - s)))


def _uniform_perplexity(V):
    """Perplexity of a model whose scores are all equal, by rnn_edu.lm.evaluation."""
    from rnn_edu.lm.evaluation import evaluate, perplexity
    p = rnn_edu.init_params(V, 3, V, seed=0)
    p = p.from_named({**p.named_arrays(), "W_O": np.zeros((V, 3)), "b_o": np.zeros(V)})
    return perplexity(evaluate(p, np.arange(200) % V))


def _adam_first_step(lr, g):
    """|change| of one weight after Adam's first step with gradient g."""
    from rnn_edu.optim import Adam
    grads = rnn_edu.RNNParams(W_F=[[g]], W_R=[[0.0]], b_h=[0.0], W_O=[[0.0]], b_o=[0.0])
    return abs(Adam(lr).step(grads.map(np.zeros_like), grads).W_F.item())


def _clip_result():
    """Entry 3 of a gradient (3 in W_F, 4 in W_R) clipped to global norm 2.5."""
    z = np.zeros
    grads = rnn_edu.RNNParams(np.array([[3.0]]), np.array([[4.0]]), z(1), z((1, 1)), z(1))
    clipped, norm = rnn_edu.clip_by_norm(grads, 2.5)
    assert norm == pytest.approx(5.0)
    return float(clipped.W_F[0, 0])


def _clipped_steps():
    """Steps whose norm exceeds twice the median norm."""
    norms = np.array([0.8, 1.1, 0.9, 1.3, 1.0, 25.0, 1.2])
    return int(np.sum(norms > 2 * np.median(norms)))


def _lstm_layer_params():
    """Entries of W_F, W_R and b_h of an LSTM layer with D = 10 inputs and H = 20 units."""
    p = rnn_edu.init_params(10, 20, 5, cell="lstm")
    return p.W_F.size + p.W_R.size + p.b_h.size


# Every numeric question's key, computed independently of the YAML.
COMPUTED_KEYS = {
    "intro-demo-numeric": lambda: 2 ** 10,
    "sgd-step-value": lambda: 0.5 - 0.1 * 2.0,
    "param-count-single-layer": lambda: rnn_edu.count_params(10, 20, 5),
    "param-count-two-layers": lambda: rnn_edu.count_params(10, [20, 20], 5),
    "bptt-sum-numeric": lambda: sum([0.5, -0.2, 0.1]),
    "sigmoid-derivative-max": _sigmoid_slope_max,
    "sigmoid-decay-5-steps": lambda: 0.25 ** 5,
    "decay-0-9-below-1e-3": lambda: _first_k_below(0.9, 1e-3),
    "vanishing-sigmoid-threshold": lambda: 1.0 / _sigmoid_slope_max(),
    "exploding-4-byte-overflow": lambda: rnn_edu.overflow_step(10, np.uint32),
    "exploding-float32-overflow": lambda: rnn_edu.overflow_step(10, np.float32),
    "clip-norm-result": _clip_result,
    "clip-threshold-count": _clipped_steps,
    "gap-gradient-numeric": lambda: 0.5 ** 10,
    "lstm-layer-param-count": _lstm_layer_params,
    "lm-uniform-perplexity": lambda: _uniform_perplexity(65),
    "lm-adam-first-step": lambda: _adam_first_step(0.002, 40.0),
}

SEED_QUESTIONS = {
    "weight-updates-multilayer": ("02", "single", "On both the previous layer and the previous time step"),
    "vanishing-not-true": ("04", "single", "Gradients can't vanish if some of the factors are above one"),
    "exploding-4-byte-overflow": ("04", "numeric", 10),
    "exploding-float32-overflow": ("04", "numeric", 39),
    "many-to-one-hidden-state": ("01", "single", "Either the last step's hidden state or all of them combined"),
    "regression-output-activation": ("01", "single", r"$\hat{y} = \mathrm{ReLU}(W_O h_T)$"),
}


# ---- the real bank ---------------------------------------------------------

def test_bank_size_and_lessons():
    counts = {}
    for q in quiz.all_questions():
        counts[q.lesson] = counts.get(q.lesson, 0) + 1
    assert sorted(counts) == [f"{i:02d}" for i in range(9)]
    assert counts["00"] >= 3
    assert all(counts[f"{i:02d}"] >= 4 for i in range(1, 9))
    assert sum(counts[f"{i:02d}"] for i in range(1, 7)) >= 30
    assert quiz.lessons() == sorted(counts)
    assert len(quiz.lesson_questions("04")) == counts["04"]


def test_all_three_types_occur_and_lesson04_has_multiple():
    assert {q.type for q in quiz.all_questions()} == {"single", "multiple", "numeric"}
    assert "multiple" in {q.type for q in quiz.lesson_questions("04")}


@pytest.mark.parametrize("qid", sorted(SEED_QUESTIONS))
def test_seed_questions_exist_with_type_and_key(qid):
    lesson, qtype, key = SEED_QUESTIONS[qid]
    q = quiz.get_question(qid)
    assert (q.lesson, q.type) == (lesson, qtype)
    assert q.key == key
    assert q.check(key).correct


def test_vanishing_not_true_has_exactly_one_false_statement():
    q = quiz.get_question("vanishing-not-true")
    assert 0.11 < 0.9 ** 20 < 0.13 and 0.9 ** 65 > 1e-3 > 0.9 ** 66
    assert any("12%" in t and "66" in t for t in q.options)
    true_ones = [t for t in q.options if t != q.key]
    assert all("This is true" in q.option_feedback[t] for t in true_ones)


def test_4_byte_explanation_gets_the_arithmetic_right():
    q = quiz.get_question("exploding-4-byte-overflow")
    assert 2 ** 32 - 1 == 4_294_967_295 and 10 ** 9 <= 2 ** 32 - 1 < 10 ** 10
    assert 2 ** 31 - 1 == 2_147_483_647 and rnn_edu.overflow_step(10, np.int32) == 10
    assert "4{,}294{,}967{,}295" in q.explanation and "2{,}147{,}483{,}647" in q.explanation
    assert "garbled" in q.explanation


def test_overflow_facts_in_multiple_select_are_right():
    a = np.ones(1, np.uint32)
    for _ in range(10):
        a = a * np.uint32(10)
    assert int(a[0]) == 10 ** 10 % 2 ** 32 == 1_410_065_408
    f = np.ones(1, np.float32)
    with np.errstate(over="ignore", invalid="ignore"):
        steps = [f := f * np.float32(10) for _ in range(39)]
        assert np.isfinite(steps[37][0]) and np.isinf(steps[38][0]) and np.isnan(f - f)[0]
    q = quiz.get_question("overflow-behaviour")
    assert len(q.key) == 2 and all("1,410,065,408" in t or "step 39" in t for t in q.key)


def test_update_rule_teaches_the_minus_sign():
    q = quiz.get_question("update-rule-sign")
    assert "- \\eta" in q.key
    plus = next(t for t in q.options if "+ \\eta" in t)
    assert not q.check(plus).correct and "uphill" in q.check(plus).message


def test_every_numeric_question_has_a_computed_key():
    numeric = {q.id for q in quiz.all_questions() if q.type == "numeric"}
    assert numeric == set(COMPUTED_KEYS)


@pytest.mark.parametrize("qid", sorted(COMPUTED_KEYS))
def test_computed_key_matches_bank(qid):
    q = quiz.get_question(qid)
    value = float(COMPUTED_KEYS[qid]())
    assert abs(value - q.key) <= 1e-9 * abs(q.key), (qid, value, q.key)     # the key itself is exact
    assert q.check(repr(value)).correct


def _texts(q):
    """All learner-facing text of a question."""
    parts = [q.prompt, q.explanation]
    parts += list(getattr(q, "options", ())) + list(getattr(q, "option_feedback", {}).values())
    parts += [text for _, text in getattr(q, "mistakes", ())]
    return parts


def _ngrams(text, n=8):
    words = re.findall(r"[a-z0-9]+", text.lower())
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"the lesson seeds are not beside this repository ({SEEDS} is absent)")
def test_no_eight_word_run_copied_from_the_seeds():
    seed_grams = set()
    for path in SEEDS.glob("*.txt"):
        seed_grams |= _ngrams(path.read_text(encoding="utf-8", errors="replace"))
    copied = {(q.id, " ".join(g)) for q in quiz.all_questions() for t in _texts(q) for g in _ngrams(t) & seed_grams}
    assert not copied


def test_ids_are_stable_slugs_and_unique():
    ids = [q.id for q in quiz.all_questions()]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9][a-z0-9-]*", i) for i in ids)


def test_numeric_keys_are_finite():
    for q in quiz.all_questions():
        if q.type == "numeric":
            assert math.isfinite(q.key) and q.tolerance >= 0 and 0 <= q.relative_tolerance < 1
