"""Numeric answers within a sensible tolerance (issue 10, item 9).

Exact integers and counts must be given exactly.  Every other key is compared
with a relative tolerance of about 1 %, so the key rounded to 3 significant
digits is accepted, and so is every approximate value the explanation prints
for it.  A wrong answer within 10 % of the key is told it is close.
"""
import re

import pytest

from rnn_edu.course import quiz

NUMERIC = [q for q in quiz.all_questions() if q.type == "numeric"]
EXACT = [q for q in NUMERIC if q.exact]
APPROX = [q for q in NUMERIC if not q.exact]
# "\approx 0.00098", "≈ 65.6", "\approx 2 \times 10^{-5}", "\approx 4.29 \times 10^9"
APPROX_VALUE = re.compile(r"(?:\\approx|≈|about)\s*\$?\s*(-?[0-9][0-9.,{}]*)(?:\s*\\times\s*10\^\{?(-?\d+)\}?)?")


def _ids(questions):
    return [q.id for q in questions]


def approximate_values(text):
    """Every number the text gives as approximate (after \\approx, ≈ or 'about')."""
    values = []
    for mantissa, exponent in APPROX_VALUE.findall(text):
        mantissa = mantissa.replace("{,}", "").replace(",", "").rstrip(".")
        try:
            values.append(float(mantissa) * 10.0 ** int(exponent or 0))
        except ValueError:
            continue
    return values


def test_the_parser_of_approximate_values():
    text = r"$0.25^5 = 1/1024 \approx 0.00098$, about 4.5, ≈ 65.6 and $\approx 2 \times 10^{-5}$, $\approx 4{,}294$"
    assert approximate_values(text) == pytest.approx([0.00098, 4.5, 65.6, 2e-5, 4294])


def test_both_kinds_occur():
    assert EXACT and APPROX


@pytest.mark.parametrize("q", EXACT, ids=_ids(EXACT))
def test_exact_keys_are_integers_given_exactly(q):
    assert float(q.key).is_integer()
    assert q.check(str(int(q.key))).correct
    assert not q.check(str(int(q.key) + 1)).correct and not q.check(str(int(q.key) - 1)).correct


@pytest.mark.parametrize("q", APPROX, ids=_ids(APPROX))
def test_approximate_keys_use_a_relative_tolerance_of_about_one_percent(q):
    assert 0.005 <= q.relative_tolerance <= 0.03, q.relative_tolerance
    assert q.check(f"{q.key:.3g}").correct, f"{q.id}: the key to 3 digits, {q.key:.3g}, is refused"
    assert q.check(repr(q.key * (1 + q.relative_tolerance / 2))).correct
    assert not q.check(repr(q.key * 1.05)).correct


@pytest.mark.parametrize("q", APPROX, ids=_ids(APPROX))
def test_every_approximate_value_the_explanation_prints_is_accepted(q):
    near = [v for v in approximate_values(q.explanation) if abs(v - q.key) <= 0.1 * abs(q.key)]
    for value in near:
        assert q.check(repr(value)).correct, f"{q.id}: its explanation prints ≈ {value}, which is refused"


def test_the_two_questions_of_the_issue_accept_0_00098():
    for qid in ("sigmoid-decay-5-steps", "gap-gradient-numeric"):
        assert quiz.get_question(qid).check("0.00098").correct, qid


@pytest.mark.parametrize("q", NUMERIC, ids=_ids(NUMERIC))
def test_a_wrong_answer_within_ten_percent_is_close(q):
    key = q.key
    step = max(round(0.06 * abs(key)), 1) if q.exact else 0.06 * abs(key)
    if step > 0.1 * abs(key):                          # e.g. key 1: no wrong integer is within 10 %
        pytest.skip(f"no wrong answer lies within 10% of {key}")
    near = key + step if q.exact else key * 1.06
    fb = q.check(repr(near))
    assert not fb.correct and fb.message.startswith("Close, but"), fb.message
    far = q.check(repr(key * 1.5 + 3))
    assert not far.correct and not far.message.startswith("Close")


def test_close_keeps_the_hint_of_a_listed_mistake():
    fb = quiz.get_question("exploding-4-byte-overflow").check("9")
    assert fb.message.startswith("Close, but") and "still fits" in fb.message
