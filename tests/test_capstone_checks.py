"""The capstone's checks (scripts/capstone_checks.py): the record came from the script's runs."""
import importlib.util
import json
import sys
from pathlib import Path

import numpy as np
import pytest

from rnn_edu.lm import capstone as shipped
from rnn_edu.lm.capstone import load_capstone_checks, load_capstone_run

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def script():
    sys.path.insert(0, str(ROOT / "scripts"))
    spec = importlib.util.spec_from_file_location("capstone_checks", ROOT / "scripts" / "capstone_checks.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def checks():
    return load_capstone_checks()


def test_every_run_is_a_candidate_with_one_setting_changed(script, checks):
    runs = checks["runs"]
    assert set(runs) == set(script.RUNS) and checks["max_steps"] is None
    candidates = load_capstone_run()["candidates"]
    for name, rec in runs.items():
        base, change = script.RUNS[name]
        assert rec["config"] == script.config(name) == dict(candidates[base]["config"], **change)
        differ = {k for k in rec["config"] if rec["config"][k] != candidates[base]["config"].get(k)}
        assert differ == set(change), name
        assert rec["steps"] == rec["config"]["max_steps"]
        assert rec["best_step"] == rec["val_steps"][int(np.argmin(rec["val_loss"]))]
        assert "test" not in rec                                  # the test part is never read here


@pytest.mark.parametrize("name", ["gru_256_seed1", "rnn_256_seed1", "gru_512_dropout25"])
def test_a_run_reproduces_its_first_steps(script, checks, name):
    from capstone import run_main
    hist, *_ = run_main(script.config(name), max_steps=3, log=None)
    np.testing.assert_allclose(hist.train_loss, checks["runs"][name]["first_train"][:3], rtol=2e-4)


def test_a_corrupt_record_gets_a_clear_message(tmp_path, monkeypatch):
    bad = tmp_path / "capstone_checks.json"
    bad.write_text("{not json")
    monkeypatch.setattr(shipped, "_asset", lambda name: bad)
    with pytest.raises(ValueError, match="capstone_checks.json: expected JSON written by scripts/capstone_checks.py"):
        load_capstone_checks()
    bad.write_text(json.dumps({"other": 1}))
    with pytest.raises(ValueError, match=r"expected a section 'runs', got \['other'\]"):
        load_capstone_checks()


def test_the_script_refuses_bad_options(script):
    with pytest.raises(SystemExit):
        script.main(["--jobs", "0"])
