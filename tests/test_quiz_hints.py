"""No placeholder or format hint gives a question's answer away, and every numeric question says
how precise its answer must be (issue 22, items 2 and 4).

A numeric question shows format examples in three places: the answer box's placeholder, the
message after a text that is not a number, and any format hint its prompt carries (a code span
such as `**`).  Every number and every arithmetic expression in them is read and must be no
answer to the question, neither as a number (the quiz must not accept it) nor as text (the key
written out must not appear in them).
"""
import re

import pytest

from rnn_edu.course import quiz
from rnn_edu.course.quiz.questions import round_to_figures
from rnn_edu.course.quiz.safe_number import NumberParseError, sub_values
from rnn_edu.course.quiz.widgets import QuizWidget

NUMERIC = [q for q in quiz.all_questions() if q.type == "numeric"]
APPROX = [q for q in NUMERIC if not q.exact]
CODE_SPAN = re.compile(r"`([^`]+)`")


def _ids(questions):
    return [q.id for q in questions]


def values_in(text):
    """{expression text: value} for every number and every arithmetic expression in `text`,
    with each number and sub-expression inside it (7**2 - 1 gives 48, 49, 7, 2 and 1)."""
    found = {}
    for run in re.findall(r"[-+*/().\deE\s]*\d[-+*/().\deE\s]*", text):
        run = run.strip(" ,.()")
        for literal in re.findall(r"\d[\d.]*(?:[eE][-+]?\d+)?", run):
            found[literal] = float(literal)
        try:
            values = sub_values(run)
        except (NumberParseError, SyntaxError):
            continue
        found.update({f"{run} (part {i})": v for i, v in enumerate(values)})
    return found


def key_texts(q):
    """The key written out as a learner or an author might: 10, 10.0, 0.0009765625, 0.000977."""
    key = q.key
    texts = {repr(key), f"{key:g}", f"{key:.3g}"}
    if float(key).is_integer():
        texts.add(str(int(key)))
    return texts


def format_texts(q):
    """Everything that shows the format of an answer for question q."""
    widget = QuizWidget(q, record=False)
    return {"placeholder": widget.input.placeholder,
            "not-a-number message": q.check("ten").message.split("; got")[0],
            **{f"prompt hint {i}": span for i, span in enumerate(CODE_SPAN.findall(q.prompt))}}


def test_the_reader_of_numbers_and_expressions():
    found = values_in("a number such as 10, 1e1 or 2**32 - 1 (or `0.25**5`)")
    values = set(found.values())
    assert {10, 1, 32, 2**32, 2**32 - 1, 0.25, 5, 0.25**5} <= values
    assert found["1e1"] == 10


def test_today_s_placeholder_would_be_caught():
    """The check below finds what the issue reported: '10' in the placeholder of a question whose key is 10."""
    q = quiz.get_question("exploding-4-byte-overflow")
    old = "a number such as 10, 1e1 or 2**32 - 1"
    assert any(q.check(repr(v)).correct for v in values_in(old).values())
    assert key_texts(q) & set(re.findall(r"[\d.]+", old))


@pytest.mark.parametrize("q", NUMERIC, ids=_ids(NUMERIC))
def test_no_placeholder_or_format_hint_holds_the_key(q):
    for where, text in format_texts(q).items():
        for expression, value in values_in(text).items():
            assert not q.check(repr(value)).correct, f"{q.id}: the {where} {text!r} holds {expression} = the answer"
            assert value != q.key, f"{q.id}: the {where} {text!r} holds {expression} = the key"
        words = set(re.findall(r"[\d.eE+-]*\d[\d.]*", text))
        assert not key_texts(q) & words, f"{q.id}: the {where} {text!r} writes the key out"


@pytest.mark.parametrize("q", NUMERIC, ids=_ids(NUMERIC))
def test_the_quiz_says_how_precise_the_answer_must_be(q):
    widget = QuizWidget(q, record=False)
    shown = widget.prompt.value
    assert q.precision and q.precision in shown.replace("&#x27;", "'")
    if q.exact:
        assert "exact" in q.precision
    else:
        n = q.significant_figures
        assert f"{n} significant figure" in q.precision
        rounded = round_to_figures(q.key, n)
        assert q.check(repr(rounded)).correct, f"{q.id}: the key rounded to {n} figures, {rounded}, is refused"


@pytest.mark.parametrize("q", APPROX, ids=_ids(APPROX))
def test_a_close_answer_is_told_the_precision_not_a_hidden_tolerance(q):
    near = q.key * 1.05
    fb = q.check(repr(near))
    assert not fb.correct and "Close" in fb.message
    assert f"rounded to {q.significant_figures} significant figure" in fb.message, fb.message
    assert "%" not in fb.message.split("answer,")[1], "a tolerance the question never stated"


def test_one_thousandth_for_one_over_1024_is_accepted_in_both_lessons():
    """0.25**5 and 0.5**10 are 1/1024: 0.001 (one figure) is right in lesson 04 and lesson 06 alike."""
    for qid in ("sigmoid-decay-5-steps", "gap-gradient-numeric"):
        q = quiz.get_question(qid)
        assert q.significant_figures == 1 and q.relative_tolerance == 0.01
        assert q.check("0.001").correct and q.check("1e-3").correct and q.check("0.00098").correct, qid
        assert not q.check("0.0009").correct and not q.check("0.002").correct, qid


def test_a_one_figure_rounding_is_not_accepted_where_it_changes_the_answer():
    """The sigmoid's largest slope is 0.25: 0.3 (one figure) is wrong, 0.25 is needed."""
    q = quiz.get_question("sigmoid-derivative-max")
    assert q.significant_figures == 2
    assert q.check("0.25").correct and not q.check("0.3").correct


def test_a_bank_with_a_bad_significant_figures_is_refused(tmp_path):
    from rnn_edu.course.quiz.bank import BankError, load_bank
    (tmp_path / "lesson01.yaml").write_text(
        "title: t\nquestions:\n  - id: q\n    type: numeric\n    prompt: p\n    explanation: e\n"
        "    answer: 0.5\n    relative_tolerance: 0.01\n    significant_figures: 0\n")
    with pytest.raises(BankError, match="significant_figures"):
        load_bank(tmp_path)
