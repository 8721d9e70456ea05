"""What a checker cell shows: the checker's verdict, and hints on demand, one at a time.

The last line of a checker cell, ``result.show("backward-step")``, records the run in the progress file
(rnn_edu.course.exercises.record: once per real attempt) and displays an `ExerciseFeedback`:

* the verdict, the same HTML as the result alone (``Passed: ...`` or ``Not yet: ...``);
* while the exercise does not pass, a button "Show a hint (1 of 3)". Each press reveals the next hint,
  from a nudge to the last step before the code, and records how many were seen. The newest hint is
  announced to screen readers (role="alert", an assertive live region); the earlier ones stay visible.
  Hints seen in an earlier run are shown again at once.

The display bundle keeps the result's text/plain and text/html beside the widget view, so a stored
notebook, nbval and a static viewer see the verdict as before; JupyterLab shows the widget. All state
is in widget values (no prints, no Output widget), so tests read it headless.
"""
import threading
from html import escape

import ipywidgets as w

from ..quiz.style import style_widget, widget_bundle
from . import record
from .hints import hints_for

CSS_BOX, CSS_BUTTON, CSS_HINTS = "rnn-edu-exercise-box", "rnn-edu-hint-button", "rnn-edu-hints"
FONT = "var(--jp-content-font-size1, 14px)"
FOCUS = ":is(button):focus-visible"
HINT_CSS = f"""
.{CSS_BOX} {{ --jp-widgets-font-size: {FONT}; font-size: {FONT}; }}
.{CSS_BOX} .widget-html-content {{ font-size: {FONT}; line-height: 1.45; }}
.{CSS_BOX} {FOCUS} {{ outline: 3px solid #1a5fb4 !important; outline-offset: 2px !important; }}
body[data-jp-theme-light="false"] .{CSS_BOX} {FOCUS} {{ outline-color: #99c1f1 !important; }}
.{CSS_BOX} .{CSS_HINTS} p {{ margin: 0.3em 0; }}
"""
UNKNOWN_LESSON = "?"


class ExerciseFeedback:
    """The verdict of one checker run, with its hints behind a button.

    Public parts: .result (the ExerciseResult), .exercise (id), .hints (texts), .shown (how many are
    revealed), .verdict (HTML), .hint_button (Button), .hint_area (HTML), show_next_hint().
    """

    def __init__(self, exercise, result, shown=0, record_hints=True):
        self.exercise, self.result, self.record_hints = exercise, result, record_hints
        info = hints_for(exercise)
        self.hints = info.hints if info else ()
        self.lesson = info.lesson if info else UNKNOWN_LESSON
        self.shown = min(record._int(shown), len(self.hints))
        self._lock = threading.Lock()
        self.verdict = w.HTML(value=result._repr_html_())
        self.hint_button = w.Button(description="", tooltip="",
                                    layout=w.Layout(width="auto", align_self="flex-start"))
        self.hint_button.add_class(CSS_BUTTON)
        self.hint_button.on_click(self.show_next_hint)
        self.hint_area = w.HTML(value="")
        self.hint_area.add_class(CSS_HINTS)
        offer = bool(self.hints) and not result.passed
        parts = [style_widget(HINT_CSS), self.verdict] + ([self.hint_button, self.hint_area] if offer else [])
        self.container = w.VBox(parts)
        self.container.add_class(CSS_BOX)
        self._update(announce=False)

    def show_next_hint(self, _button=None):
        """Reveal the next hint (nothing when all are shown) and record it; returns how many are shown."""
        with self._lock:
            if self.shown >= len(self.hints):
                return self.shown
            self.shown += 1
            if self.record_hints:
                record.safely(record.record_hints_seen, self.exercise, self.lesson, self.shown)
            self._update(announce=True)
            return self.shown

    def _update(self, announce):
        """The button's label and the revealed hints; the newest is a live region when just revealed."""
        n = len(self.hints)
        if self.shown < n:
            label = f"Show a hint ({self.shown + 1} of {n})" if self.shown == 0 else \
                f"Show the next hint ({self.shown + 1} of {n})"
            self.hint_button.description, self.hint_button.disabled = label, False
        else:
            self.hint_button.description, self.hint_button.disabled = f"All {n} hints shown", True
        self.hint_button.tooltip = self.hint_button.description
        items = []
        for i, text in enumerate(self.hints[:self.shown]):
            body = f"<p><strong>Hint {i + 1} of {n}:</strong> {escape(text)}</p>"
            newest = announce and i == self.shown - 1
            items.append(f"<div role='alert'>{body}</div>" if newest else body)
        self.hint_area.value = "".join(items)

    def __repr__(self):
        return repr(self.result)

    def _repr_mimebundle_(self, **kwargs):
        """The widget, with the result's own text/plain and text/html for every other viewer."""
        data = widget_bundle(self.container, repr(self.result), **kwargs)
        data["text/html"] = self.result._repr_html_()
        return data


def show_result(result, exercise, function=None, record_run=True):
    """Record this run of `exercise`'s checker (once per real attempt) and return its ExerciseFeedback.

    function: the learner's function, whose code tells a new attempt from a rerun; never raises.
    """
    info = hints_for(exercise)
    lesson = info.lesson if info else UNKNOWN_LESSON
    saved = None
    if record_run:
        saved = record.safely(record.record_run, exercise, lesson, result, record.fingerprint(function))
    return ExerciseFeedback(exercise, result, shown=record._int((saved or {}).get("hints_seen")),
                            record_hints=record_run)
