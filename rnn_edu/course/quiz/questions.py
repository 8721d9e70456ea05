"""Question types and answer checking.

Three types: single choice, multiple select and numeric entry.  ``check`` is
pure: whatever it is given (None, bytes, a dict, a 10 MB string, NaN, code
text ...) it returns a :class:`Feedback` with ``correct=False`` and a helpful
message, never raises and never executes anything.  An answer that is not an
answer at all (not a number, not one of the options, nothing chosen) is
*invalid*: ``Feedback.valid`` is False and it costs no attempt.  ``submit``
checks and records a valid answer in the learner's progress file.

Messages keep the course's text (Markdown with math) apart from what must be
shown literally, such as the learner's own text: ``Feedback.message`` is plain
text, ``Feedback.message_html`` is safe HTML for a widget.
"""
import math
import numbers
import reprlib
from dataclasses import dataclass, field

from . import progress_store
from .markup import Message, code, literal, with_math
from .safe_number import NumberParseError, examples_for, expected_text, parse_number

MAX_TEXT = 1000      # longest option answer read, in characters
MAX_SELECTION = 100  # most items read from a multiple-select answer
CLOSE = 0.10         # a wrong number within 10 % of the key is "close"
MAX_FIGURES = 15     # significant figures a float holds


def expected_number(key=None, accepts=None):
    """'a number such as `3.5`, `2e-3` or `7**2 - 1`', its examples no hint about `key`, as a Message."""
    examples = examples_for(key, accepts)
    if not examples:
        return Message(expected_text(key, accepts))
    pieces = ["a number such as "]
    for i, example in enumerate(examples):
        pieces += [", " if 0 < i < len(examples) - 1 else " or " if i else "", code(example)]
    return Message(*pieces)


EXPECTED_NUMBER = expected_number()


def round_to_figures(value, figures):
    """`value` rounded to `figures` significant figures (0 stays 0)."""
    if value == 0 or not math.isfinite(value):
        return value
    return round(value, figures - 1 - math.floor(math.log10(abs(value))))


@dataclass(frozen=True, eq=False)
class Feedback:
    """The verdict on one answer: `correct`, a `message` and the `explanation`.

    `valid` is False when the answer was not an answer (not a number, not an
    option); `message_html` is the message as safe HTML (learner text literal).
    """

    correct: bool
    message: str
    explanation: str = ""
    valid: bool = True
    message_html: str = ""

    def __str__(self):
        return f"{self.message}\n\n{self.explanation}".strip()


def describe(value):
    """A short, safe repr of any value for messages (never raises)."""
    try:
        if isinstance(value, (str, bytes)) and len(value) > 60:
            return repr(value[:40]) + f"... ({len(value):,} characters)"
        if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 200:
            return f"an integer with about {int(value.bit_length() * 0.30103)} digits"
        short = reprlib.Repr()
        short.maxstring, short.maxother, short.maxlong = 60, 60, 40
        return short.repr(value)
    except Exception:  # noqa: BLE001 - a message must never fail
        return f"<{type(value).__name__}>"


@dataclass(frozen=True, eq=False)
class Question:
    """Base class: id, lesson, prompt and explanation (Markdown with LaTeX)."""

    id: str
    lesson: str
    prompt: str
    explanation: str
    source: str = ""

    type = "question"

    def check(self, answer):
        """Return Feedback for `answer`; never raises, never runs code."""
        try:
            correct, message, valid = self._judge(answer)
        except Exception as exc:  # noqa: BLE001 - last line of defence
            error = literal(f"({type(exc).__name__})")
            correct, message, valid = False, Message("This answer could not be read ", error, "."), False
        if not isinstance(message, Message):
            message = Message(message)
        return Feedback(bool(correct) and valid, message.text, self.explanation, valid, message.html)

    def submit(self, answer):
        """Check `answer`; record it in the progress file if it is valid; return the Feedback.

        An invalid answer (not a number, not an option) is not recorded: it is no attempt.
        """
        feedback = self.check(answer)
        if feedback.valid:
            self.record(answer, feedback)
        return feedback

    def record(self, answer, feedback):
        """Record a checked answer in the progress file; return the question's updated record."""
        return progress_store.record_answer(self.id, self.lesson, feedback.correct, describe(answer))

    def _judge(self, answer):
        """Return (correct, message (str or Message), valid); subclasses implement."""
        raise NotImplementedError

    def __repr__(self):
        return f"<{type(self).__name__} {self.id}>"


@dataclass(frozen=True, repr=False, eq=False)
class ChoiceQuestion(Question):
    """Shared logic of the choice types: `options` texts and per-option `feedback`."""

    options: tuple = ()
    key: object = None
    option_feedback: dict = field(default_factory=dict)

    def _option(self, item):
        """Map an answer item to an option text, or return an error message."""
        if not isinstance(item, str):
            return None, Message("Expected the text of an option, got ", code(describe(item)), ".")
        if len(item) > MAX_TEXT:
            return None, f"That text is {len(item):,} characters long; no option is."
        wanted = " ".join(item.split())
        for text in self.options:
            if " ".join(text.split()) == wanted:
                return text, None
        return None, Message(code(describe(item)), " is not one of the options: ", *self._listing())

    def _listing(self):
        """The options as a short quoted list of message pieces (their math kept)."""
        pieces = []
        for t in self.options:
            pieces += ["; " if pieces else "", "“", with_math(t if len(t) < 50 else t[:47] + "..."), "”"]
        return pieces


