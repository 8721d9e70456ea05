"""The capstone's checks (scripts/capstone_checks.py): the record came from the script's runs."""
import json

import numpy as np
import pytest

from script_loader import load_script
from rnn_edu.lm import capstone as shipped
from rnn_edu.lm.capstone import load_capstone_checks, load_capstone_run


@pytest.fixture(scope="module")
def script():
    return load_script("capstone_checks")


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
    hist, *_ = script.capstone.run_main(script.config(name), max_steps=3, log=None)
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
