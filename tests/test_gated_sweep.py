"""Lesson 07's comparison of the three cells on lesson 06's cue task: the shipped LSTM and GRU
records were made with the plain RNN's settings, re-running part of them reproduces them,
and the lesson's claim about them holds."""
import copy

import numpy as np
import pytest

from rnn_edu import gated_sweep, longterm

CLAIM_GAP = 60            # the gap at which lesson 07 says LSTM and GRU succeed and the RNN fails


@pytest.fixture(scope="module")
def sweeps():
    return gated_sweep.load_all()


def _record(sweep, gap, seed):
    return next(r for r in sweep["records"] if (r["gap"], r["seed"]) == (gap, seed))


def test_one_budget_for_the_three_cells(sweeps):
    for cell, sweep in sweeps.items():
        assert sweep["settings"] == longterm.SETTINGS, cell
        for r in sweep["records"]:
            assert r["cell"] == cell and r["epochs"] == longterm.SETTINGS["epochs"] == len(r["loss"])
            assert r["held_out_curve"][-1][1] == r["held_out_accuracy"]
    comparison = gated_sweep.compare(sweeps)
    assert CLAIM_GAP in comparison
    for cell, acc in comparison[CLAIM_GAP].items():
        assert acc.seeds == [0, 1, 2], cell                     # several seeds, the same ones


@pytest.mark.parametrize("cell, gap, seed", [("lstm", CLAIM_GAP, 1), ("gru", CLAIM_GAP, 2), ("lstm", 150, 0)])
def test_re_running_the_first_epochs_matches_the_shipped_records(sweeps, cell, gap, seed):
    stored = _record(sweeps[cell], gap, seed)
    rerun = longterm.run_one(gap, seed, cell=cell, epochs=20)
    np.testing.assert_allclose(rerun["loss"], stored["loss"][:20], rtol=1e-7)
    assert rerun["correct"] == stored["correct"][:20]


def test_the_lesson_claim_lstm_and_gru_succeed_where_the_rnn_fails(sweeps):
    at = gated_sweep.compare(sweeps)[CLAIM_GAP]
    assert gated_sweep.at_chance(at["rnn"]) and max(at["rnn"].train) < 0.6
    assert gated_sweep.solved(at["lstm"]) and gated_sweep.solved(at["gru"])
    assert min(at["lstm"].train) >= 0.9 and min(at["gru"].train) >= 0.9


def test_the_table_lines_and_the_helpers():
    acc = gated_sweep.Accuracies([0, 1], [0.5, 0.95], [0.49, 0.97])
    assert not gated_sweep.solved(acc) and not gated_sweep.at_chance(acc)
    assert gated_sweep.solved(gated_sweep.Accuracies([0], [1.0], [0.91]))
    assert gated_sweep.at_chance(gated_sweep.Accuracies([0], [0.5], [0.55]))
    assert not gated_sweep.solved(gated_sweep.Accuracies([], [], []))
    lines = gated_sweep.table_lines({60: {"lstm": acc}})
    assert lines[1].split() == ["60", "lstm", "0,1", "0.50", "0.95", "0.49", "0.97"]


def test_different_budgets_are_refused(monkeypatch, sweeps):
    other = copy.deepcopy(sweeps["gru"])
    other["settings"]["epochs"] = 10
    monkeypatch.setattr(longterm, "load_sweep", lambda cell: other if cell == "gru" else sweeps[cell])
    with pytest.raises(ValueError, match="gru: expected the settings of the rnn sweep"):
        gated_sweep.load_all()
