"""Exercise progress: every checker run that is a real attempt, in the learner's progress file.

The records live beside the quiz answers, under ``"exercises"`` in the same file
(rnn_edu.course.quiz.progress_store: one lock, re-read and merged, written atomically), one per exercise::

    "backward-step": {
      "lesson": "03",
      "state": "passed" | "not yet" | "not written",   # what the last run showed (current state)
      "passed": true,          # the current state passes
      "ever_passed": true,     # passed once: kept when a later change breaks the function
      "runs": 3,               # real attempts (see below)
      "runs_to_pass": 2,       # the attempt that first passed (null until then)
      "mistake": null,         # the mistake the checker named at the last attempt (null when it passed)
      "mistakes": {"dW_R: ...": 1},   # each named mistake and how many attempts named it
      "hints_seen": 2,         # hints revealed so far (0 to 3)
      "hints_at_pass": 1,      # hints revealed when it first passed (null until then)
      "first_time": "...", "last_time": "...",
      "history": [{"time": "...", "state": "not yet", "mistake": "...", "hints_seen": 0}, ...]
    }

Nothing counted twice: a run is an attempt when the learner's function (its compiled code, constants
and defaults) or the checker's verdict differs from the last attempt's. Run All again on unchanged
code, or rerunning a checker cell, records nothing new. A function still the unwritten stub is
recorded once as "not written" and never counts as an attempt.
"""
import datetime
import hashlib
import types
import warnings

from ..quiz import progress_store as store

HISTORY_LIMIT = 50
MISTAKES_LIMIT = 20          # distinct mistake texts kept per exercise
TEXT_LIMIT = 300             # characters of a mistake kept
PASSED, NOT_YET, NOT_WRITTEN = "passed", "not yet", "not written"


def load_exercise_progress():
    """{exercise id: record} from the progress file ({} when there is none or it is unreadable)."""
    data = store._read(store.progress_path())
    exercises = data.get("exercises") if isinstance(data, dict) else None
    return dict(exercises) if isinstance(exercises, dict) else {}


def fingerprint(fn):
    """A short hash of a function's code, constants and defaults (None when `fn` has no code)."""
    code = getattr(fn, "__code__", None)
    if not isinstance(code, types.CodeType):
        return None
    parts = [repr(getattr(fn, "__defaults__", None))]

    def walk(c):
        parts.extend([c.co_code.hex(), repr(c.co_names)])
        for const in c.co_consts:
            walk(const) if isinstance(const, types.CodeType) else parts.append(repr(const))
    walk(code)
    return hashlib.sha256("\n".join(parts).encode("utf-8", "replace")).hexdigest()[:16]


def _now():
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


def _new(lesson):
    now = _now()
    return {"lesson": lesson, "state": None, "passed": False, "ever_passed": False, "runs": 0,
            "runs_to_pass": None, "mistake": None, "mistakes": {}, "hints_seen": 0, "hints_at_pass": None,
            "first_time": now, "last_time": now, "history": []}


def _int(value):
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


def updated(old, lesson, result, fingerprint=None):
    """(record, changed): `old` merged with one checker run's `result` (an ExerciseResult)."""
    rec = dict(old) if isinstance(old, dict) else _new(lesson)
    rec["lesson"] = lesson
    hints = _int(rec.get("hints_seen"))
    if result.stub:
        if rec.get("state") == NOT_WRITTEN:
            return rec, False
        state, key, mistake = NOT_WRITTEN, None, None
    else:
        state = PASSED if result.passed else NOT_YET
        mistake = None if result.passed else str(result.message)[:TEXT_LIMIT]
        key = hashlib.sha256(f"{fingerprint}\n{state}\n{result.message}".encode("utf-8", "replace")).hexdigest()[:16]
    attempt = key is not None and key != rec.get("last_key")
    if not attempt and rec.get("state") == state:
        return rec, False
    now = _now()
    rec.update(state=state, passed=state == PASSED, last_time=now)
    if attempt:
        rec["runs"] = _int(rec.get("runs")) + 1
        rec["last_key"] = key
        rec["mistake"] = mistake
        if mistake:
            mistakes = dict(rec.get("mistakes") or {})
            if mistake in mistakes or len(mistakes) < MISTAKES_LIMIT:
                mistakes[mistake] = _int(mistakes.get(mistake)) + 1
            rec["mistakes"] = mistakes
        if state == PASSED and not rec.get("ever_passed"):
            rec["ever_passed"], rec["runs_to_pass"], rec["hints_at_pass"] = True, rec["runs"], hints
    history = list(rec.get("history") or [])[-(HISTORY_LIMIT - 1):]
    history.append({"time": now, "state": state, "mistake": mistake, "hints_seen": hints})
    rec["history"] = history
    return rec, True


def record_run(exercise, lesson, result, fingerprint=None):
    """Record one checker run (once per real attempt, see the module doc); returns the record."""
    path = store.progress_path()
    with store._locked(path):
        data = store._read_or_reset(path)
        exercises = data.setdefault("exercises", {})
        rec, changed = updated(exercises.get(exercise), lesson, result, fingerprint)
        if changed:
            exercises[exercise] = rec
            store._write_atomic(path, data)
    return dict(rec)


def record_hints_seen(exercise, lesson, seen):
    """Record that `seen` hints of `exercise` are revealed (the count never goes down); the record."""
    path = store.progress_path()
    with store._locked(path):
        data = store._read_or_reset(path)
        exercises = data.setdefault("exercises", {})
        rec = dict(exercises.get(exercise) or _new(lesson))
        if seen > _int(rec.get("hints_seen")):
            rec["hints_seen"], rec["last_time"] = int(seen), _now()
            exercises[exercise] = rec
            store._write_atomic(path, data)
    return dict(rec)


def safely(action, *args):
    """Run a recording action; a file that cannot be written warns once and loses only this record."""
    try:
        return action(*args)
    except OSError as exc:
        warnings.warn(f"Your exercise progress could not be saved: {exc}", store.ProgressWarning, stacklevel=3)
        return None
