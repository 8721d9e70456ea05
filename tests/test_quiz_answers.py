"""Checking answers: keys, wrong answers, hostile input, and the safe number parser."""
import time

import numpy as np
import pytest

from rnn_edu.course import quiz
from rnn_edu.course.quiz.safe_number import NumberParseError, parse_number

QUESTIONS = list(quiz.all_questions())
IDS = [q.id for q in QUESTIONS]


@pytest.fixture(autouse=True)
def _private_progress(tmp_path, monkeypatch):
    """Keep every test away from the learner's real progress file."""
    monkeypatch.setenv("RNN_EDU_PROGRESS", str(tmp_path / "progress.json"))


def _wrong_answer(q):
    """A well-formed but wrong answer for `q`."""
    if q.type == "numeric":
        return str(q.key + 10 * q.tolerance + 1 + abs(q.key) * (1 + q.relative_tolerance))
    if q.type == "single":
        return next(t for t in q.options if t != q.key)
    wrong = [t for t in q.options if t not in q.key]
    return sorted(q.key)[:-1] + wrong[:1]


def _key_answer(q):
    return sorted(q.key) if q.type == "multiple" else q.key


@pytest.mark.parametrize("q", QUESTIONS, ids=IDS)
def test_key_is_correct_and_a_wrong_answer_is_not(q):
    right = q.check(_key_answer(q))
    assert right.correct and right.valid and isinstance(right.message, str)
    assert right.explanation == q.explanation
    wrong = q.check(_wrong_answer(q))
    assert not wrong.correct and wrong.valid and wrong.message


@pytest.mark.parametrize("q", [q for q in QUESTIONS if q.type == "single"], ids=lambda q: q.id)
def test_every_wrong_single_choice_is_incorrect(q):
    for text in q.options:
        assert q.check(text).correct == (text == q.key)


@pytest.mark.parametrize("q", [q for q in QUESTIONS if q.type == "multiple"], ids=lambda q: q.id)
def test_multiple_select_needs_exactly_the_key(q):
    key = sorted(q.key)
    assert q.check(tuple(key)).correct and q.check(set(key)).correct
    assert not q.check(key[:-1]).correct
    assert not q.check(list(q.options)).correct
    extra = next(t for t in q.options if t not in q.key)
    fb = q.check(key + [extra])
    assert not fb.correct and "should not be ticked" in fb.message
    if extra in q.option_feedback:
        assert q.option_feedback[extra] in fb.message


def test_numeric_accepts_many_spellings():
    q = quiz.get_question("exploding-4-byte-overflow")
    for answer in ["10", "10.0", " 1e1 ", "1e1", "+10", "2*5", "(3 + 2) * 2", "100/10", "10**1", 10, 10.0,
                   np.int64(10), np.float32(10.0)]:
        assert q.check(answer).correct, answer
    assert not q.check("9").correct and "1{,}000{,}000{,}000" in q.check("9").message


def test_numeric_tolerance_and_arithmetic():
    q = quiz.get_question("sigmoid-decay-5-steps")
    assert q.check("0.25**5").correct and q.check("1/1024").correct and q.check("9.77e-4").correct
    assert not q.check("0.01").correct
    assert "75%" in q.check("0.75**5").message  # the feedback for the common mistake


def test_numeric_parse_failure_says_what_was_expected_and_what_came():
    fb = quiz.get_question("exploding-4-byte-overflow").check("ten")
    assert not fb.correct and not fb.valid
    q = quiz.get_question("exploding-4-byte-overflow")
    assert q.placeholder in fb.message and "'ten'" in fb.message


def test_choice_answer_must_be_an_option_text():
    q = quiz.get_question("weight-roles")
    fb = q.check("W_R")
    assert not fb.correct and "not one of the options" in fb.message and "$W_R$" in fb.message
    assert q.check("  $W_R$ ").correct  # surrounding whitespace is forgiven


# ---- hostile and garbage answers ------------------------------------------

class _Evil:
    """An object whose repr and comparisons explode."""

    def __repr__(self):
        raise RuntimeError("boom")

    def __eq__(self, other):
        raise RuntimeError("boom")

    __hash__ = object.__hash__


