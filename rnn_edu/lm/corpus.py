"""The course's real text: tiny Shakespeare, shipped in the package (nothing is downloaded).

load_corpus()          the text, checked against its known size and sha256
Vocab(text)            the sorted distinct characters; encode text -> ids, decode ids -> text
split_ids(ids)         training / validation / test parts by position (90 / 5 / 5 by default)

Lesson 08 (notebooks/08_capstone_char_lm.ipynb).
"""
import hashlib
from dataclasses import dataclass
from importlib import resources

import numpy as np

CORPUS_FILE = "tinyshakespeare.txt"
CORPUS_SIZE = 1_115_394            # bytes (= characters: the file is ASCII)
CORPUS_SHA256 = "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed"


class CorruptCorpusError(ValueError):
    """The shipped corpus file is not the one the course was built with."""


def check_corpus_bytes(data, where=CORPUS_FILE):
    """Raise CorruptCorpusError unless `data` has the expected size and sha256."""
    if len(data) != CORPUS_SIZE:
        raise CorruptCorpusError(f"{where}: expected {CORPUS_SIZE} bytes, got {len(data)}; the file is "
                                 f"truncated or changed. Reinstall rnn-edu (or restore the file from git).")
    digest = hashlib.sha256(data).hexdigest()
    if digest != CORPUS_SHA256:
        raise CorruptCorpusError(f"{where}: expected sha256 {CORPUS_SHA256}, got {digest}; the file has "
                                 f"the right size but other contents. Reinstall rnn-edu (or restore it from git).")


def load_corpus(path=None):
    """The tiny Shakespeare text (1,115,394 characters, 65 distinct), after checking the file.

    path: another copy of the same file (for tests); by default the one in rnn_edu/assets/.
    """
    if path is None:
        data = resources.files("rnn_edu").joinpath("assets", CORPUS_FILE).read_bytes()
    else:
        with open(path, "rb") as f:
            data = f.read()
    check_corpus_bytes(data, str(path or f"rnn_edu/assets/{CORPUS_FILE}"))
    return data.decode("ascii")


@dataclass(frozen=True)
class Vocab:
    """The characters of a text, sorted: chars[i] is the character with id i."""
    chars: str

    @classmethod
    def from_text(cls, text):
        if not isinstance(text, str) or not text:
            raise ValueError(f"text: expected a non-empty string, got {type(text).__name__} {text!r:.40}.")
        return cls("".join(sorted(set(text))))

    def __len__(self):
        return len(self.chars)

    def encode(self, text):
        """Text -> int array of ids (uint8 when the vocabulary fits, to keep the corpus small)."""
        if not isinstance(text, str):
            raise TypeError(f"text: expected a string, got {type(text).__name__}.")
        table = np.full(256, -1, np.int16)
        codes = np.frombuffer(self.chars.encode("latin-1"), np.uint8)
        table[codes] = np.arange(len(self.chars))
        try:
            raw = np.frombuffer(text.encode("latin-1"), np.uint8)
        except UnicodeEncodeError:
            raw = None
        ids = table[raw] if raw is not None else None
        if ids is None or (ids < 0).any():
            unknown = sorted(set(text) - set(self.chars))
            raise ValueError(f"text: expected only the vocabulary's {len(self.chars)} characters, "
                             f"got {len(unknown)} unknown: {''.join(unknown)!r:.60}.")
        return ids.astype(np.uint8 if len(self.chars) <= 256 else np.int32)

    def decode(self, ids):
        """Int ids -> text."""
        ids = np.asarray(ids)
        if ids.size and (not np.issubdtype(ids.dtype, np.integer) or ids.min() < 0 or ids.max() >= len(self)):
            raise ValueError(f"ids: expected integers in [0, {len(self) - 1}], got {ids.dtype} values "
                             f"from {ids.min()} to {ids.max()}.")
        return "".join(self.chars[i] for i in ids.ravel())


def split_ids(ids, fractions=(0.9, 0.05, 0.05)):
    """Cut a 1-D id array by position into consecutive parts (views, no copy): train, val, test.

    The first fractions[0] of the text trains, the next fractions[1] validates, the rest tests.
    """
    ids = np.asarray(ids)
    f = np.asarray(fractions, dtype=float)
    if f.ndim != 1 or f.size < 2 or (f <= 0).any() or abs(f.sum() - 1) > 1e-9:
        raise ValueError(f"fractions: expected positive fractions that add up to 1, got {fractions!r}.")
    cuts = np.round(np.cumsum(f)[:-1] * len(ids)).astype(int)
    return tuple(np.split(ids, cuts))


def shakespeare(fractions=(0.9, 0.05, 0.05)):
    """The corpus ready to train on: (vocab, train_ids, val_ids, test_ids)."""
    text = load_corpus()
    vocab = Vocab.from_text(text)
    return (vocab, *split_ids(vocab.encode(text), fractions))
