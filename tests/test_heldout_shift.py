"""rnn_edu.studies.heldout_shift: speakers, the n-gram model against a slow reference, the play cut."""
import math
from collections import defaultdict

import numpy as np
import pytest

from rnn_edu.lm.corpus import shakespeare
from rnn_edu.studies.heldout_shift import NGram, new_speakers, new_words, play_cut, speakers

TEXT = "ANNA:\nHello there.\nHow now:\n\nBOB:\nHi.\n\nANNA:\nBye.\n\nCY DE:\nNo.\n"


def test_speakers_are_names_after_a_blank_line():
    assert speakers(TEXT) == ["ANNA", "BOB", "ANNA", "CY DE"]          # "How now:" is inside a speech
    assert new_speakers("ANNA:\nx\n\nBOB:\ny\n", TEXT) == (1, 4, {"CY DE": 1})
    assert new_words("Hello there, Anna", TEXT) == (10, 12)          # all but "Hello" and "there" (case counts)
    with pytest.raises(TypeError, match="text: expected a string, got bytes"):
        speakers(b"ANNA:\n")


def slow_loss(train, ids, context, V, order, D):
    """The same model written with dictionaries, one character at a time."""
    counts = defaultdict(lambda: defaultdict(int))
    for k in range(order):
        for i in range(k, len(train)):
            counts[tuple(train[i - k:i])][train[i]] += 1
    full = list(context[len(context) - min(len(context), order - 1):]) + list(ids)
    start, total = len(full) - len(ids), 0.0
    for i in range(start, len(full)):
        p = 1.0 / V
        for k in range(order):
            if k > i:
                break
            d = counts.get(tuple(full[i - k:i]))
            if not d:
                break
            n = sum(d.values())
            p = max(d.get(full[i], 0) - D, 0) / n + D * len(d) / n * p
        total -= math.log(p)
    return total / len(ids)


@pytest.mark.parametrize("order", [1, 2, 3, 5])
def test_ngram_loss_matches_the_slow_reference(order):
    rng = np.random.default_rng(order)
    V = 6
    train = list(rng.integers(0, V - 1, 400))          # the last id never occurs in training
    ids, context = list(rng.integers(0, V, 60)), list(rng.integers(0, V, 7))
    model = NGram(np.array(train), V, order, 0.6)
    assert model.loss(ids, context) == pytest.approx(slow_loss(train, ids, context, V, order, 0.6), rel=1e-12)
    slow_size = sum(len({tuple(train[i - k:i + 1]) for i in range(k, len(train))}) for k in range(order))
    assert model.size == slow_size
    assert model.loss(ids) == pytest.approx(slow_loss(train, ids, [], V, order, 0.6), rel=1e-12)


def test_ngram_probabilities_add_up_to_one():
    rng = np.random.default_rng(0)
    V = 5
    model = NGram(rng.integers(0, V, 300), V, 4)
    for context in ([0, 1, 2], [4, 4, 4], [3], []):
        p = [math.exp(-model.loss([c], context)) for c in range(V)]
        assert sum(p) == pytest.approx(1.0, abs=1e-12)


def test_ngram_rejects_bad_input():
    with pytest.raises(ValueError, match="order: expected a whole number from 1 to 8, got 0"):
        NGram(np.zeros(10, int), 3, 0)
    with pytest.raises(ValueError, match="discount: expected a number between 0 and 1, got 1.5"):
        NGram(np.zeros(10, int), 3, 2, 1.5)
    with pytest.raises(ValueError, match=r"train_ids: expected a 1-D array of more than 2 ids in \[0, 3\)"):
        NGram(np.array([0, 1, 5, 1]), 3, 2)


def test_the_test_part_ends_the_shrew_and_opens_the_tempest():
    vocab, train, val, test = shakespeare()
    text = {n: "".join(vocab.chars[i] for i in ids) for n, ids in (("train", train), ("val", val), ("test", test))}
    cut = play_cut(text["test"])
    assert text["test"][cut:].startswith("Master:\nBoatswain!")
    assert play_cut(text["val"]) is None and play_cut(text["train"]) is None
    before, after = speakers(text["test"][:cut]), speakers(text["test"][cut:])
    assert {"BAPTISTA", "LUCENTIO", "PETRUCHIO"} <= set(before) and "PROSPERO" not in before
    assert {"PROSPERO", "MIRANDA", "ARIEL"} <= set(after) and "PETRUCHIO" not in after
    new_val, all_val, _ = new_speakers(text["train"], text["val"])
    new_test, all_test, names = new_speakers(text["train"], text["test"])
    assert new_val / all_val < 0.2 < 0.5 < new_test / all_test       # most test speeches: new speakers
    assert "PROSPERO" in names


def test_unseen_counts_the_contexts_never_met_in_training():
    train = np.array([0, 1, 2, 0, 1, 2, 0, 1])                 # contexts of 2: 01, 12, 20
    model = NGram(train, 4, order=3)
    # predictions of [2, 3, 0, 1] after context [0, 1]: contexts 01, 12, 23, 30 -> the last two unseen
    assert model.unseen([2, 3, 0, 1], [0, 1]) == 0.5
    assert model.unseen([2, 0, 1], [5, 0, 1]) == 0.0            # only the last order - 1 of the context
    assert NGram(train, 4, order=1).unseen([3], []) == 0.0
