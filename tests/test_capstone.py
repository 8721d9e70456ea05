"""The shipped long run: its first steps re-run to the stored curve, its weights give its losses."""
import importlib.util
import os
from pathlib import Path

import numpy as np
import pytest

from rnn_edu.lm.capstone import load_capstone_params, load_capstone_run
from rnn_edu.lm.corpus import shakespeare
from rnn_edu.lm.evaluation import evaluate, perplexity

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def script():
    spec = importlib.util.spec_from_file_location("capstone", ROOT / "scripts" / "capstone.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def record():
    return load_capstone_run()


def test_the_first_steps_reproduce_the_stored_curve(script, record):
    main = record["main"]
    assert main["config"] == script.MAIN                          # the data came from this script
    hist, *_ = script.run_main(max_steps=6, log=None)
    np.testing.assert_allclose(hist.train_loss, main["train_loss"][:6], rtol=2e-4)
    np.testing.assert_allclose(hist.norms, main["norms"][:6], rtol=2e-3)


def test_a_comparison_run_reproduces_its_first_steps(script, record):
    stored = record["compare"]["runs"]["sgd_sequential_noclip"][0]
    r = script.run_compare("sgd_sequential_noclip", stored["seed"], max_steps=12)
    np.testing.assert_allclose(r["train_loss"], stored["train_loss"][:12], rtol=2e-3)


def test_the_stored_weights_give_the_stored_losses(record):
    main = record["main"]
    params = load_capstone_params()
    vocab, _, va, te = shakespeare()
    assert params.dtype == np.float32 and params.num_params() == main["num_params"]
    assert evaluate(params, va) == pytest.approx(main["val_full"], rel=1e-5)
    test = evaluate(params, te)
    assert test == pytest.approx(main["test"], rel=1e-5)
    assert main["test_perplexity"] == pytest.approx(perplexity(test), rel=1e-5)
    assert main["best_step"] == main["val_steps"][int(np.argmin(main["val_loss"]))]


def test_the_stored_samples_come_from_the_stored_weights(record):
    from rnn_edu.lm.sampling import sample
    main = record["main"]
    vocab = shakespeare()[0]
    params = load_capstone_params()
    assert sample(params, vocab, main["prompt"], 400, temperature=0.0, seed=0) == main["samples"]["0.0"]


def test_weights_of_a_gated_cell_load_as_their_container(tmp_path, monkeypatch):
    import json
    import rnn_edu
    from rnn_edu.lm import capstone
    p = rnn_edu.init_params(65, 8, 65, cell="lstm", dtype=np.float32)
    np.savez(tmp_path / "w.npz", **p.named_arrays())
    (tmp_path / "r.json").write_text(json.dumps({"main": {"config": {"cell": "lstm"}}, "compare": {}}))
    monkeypatch.setattr(capstone, "_asset", lambda name: tmp_path / ("w.npz" if name.endswith("npz") else "r.json"))
    q = capstone.load_capstone_params()
    assert type(q).__name__ == "LSTMParams" and np.array_equal(q.W_R, p.W_R)
