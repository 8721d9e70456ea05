"""Held-out loss and perplexity, early stopping with the best weights, and sampling."""
import numpy as np
import pytest

from rnn_edu import forward, init_params
from rnn_edu.lm.corpus import Vocab
from rnn_edu.lm.batching import one_hot_window
from rnn_edu.lm.evaluation import evaluate, perplexity
from rnn_edu.lm.training import VAL_WARMUP, train_lm
from rnn_edu.optim import Adam
from rnn_edu.lm.sampling import next_char_probs, sample

TEXT = ("to be or not to be that is the question whether tis nobler in the mind to suffer "
        "the slings and arrows of outrageous fortune ") * 6
V = Vocab.from_text(TEXT)
IDS = V.encode(TEXT)


def test_uniform_model_has_perplexity_equal_to_the_vocabulary_size():
    p = init_params(65, 8, 65, seed=0)
    p = p.from_named({**p.named_arrays(), "W_O": np.zeros((65, 8)), "b_o": np.zeros(65)})
    ids = np.random.default_rng(0).integers(0, 65, 500)
    loss = evaluate(p, ids)
    assert loss == pytest.approx(np.log(65), rel=1e-12)
    assert perplexity(loss) == pytest.approx(65.0, rel=1e-12)


def test_evaluation_carries_the_state_through_the_whole_part():
    p = init_params(len(V), 16, len(V), seed=1, spectral_radius=0.95)
    one_pass = evaluate(p, IDS, chunk=10_000)
    assert evaluate(p, IDS, chunk=7) == pytest.approx(one_pass, rel=1e-12)   # state carried
    # by hand: one forward over the whole part, -mean log p(next char)
    zs = forward(p, one_hot_window(IDS[:-1, None], len(V), np.float64)).zs[:, 0]
    logp = zs - np.log(np.exp(zs).sum(-1, keepdims=True))
    assert one_pass == pytest.approx(-logp[np.arange(len(IDS) - 1), IDS[1:]].mean(), rel=1e-12)
    # restarting the state at every chunk is something else
    restart = np.mean([evaluate(p, IDS[s:s + 8]) for s in range(0, len(IDS) - 8, 7)])
    assert abs(restart - one_pass) > 1e-4


def test_training_lowers_held_out_loss_and_keeps_the_best_params():
    tr, va = IDS[:700], IDS[700:]
    p = init_params(len(V), 24, len(V), seed=0)
    before = evaluate(p, va)
    h = train_lm(p, tr, va, optimizer=Adam(0.01), batch_size=4, num_steps=20, clip_norm=5.0,
                 epochs=60, eval_every=10, patience=3, seed=0)
    assert h.best_val < before - 1.0
    assert h.best_val == min(h.val_loss)
    # validation reads the last VAL_WARMUP characters of the training text first
    assert h.best_val == pytest.approx(evaluate(h.best_params, va, warmup=VAL_WARMUP, context=tr), rel=1e-12)
    assert h.val_steps[int(np.argmin(h.val_loss))] == h.best_step
    if h.stop_reason == "early_stop":                 # stopped 3 validations after the best
        assert len(h.val_loss) - 1 - int(np.argmin(h.val_loss)) == 3
    assert len(h.train_loss) == h.steps == len(h.norms)


def _by_hand(p, ids):
    """Per-prediction losses of one stream from zeros over ids: -log p(ids[t+1] | ids[..t])."""
    zs = forward(p, one_hot_window(ids[:-1, None], p.n_in, np.float64)).zs[:, 0]
    logp = zs - np.log(np.exp(zs).sum(-1, keepdims=True))
    return -logp[np.arange(len(ids) - 1), ids[1:]]


@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_streams_score_consecutive_pieces_side_by_side(cell):
    p = init_params(len(V), 12, len(V), seed=2, cell=cell)
    S, N = 5, len(IDS) - 1
    L = N // S
    per = evaluate(p, IDS, streams=S, per_stream=True, chunk=13)
    # row k from zeros over piece k alone: ids[kL .. kL + L] (L predictions)
    hand = [_by_hand(p, IDS[k * L:k * L + L + 1]).mean() for k in range(S)]
    np.testing.assert_allclose(per, hand, rtol=1e-12)
    assert evaluate(p, IDS, streams=S) == pytest.approx(np.mean(hand), rel=1e-12)
    assert evaluate(p, IDS, streams=1) == evaluate(p, IDS)           # the default: one stream


