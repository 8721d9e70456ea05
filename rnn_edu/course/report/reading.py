"""Read learners' progress files for the class report, without ever writing to them.

A PATH is a progress file, a learner's home folder (holding
``.rnn_edu/progress.json``), or a folder with one folder per learner (the hub's
``homes/``, or a shared volume of ``<learner>/progress.json``).  A file that is missing, empty or not a progress file is named in
one line and skipped.  Files are only read (no lock file, no repair), so the
report can run while learners work and on read-only copies.
"""
import json
from dataclasses import dataclass, field
from pathlib import Path

PROGRESS = Path(".rnn_edu") / "progress.json"
MAX_BYTES = 50_000_000  # a progress file is a few kB; refuse anything absurd


@dataclass
class Learner:
    """One learner's answers: name, file, and {question id: record}."""

    name: str
    path: Path
    questions: dict = field(default_factory=dict)
    exercises: dict = field(default_factory=dict)     # {exercise id: record}, rnn_edu.course.exercises.record


@dataclass(frozen=True)
class Skipped:
    """A path that gave no learner, and why (one line)."""

    path: Path
    reason: str

    def __str__(self):
        return f"skipped {self.path}: {self.reason}"


def learner_name(path):
    """The learner a file belongs to: its home folder's name, else the file's stem."""
    path = Path(path)
    if path.name == PROGRESS.name and path.parent.name == PROGRESS.parent.name:
        return path.parent.parent.name or path.stem
    if path.name == PROGRESS.name:
        return path.parent.name or path.stem
    return path.stem


def expand(paths):
    """Progress-file candidates from the PATHs, in order (homes folders are listed)."""
    out = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            if (path / PROGRESS).exists() or (path / PROGRESS.parent).is_dir():
                out.append(path / PROGRESS)
            elif (path / PROGRESS.name).is_file():
                out.append(path / PROGRESS.name)
            else:
                homes = sorted(p for p in path.iterdir() if p.is_dir() and not p.name.startswith("."))
                out += [_in_home(home) for home in homes] or [path / PROGRESS]
        else:
            out.append(path)
    return out


def _in_home(home):
    """A learner folder's progress file: <home>/.rnn_edu/progress.json, or <folder>/progress.json."""
    if not (home / PROGRESS).exists() and (home / PROGRESS.name).is_file():
        return home / PROGRESS.name
    return home / PROGRESS


def read_file(path):
    """(Learner, None) for a good progress file, else (None, Skipped)."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return None, Skipped(path, f"{size} bytes is too large for a progress file")
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, Skipped(path, "no such file (has this learner answered any quiz?)")
    except OSError as exc:
        return None, Skipped(path, f"cannot be read ({exc.strerror or exc})")
    if not raw.strip():
        return None, Skipped(path, "empty file")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        return None, Skipped(path, f"not valid JSON ({str(exc)[:80]})")
    if not (isinstance(data, dict) and isinstance(data.get("questions"), dict)):
        return None, Skipped(path, "not a progress file (expected {\"version\": 1, \"questions\": {...}})")
    records = {str(qid): rec for qid, rec in data["questions"].items() if isinstance(rec, dict)}
    runs = data.get("exercises") if isinstance(data.get("exercises"), dict) else {}
    exercises = {str(eid): rec for eid, rec in runs.items() if isinstance(rec, dict)}
    return Learner(learner_name(path), path, records, exercises), None


def read_learners(paths):
    """([Learner], [Skipped]) for the PATHs; names made unique with #2, #3 ..."""
    learners, skipped, seen = [], [], {}
    for path in expand(paths):
        learner, skip = read_file(path)
        if skip is not None:
            skipped.append(skip)
            continue
        seen[learner.name] = seen.get(learner.name, 0) + 1
        if seen[learner.name] > 1:
            learner.name = f"{learner.name}#{seen[learner.name]}"
        learners.append(learner)
    return learners, skipped
