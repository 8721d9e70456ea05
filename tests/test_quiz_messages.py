"""Feedback messages: learner text shown literally, the course's math rendered (issue 13, defect 2),
and input that is not a number refused without costing an attempt (defect 3)."""
import html
import json
from html.parser import HTMLParser

import pytest

from rnn_edu.course import quiz
from rnn_edu.course.quiz.safe_number import NumberParseError, parse_number

QID = "exploding-4-byte-overflow"
LITERAL_CONTAINERS = ("code", "pre")        # MathJax never typesets inside these
IGNORE_CLASSES = {"tex2jax_ignore", "mathjax_ignore"}


class _Reader(HTMLParser):
    """Collects text with, for each character run, whether it sits in a literal (non-Markdown,
    non-math) container, and which formatting tags enclose it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.runs = [], []

    def handle_starttag(self, tag, attrs):
        classes = set((dict(attrs).get("class") or "").split())
        self.stack.append((tag, bool(classes & IGNORE_CLASSES) or tag in LITERAL_CONTAINERS))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        literal = any(flag for _, flag in self.stack)
        tags = {t for t, _ in self.stack}
        self.runs.append((data, literal, tags))

    def text(self):
        return "".join(d for d, _, _ in self.runs)

    def literal_text(self):
        return "".join(d for d, lit, _ in self.runs if lit)

    def formatted_text(self):
        return "".join(d for d, _, tags in self.runs if tags & {"strong", "em", "b", "i"})


def read(value):
    reader = _Reader()
    reader.feed(value)
    return reader


def verdict(qw):
    """The verdict part of the feedback (before any explanation)."""
    value = qw.feedback.value
    start = value.find("rnn-edu-verdict")
    assert start >= 0, value
    return value[value.rfind("<", 0, start):value.find("</div>", start) + 6]


# ---- defect 2: literal learner text ------------------------------------------------

@pytest.mark.parametrize("typed", ["2**x", "10**10**10", "2 ** 3 ** x", "*a* and _b_", "$x$ or $$y$$",
                                   "<b>bold</b>", "`tick`", "a\\b"])
def test_learner_text_is_shown_literally(progress_file, typed):
    qw = quiz.show(QID)
    qw.input.value = typed
    reader = read(verdict(qw))
    assert repr(typed) in reader.text(), reader.text()           # every character, as typed
    assert repr(typed) in reader.literal_text(), "typed text must sit in a literal container"
    assert typed not in reader.formatted_text()                  # no bold or italic made from it
    assert "<b>bold" not in qw.feedback.value                     # never injected as markup


def test_code_in_messages_is_literal_and_math_still_renders(progress_file):
    qw = quiz.show(QID)
    qw.input.value = "2^32"
    reader = read(verdict(qw))
    assert qw.question.placeholder.split()[-1] in reader.literal_text()   # a format example, as code
    assert "2**32" in reader.literal_text()               # the parser's hint "write powers with **"
    qw.try_again()
    qw.input.value = "9"                                  # a listed mistake: the course's own math
    value = verdict(qw)
    assert "$10^9 = 1{,}000{,}000{,}000$" in value
    math_run = [d for d, lit, _ in read(value).runs if "10^9" in d]
    assert math_run and not any(lit for d, lit, _ in read(value).runs if "10^9" in d)


def test_feedback_object_keeps_plain_text_and_html():
    fb = quiz.get_question(QID).check("2**x")
    assert "'2**x'" in fb.message and "<" not in fb.message
    assert "<code" in fb.message_html and "2**x" in html.unescape(fb.message_html)


def test_option_answers_that_are_not_options_are_literal(progress_file):
    q = quiz.get_question("weight-roles")
    fb = q.check("**W_R**")
    assert not fb.valid
    reader = read(fb.message_html)
    assert "'**W_R**'" in reader.literal_text() and "**W_R**" not in reader.formatted_text()
    assert "$W_R$" in fb.message_html                    # the listed options keep their math


# ---- defect 3: not a number is refused, not counted -----------------------------------

@pytest.mark.parametrize("typed, says", [
    ("abc", "names such as 'abc' are not allowed"),
    ("0,39", "the decimal separator is a point: write 0.39"),
    ("0,390", "the decimal separator is a point: write 0.390"),
    ("-1,5", "the decimal separator is a point: write -1.5"),
    ("1e999999", "too large to be a finite number"),
    ("ten", "not allowed"),
])
def test_not_a_number_costs_no_attempt(progress_file, typed, says):
    qw = quiz.show(QID)
    qw.input.value = typed
    assert qw.attempts == 0 and "Attempts: 0" in qw.attempts_label.value
    assert not progress_file.exists(), "an answer that is not a number must not be recorded"
    assert says in html.unescape(qw.feedback.value)
    assert "rnn-edu-invalid" in qw.feedback._dom_classes
    assert "rnn-edu-incorrect" not in qw.feedback._dom_classes
    qw.input.value = "10"                                   # the first real answer is right
    record = json.loads(progress_file.read_text())["questions"][QID]
    assert (qw.attempts, record["attempts"], record["first_correct"]) == (1, 1, True)


def test_not_a_number_on_the_second_try_does_not_reveal_the_explanation(progress_file):
    qw = quiz.show(QID)
    qw.input.value = "9"
    qw.input.value = "abc"
    assert qw.attempts == 1
    assert "4{,}294{,}967{,}295" not in qw.feedback.value   # the full explanation is not earned


def test_submit_records_only_valid_answers(progress_file):
    q = quiz.get_question(QID)
    assert not q.submit("abc").valid and not q.submit("0,39").valid
    assert not progress_file.exists()
    assert q.submit("9").valid
    assert quiz.load_progress()[QID]["attempts"] == 1


@pytest.mark.parametrize("text, value", [("4,294,967,295", 4294967295), ("1,000", 1000), ("12,345.5", 12345.5)])
def test_thousands_separators_still_work(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["0,39", "1,5", "0,390", "3,14159", "-0,5"])
def test_decimal_commas_are_refused_with_the_hint(text):
    with pytest.raises(NumberParseError, match="decimal separator is a point"):
        parse_number(text)


def test_several_numbers_are_still_named_as_such():
    with pytest.raises(NumberParseError, match="several numbers"):
        parse_number("1,2,3")
