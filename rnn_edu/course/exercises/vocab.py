"""Lesson 08 exercise: the character vocabulary of a text.

    build_vocab(text) -> (chars, char_to_id)
        chars        the distinct characters of `text`, sorted (a str, or a list of 1-character strings)
        char_to_id   {character: id} with char_to_id[chars[i]] == i (ids 0 .. V - 1)

Encoding is then [char_to_id[c] for c in text], decoding "".join(chars[i] for i in ids).
`check_build_vocab` compares with rnn_edu.lm.corpus.Vocab.from_text (its `chars`, and the ids of
its `encode`); `library_build_vocab` is that vocabulary with the exercise's signature (the fallback).
"""
from collections.abc import Mapping

import numpy as np

from rnn_edu.lm.corpus import Vocab
from . import ExerciseResult, call_unchanged, function_name, reads_result, run_checks

CASES = [
    ("a short line", "hello world\n"),
    ("capitals and punctuation", "To be, or not to be: that is the Question!\n"),
    ("a text of one distinct character", "aaaa"),
    ("digits and a tab", "3 Kings\t2 Queens; 10 knaves?\n"),
]


def library_build_vocab(text):
    """rnn_edu's vocabulary of `text`: (chars (str), {char: id})."""
    chars = Vocab.from_text(text).chars
    return chars, {c: i for i, c in enumerate(chars)}


def as_vocab(out):
    """The learner's (chars, char_to_id) as (str, dict); TypeError/ValueError saying what is wrong."""
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        size = f"{len(out)} values" if isinstance(out, (tuple, list)) else type(out).__name__
        raise TypeError(f"expected two values (chars, char_to_id), got {size}.")
    chars, table = out
    if isinstance(chars, (set, frozenset)):
        raise TypeError("chars is a set, which has no order: return the characters sorted, as a string "
                        "or a list, so that position i holds the character with id i.")
    if isinstance(chars, np.ndarray):
        chars = chars.tolist()
    if isinstance(chars, (list, tuple)) and all(isinstance(c, str) and len(c) == 1 for c in chars):
        chars = "".join(chars)
    if not isinstance(chars, str):
        raise TypeError(f"chars should be a string (or a list of 1-character strings), got "
                        f"{type(chars).__name__}.")
    if not isinstance(table, Mapping):
        raise TypeError(f"char_to_id should be a dict {{character: id}}, got {type(table).__name__}.")
    return chars, dict(table)


def _show(chars):
    return repr("".join(chars))


def _diagnose_chars(chars, text):
    want = Vocab.from_text(text).chars
    if chars == want:
        return None
    if len(set(chars)) < len(chars):
        dup = sorted({c for c in chars if chars.count(c) > 1})
        return (f"chars holds {_show(dup)} more than once: the vocabulary lists each distinct character once "
                f"({len(want)} here, got {len(chars)}).")
    missing, extra = sorted(set(want) - set(chars)), sorted(set(chars) - set(want))
    if missing:
        blank = " (white space is a character too)" if any(c.isspace() for c in missing) else ""
        return f"chars misses {_show(missing)}{blank}: every character of the text needs an id."
    if extra:
        return f"chars holds {_show(extra)}, which is not in the text."
    first_seen = "".join(dict.fromkeys(text))
    if chars == first_seen:
        return "the characters are in the order they first appear in the text; the vocabulary is sorted."
    if chars == want[::-1]:
        return "the characters are sorted in descending order; the vocabulary is in ascending order."
    if chars == "".join(sorted(want, key=lambda c: (c.lower(), c))):
        return ("the characters are sorted ignoring case; sort them as Python compares characters "
                "(by code point), so capitals come before lower-case letters.")
    return f"the characters are not sorted: expected {want!r}, got {chars!r}."


def _diagnose_table(table, chars):
    if set(table) == set(range(len(chars))) and all(table[i] == c for i, c in enumerate(chars)):
        return "char_to_id maps ids to characters; it goes the other way, {character: id}."
    if set(table) != set(chars):
        missing, extra = sorted(set(chars) - set(table), key=str), sorted(set(table) - set(chars), key=str)
        if missing:
            return f"char_to_id has no id for {_show(missing)}: every character of chars needs one."
        return f"char_to_id has keys that are not characters of chars: {extra[:5]!r}."
    if all(table[c] == i + 1 for i, c in enumerate(chars)):
        return "the ids start at 1; they start at 0, so that chars[id] decodes them."
    for i, c in enumerate(chars):
        value = table[c]
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
            return f"char_to_id[{c!r}] is {value!r}; the ids are integers."
        if value != i:
            return (f"char_to_id[{c!r}] is {value}, but {c!r} is chars[{i}]: the id of a character is "
                    f"its position in the sorted chars.")
    return None


def _check(fn, text):
    out, hint = call_unchanged(fn, (text,), ("text",))
    if hint:
        return False, hint
    if out is None:
        return False, "your function returned None: did you forget the `return`?"
    try:
        chars, table = as_vocab(out)
    except (TypeError, ValueError) as exc:
        return False, str(exc)
    hint = _diagnose_chars(chars, text) or _diagnose_table(table, chars)
    if hint:
        return False, hint
    ids = np.array([table[c] for c in text])
    if not np.array_equal(ids, Vocab.from_text(text).encode(text)):   # cannot differ once both match
        return False, ("encoding the text with char_to_id does not give rnn_edu's ids; the hints below go "
                       "through it.")
    return True, ""


@reads_result(as_vocab)
def check_build_vocab(build_vocab):
    """Check build_vocab(text) -> (sorted distinct characters, {char: id}) against rnn_edu's Vocab."""
    if not callable(build_vocab):
        return ExerciseResult(False, f"expected a function build_vocab(text), got {type(build_vocab).__name__}.")
    return run_checks([(name, lambda text=text: _check(build_vocab, text)) for name, text in CASES],
                      function_name(build_vocab))