def _hostile(marker):
    """Answers that must all be refused quickly, without running anything."""
    code = f"__import__('pathlib').Path({str(marker)!r}).write_text('pwned')"
    return [
        None, "", "   ", "abc", "10 apples", "1,0", "2^32", "nan", "inf", "-inf", "1e999", "True",
        code, f"open({str(marker)!r}, 'w')", "exec('1')", "lambda: 1", "[10]", "{'a': 1}",
        "9**9**9**9", "10**10**10", "2**-99999999", "(10**400)**400", "-" * 150 + "1",
        "(" * 300 + ")" * 300, "1" * 5000, "x" * 10_000_000, "\x00", "\U0001F642", "10\n" * 1000,
        float("nan"), float("inf"), -float("inf"), 10 ** 10000, -(10 ** 10000), complex(1, 1), True, False,
        b"10", bytearray(b"10"), [1, 2], [], (), {"a": 1}, {"x"}, frozenset(), object(), _Evil(),
        Exception("x"), ValueError, len, lambda: 10, iter([1]), np.array([10]), np.array([]),
        np.float64("nan"), [None], [["nested"]], ["x" * 10_000_000], list(range(10 ** 5)), {i: i for i in range(100)},
    ]


def test_hostile_answers_are_refused_fast_without_running_code(tmp_path):
    marker = tmp_path / "pwned.txt"
    answers = _hostile(marker)
    for q in QUESTIONS:
        for answer in answers:
            start = time.perf_counter()
            fb = q.check(answer)
            elapsed = time.perf_counter() - start
            assert fb.correct is False, (q.id, answer)
            assert isinstance(fb.message, str) and fb.message, (q.id, answer)
            assert len(fb.message) < 2000
            assert elapsed < 1.0, (q.id, type(answer), elapsed)
    assert not marker.exists()


@pytest.mark.parametrize("qtype", ["single", "multiple", "numeric"])
def test_submit_of_garbage_is_refused_and_not_recorded(qtype):
    q = next(q for q in QUESTIONS if q.type == qtype)
    fb = q.submit({"evil": object()})
    assert not fb.correct and not fb.valid
    assert q.id not in quiz.load_progress()


def test_power_tower_is_refused_quickly():
    start = time.perf_counter()
    with pytest.raises(NumberParseError, match="too large"):
        parse_number("9**9**9**9")
    assert time.perf_counter() - start < 0.05


# ---- the safe parser itself -------------------------------------------------

@pytest.mark.parametrize("text, value", [
    ("10", 10), ("10.0", 10), (" 1e1 ", 10), ("2**32 - 1", 4294967295), ("4,294,967,295", 4294967295),
    ("-3", -3), ("-(2 + 1) * 2", -6), ("1/4", 0.25), ("0.25**5", 0.0009765625), ("2**-1", 0.5),
    ("1_000", 1000), (".5", 0.5), ("3.4e38", 3.4e38), ("+7", 7),
])
def test_parser_accepts(text, value):
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text, reason", [
    ("", "empty"), ("abc", "names"), ("__import__('os')", "function calls"), ("2^32", r"write powers with \*\*"),
    ("1/0", "division by zero"), ("0**-1", "division by zero"), ("(1, 2)", "several numbers"),
    ("'10'", "str literals"), ("1j", "complex"), ("True", "bool literals"), ("10 % 3", "not allowed"),
    ("1e999", "too large to be a finite number"), ("10**400 * 10**400", "too large"), ("x" * 201, "characters long"),
    ("(-8)**0.5", "not real"), ("[1]", "not allowed"), ("10 if 1 else 2", "not allowed"),
])
def test_parser_refuses(text, reason):
    with pytest.raises(NumberParseError, match=reason):
        parse_number(text)


def test_parser_never_evaluates(tmp_path, monkeypatch):
    import builtins
    monkeypatch.setattr(builtins, "eval", lambda *a, **k: pytest.fail("eval called"))
    monkeypatch.setattr(builtins, "exec", lambda *a, **k: pytest.fail("exec called"))
    assert parse_number("2**32 - 1") == 4294967295
    with pytest.raises(NumberParseError):
        parse_number(f"open({str(tmp_path / 'f')!r}, 'w')")
    assert not (tmp_path / "f").exists()
