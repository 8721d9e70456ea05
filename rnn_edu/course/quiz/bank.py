"""Find, load and validate the question bank (``quizzes/lessonNN.yaml``).

Each file is a mapping with an optional ``title`` and a ``questions`` list.
A question has ``id``, ``type`` (single, multiple or numeric), ``prompt``,
``explanation`` and ``answer``; choice questions have ``options`` (texts, or
mappings with ``text`` and ``feedback``); numeric ones need ``tolerance`` (an
absolute difference) or ``relative_tolerance`` (0.01 accepts answers within
1 % of the key), or both, and may list ``mistakes`` (``value`` + ``feedback``).
A numeric key that is not a whole number is also accepted rounded to
``significant_figures`` figures or more (default 2; 1 where the size is the point).
Any problem raises a :class:`BankError` naming the file, the question id and
the problem.
"""
import math
import os
import re
import site
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from .questions import MultipleSelect, NumericQuestion, SingleChoice

ENV_VAR = "RNN_EDU_QUIZZES"
FILE_PATTERN = re.compile(r"^lesson(\d\d)\.yaml$")
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
TYPES = {"single": SingleChoice, "multiple": MultipleSelect, "numeric": NumericQuestion}
COMMON = {"id", "type", "prompt", "explanation", "answer"}
OPTIONAL = {"mistakes", "tolerance", "relative_tolerance", "significant_figures"}
FIELDS = {"single": COMMON | {"options"}, "multiple": COMMON | {"options"},
          "numeric": COMMON | OPTIONAL}
_cache = {}


class BankError(ValueError):
    """A problem in a question-bank file; has .file, .qid and .problem."""

    def __init__(self, file, qid, problem):
        self.file, self.qid, self.problem = str(file), qid, problem
        where = f"{self.file}: question {qid!r}" if qid else self.file
        super().__init__(f"{where}: {problem}")


class BankNotFoundError(FileNotFoundError):
    """No question bank directory was found; the message lists where we looked."""


@dataclass(frozen=True)
class Bank:
    """The loaded bank: questions by id (in file order) and lesson titles."""

    directory: Path
    questions: dict
    titles: dict

    def lesson(self, lesson):
        """The questions of one lesson ("04"), in file order."""
        return [q for q in self.questions.values() if q.lesson == lesson]


def candidate_dirs():
    """Where the bank may live, in order of preference."""
    here = Path(__file__).resolve().parents[3] / "quizzes"
    share = Path("share") / "rnn-edu" / "quizzes"
    dirs = [here, Path(sys.prefix) / share]
    if site.ENABLE_USER_SITE:
        dirs.append(Path(site.getuserbase()) / share)
    return dirs


def find_quiz_dir():
    """Return the bank directory: $RNN_EDU_QUIZZES, the checkout, or installed data."""
    override = os.environ.get(ENV_VAR)
    if override:
        path = Path(override).expanduser()
        if not path.is_dir():
            raise BankNotFoundError(f"{ENV_VAR}={override!r} is not a directory.")
        return path
    looked = candidate_dirs()
    for path in looked:
        if path.is_dir() and any(FILE_PATTERN.match(p.name) for p in path.iterdir()):
            return path
    places = "\n".join(f"  - {p}" for p in looked)
    raise BankNotFoundError("No quiz bank (quizzes/lessonNN.yaml) was found. Looked in:\n"
                            f"  - ${ENV_VAR} (not set)\n{places}")


def load_bank(directory=None):
    """Load and validate every lessonNN.yaml in `directory` (cached until files change).

    With no directory, the one `find_quiz_dir` finds. `rnn_edu.course.quiz.load_bank` is the one
    to call: it chooses between this YAML source and the packed bank (packed.py), which is built
    on this module (so this module never imports packed.py).
    """
    directory = Path(directory) if directory is not None else find_quiz_dir()
    files = sorted(p for p in directory.iterdir() if FILE_PATTERN.match(p.name))
    signature = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in files)
    cached = _cache.get(directory.resolve())
    if cached and cached[0] == signature:
        return cached[1]
    questions, titles, origin = {}, {}, {}
    for path in files:
        lesson = FILE_PATTERN.match(path.name).group(1)
        titles[lesson], items = _read_file(path, lesson)
        for q in items:
            if q.id in origin:
                raise BankError(path, q.id, f"duplicate id (already used in {origin[q.id]})")
            origin[q.id] = path.name
            questions[q.id] = q
    bank = Bank(directory, questions, titles)
    _cache[directory.resolve()] = (signature, bank)
    return bank


