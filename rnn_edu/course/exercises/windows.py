"""Lesson 08 exercise: sequential partitioning of one long id stream into minibatch windows.

    sequential_windows(ids, batch_size, num_steps, offset) -> [(X, Y), ...]
        ids (N,) ints; skip the first `offset` of them, cut the rest into batch_size equally long
        input streams (one per row) that follow one another without a gap, as long as the text
        allows when the target of each stream's last input is the next character of the text,
        and read them num_steps characters at a time:
        X, Y (num_steps, batch_size), time-major, Y[t, b] = the character after X[t, b];
        row b of window k + 1 continues where row b of window k ended.

`check_sequential_windows` compares with rnn_edu.lm.batching.seq_data_iter_sequential given the
same offset (the library draws it from its rng); `library_sequential_windows` is that function
with the exercise's signature (the fallback).
"""
import numpy as np

from rnn_edu.lm.batching import seq_data_iter_sequential
from . import ExerciseResult, call_unchanged, function_name, reads_result, run_checks

# (name, len(ids), batch_size, num_steps, offset); ids = positions 0 .. N - 1 unless said otherwise
CASES = [
    ("50 positions, B = 3, T = 5, offset 2", 50, 3, 5, 2),
    ("61 positions, B = 2, T = 4, offset 4 (= T)", 61, 2, 4, 4),
    ("the shortest text for B = 3, T = 4, offset 0", 3 * 4 + 4 + 1, 3, 4, 0),
    ("one row, B = 1, T = 7, offset 3", 40, 1, 7, 3),
    ("windows of one step, B = 4, T = 1, offset 1", 30, 4, 1, 1),
]


class _Offset:
    """Stands in for the library's rng: its one draw, integers(0, T + 1), returns `offset`."""

    def __init__(self, offset):
        self.offset = offset

    def integers(self, low, high):
        if not low <= self.offset < high:
            raise ValueError(f"offset: expected an integer in [{low}, {high - 1}], got {self.offset}.")
        return self.offset


def library_sequential_windows(ids, batch_size, num_steps, offset):
    """rnn_edu's sequential windows after skipping `offset` ids: [(X, Y), ...], each (T, B)."""
    return list(seq_data_iter_sequential(ids, batch_size, num_steps, _Offset(int(offset))))


def as_windows(out):
    """The learner's windows as a list of (X, Y) integer arrays (any iterable of pairs accepted)."""
    if out is None:
        raise TypeError("your function returned None: did you forget the `return`?")
    if isinstance(out, np.ndarray) and out.ndim == 4 and out.shape[1] == 2:
        out = list(out)
    try:
        pairs = list(out)
    except TypeError:
        raise TypeError(f"expected a list of (X, Y) pairs, got {type(out).__name__}.") from None
    windows = []
    for k, pair in enumerate(pairs):
        if isinstance(pair, np.ndarray) and pair.ndim == 3 and len(pair) == 2:
            pair = tuple(pair)
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise TypeError(f"window {k} should be a pair (X, Y), got {type(pair).__name__}.")
        try:
            X, Y = np.asarray(pair[0]), np.asarray(pair[1])
        except (TypeError, ValueError):
            raise ValueError(f"window {k}: X and Y should be arrays of character ids.") from None
        if X.dtype.kind not in "iu" or Y.dtype.kind not in "iu":
            whole = X.dtype.kind == Y.dtype.kind == "f" and np.all(X == np.round(X)) and np.all(Y == np.round(Y))
            if not whole:
                raise ValueError(f"window {k}: X and Y should hold integer character ids, got {X.dtype} "
                                 f"and {Y.dtype}.")
            X, Y = X.astype(np.int64), Y.astype(np.int64)
        windows.append((X, Y))
    return windows


TOO_LONG = ("the streams are one character too long each: the last character of the text can only be a target, "
            "so leave room for the target after the last input.")
PINNED = ("the input streams follow one another without a gap, and the target of a stream's last input is the "
          "next character of the text (the first input of the next stream); only the text's very last character "
          "is a target alone")
GAP = ("each of your streams keeps its own last character as a target only, so the inputs skip a character "
       f"between one stream and the next. Here {PINNED}.")


def _same(got, want):
    return len(got) == len(want) and all(np.array_equal(X, wx) and np.array_equal(Y, wy)
                                         for (X, Y), (wx, wy) in zip(got, want))


def _streams(n, B, T, offset, own_targets):
    """Windows of B streams of (n - offset) // B characters each (ids = positions): with own_targets,
    each stream holds its own targets, so its last character is never an input (the other reading of
    "equally long streams"); without, the targets run one past each stream, and the last stream's
    last input is paired with a character past the text (the slip numpy cannot always reshape)."""
    L = (n - offset) // B
    streams = np.arange(offset, offset + L * B).reshape(B, L)
    X, Y = (streams[:, :-1], streams[:, 1:]) if own_targets else (streams, streams + 1)
    return [(X[:, i:i + T].T, Y[:, i:i + T].T) for i in range(0, X.shape[1] - T + 1, T)]


