"""ipywidgets front end: one question (QuizWidget) or a lesson's set (LessonQuiz).

All feedback goes into widget state (``HTMLMath.value``), never into prints or
an ``Output`` widget, so nbval sees no stray stdout and tests can read it
headless.  The objects display as their container widget through
``_repr_mimebundle_``; their text/plain (what a notebook shows before its
cells have run) tells the learner to run the cell.

One learner action is one attempt.  JupyterLab may deliver the answer box's
change and the Check button's click on two kernel threads at once, so a
check runs under a lock per question, and an answer equal to the one just
checked is not counted again.  An answer that is not an answer (not a number,
nothing ticked) gets its message and costs nothing.
"""
import threading
import warnings

import ipywidgets as w

from .choices import OptionBoxes
from .markup import Message, inline, to_html
from .progress_store import ProgressWarning, load_progress
from .style import fallback_text, style_widget, widget_bundle

CSS_QUIZ, CSS_FEEDBACK, CSS_CHECK, CSS_RETRY = ("rnn-edu-quiz", "rnn-edu-feedback",
                                                "rnn-edu-check", "rnn-edu-retry")
VERDICT_CSS = {True: "rnn-edu-correct", False: "rnn-edu-incorrect", None: "rnn-edu-invalid"}
MARKS = {True: "&#10004; ", False: "&#10008; ", None: ""}
INSTRUCTIONS = {"single": "Pick one option.", "multiple": "Tick every option that applies."}
_UNSET = object()
REVEAL_AFTER = 2          # wrong tries before the explanation is shown anyway
_LOCKS, _LOCKS_GUARD = {}, threading.Lock()


def question_lock(qid):
    """The lock that makes checking question `qid` atomic across threads and widgets."""
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(qid, threading.RLock())


class _Displayable:
    """Mixin: display as `self.container`, with a text/plain that says to run the cell."""

    container = None

    def fallback(self):
        """The text/plain of the displayed widget."""
        raise NotImplementedError

    def _repr_mimebundle_(self, **kwargs):
        """Delegate to the container widget, replacing its text/plain."""
        return widget_bundle(self.container, self.fallback(), **kwargs)