def _read_file(path, lesson):
    """Parse one file; return (title, [questions])."""
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise BankError(path, None, f"YAML syntax error{where}: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("questions"), list):
        raise BankError(path, None, "expected a mapping with a 'questions' list")
    if "lesson" in doc and str(doc["lesson"]).zfill(2) != lesson:
        raise BankError(path, None, f"'lesson: {doc['lesson']}' does not match the file name")
    unknown = set(doc) - {"lesson", "title", "questions"}
    if unknown:
        raise BankError(path, None, f"unknown top-level field(s): {', '.join(sorted(map(str, unknown)))}")
    title = str(doc.get("title", f"Lesson {lesson}"))
    return title, [_build(path, lesson, i, raw) for i, raw in enumerate(doc["questions"], 1)]


def _build(path, lesson, index, raw):
    """Validate one question mapping and build its Question object."""
    if not isinstance(raw, dict):
        raise BankError(path, f"#{index}", "a question must be a mapping of fields")
    qid = raw.get("id")
    if not isinstance(qid, str) or not ID_PATTERN.match(qid):
        shown = f"#{index}" if qid is None else str(qid)
        raise BankError(path, shown, "missing or invalid 'id' (use lower-case letters, digits and '-')")
    fail = lambda problem: BankError(path, qid, problem)  # noqa: E731
    qtype = raw.get("type")
    if qtype not in TYPES:
        raise fail(f"unknown type {qtype!r}; expected one of {', '.join(TYPES)}")
    for name in sorted(FIELDS[qtype] - OPTIONAL):
        if name not in raw:
            raise fail(f"missing field '{name}'")
    if qtype == "numeric" and not {"tolerance", "relative_tolerance"} & set(raw):
        raise fail("missing field 'tolerance' (numeric questions need 'tolerance', an absolute "
                   "difference, or 'relative_tolerance', e.g. 0.01 for 1 %)")
    extra = set(raw) - FIELDS[qtype]
    if extra:
        raise fail(f"unknown field(s) {', '.join(sorted(map(str, extra)))} for type {qtype}")
    for name in ("prompt", "explanation"):
        if not isinstance(raw[name], str) or not raw[name].strip():
            raise fail(f"'{name}' must be non-empty text")
    base = dict(id=qid, lesson=lesson, prompt=raw["prompt"].strip(),
                explanation=raw["explanation"].strip(), source=path.name)
    if qtype == "numeric":
        return _numeric(raw, base, fail)
    return _choice(qtype, raw, base, fail)


def _choice(qtype, raw, base, fail):
    """Build a single-choice or multiple-select question."""
    texts, feedback = _options(raw["options"], fail)
    answer = raw["answer"]
    if qtype == "single":
        if not isinstance(answer, str):
            raise fail("'answer' must be the text of one option")
        keys = [answer.strip()]
    else:
        if not isinstance(answer, list) or not answer or not all(isinstance(a, str) for a in answer):
            raise fail("'answer' must be a non-empty list of option texts")
        keys = [a.strip() for a in answer]
    for key in keys:
        if key not in texts:
            raise fail(f"answer {key!r} is not among the options")
    if len(set(keys)) != len(keys):
        raise fail("'answer' lists an option twice")
    key = keys[0] if qtype == "single" else frozenset(keys)
    return TYPES[qtype](**base, options=tuple(texts), key=key, option_feedback=feedback)


def _options(raw, fail):
    """Validate options: a list of texts or {text, feedback} mappings."""
    if not isinstance(raw, list) or len(raw) < 2:
        raise fail("'options' must be a list of at least two options")
    texts, feedback = [], {}
    for opt in raw:
        if isinstance(opt, dict):
            if set(opt) - {"text", "feedback"} or not isinstance(opt.get("text"), str):
                raise fail(f"option {opt!r} must have 'text' and optionally 'feedback'")
            if "feedback" in opt:
                if not isinstance(opt["feedback"], str):
                    raise fail(f"feedback of option {opt['text']!r} must be text")
                feedback[opt["text"].strip()] = opt["feedback"].strip()
            opt = opt["text"]
        if not isinstance(opt, str) or not opt.strip():
            raise fail(f"option {opt!r} must be non-empty text")
        texts.append(opt.strip())
    if len(set(texts)) != len(texts):
        raise fail("two options have the same text")
    return texts, feedback


def _numeric(raw, base, fail):
    """Build a numeric question; answer and tolerances must be finite numbers."""
    for name in ("answer", "tolerance", "relative_tolerance"):
        value = raw.get(name, 0)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            hint = " (YAML reads 1e-3 as text; write 1.0e-3)" if isinstance(value, str) else ""
            raise fail(f"'{name}' must be a finite number, got {value!r}{hint}")
        if name != "answer" and value < 0:
            raise fail(f"'{name}' must not be negative")
    if raw.get("relative_tolerance", 0) >= 1:
        raise fail("'relative_tolerance' is a fraction of the key: 0.01 means 1 %")
    figures = raw.get("significant_figures", 2)
    if isinstance(figures, bool) or not isinstance(figures, int) or not 1 <= figures <= 15:
        raise fail(f"'significant_figures' must be a whole number from 1 to 15, got {figures!r}")
    mistakes = []
    for m in raw.get("mistakes") or []:
        ok = isinstance(m, dict) and set(m) == {"value", "feedback"} and isinstance(m["feedback"], str)
        if not ok or isinstance(m["value"], bool) or not isinstance(m["value"], (int, float)):
            raise fail(f"each mistake needs a numeric 'value' and a 'feedback' text, got {m!r}")
        mistakes.append((float(m["value"]), m["feedback"].strip()))
    return NumericQuestion(**base, key=float(raw["answer"]), tolerance=float(raw.get("tolerance", 0)),
                           relative_tolerance=float(raw.get("relative_tolerance", 0)),
                           mistakes=tuple(mistakes), significant_figures=figures)
