"""Checkers for the hands-on exercises: each takes the learner's answer (a function or a value),
compares it with rnn_edu's own computation, and returns feedback that names the likely mistake.

Checkers never raise on a wrong answer: they return an `ExerciseResult` whose text says what went
wrong, so a learner's notebook keeps running.
"""
from dataclasses import dataclass


@dataclass
class ExerciseResult:
    """passed: bool; message: what was checked, and on failure the term that is likely wrong."""
    passed: bool
    message: str

    def __repr__(self):
        return ("PASSED: " if self.passed else "NOT YET: ") + self.message

    def _repr_html_(self):
        colour = "#1b7f3b" if self.passed else "#b3261e"
        label = "Passed" if self.passed else "Not yet"
        from html import escape
        return (f'<div class="rnn-edu-exercise" style="border-left:4px solid {colour};padding:4px 8px">'
                f'<b style="color:{colour}">{label}:</b> {escape(self.message)}</div>')


def run_checks(checks):
    """Run (description, callable returning (ok, hint)) pairs; stop at the first failure.

    A check that raises is reported as a failure with the exception's message, never re-raised.
    """
    done = []
    for description, check in checks:
        try:
            ok, hint = check()
        except Exception as exc:  # the learner's code raised: report it, do not crash the notebook
            return ExerciseResult(False, f"{description}: your code raised {type(exc).__name__}: {exc}")
        if not ok:
            return ExerciseResult(False, f"{description}: {hint}")
        done.append(description)
    return ExerciseResult(True, "all checks passed (" + "; ".join(done) + ").")
