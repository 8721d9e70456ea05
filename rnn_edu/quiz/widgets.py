"""ipywidgets front end: one question (QuizWidget) or a lesson's set (LessonQuiz).

All feedback goes into widget state (``HTMLMath.value``), never into prints or
an ``Output`` widget, so nbval sees no stray stdout and tests can read it
headless.  The objects have a short, stable text repr and display as their
container widget through ``_repr_mimebundle_``.
"""
import string
import warnings

import ipywidgets as w

from .markup import inline, to_html
from .progress_store import ProgressWarning
from .safe_number import EXPECTED

CSS_QUIZ, CSS_FEEDBACK, CSS_CHECK, CSS_RETRY = ("rnn-edu-quiz", "rnn-edu-feedback",
                                                "rnn-edu-check", "rnn-edu-retry")
_UNSET = object()
REVEAL_AFTER = 2          # wrong tries before the explanation is shown anyway


class _Displayable:
    """Mixin: display as `self.container` with a stable text/plain."""

    container = None

    def _repr_mimebundle_(self, **kwargs):
        """Delegate to the container widget, replacing its text/plain."""
        bundle = self.container._repr_mimebundle_(**kwargs)
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        data = dict(data or {})
        data["text/plain"] = repr(self)
        return data


class QuizWidget(_Displayable):
    """One question with a Check button, feedback, Try again and an attempts count."""

    def __init__(self, question, record=True):
        self.question = question
        self.record = record
        self.attempts = 0
        self.last_feedback = None
        self._last_answer = _UNSET
        self.prompt = w.HTMLMath(value=to_html(question.prompt))
        self.input, self.options_html = self._make_input()
        self.check_button = w.Button(description="Check", button_style="primary",
                                     tooltip="Check your answer")
        self.retry_button = w.Button(description="Try again", tooltip="Clear and answer again")
        self.attempts_label = w.HTML(value=self._attempts_text())
        self.feedback = w.HTMLMath(value="")
        self.check_button.add_class(CSS_CHECK)
        self.retry_button.add_class(CSS_RETRY)
        self.feedback.add_class(CSS_FEEDBACK)
        self.attempts_label.add_class("rnn-edu-attempts")
        self.check_button.on_click(self.check)
        self.retry_button.on_click(self.try_again)
        row = w.HBox([self.check_button, self.retry_button, self.attempts_label])
        parts = [self.prompt] + ([self.options_html] if self.options_html else [])
        self.container = w.VBox(parts + [self.input, row, self.feedback])
        self.container.add_class(CSS_QUIZ)

    def __repr__(self):
        return f"<Quiz {self.question.id}>"

    def _make_input(self):
        """Build the native input widget for the question type."""
        q = self.question
        if q.type == "numeric":
            box = w.Text(value="", placeholder=EXPECTED, continuous_update=False,
                         description="Answer:")
            box.observe(self._on_text, names="value")
            return box, None
        if q.type == "multiple":
            self.checkboxes = [w.Checkbox(value=False, description=t, indent=False,
                                          layout=w.Layout(width="auto")) for t in q.options]
            return w.VBox(self.checkboxes), w.HTML(value="<p><em>Tick every option that applies.</em></p>")
        if any("$" in t for t in q.options):
            letters = string.ascii_uppercase[:len(q.options)]
            items = "".join(f"<li><strong>{a}.</strong> {inline(t)}</li>" for a, t in zip(letters, q.options))
            listing = w.HTMLMath(value=f"<ul style='list-style:none'>{items}</ul>")
            pairs = list(zip(letters, q.options))
            return w.RadioButtons(options=pairs, value=None, orientation="horizontal"), listing
        return w.RadioButtons(options=list(q.options), value=None, layout=w.Layout(width="auto")), None

    def current_answer(self):
        """The answer now entered in the input widget (None when empty)."""
        if self.question.type == "multiple":
            picked = [c.description for c in self.checkboxes if c.value]
            return picked or None
        value = self.input.value
        if isinstance(value, str) and not value.strip():
            return None
        return value

    def _on_text(self, change):
        """Enter (or leaving the box) in the numeric Text checks the answer."""
        if change["new"].strip():
            self.check()

    def check(self, _button=None):
        """Check the current answer, record it, and show feedback; returns the Feedback."""
        answer = self.current_answer()
        if answer is None:
            self._show("<p>Give an answer first, then press <strong>Check</strong>.</p>", None)
            return None
        same = answer if not isinstance(answer, list) else tuple(answer)
        if same == self._last_answer:
            return self.last_feedback
        feedback = self._submit(answer)
        self._last_answer, self.last_feedback = same, feedback
        self.attempts += 1
        self.attempts_label.value = self._attempts_text()
        mark = "&#10004; " if feedback.correct else "&#10008; "
        body = f"<div class='rnn-edu-verdict'>{mark}{inline(feedback.message)}</div>"
        self._show(body + self._explanation_html(feedback), feedback.correct)
        return feedback

    def _explanation_html(self, feedback):
        """The explanation, once earned: after a right answer or a second try.

        A first wrong answer gets only its targeted feedback, so trying again still means thinking.
        """
        if feedback.correct or self.attempts >= REVEAL_AFTER:
            return to_html(feedback.explanation)
        return ("<p><em>Try again: the full explanation appears after a right answer "
                f"or after {REVEAL_AFTER} tries.</em></p>")

    def _submit(self, answer):
        """Submit (recording progress); fall back to a pure check if the file fails."""
        if not self.record:
            return self.question.check(answer)
        try:
            return self.question.submit(answer)
        except OSError as exc:
            warnings.warn(f"Your answer could not be saved: {exc}", ProgressWarning, stacklevel=2)
            return self.question.check(answer)

    def try_again(self, _button=None):
        """Clear the input and the feedback; the attempts count stays."""
        if self.question.type == "multiple":
            for box in self.checkboxes:
                box.value = False
        elif self.question.type == "numeric":
            self.input.value = ""
        else:
            self.input.value = None
        self._last_answer, self.last_feedback = _UNSET, None
        self._show("", None)

    def _show(self, html, correct):
        """Put `html` into the feedback widget and set its verdict class."""
        for css in ("rnn-edu-correct", "rnn-edu-incorrect"):
            self.feedback.remove_class(css)
        if correct is not None:
            self.feedback.add_class("rnn-edu-correct" if correct else "rnn-edu-incorrect")
        self.feedback.value = html

    def _attempts_text(self):
        """The attempts counter text."""
        return f"<span>Attempts: {self.attempts}</span>"


class LessonQuiz(_Displayable):
    """All questions of one lesson, one under the other."""

    def __init__(self, lesson, title, questions, record=True):
        self.lesson = lesson
        self.quizzes = [QuizWidget(q, record=record) for q in questions]
        header = w.HTML(value=f"<h3>Lesson {lesson} quiz: {inline(title)}</h3>")
        self.container = w.VBox([header] + [q.container for q in self.quizzes])
        self.container.add_class("rnn-edu-lesson-quiz")

    def __repr__(self):
        return f"<Quiz lesson {self.lesson}: {len(self.quizzes)} questions>"

    def __getitem__(self, index):
        return self.quizzes[index]

    def __len__(self):
        return len(self.quizzes)
