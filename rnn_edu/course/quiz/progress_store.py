"""Learner progress: one JSON file, written atomically and safely shared.

The file is ``~/.rnn_edu/progress.json`` unless the environment variable
``RNN_EDU_PROGRESS`` names another path (read at every call, not at import).
Each write happens under an exclusive ``fcntl.flock`` on ``<file>.lock``:
the file is re-read, the new answer merged in, and the result written to a
temporary file in the same directory that then replaces the old one with
``os.replace``.  Two kernels answering at once therefore lose nothing, and a
reader never sees a half-written file.  A corrupted file is moved aside to
``<file>.corrupt-<n>`` with a warning, and a fresh one is started.
"""
import contextlib
import datetime
import json
import os
import tempfile
import warnings
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no cross-process lock
    fcntl = None

ENV_VAR = "RNN_EDU_PROGRESS"
FORMAT_VERSION = 1
HISTORY_LIMIT = 50


class ProgressWarning(UserWarning):
    """Issued when the progress file had to be moved aside or could not be written."""


def progress_path():
    """The progress file path: $RNN_EDU_PROGRESS, else ~/.rnn_edu/progress.json."""
    override = os.environ.get(ENV_VAR)
    if override:
        return Path(override).expanduser()
    return Path.home() / ".rnn_edu" / "progress.json"


def load_progress():
    """Return a dict: question id -> record (attempts, correct, first_correct, lesson, ...)."""
    path = progress_path()
    data = _read(path)
    if data is None:
        try:
            with _locked(path):
                data = _read_or_reset(path)
        except OSError as exc:
            warnings.warn(f"The quiz progress file {path} is unreadable and could not be "
                          f"reset ({exc}); showing no progress.", ProgressWarning, stacklevel=2)
            data = _empty()
    return data["questions"]


def record_answer(qid, lesson, correct, answer_text=""):
    """Record one submitted answer and return the question's updated record."""
    path = progress_path()
    with _locked(path):
        data = _read_or_reset(path)
        rec = _updated(data["questions"].get(qid), lesson, bool(correct), answer_text)
        data["questions"][qid] = rec
        _write_atomic(path, data)
    return dict(rec)


def _updated(old, lesson, correct, answer_text):
    """Merge one answer into an existing record (or a new one)."""
    now = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    rec = dict(old) if isinstance(old, dict) else {}
    first = int(rec.get("attempts", 0)) == 0
    rec["lesson"] = lesson
    rec["attempts"] = int(rec.get("attempts", 0)) + 1
    rec["correct"] = correct
    if first:
        rec["first_correct"] = correct
        rec["first_time"] = now
    rec["ever_correct"] = bool(rec.get("ever_correct")) or correct
    rec["last_time"] = now
    history = list(rec.get("history", []))[-(HISTORY_LIMIT - 1):]
    history.append({"time": now, "correct": correct, "answer": answer_text[:80]})
    rec["history"] = history
    return rec


def _empty():
    """A fresh progress document."""
    return {"version": FORMAT_VERSION, "questions": {}}


def _read(path):
    """Parse the file; return the data, a fresh document if absent, None if corrupt."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return _empty()
    try:
        data = json.loads(raw.decode("utf-8"))
    except ValueError:  # includes UnicodeDecodeError
        return None
    if not _valid(data):
        return None
    return data


def _valid(data):
    """True when `data` has the expected shape."""
    return (isinstance(data, dict) and isinstance(data.get("questions"), dict)
            and all(isinstance(r, dict) for r in data["questions"].values())
            and isinstance(data.get("exercises", {}), dict)      # exercise runs: rnn_edu.course.exercises.record
            and all(isinstance(r, dict) for r in data.get("exercises", {}).values()))


def _read_or_reset(path):
    """Read under the lock; a corrupt file is moved aside and replaced by a fresh one."""
    data = _read(path)
    if data is not None:
        return data
    aside = _aside_name(path)
    os.replace(path, aside)
    warnings.warn(f"The quiz progress file {path} was unreadable; it was moved to "
                  f"{aside} and a fresh one was started.", ProgressWarning, stacklevel=3)
    return _empty()


def _aside_name(path):
    """The first free name `<file>.corrupt-<n>` next to `path`."""
    n = 1
    while path.with_name(f"{path.name}.corrupt-{n}").exists():
        n += 1
    return path.with_name(f"{path.name}.corrupt-{n}")


def _write_atomic(path, data):
    """Write JSON to a temp file in the same directory, fsync, then os.replace."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=1, sort_keys=True)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def _locked(path):
    """Hold an exclusive lock on `<path>.lock` (creating the directory if needed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lock_path = path.with_name(path.name + ".lock")
    with open(lock_path, "a+") as lock:
        if fcntl is not None:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(lock.fileno(), fcntl.LOCK_UN)