@dataclass(frozen=True, repr=False, eq=False)
class SingleChoice(ChoiceQuestion):
    """Exactly one option is right; `key` is its text."""

    type = "single"

    def _judge(self, answer):
        if answer is None or (isinstance(answer, str) and not answer.strip()):
            return False, "No option was chosen. Pick one option.", False
        text, error = self._option(answer)
        if error:
            return False, error, False
        if text == self.key:
            return True, ("Correct. " + self.option_feedback.get(text, "")).strip(), True
        hint = self.option_feedback.get(text, "")
        return False, ("Not correct. " + hint).strip(), True


@dataclass(frozen=True, repr=False, eq=False)
class MultipleSelect(ChoiceQuestion):
    """Any subset of the options; `key` is the frozenset of right texts."""

    type = "multiple"

    def _judge(self, answer):
        items, error = self._items(answer)
        if error:
            return False, error, False
        chosen = set()
        for item in items:
            text, error = self._option(item)
            if error:
                return False, error, False
            chosen.add(text)
        if chosen == set(self.key):
            return True, "Correct: you picked exactly the true statements.", True
        return False, self._wrong_message(chosen), True

    def _items(self, answer):
        """Accept a str (one pick) or a list/tuple/set of strs."""
        if isinstance(answer, str):
            return [answer], None
        if isinstance(answer, (list, tuple, set, frozenset)):
            if len(answer) > MAX_SELECTION:
                return None, f"{len(answer):,} items were given; there are only {len(self.options)} options."
            if not answer:
                return None, "Nothing was selected. Tick every option that applies."
            return list(answer), None
        return None, Message("Expected a list of option texts, got ", code(describe(answer)), ".")

    def _wrong_message(self, chosen):
        """Say how many picks are wrong and missing, with feedback on wrong picks."""
        wrong = [t for t in self.options if t in chosen and t not in self.key]
        missed = len(set(self.key) - chosen)
        message = Message("Not correct.")
        if wrong:
            message += f" {len(wrong)} of your picks should not be ticked."
        if missed:
            message += f" {missed} correct option(s) are missing."
        for t in wrong:
            if t in self.option_feedback:
                message += Message(" “", with_math(t), "”: ", self.option_feedback[t])
        return message


@dataclass(frozen=True, repr=False, eq=False)
class NumericQuestion(Question):
    """A number close to `key`: within `tolerance` + `relative_tolerance` * |key|.

    `mistakes` maps common wrong values to hints.  A key with no relative
    tolerance that is a whole number is `exact` (a count, a step number).
    Any other key is also accepted rounded: to `significant_figures` figures
    or more (default 2); `precision` says so in words, and the quiz shows it.
    """

    key: float = 0.0
    tolerance: float = 0.0
    mistakes: tuple = ()
    relative_tolerance: float = 0.0
    significant_figures: int = 2

    type = "numeric"

    @property
    def exact(self):
        """True when the answer is a whole number to be given exactly."""
        return self.relative_tolerance == 0 and float(self.key).is_integer() and self.tolerance < 0.5

    @property
    def precision(self):
        """How precise an answer must be, in words (shown with the question)."""
        if self.exact:
            return "Give the exact whole number."
        return f"Precision: the value rounded to {self._figures()} is enough (more digits are fine)."

    def _figures(self):
        n = self.significant_figures
        return f"{n} significant figure{'s' if n > 1 else ''}"

    @property
    def placeholder(self):
        """The answer box's placeholder: the accepted format, by examples far from the key."""
        return expected_text(self.key, self._accepts)

    def _judge(self, answer):
        value, error = _as_number(answer)
        if error:
            return False, Message("Expected ", *expected_number(self.key, self._accepts).pieces, "; got ",
                                  code(describe(answer)), ": ", literal(error), "."), False
        if self._accepts(value):
            return True, Message("Correct: ", literal(_fmt(value)), "."), True
        hint = next((text for v, text in self.mistakes if self._near_mistake(value, v)), "")
        if self.key and abs(value - self.key) <= CLOSE * abs(self.key):
            allowed = "which must be exact." if self.exact else (
                f"but it is not the answer rounded to {self._figures()} or more.")
            return False, Message("Close, but not correct: ", literal(_fmt(value)),
                                  f" is within {CLOSE:.0%} of the answer, {allowed} ", hint), True
        return False, Message("Not correct: ", literal(_fmt(value)), " is not the answer. ", hint), True

    def _accepts(self, value):
        """True when `value` would be counted right."""
        return self._close(value, self.key) or self._rounded(value, self.key)

    def _rounded(self, value, target):
        """True when `value` is `target` rounded to `significant_figures` or more figures."""
        if self.exact:
            return False
        return any(abs(value - round_to_figures(target, n)) <= 1e-12 * abs(target)
                   for n in range(self.significant_figures, MAX_FIGURES + 1))

    def _near_mistake(self, value, mistake):
        """True when `value` matches a listed mistake (within tolerance or 0.5%)."""
        return (self._close(value, mistake) or self._rounded(value, mistake)
                or abs(value - mistake) <= 0.005 * abs(mistake))

    def _close(self, value, target):
        """True when |value - target| is within the tolerances (plus float rounding)."""
        return abs(value - target) <= self.tolerance + (self.relative_tolerance + 1e-9) * abs(target)


def _as_number(answer):
    """Return (float, None) or (None, reason) for any answer."""
    if isinstance(answer, bool):
        return None, "True/False is not a number"
    if isinstance(answer, str):
        try:
            return parse_number(answer), None
        except NumberParseError as exc:
            return None, str(exc)
    if isinstance(answer, numbers.Real):
        try:
            value = float(answer)
        except (OverflowError, ValueError, TypeError):
            return None, "the number is too large"
        if not math.isfinite(value):
            return None, "it is not a finite number"
        return value, None
    return None, f"a {type(answer).__name__} is not a number"


def _fmt(value):
    """Format a float compactly: integers without '.0', others with 6 significant digits."""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.6g}"