@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_warmup_reads_the_text_before_each_piece_without_scoring_it(cell):
    p = init_params(len(V), 12, len(V), seed=3, cell=cell)
    W, S = 30, 4
    part, before = IDS[100:], IDS[:100]
    # with context: row 0 reads before[-W:] first; every prediction of the part is scored
    one = evaluate(p, part, warmup=W, context=before)
    assert one == pytest.approx(_by_hand(p, IDS[100 - W:])[W:].mean(), rel=1e-12)
    assert abs(one - evaluate(p, part)) > 1e-6                         # not the start from zeros
    # without context the part's own first W characters warm up and are scored by no row
    assert evaluate(p, part, warmup=W) == pytest.approx(_by_hand(p, part)[W:].mean(), rel=1e-12)
    # S rows: row k starts W characters before its piece, from zeros
    L = (len(part) - 1) // S
    ext = np.concatenate([before[-W:], part])
    hand = [_by_hand(p, ext[k * L:k * L + W + L + 1])[W:].mean() for k in range(S)]
    np.testing.assert_allclose(evaluate(p, part, warmup=W, context=before, streams=S, per_stream=True),
                               hand, rtol=1e-12)
    # max_chars counts scored predictions
    assert evaluate(p, part, warmup=W, context=before, max_chars=50) == pytest.approx(
        _by_hand(p, IDS[100 - W:100 + 51])[W:].mean(), rel=1e-12)
    assert evaluate(p, part, warmup=W, max_chars=50) == pytest.approx(_by_hand(p, part[:W + 51])[W:].mean(),
                                                                     rel=1e-12)


def test_training_with_random_partitioning_and_a_step_limit():
    p = init_params(len(V), 8, len(V), seed=0)
    h = train_lm(p, IDS[:700], IDS[700:], optimizer=Adam(0.01), batch_size=4, num_steps=10,
                 partition="random", max_steps=7, eval_every=5)
    assert h.steps == 7 and h.stop_reason == "max_steps" and h.val_steps == [5, 7]


def test_sampling_is_seeded_and_greedy_at_zero_temperature():
    p = init_params(len(V), 16, len(V), seed=3)
    a = sample(p, V, "to be", 40, temperature=1.0, seed=5)
    assert a == sample(p, V, "to be", 40, temperature=1.0, seed=5)
    assert a != sample(p, V, "to be", 40, temperature=1.0, seed=6)
    assert a.startswith("to be") and len(a) == 45 and set(a) <= set(V.chars)
    greedy = sample(p, V, "to be", 30, temperature=0, seed=0)
    assert greedy == sample(p, V, "to be", 30, temperature=0, seed=99)       # no randomness
    assert sample(p, V, "to be", 30, temperature=1e-4, seed=7) == greedy     # T -> 0
    # by hand: argmax at every step, feeding each choice back with h0 = h_last
    fwd = forward(p, one_hot_window(V.encode("to be")[:, None], len(V), np.float64))
    out = ""
    for _ in range(30):
        c = int(np.argmax(fwd.zs[-1, 0]))
        out += V.chars[c]
        fwd = forward(p, one_hot_window(np.array([[c]]), len(V), np.float64), h0=fwd.h_last)
    assert greedy == "to be" + out


def test_sampling_works_for_a_stacked_model():
    p = init_params(len(V), [8, 8], len(V), seed=0)
    assert len(sample(p, V, "the", 10, seed=0)) == 13


def test_temperature_sharpens_and_flattens():
    z = np.array([2.0, 1.0, 0.0])
    p1, p_cold, p_hot = next_char_probs(z, 1.0), next_char_probs(z, 0.5), next_char_probs(z, 3.0)
    assert p_cold[0] > p1[0] > p_hot[0]
    np.testing.assert_allclose(next_char_probs(z, 0), [1, 0, 0])


def test_bad_inputs_have_clear_messages():
    p = init_params(len(V), 8, len(V), seed=0)
    with pytest.raises(ValueError, match="temperature: expected a finite number >= 0"):
        sample(p, V, "to", 5, temperature=-1)
    with pytest.raises(ValueError, match="prompt: expected a non-empty string"):
        sample(p, V, "", 5)
    with pytest.raises(ValueError, match="unknown: 'Z'"):
        sample(p, V, "Zo", 5)
    with pytest.raises(ValueError, match="n: expected a positive integer"):
        sample(p, V, "to", 0)
    with pytest.raises(ValueError, match=r"params: expected n_in = n_out = 19"):
        sample(init_params(65, 8, 65), V, "to", 5)
    with pytest.raises(ValueError, match=r"ids: expected ids in \[0, 18\]"):
        evaluate(p, np.array([0, 25]))
    with pytest.raises(ValueError, match="ids: expected a 1-D integer array of at least 2"):
        evaluate(p, np.array([1]))
    with pytest.raises(ValueError, match="warmup: expected a whole number"):
        evaluate(p, IDS, warmup=-1)
    with pytest.raises(ValueError, match="streams"):
        evaluate(p, IDS, streams=0)
    with pytest.raises(ValueError, match="context: expected at least warmup = 50 characters"):
        evaluate(p, IDS, warmup=50, context=IDS[:10])
    with pytest.raises(ValueError, match="context: expected a 1-D integer array"):
        evaluate(p, IDS, warmup=5, context=np.zeros((2, 3), int))
    with pytest.raises(ValueError, match="expected at least streams = 500 characters to score"):
        evaluate(p, IDS[:100], streams=500)
    with pytest.raises(ValueError, match="val_warmup"):
        train_lm(p, IDS, IDS, optimizer=Adam(0.01), val_warmup=-3)
    with pytest.raises(TypeError, match=r"optimizer: expected an object with .step"):
        train_lm(p, IDS, IDS, optimizer=0.01)
