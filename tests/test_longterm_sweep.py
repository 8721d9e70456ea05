"""Lesson 06's sweep: the shipped data are complete, and re-running part of it reproduces them."""
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from rnn_edu.studies import longterm
from rnn_edu.data import cue_task

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def sweep():
    return longterm.load_sweep("rnn")


def _record(sweep, gap, seed):
    return next(r for r in sweep["records"] if (r["gap"], r["seed"]) == (gap, seed))


def test_the_shipped_sweep_covers_long_gaps_and_several_seeds(sweep):
    gaps, seeds, train, held = longterm.accuracy_table(sweep["records"])
    assert max(gaps) >= 150 and min(gaps) <= 10 and len(seeds) >= 3
    assert train.shape == held.shape == (len(gaps), len(seeds))
    assert sweep["settings"] == longterm.SETTINGS
    for r in sweep["records"]:
        assert len(r["loss"]) == len(r["correct"]) == r["epochs"] == longterm.SETTINGS["epochs"]
        assert [e for e, _ in r["held_out_curve"]] == list(range(100, r["epochs"] + 1, 100))
        assert r["held_out_curve"][-1][1] == r["held_out_accuracy"]


def test_fresh_data_every_epoch_and_held_out_apart():
    a = cue_task(64, 40, n_distractors=8, seed=longterm.batch_seed(0, 40, 0))[0]
    b = cue_task(64, 40, n_distractors=8, seed=longterm.batch_seed(0, 40, 1))[0]
    h = longterm.held_out_set(40, 0, 64)[0]
    assert not np.array_equal(a, b) and not np.array_equal(a, h)


@pytest.mark.parametrize("gap, seed", [(40, 0), (150, 2)])
def test_re_running_the_first_epochs_matches_the_shipped_curves(sweep, gap, seed):
    stored = _record(sweep, gap, seed)
    rerun = longterm.run_one(gap, seed, epochs=25)
    np.testing.assert_allclose(rerun["loss"], stored["loss"][:25], rtol=1e-7)
    assert rerun["correct"] == stored["correct"][:25]


def test_re_running_a_whole_short_run_matches_its_record(sweep):
    stored, rerun = _record(sweep, 10, 0), longterm.run_one(10, 0)
    for key in ["train_accuracy", "held_out_accuracy", "rho_end"]:
        assert rerun[key] == pytest.approx(stored[key], rel=1e-6), key
    assert rerun["correct"] == stored["correct"] and rerun["held_out_curve"] == stored["held_out_curve"]
    np.testing.assert_allclose(rerun["loss"], stored["loss"], rtol=1e-6)


def test_the_script_writes_records_the_loader_reads(tmp_path):
    out = tmp_path / "sweep.json"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "longterm_sweep.py"), "--cell", "rnn",
                    "--gaps", "3", "--seeds", "0,1", "--epochs", "100", "--out", str(out)],
                   check=True, capture_output=True, text=True, cwd=ROOT)
    data = longterm.load_sweep(path=out)
    assert [(r["gap"], r["seed"]) for r in data["records"]] == [(3, 0), (3, 1)]
    assert data["records"][1]["loss"] == longterm.run_one(3, 1, epochs=100)["loss"]


def test_the_script_drops_records_made_with_another_gate_bias(tmp_path):
    """Re-running a gated cell keeps the records of other (gap, seed) pairs only when they were
    made with the same initial gate bias (longterm.GATE_BIAS); the new ones store it."""
    out = tmp_path / "gru.json"
    old = longterm.run_one(4, 1, cell="gru", epochs=30, gate_bias={})        # the default start, b_z = 0
    assert old["gate_bias"] == {} and old["loss"] != longterm.run_one(4, 1, cell="gru", epochs=30)["loss"]
    same = dict(longterm.run_one(5, 1, cell="gru", epochs=30))
    del old["gate_bias"]                                                    # a record from before the field
    out.write_text(json.dumps({"settings": dict(longterm.SETTINGS, epochs=30), "records": [old, same]}))
    subprocess.run([sys.executable, str(ROOT / "scripts" / "longterm_sweep.py"), "--cell", "gru",
                    "--gaps", "3", "--seeds", "0", "--epochs", "30", "--out", str(out)],
                   check=True, capture_output=True, text=True, cwd=ROOT)
    records = longterm.load_sweep(path=out)["records"]
    assert [(r["gap"], r["seed"]) for r in records] == [(3, 0), (5, 1)]
    assert all(r["gate_bias"] == {"update_bias": 3.0} for r in records)
    assert longterm.run_one(3, 0, cell="lstm", epochs=1)["gate_bias"] == {"forget_bias": 1.0}
    assert "gate_bias" not in longterm.run_one(3, 0, epochs=1)


def test_bad_sweep_files_get_a_clear_message(tmp_path):
    with pytest.raises(FileNotFoundError, match="longterm_sweep.py"):
        longterm.load_sweep(path=tmp_path / "missing.json")
    (tmp_path / "bad.json").write_text("{not json")
    with pytest.raises(ValueError, match="expected JSON"):
        longterm.load_sweep(path=tmp_path / "bad.json")
    with pytest.raises(ValueError, match="cell"):
        longterm.make_params(11, 0, cell="transformer")


def test_where_it_falls():
    held = np.array([[1, 1, 1], [0.95, 0.9, 1], [1, 0.5, 0.5], [0.5, 0.55, 0.5], [0.5, 0.5, 0.52]])
    assert longterm.where_it_falls([10, 20, 30, 40, 50], held) == (20, 40)