def _diagnose(got, want, B, T, offset, n):
    """(ok, hint): the learner's windows `got` against the library's `want`, ids = positions."""
    for k, (X, Y) in enumerate(got):
        if k == len(got) - 1 and k and X.ndim == 2 and X.shape[0] < T and X.shape[1:] == (B,):
            steps = f"{X.shape[0]} step" + ("" if X.shape[0] == 1 else "s")
            return False, (f"the last window has {steps}, fewer than num_steps = {T}: yield only "
                           f"whole windows and drop the characters left over.")
        if X.shape != (T, B) or Y.shape != (T, B):
            if X.shape == (B, T) and B != T:
                return False, (f"window {k} has X of shape {X.shape} = (batch_size, num_steps); the windows are "
                               f"time-major, (num_steps, batch_size) = {(T, B)}: time comes first.")
            return False, f"window {k}: expected X and Y of shape (num_steps, batch_size) = {(T, B)}, got " \
                          f"{X.shape} and {Y.shape}."
    for k, (X, Y) in enumerate(got):
        if np.array_equal(Y, X):
            return False, f"window {k}: Y equals X; Y[t, b] is the character after X[t, b]."
        if np.array_equal(Y, X - 1):
            return False, f"window {k}: Y holds the character before X; Y[t, b] is the one after X[t, b]."
        if not np.array_equal(Y, X + 1):
            return False, f"window {k}: Y[t, b] should be the character right after X[t, b] in the text."
    first = got[0][0] if got else None
    if first is not None and offset and first[0, 0] == 0:
        return False, f"the first window starts at position 0; skip the first offset = {offset} characters."
    for k in range(len(got) - 1):
        ended, starts = got[k][0][-1], got[k + 1][0][0]
        for b in range(B):
            if starts[b] != ended[b] + 1:
                return False, (f"row {b} of window {k + 1} starts at position {starts[b]}, but row {b} of "
                               f"window {k} ended at position {ended[b]}: each row continues where its "
                               f"previous window ended (the rows are {B} long streams, read {T} at a time).")
    if len(want) and len(got) and not np.array_equal(got[0][0][0], want[0][0][0]):
        starts, right = got[0][0][0], want[0][0][0]
        lazy = offset + (n - offset) // B * np.arange(B)
        if np.array_equal(starts, lazy):
            inside, long = (_same(got, _streams(n, B, T, offset, own)) for own in (True, False))
            if inside and long:             # the windows cannot tell the two apart
                return False, (f"the rows of the first window start {(n - offset) // B} positions apart, one "
                               f"more than the text allows: {PINNED}, so leave room for the target after the "
                               f"last input.")
            return False, GAP if inside else TOO_LONG
        return False, (f"the rows of the first window start at positions {starts.tolist()}, expected "
                       f"{right.tolist()}: the {B} input streams are equally long, as long as the text after "
                       f"the offset allows, and stream b starts right after stream b - 1 ends.")
    if len(got) != len(want):
        more = "too many" if len(got) > len(want) else "too few"
        return False, (f"{len(got)} windows, {more}: expected {len(want)}, every whole window of "
                       f"{T} characters the streams hold, and no shorter last one.")
    for (X, Y), (wx, wy) in zip(got, want):
        if not (np.array_equal(X, wx) and np.array_equal(Y, wy)):
            return False, ("the windows differ from rnn_edu's seq_data_iter_sequential; the hints below go "
                           "through it.")
    return True, ""


NAMES = ("ids", "batch_size", "num_steps", "offset")


def _check(fn, n, B, T, offset, ids=None):
    ids = np.arange(n) if ids is None else ids
    try:
        out, hint = call_unchanged(fn, (ids, B, T, offset), NAMES)
    except ValueError as exc:
        if "cannot reshape" in str(exc) and (n - offset) % B == 0:
            # the streams made (N - offset) // B long: here that leaves no target for the last input
            return False, (f"your code raised ValueError: {exc}. Here N - offset = {n - offset} is a multiple "
                           f"of batch_size = {B}, the case where the likely cause shows: {TOO_LONG}")
        raise
    if hint:
        return False, hint
    try:
        got = as_windows(out)
    except (TypeError, ValueError) as exc:
        return False, str(exc)
    want = library_sequential_windows(ids, B, T, offset)
    if ids.dtype == np.int64 and np.array_equal(ids, np.arange(n)):
        return _diagnose(got, want, B, T, offset, n)
    same = _same(got, want)
    return same, "" if same else ("on character ids (not positions) the windows differ from rnn_edu's: "
                                  "read the values of ids, not their positions.")


@reads_result(as_windows)
def check_sequential_windows(sequential_windows):
    """Check sequential_windows(ids, batch_size, num_steps, offset) -> [(X, Y), ...] against
    rnn_edu.lm.batching.seq_data_iter_sequential; never raises."""
    fn = sequential_windows
    if not callable(fn):
        return ExerciseResult(False, "expected a function sequential_windows(ids, batch_size, num_steps, offset), "
                                     f"got {type(fn).__name__}.")
    ids = np.random.default_rng(0).integers(0, 65, 200).astype(np.uint8)
    checks = [(name, lambda c=(n, B, T, o): _check(fn, *c)) for name, n, B, T, o in CASES]
    checks.append(("200 character ids (uint8), B = 4, T = 8, offset 5", lambda: _check(fn, 200, 4, 8, 5, ids)))
    return run_checks(checks, function_name(fn))
