"""The question bank packed out of sight, for learners' installs (a wheel on a class hub).

``quizzes/*.yaml`` stays the instructors' editable source. ``scripts/pack_bank.py`` (``make bank``)
packs those files into ``rnn_edu/assets/quiz_bank.packed``: the YAML texts as JSON, compressed
with zlib, then written as two letters A..P per byte (no digits, no lower case, no spaces), so
that neither a key, an explanation nor a feedback text can be found by grep or read by eye.

This keeps the keys out of sight; it is not secret: anyone who reads this module can unpack the
file in two lines. The loader gives the same questions as the YAML, validated by the same code.

`rnn_edu.course.quiz.load_bank()` uses the packed bank when ``RNN_EDU_QUIZZES=packed`` or when no YAML
source is found.
"""
import json
import os
import zlib
from functools import lru_cache
from pathlib import Path

from . import bank

PACKED_PATH = Path(__file__).resolve().parents[2] / "assets" / "quiz_bank.packed"
PACKED = "packed"            # RNN_EDU_QUIZZES=packed chooses the packed bank
HEADER = "rnn-edu quiz bank, packed out of sight (zlib; two letters A..P per byte). Rebuild: make bank"
_PLAIN, _LETTERS = "0123456789abcdef", "ABCDEFGHIJKLMNOP"
WIDTH = 76


def seal(doc, header):
    """A JSON-able dict -> the packed text: `header`, then zlib's bytes as letters A..P (deterministic).
    Used for the quiz bank and for the exercises' hints (rnn_edu.course.exercises.hints)."""
    raw = json.dumps(doc, ensure_ascii=False, sort_keys=True)
    letters = zlib.compress(raw.encode("utf-8"), 9).hex().translate(str.maketrans(_PLAIN, _LETTERS))
    return "\n".join([header] + [letters[i:i + WIDTH] for i in range(0, len(letters), WIDTH)]) + "\n"


def unseal(text, header):
    """The packed text -> the dict `seal` was given; ValueError (or zlib.error) when it is damaged."""
    first, _, body = text.partition("\n")
    if first != header:
        raise ValueError("unexpected first line")
    data = "".join(body.split()).translate(str.maketrans(_LETTERS, _PLAIN))
    doc = json.loads(zlib.decompress(bytes.fromhex(data)).decode("utf-8"))
    if not isinstance(doc, dict) or doc.get("format") != 1:
        raise ValueError("unknown format")
    return doc


def pack(files):
    """{file name: YAML text} -> the packed text (deterministic)."""
    return seal({"format": 1, "files": dict(sorted(files.items()))}, HEADER)


def unpack(text):
    """The packed text -> {file name: YAML text}; a damaged file raises BankError saying so."""
    try:
        doc = unseal(text, HEADER)
        if not isinstance(doc.get("files"), dict):
            raise ValueError("unknown format")
        return doc["files"]
    except (ValueError, zlib.error, UnicodeDecodeError) as exc:
        raise bank.BankError(PACKED_PATH.name, None, f"the packed question bank is damaged ({exc}); "
                                                     f"reinstall rnn-edu, or rebuild it with `make bank`") from None


class _Member:
    """One YAML file inside the packed bank, readable like a Path by the bank's own parser."""

    def __init__(self, name, text):
        self.name, self._text = name, text

    def read_text(self, encoding="utf-8"):
        return self._text

    def __str__(self):
        return f"{PACKED_PATH.name}:{self.name}"


def load_packed_bank(path=PACKED_PATH):
    """The Bank held in the packed file, validated exactly like the YAML (cached per file version)."""
    path = Path(path)
    stat = path.stat()
    return _load(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=4)
def _load(path, mtime_ns, size):
    questions, titles = {}, {}
    for name, text in sorted(unpack(Path(path).read_text(encoding="ascii")).items()):
        match = bank.FILE_PATTERN.match(name)
        if not match:
            continue
        titles[match.group(1)], items = bank._read_file(_Member(name, text), match.group(1))
        for q in items:
            if q.id in questions:
                raise bank.BankError(name, q.id, f"duplicate id (already used in {questions[q.id].source})")
            questions[q.id] = q
    return bank.Bank(Path(path), questions, titles)


def packed_bank_if_chosen():
    """The packed Bank when RNN_EDU_QUIZZES=packed, or when no YAML bank is found; else None."""
    choice = os.environ.get(bank.ENV_VAR, "")
    if choice == PACKED:
        return load_packed_bank()
    if choice:
        return None
    try:
        bank.find_quiz_dir()
    except bank.BankNotFoundError:
        return load_packed_bank() if PACKED_PATH.is_file() else None
    return None
