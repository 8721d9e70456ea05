"""Checkers for the hands-on exercises: each takes the learner's answer (a function or a value),
compares it with rnn_edu's own computation, and returns feedback that names the likely mistake.

Checkers never raise on a wrong answer: they return an `ExerciseResult` whose text says what went
wrong, so a learner's notebook keeps running. A function that is still the learner edition's stub
(it raises NotImplementedError) gets "Not yet: write `name` above", with no traceback.

`use_yours_or_library` lets a later cell run on the learner's function once it passes its checker,
and on rnn_edu's own function (saying so in one line) while it does not.
"""
import os
from dataclasses import dataclass
from html import escape

import numpy as np

PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@dataclass
class ExerciseResult:
    """passed: bool; message: what was checked, and on failure the term that is likely wrong.

    stub: True when the learner's function is still the unwritten stub (NotImplementedError).
    """
    passed: bool
    message: str
    stub: bool = False

    def __repr__(self):
        return ("PASSED: " if self.passed else "NOT YET: ") + self.message

    def show(self, exercise):
        """Record this run of `exercise` (its solution cell's grade_id) in the progress file and return
        the verdict to display, with the exercise's hints on demand (rnn_edu.exercises.feedback)."""
        import sys
        from .feedback import show_result
        function = sys._getframe(1).f_globals.get(exercise.replace("-", "_"))   # the learner's, by name
        return show_result(self, exercise, function)

    def _repr_html_(self):
        colour = "#1b7f3b" if self.passed else "#b3261e"
        label = "Passed" if self.passed else "Not yet"
        return (f'<div class="rnn-edu-exercise" style="border-left:4px solid {colour};padding:4px 8px">'
                f'<b style="color:{colour}">{label}:</b> {escape(self.message)}</div>')


def function_name(fn, default="your function"):
    """The name to show for a learner's function: its __name__, or `default` for a lambda."""
    name = getattr(fn, "__name__", "")
    return name if name.isidentifier() else default


def _raised_in(exc, default):
    """The learner's function that raised `exc`: the innermost frame outside rnn_edu."""
    name, tb = default, exc.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        if not code.co_filename.startswith(PACKAGE_DIR) and code.co_name.isidentifier():
            name = code.co_name
        tb = tb.tb_next
    return name


def not_written(name):
    """The result for a stub that still raises NotImplementedError."""
    shown = f"`{name}`" if name.isidentifier() else name
    return ExerciseResult(False, f"write {shown} above, then run its cell and this one again.", stub=True)


def run_checks(checks, function=None):
    """Run (description, callable returning (ok, hint)) pairs; stop at the first failure.

    A check that raises is reported as a failure with the exception's message, never re-raised.
    NotImplementedError (the learner edition's stub) becomes "write `function` above".
    """
    done = []
    for description, check in checks:
        try:
            with np.errstate(all="ignore"):     # the hint explains an overflow better than a warning
                ok, hint = check()
        except NotImplementedError as exc:      # a stub; name the one that raised (it may be a helper)
            return not_written(_raised_in(exc, function or "your function"))
        except Exception as exc:  # the learner's code raised: report it, do not crash the notebook
            return ExerciseResult(False, f"{description}: your code raised {type(exc).__name__}: {exc}")
        if not ok:
            return ExerciseResult(False, f"{description}: {hint}")
        done.append(description)
    return ExerciseResult(True, "all checks passed (" + "; ".join(done) + ").")


def as_numbers(value, name):
    """(float64 array, None), or (None, hint) when the learner returned None or not numbers."""
    if value is None:
        return None, "your function returned None: did you forget the `return`?"
    try:
        return np.asarray(value, dtype=np.float64), None
    except (TypeError, ValueError):
        return None, f"{name} should be a numpy array of numbers, got {type(value).__name__}."


def answer_value(answer, name="answer"):
    """A value exercise may be given as the value or as a zero-argument function returning it.

    Returns (value, None), or (None, ExerciseResult) when the function is a stub or raises.
    """
    if not callable(answer):
        return answer, None
    try:
        return answer(), None
    except NotImplementedError as exc:
        return None, not_written(_raised_in(exc, function_name(answer, name)))
    except Exception as exc:  # never crash the learner's notebook
        return None, ExerciseResult(False, f"your code raised {type(exc).__name__}: {exc}")


def use_yours_or_library(yours, checker, library, name=None):
    """Return the function later cells should run: the learner's once `checker(yours)` passes,
    else `library` (rnn_edu's own), and print one line saying which. Never raises.

    yours: the learner's function; checker: its check_* function; library: a function with the
    same signature; name: how to call it in the message (default: yours.__name__).
    """
    name = name or function_name(yours)
    try:
        result = checker(yours)
    except Exception as exc:  # a checker never raises; this is a last line of defence
        result = ExerciseResult(False, f"the checker raised {type(exc).__name__}")
    if result.passed:
        print(f"Using your {name}.")
        return yours
    why = "is not written yet" if result.stub else "does not pass its check yet"
    print(f"Your {name} {why}; using rnn_edu's instead.")
    return library