class QuizWidget(_Displayable):
    """One question with a Check button, feedback, Try again and an attempts count.

    Public parts: .question, .input (the answer box, or the options: a radio group or tick boxes, whose
    .value is the answer), .check_button, .retry_button, .feedback (HTMLMath),
    .attempts (int, as saved in the progress file), and set_answer(value).
    """

    def __init__(self, question, record=True):
        self.question, self.record = question, record
        self._lock = question_lock(question.id)
        self._filling = False
        self._last_answer, self._last_html = _UNSET, ("", None)
        self.last_feedback = None
        saved = self._saved_record()
        self.attempts = int(saved.get("attempts", 0))
        self._correct, self._ever_correct = saved.get("correct"), bool(saved.get("ever_correct"))
        self.prompt = w.HTMLMath(value=self._prompt_html())
        self.prompt.add_class("rnn-edu-prompt")
        self.input = self._make_input()
        self.options_html = None
        self.check_button = w.Button(description="Check", button_style="primary",
                                     tooltip="Check your answer")
        self.retry_button = w.Button(description="Try again", tooltip="Clear and answer again")
        self.attempts_label = w.HTML(value=self._attempts_text())
        self.feedback = w.HTMLMath(value="")
        for widget, css in ((self.check_button, CSS_CHECK), (self.retry_button, CSS_RETRY),
                            (self.feedback, CSS_FEEDBACK), (self.attempts_label, "rnn-edu-attempts")):
            widget.add_class(css)
        self.check_button.on_click(self.check)
        self.retry_button.on_click(self.try_again)
        row = w.HBox([self.check_button, self.retry_button, self.attempts_label])
        self.container = w.VBox([style_widget(), self.prompt, self.input, row, self.feedback])
        self.container.add_class(CSS_QUIZ)

    def __repr__(self):
        return f"<Quiz {self.question.id}>"

    def fallback(self):
        return fallback_text(f"Quiz {self.question.id}")

    def _saved_record(self):
        """This question's record in the progress file ({} if none, or when not recording)."""
        if not self.record:
            return {}
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ProgressWarning)   # a corrupt file warns when answered
                record = load_progress().get(self.question.id)
        except OSError:          # unreadable: the first answer will say so
            return {}
        return record if isinstance(record, dict) else {}

    def _prompt_html(self):
        """The prompt, followed by what to tick (choice types) or how precise to be (numeric)."""
        html = to_html(self.question.prompt)
        instruction = INSTRUCTIONS.get(self.question.type) or getattr(self.question, "precision", "")
        if instruction:
            html += f"<p class='rnn-edu-instruction'><em>{inline(instruction)}</em></p>"
        return html

    def _make_input(self):
        """The answer box (numeric), or the options: a radio group (single) or tick boxes (multiple)."""
        q = self.question
        if q.type == "numeric":
            box = w.Text(value="", placeholder=q.placeholder, continuous_update=False, description="Answer:",
                         layout=w.Layout(width="100%", max_width="32em"))
            box.add_class("rnn-edu-answer")
            box.observe(self._on_text, names="value")
            return box
        return OptionBoxes(q.options, single=q.type == "single")

    # ------------------------------------------------------------------ answering

    def set_answer(self, value):
        """Enter `value` as the answer, as a learner would, without checking it.

        numeric: a text or a number, typed into the box; single: an option's
        text (None clears); multiple: a list of option texts.  Then
        `check_button.click()` checks it.  A text that is not an option raises
        ValueError.
        """
        with self._lock:
            if self.question.type != "numeric":
                try:
                    self.input.value = value
                except Exception as exc:  # noqa: BLE001 - TraitError
                    raise ValueError(str(exc)) from None
                return
            if isinstance(value, bool) or not isinstance(value, (str, int, float)):
                raise TypeError(f"a numeric answer is text or a number, got {type(value).__name__}")
            self._filling = True
            try:
                self.input.value = value if isinstance(value, str) else repr(value)
            finally:
                self._filling = False

    def current_answer(self):
        """The answer now entered (None when nothing is entered or ticked)."""
        if self.question.type == "numeric":
            value = self.input.value
            return value if value.strip() else None
        chosen = self.input.chosen()
        if not chosen:
            return None
        return chosen[0] if self.question.type == "single" else chosen

    def _on_text(self, change):
        """Enter (or leaving the box) in the numeric box checks the answer."""
        if change["new"].strip() and not self._filling:
            self.check()

    def check(self, _button=None):
        """Check the current answer, record it, and show feedback; returns the Feedback.

        Atomic per question: the same answer arriving twice (the box's change
        and the click of one learner action, even on two threads) counts once.
        """
        with self._lock:
            answer = self.current_answer()
            same = tuple(answer) if isinstance(answer, list) else answer
            if same == self._last_answer:
                self._show(*self._last_html)          # re-checking shows the same verdict again
                return self.last_feedback
            self._last_answer = same
            if answer is None:
                what = {"numeric": "type a number", "single": "pick an option"}.get(self.question.type, "tick an option")
                self.last_feedback = None
                return self._verdict(Message(f"Nothing to check yet: {what}, then press **Check**.").html, None)
            feedback = self.question.check(answer)
            self.last_feedback = feedback
            if not feedback.valid:
                return self._verdict(feedback.message_html, None, feedback)
            self._count(answer, feedback)
            return self._verdict(feedback.message_html, feedback.correct, feedback)

    def _count(self, answer, feedback):
        """Record a valid answer; the attempts shown are the progress file's."""
        record = None
        if self.record:
            try:
                record = self.question.record(answer, feedback)
            except OSError as exc:
                warnings.warn(f"Your answer could not be saved: {exc}", ProgressWarning, stacklevel=3)
        self.attempts = int(record["attempts"]) if record else self.attempts + 1
        self._correct = feedback.correct
        self._ever_correct = self._ever_correct or feedback.correct
        self.attempts_label.value = self._attempts_text()

    def _verdict(self, body, correct, feedback=None):
        """Show the verdict line `body` (HTML, announced to screen readers) and what follows it."""
        if correct is None:
            after = "<p><em>Not counted as an attempt.</em></p>" if feedback is not None else ""
        else:
            after = self._explanation_html(feedback)
        html = f"<div class='rnn-edu-verdict' role='alert'>{MARKS[correct]}{body}</div>{after}"
        self._last_html = (html, correct)
        self._show(html, correct)
        return feedback

    def _explanation_html(self, feedback):
        """The explanation, once earned: after a right answer or a second try.

        A first wrong answer gets only its targeted feedback, so trying again still means thinking.
        """
        if feedback.correct or self.attempts >= REVEAL_AFTER:
            return to_html(feedback.explanation)
        return ("<p><em>Try again: the full explanation appears after a right answer "
                f"or after {REVEAL_AFTER} tries.</em></p>")

    def try_again(self, _button=None):
        """Clear the input and the feedback; the attempts count stays."""
        with self._lock:
            self.input.value = "" if self.question.type == "numeric" else None
            self._last_answer, self._last_html, self.last_feedback = _UNSET, ("", None), None
            self._show("", None)

    def _show(self, html, correct):
        """Put `html` into the feedback widget and set its verdict class (none when empty)."""
        for css in VERDICT_CSS.values():
            self.feedback.remove_class(css)
        if html:
            self.feedback.add_class(VERDICT_CSS[correct])
        self.feedback.value = html

    def _attempts_text(self):
        """The attempts counter, with the saved verdict once there is one."""
        text = f"Attempts: {self.attempts}"
        if self.attempts:
            if self._correct:
                text += " · answered right"
            elif self._ever_correct:
                text += " · right before, last answer not right"
            else:
                text += " · not answered right yet"
        return f"<span>{text}</span>"


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

    def fallback(self):
        return fallback_text(f"Quiz of lesson {self.lesson}, {len(self.quizzes)} questions")

    def __getitem__(self, index):
        return self.quizzes[index]

    def __len__(self):
        return len(self.quizzes)
