"""The exercises' stepped hints: written in hints.yaml beside the checkers, shipped packed out of sight.

    hints_for("backward-step")  -> ExerciseHints(id, lesson, title, hints) or None
    all_exercises()             -> {exercise id: ExerciseHints}, in lesson order

``hints.yaml`` is the instructors' editable source. ``make bank`` (scripts/pack_hints.py) packs it into
``rnn_edu/assets/exercise_hints.packed`` the way the quiz bank is packed (rnn_edu.course.quiz.packed: zlib,
then two letters A..P per byte), so that no hint can be found by grep in a learner's install or in
the wheel, which ships only the packed file. Like the quiz keys, this keeps hints out of sight; it is
not secret. The packed file is read when ``RNN_EDU_QUIZZES=packed`` (as `make lab` sets it) or when
the YAML is absent (an installed wheel); otherwise the YAML, so an instructor's edit shows at once.
"""
import os
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from ..quiz.bank import ENV_VAR
from ..quiz.packed import PACKED, seal, unseal

SOURCE_PATH = Path(__file__).resolve().parent / "hints.yaml"
PACKED_PATH = Path(__file__).resolve().parents[2] / "assets" / "exercise_hints.packed"
HEADER = "rnn-edu exercise hints, packed out of sight (zlib; two letters A..P per byte). Rebuild: make bank"
MIN_HINTS, MAX_HINTS = 2, 3


class HintsError(ValueError):
    """The hints file is damaged or does not follow the format of hints.yaml."""


@dataclass(frozen=True)
class ExerciseHints:
    """One exercise: its id (the solution cell's grade_id), lesson ("01"), title and hints (2 or 3)."""
    id: str
    lesson: str
    title: str
    hints: tuple


def pack(text):
    """The YAML text -> the packed text (deterministic)."""
    return seal({"format": 1, "hints.yaml": text}, HEADER)


def unpack(text):
    """The packed text -> the YAML text; a damaged file raises HintsError saying so."""
    try:
        doc = unseal(text, HEADER)
        if not isinstance(doc.get("hints.yaml"), str):
            raise ValueError("unknown format")
        return doc["hints.yaml"]
    except (ValueError, zlib.error, UnicodeDecodeError) as exc:
        raise HintsError(f"the packed exercise hints are damaged ({exc}); reinstall rnn-edu, "
                         f"or rebuild them with `make bank`") from None


def parse(text, where="hints.yaml"):
    """{exercise id: ExerciseHints} from the YAML text, validated."""
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise HintsError(f"{where}: not valid YAML ({exc})") from None
    if not isinstance(doc, dict):
        raise HintsError(f"{where}: expected a mapping of exercise ids")
    out = {}
    for eid, entry in doc.items():
        if not isinstance(entry, dict) or set(entry) != {"lesson", "title", "hints"}:
            raise HintsError(f"{where}: {eid}: expected exactly lesson, title and hints")
        hints = entry["hints"]
        if (not isinstance(hints, list) or not MIN_HINTS <= len(hints) <= MAX_HINTS
                or not all(isinstance(h, str) and h.strip() for h in hints)):
            raise HintsError(f"{where}: {eid}: expected {MIN_HINTS} to {MAX_HINTS} hints, each a text")
        lesson = str(entry["lesson"])
        if not (len(lesson) == 2 and lesson.isdigit()) or not str(entry["title"]).strip():
            raise HintsError(f"{where}: {eid}: lesson must be two digits such as \"03\", and title a text")
        out[str(eid)] = ExerciseHints(str(eid), lesson, str(entry["title"]), tuple(h.strip() for h in hints))
    return dict(sorted(out.items(), key=lambda item: item[1].lesson))


def source_path():
    """The file to read: the packed one when chosen or when the YAML is absent, else the YAML."""
    if os.environ.get(ENV_VAR, "") == PACKED or not SOURCE_PATH.is_file():
        return PACKED_PATH
    return SOURCE_PATH


def all_exercises():
    """{exercise id: ExerciseHints}; {} (never an error in a learner's notebook) when no file is found."""
    path = source_path()
    try:
        stat = path.stat()
    except OSError:
        return {}
    return _load(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=4)
def _load(path, mtime_ns, size):
    text = Path(path).read_text(encoding="utf-8")
    if path == str(PACKED_PATH):
        return parse(unpack(text), PACKED_PATH.name)
    return parse(text, Path(path).name)


def hints_for(exercise):
    """The ExerciseHints of one exercise, or None for an exercise without hints."""
    return all_exercises().get(exercise)
