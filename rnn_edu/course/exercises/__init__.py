"""Checkers for the hands-on exercises: each takes the learner's answer (a function or a value),
compares it with rnn_edu's own computation, and returns feedback that names the likely mistake.

Checkers never raise on a wrong answer: they return an `ExerciseResult` whose text says what went
wrong, so a learner's notebook keeps running. A function that is still the learner edition's stub
(it raises NotImplementedError) gets "Not yet: write `name` above", with no traceback.

`use_yours_or_library` lets a later cell run on the learner's function once it passes its checker,
and on rnn_edu's own function (saying so in one line) while it does not.

Two rules hold for every checker:
- What a checker accepts, the later cells can use: a checker reads the learner's result through
  one function, `reads_result(adapt)`, and `use_yours_or_library` passes the learner's results
  through the same `adapt` (a `(clipped, norm)` tuple becomes `clipped`, a list becomes an array).
- One rule for inputs (taught in lesson 01): a function leaves its arguments as they were and
  returns new arrays. `call_unchanged` calls the learner's function and says which argument it
  changed in place; every checker that passes arrays uses it, with the same words.
"""
import functools
import os
from dataclasses import dataclass
from html import escape

import numpy as np

PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # rnn_edu/


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
        the verdict to display, with the exercise's hints on demand (rnn_edu.course.exercises.feedback)."""
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


def learner_line(exc):
    """The line of the learner's own code where `exc` was raised (outside rnn_edu and numpy), or ""."""
    import traceback
    line = ""
    for frame in traceback.extract_tb(exc.__traceback__):
        inside = frame.filename.startswith(PACKAGE_DIR) or f"{os.sep}numpy{os.sep}" in frame.filename
        if not inside and frame.line:
            line = frame.line.strip()
    return line


def shape_mismatch(exc, shapes, want):
    """A hint for a matmul/broadcast error: the learner's line quoted, numpy's words, the argument
    shapes and the shape each term must have; None when `exc` is not about shapes."""
    words = str(exc)
    if not any(w in words for w in ("matmul", "broadcast", "shapes", "align")):
        return None
    line = learner_line(exc)
    where = f" in your line `{line}`" if line else ""
    given = ", ".join(f"{name} {shape}" for name, shape in shapes.items())
    numpy_says = words.split("\n")[0]
    numpy_says = f" (numpy: {numpy_says})" if len(numpy_says) <= 90 else ""
    return f"the shapes do not line up{where}{numpy_says}. The arguments are {given}; {want}"


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


IN_PLACE = ("your function changed {names} in place (for example with -=, *= or [...] =). In this course a "
            "function leaves its inputs as they were and returns its result as new arrays: a = a * 2 makes "
            "a new array, while a *= 2 or a[...] = ... overwrites the one the caller passed in "
            "(lesson 01, Exercise 1, says why).")


def _snapshot(value):
    """A copy of `value` to compare with after the call (arrays, parameter containers, lists)."""
    if isinstance(value, np.ndarray):
        return value.copy()
    if hasattr(value, "named_arrays"):
        return {n: np.array(a, copy=True) for n, a in value.named_arrays().items()}
    if isinstance(value, (list, tuple)):
        return [_snapshot(v) for v in value]
    return None                                 # numbers, text, functions: nothing to change


def _unchanged(value, before, atol):
    """True when `value` still equals its snapshot `before` (within `atol`, NaN equal to NaN)."""
    if before is None:
        return True
    if isinstance(before, dict):
        now = value.named_arrays()
        return set(now) == set(before) and all(_unchanged(now[n], before[n], atol) for n in before)
    if isinstance(before, list):
        return len(value) == len(before) and all(_unchanged(v, b, atol) for v, b in zip(value, before))
    value = np.asarray(value)
    if value.shape != before.shape:
        return False
    if atol:
        return bool(np.allclose(value, before, rtol=0, atol=atol, equal_nan=True))
    return bool(np.array_equal(value, before, equal_nan=before.dtype.kind in "fc"))


def call_unchanged(fn, args, names, copy=True, atol=0.0):
    """Call fn(*args) under the course's rule for inputs: (result, None), or (None, hint) when fn
    changed one of its arguments in place.

    names: the arguments' names as the exercise gives them (for the hint). copy=True calls fn on
    copies, so a learner's change never reaches the checker's own data; copy=False passes the
    arrays themselves (numerical_gradient's f() reads the W it is given) and `atol` allows the
    rounding of restoring W[i] after probing it.
    """
    work = [_copy(a) for a in args] if copy else list(args)
    before = [_snapshot(a) for a in work]
    result = fn(*work)
    changed = [n for n, a, b in zip(names, work, before) if not _unchanged(a, b, atol)]
    if changed:
        return None, in_place_hint(changed)
    return result, None


def in_place_hint(names):
    """The one message every checker gives for a changed input."""
    shown = " and ".join(f"`{n}`" for n in names)
    return IN_PLACE.format(names=("its argument " if len(names) == 1 else "its arguments ") + shown)


def _copy(value):
    if isinstance(value, np.ndarray):
        return value.copy()
    if hasattr(value, "named_arrays") and hasattr(value, "copy"):
        return value.copy()
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def reads_result(adapt):
    """Mark a checker with `adapt`, the one function through which it reads the learner's result.

    adapt(result) turns every form of result the checker accepts into the form later cells use
    (it may raise TypeError or ValueError for a result the checker does not accept).
    `use_yours_or_library` applies the same `adapt` to the learner's function once it passes.
    """
    def mark(checker):
        checker.adapt = adapt
        return checker
    return mark


def as_array(value):
    """The learner's numbers as a float64 array (lists, tuples, float32, ... are all accepted)."""
    return np.asarray(value, dtype=np.float64)


def as_numbers(value, name):
    """(float64 array, None), or (None, hint) when the learner returned None or not numbers."""
    if value is None:
        return None, "your function returned None: did you forget the `return`?"
    try:
        return as_array(value), None
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
        adapt = getattr(checker, "adapt", None)
        return yours if adapt is None else _adapted(yours, adapt)
    why = "is not written yet" if result.stub else "does not pass its check yet"
    print(f"Your {name} {why}; using rnn_edu's instead.")
    return library


def _adapted(yours, adapt):
    """The learner's function with its result passed through the checker's `adapt`."""
    @functools.wraps(yours)
    def adapted(*args, **kwargs):
        return adapt(yours(*args, **kwargs))
    return adapted
