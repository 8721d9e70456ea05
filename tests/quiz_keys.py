"""What counts as a quiz key, an explanation or a feedback text "in sight" (shared by the tests).

For every question of the bank (quizzes/*.yaml, loaded and validated by rnn_edu.course.quiz):

* **explanation** and **feedback** (per-option feedback, numeric `mistakes` feedback): they
  explain the answer. Found when the whole text, with whitespace collapsed, occurs verbatim
  (lesson prose after a quiz may legitimately open like its explanation, e.g. with a citation).
* **key**, what the bank says is right:
  - a single or multiple choice question's key is the text of each right option. Every option
    text, right or wrong, is shown to every learner, so the text alone reveals nothing in a lesson;
    in a bank file (packed or in a wheel) no option text may be readable at all, and in lesson
    files a right option's text counts when it is distinctive (25 characters or more) and appears
    together with the word "answer".
  - a numeric question's key is its `answer` value, as the YAML writes it and as the quiz prints it
    (`Correct: 66.`), as a standalone number token (not part of a longer number or word). Numbers
    such as 4, 10 or 66 legitimately appear in lesson prose and code once the quiz has been asked,
    so in lesson files a numeric key counts only as an answer record: `answer: 66`, `"answer": 66`,
    `key=66`. In a bank file any occurrence of the number counts.
* the YAML's `answer:` field itself, in any file.
"""
import re

from rnn_edu.course.quiz import load_bank
from rnn_edu.course.quiz.questions import _fmt

MIN_DISTINCT_OPTION = 25


def _norm(text):
    return " ".join(str(text).split())


def explanations_and_feedback(bank=None):
    """[(kind, question id, text)] of every explanation and feedback text."""
    bank = bank or load_bank()
    out = []
    for q in bank.questions.values():
        out.append(("explanation", q.id, q.explanation))
        for text in getattr(q, "option_feedback", {}).values():
            out.append(("feedback", q.id, text))
        for _, text in getattr(q, "mistakes", ()):
            out.append(("feedback", q.id, text))
    return [(k, qid, _norm(t)) for k, qid, t in out if _norm(t)]


def numeric_key_forms(q):
    """The ways a numeric key is written: as the YAML would ('66', '66.0', '0.0009765625') and as
    the quiz prints it ('66', '0.000976562')."""
    return sorted({_fmt(float(q.key)), repr(float(q.key)), str(int(q.key)) if float(q.key).is_integer() else ""} - {""})


def _number_token(form):
    return re.compile(r"(?<![\w.])" + re.escape(form) + r"(?![\w]|\.\d)")


def find_in_bank_file(text, bank=None):
    """Everything of the bank readable in a bank file (packed bank, a wheel's bank)."""
    bank = bank or load_bank()
    found = _find_secrets(text, bank)
    for q in bank.questions.values():
        if q.type == "numeric":
            found += [f"{q.id}: numeric key {form}" for form in numeric_key_forms(q) if _number_token(form).search(text)]
        else:
            found += [f"{q.id}: option text {o[:40]!r}" for o in q.options if len(o) >= 3 and o in text]
    return found


def find_in_lesson_file(text, bank=None):
    """Keys, explanations and feedback in sight in a learner's notebook or file (see the module doc)."""
    bank = bank or load_bank()
    found = _find_secrets(text, bank)
    flat = _norm(text)
    for q in bank.questions.values():
        if q.type == "numeric":
            for form in numeric_key_forms(q):
                record = re.compile(r"""(?:answer["']?\s*[:=]|key\s*=)\s*""" + re.escape(form) + r"(?![\w]|\.\d)")
                if record.search(flat):
                    found.append(f"{q.id}: numeric key record {form}")
        else:
            keys = [q.key] if q.type == "single" else sorted(q.key)
            for key in keys:
                key = _norm(key)
                if len(key) >= MIN_DISTINCT_OPTION and key in flat:
                    found.append(f"{q.id}: right option {key[:40]!r}")
    return found


def _find_secrets(text, bank):
    flat = _norm(text)
    found = [f"{qid}: {kind} {t[:60]!r}" for kind, qid, t in explanations_and_feedback(bank) if t in flat]
    if re.search(r"^\s*answer\s*:", text, re.M):
        found.append("a YAML 'answer:' field")
    return found
