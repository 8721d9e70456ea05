"""Quizzes for the course: a small, RNN-agnostic quiz engine plus the YAML bank.

In a notebook::

    from rnn_edu.course import quiz
    quiz.show("exploding-4-byte-overflow")   # one question
    quiz.show_lesson("04")                    # a lesson's set
    quiz.progress()                           # what you have answered so far

Headless::

    q = quiz.get_question("exploding-4-byte-overflow")
    q.check("10").correct      # pure
    q.submit("2**3")           # checks and records to the progress file
"""
import difflib

from . import bank as _yaml_bank
from .bank import BankError, BankNotFoundError, find_quiz_dir
from .packed import packed_bank_if_chosen
from .progress_store import ProgressWarning, load_progress, progress_path
from .questions import Feedback, MultipleSelect, NumericQuestion, Question, SingleChoice
from .safe_number import NumberParseError, parse_number

__all__ = [
    "show", "show_lesson", "progress", "progress_summary", "get_question",
    "all_questions", "lesson_questions", "lessons", "load_progress", "progress_path",
    "find_quiz_dir", "load_bank", "BankError", "BankNotFoundError", "UnknownQuestionError",
    "Feedback", "Question", "SingleChoice", "MultipleSelect", "NumericQuestion",
    "ProgressWarning", "NumberParseError", "parse_number",
]


def load_bank(directory=None):
    """The question bank: the lessonNN.yaml files in `directory` (cached until files change).

    With no directory, the packed bank shipped in the package (packed.py) when RNN_EDU_QUIZZES=packed
    or when no YAML source is found (an installed wheel); else quizzes/ as `find_quiz_dir` finds it.
    """
    if directory is None:
        packed = packed_bank_if_chosen()
        if packed is not None:
            return packed
    return _yaml_bank.load_bank(directory)


class UnknownQuestionError(KeyError, ValueError):
    """No question or lesson with that id; the message suggests close matches."""

    def __str__(self):
        return str(self.args[0]) if self.args else ""


def get_question(qid):
    """Return the question with id `qid`, or raise UnknownQuestionError with suggestions."""
    questions = load_bank().questions
    if isinstance(qid, str) and qid in questions:
        return questions[qid]
    close = difflib.get_close_matches(str(qid)[:200], list(questions), n=3, cutoff=0.5)
    hint = f" Did you mean: {', '.join(close)}?" if close else ""
    raise UnknownQuestionError(f"No quiz question has the id {str(qid)[:200]!r}.{hint}")


def all_questions():
    """Iterate over every question of the bank, lesson by lesson."""
    return iter(list(load_bank().questions.values()))


def lessons():
    """The lesson ids in the bank, e.g. ['00', '01', ..., '06']."""
    return sorted(load_bank().titles)


def lesson_questions(lesson):
    """The questions of one lesson; `lesson` may be "04", "4", 4 or "lesson04"."""
    bank = load_bank()
    key = _lesson_key(lesson)
    if key not in bank.titles:
        raise UnknownQuestionError(f"No lesson {lesson!r}; the lessons are {', '.join(sorted(bank.titles))}.")
    return bank.lesson(key)


def _lesson_key(lesson):
    """Normalise a lesson name to two digits."""
    text = str(lesson).strip().lower().removeprefix("lesson").strip()
    return text.zfill(2) if text.isdigit() else text


def show(qid, record=True):
    """Display one question as a widget (Check, feedback, Try again, attempts)."""
    from .widgets import QuizWidget
    return QuizWidget(get_question(qid), record=record)


def show_lesson(lesson, record=True):
    """Display every question of a lesson, e.g. show_lesson("04")."""
    from .widgets import LessonQuiz
    questions = lesson_questions(lesson)
    key = _lesson_key(lesson)
    return LessonQuiz(key, load_bank().titles[key], questions, record=record)


def progress():
    """Display a per-lesson table: answered, correct at first try, correct now."""
    from .view import ProgressView
    return ProgressView(load_bank())


def progress_summary():
    """Return {lesson: {title, questions, answered, first_try, correct_now}}."""
    from .view import summarize
    return summarize(load_bank(), load_progress())
