"""The shipped corpus, its split and vocabulary, and the two ways of batching it."""
import tracemalloc

import numpy as np
import pytest

from rnn_edu.lm.batching import batches, seq_data_iter_random, seq_data_iter_sequential
from rnn_edu.lm.corpus import (CORPUS_SHA256, CorruptCorpusError, Vocab, load_corpus, shakespeare,
                            split_ids)


@pytest.fixture(scope="module")
def corpus():
    return shakespeare()


def test_corpus_is_the_published_file(corpus):
    text = load_corpus()
    vocab, tr, va, te = corpus
    assert len(text) == 1_115_394 and len(vocab) == 65
    assert CORPUS_SHA256.startswith("86c4e6aa") and CORPUS_SHA256.endswith("565ed")
    assert text.startswith("First Citizen:\nBefore we proceed any further, hear me speak.")
    assert vocab.chars[0] == "\n" and vocab.chars[1] == " " and "z" in vocab.chars


def test_corrupt_files_are_refused_with_a_clear_message(tmp_path):
    good = load_corpus().encode("ascii")
    short = tmp_path / "short.txt"
    short.write_bytes(good[:-10])
    with pytest.raises(CorruptCorpusError, match=r"expected 1115394 bytes, got 1115384.*Reinstall"):
        load_corpus(short)
    changed = tmp_path / "changed.txt"
    changed.write_bytes(good[:100] + b"X" + good[101:])
    with pytest.raises(CorruptCorpusError, match=r"expected sha256 86c4e6aa.*other contents"):
        load_corpus(changed)


def test_split_is_by_position_90_5_5_and_copies_nothing(corpus):
    vocab, tr, va, te = corpus
    n = 1_115_394
    assert (len(tr), len(va), len(te)) == (round(0.9 * n), round(0.95 * n) - round(0.9 * n),
                                           n - round(0.95 * n))
    ids = vocab.encode(load_corpus())
    np.testing.assert_array_equal(np.concatenate([tr, va, te]), ids)
    a, b, c = split_ids(ids)
    assert np.shares_memory(a, ids) and np.shares_memory(c, ids)
    with pytest.raises(ValueError, match="fractions: expected positive fractions that add up to 1"):
        split_ids(ids, (0.9, 0.2))


def test_vocab_round_trip_and_unknown_characters():
    v = Vocab.from_text("hello world")
    assert v.chars == " dehlorw" and len(v) == 8
    assert v.decode(v.encode("world hello")) == "world hello"
    with pytest.raises(ValueError, match=r"expected only the vocabulary's 8 characters, got 2 unknown: 'xz'"):
        v.encode("xyz"[0] + "z")
    with pytest.raises(ValueError, match=r"ids: expected integers in \[0, 7\]"):
        v.decode([0, 8])
    with pytest.raises(ValueError, match="unknown"):
        v.encode("héllo")


def test_sequential_partitioning_streams_continue_window_to_window():
    ids = np.arange(1000) % 97
    rng = np.random.default_rng(0)
    wins = list(seq_data_iter_sequential(ids, 4, 10, rng))
    assert all(X.shape == (10, 4) and Y.shape == (10, 4) for X, Y in wins)
    for X, Y in wins:
        np.testing.assert_array_equal(X[1:], Y[:-1])              # Y[t] is the char after X[t]
        assert np.shares_memory(X, ids)                           # a view, not a copy
    for (X0, Y0), (X1, _) in zip(wins, wins[1:]):
        np.testing.assert_array_equal(X1[0], Y0[-1])              # row b continues row b
    # the B rows are B consecutive stretches of the text
    pos = np.arange(1000)
    P = [X for X, _ in seq_data_iter_sequential(pos, 4, 10, np.random.default_rng(0))]
    rows = np.concatenate(P, axis=0).T                            # (B, n) stream by stream
    assert np.all(np.diff(rows, axis=1) == 1)
    offset = int(rows[0, 0])
    assert 0 <= offset <= 10
    L = (len(pos) - offset - 1) // 4                              # the length of one stream
    np.testing.assert_array_equal(np.diff(rows[:, 0]), L)         # stream b starts at offset + b L


def test_random_partitioning_windows_are_contiguous_and_each_used_once():
    pos = np.arange(1003)
    wins = list(seq_data_iter_random(pos, 5, 10, np.random.default_rng(1)))
    starts = np.concatenate([X[0] for X, _ in wins])
    assert len(starts) == len(set(starts.tolist()))               # no window twice in a pass
    assert len(set((starts % 10).tolist())) == 1                  # one offset for the pass
    for X, Y in wins:
        assert X.shape == (10, 5)
        np.testing.assert_array_equal(np.diff(X, axis=0), 1)      # each column a contiguous slice
        np.testing.assert_array_equal(Y, X + 1)
    # order differs from the text's order, and from another seed's
    assert not np.all(np.diff(starts) > 0)


def test_batches_one_hot_time_major_and_seeded(corpus):
    vocab, tr, va, te = corpus
    it = batches(va, 8, 25, len(vocab), partition="sequential", seed=3)
    xs, ys = next(it)
    assert xs.shape == (25, 8, 65) and xs.dtype == np.float32 and ys.shape == (25, 8)
    np.testing.assert_array_equal(xs.argmax(-1)[1:], ys[:-1])
    assert np.all(xs.sum(-1) == 1)
    xs2, ys2 = next(batches(va, 8, 25, len(vocab), partition="sequential", seed=3))
    np.testing.assert_array_equal(ys, ys2)
    n = sum(1 for _ in batches(va, 8, 25, len(vocab), partition="random", seed=0))
    assert n == (len(va) - 1) // 25 // 8 or n == ((len(va) - 1 - 24) // 25) // 8


def test_a_whole_pass_never_holds_the_one_hot_text(corpus):
    vocab, tr, _, _ = corpus
    whole = len(tr) * len(vocab) * 4                              # one-hot float32 text: ~260 MB
    tracemalloc.start()
    for partition in ("sequential", "random"):
        for xs, ys in batches(tr, 32, 50, len(vocab), partition=partition):
            pass
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 3 * 32 * 50 * 65 * 4 + 8 * len(tr) // 5 + 2_000_000, peak   # a few windows
    assert peak < whole / 20


def test_bad_batching_inputs_have_clear_messages(corpus):
    vocab, _, va, _ = corpus
    with pytest.raises(ValueError, match=r"partition: expected one of \['random', 'sequential'\]"):
        next(batches(va, 4, 10, 65, partition="shuffled"))
    with pytest.raises(ValueError, match="batch_size: expected a positive integer"):
        next(batches(va, 0, 10, 65))
    with pytest.raises(ValueError, match=r"ids: expected at least batch_size \* num_steps"):
        next(batches(va[:50], 4, 10, 65))
    with pytest.raises(ValueError, match=r"ids: expected ids in \[0, 9\]"):
        next(batches(va, 4, 10, 10))
    with pytest.raises(ValueError, match="ids: expected a 1-D integer array"):
        next(batches(np.zeros(500), 4, 10, 65))
