"""The shipped long run: its first steps re-run to the stored curve, its weights give its losses."""
import numpy as np
import pytest

from script_loader import load_script
from rnn_edu.lm.capstone import load_capstone_params, load_capstone_run
from rnn_edu.lm.corpus import shakespeare
from rnn_edu.lm.evaluation import perplexity


@pytest.fixture(scope="module")
def script():
    return load_script("capstone")


@pytest.fixture(scope="module")
def record():
    return load_capstone_run()


def test_the_first_steps_reproduce_the_stored_curve(script, record):
    main = record["main"]
    assert main["config"] == script.CANDIDATES[main["name"]]      # the data came from this script
    hist, *_ = script.run_main(main["config"], max_steps=6, log=None)
    np.testing.assert_allclose(hist.train_loss, main["train_loss"][:6], rtol=2e-4)
    np.testing.assert_allclose(hist.norms, main["norms"][:6], rtol=2e-3)


def test_every_candidate_reproduces_its_first_steps(script, record):
    assert set(record["candidates"]) == set(script.CANDIDATES)
    for name, rec in record["candidates"].items():
        assert rec["config"] == script.CANDIDATES[name]
        if name == record["main"]["name"]:
            continue                                              # re-run above
        hist, *_ = script.run_main(rec["config"], max_steps=3, log=None)
        np.testing.assert_allclose(hist.train_loss, rec["train_loss"][:3], rtol=2e-4, err_msg=name)


def test_validation_chose_the_shipped_model_and_test_was_read_once(record):
    cands = record["candidates"]
    chosen = min(cands, key=lambda n: cands[n]["val_full"])
    assert record["main"]["name"] == chosen
    assert record["main"]["val_full"] == cands[chosen]["val_full"]
    assert all("test" not in rec for rec in cands.values())      # only the chosen one met the test part
    for rec in cands.values():                                    # each run's best step is its lowest val
        assert rec["best_step"] == rec["val_steps"][int(np.argmin(rec["val_loss"]))]
        assert rec["steps"] <= rec["config"]["max_steps"]


def test_a_comparison_run_reproduces_its_first_steps(script, record):
    stored = record["compare"]["runs"]["sgd_sequential_noclip"][0]
    r = script.run_compare("sgd_sequential_noclip", stored["seed"], max_steps=12)
    np.testing.assert_allclose(r["train_loss"], stored["train_loss"][:12], rtol=2e-3)


def test_the_stored_weights_give_the_stored_losses(script, record):
    main = record["main"]
    params = load_capstone_params()
    assert params.dtype == np.float32 and params.num_params() == main["num_params"]
    assert script.score(params, "validation") == pytest.approx(main["val_full"], rel=1e-5)
    test = script.score(params, "test")
    assert test == pytest.approx(main["test"], rel=1e-5)
    assert main["test_perplexity"] == pytest.approx(perplexity(test), rel=1e-5)
    plays = script.by_play(params)                   # the test part's two plays (lesson 08, section 5)
    assert plays["cut"] == main["test_by_play"]["cut"]
    for piece in ("shrew_end", "tempest"):
        assert plays[piece] == pytest.approx(main["test_by_play"][piece], rel=1e-5)
    np.testing.assert_allclose(plays["pieces"], main["test_by_play"]["pieces"], rtol=1e-5)
    assert len(plays["pieces"]) == script.PIECES
    n = len(shakespeare()[3])                        # the pieces' losses average to about the whole part's
    mixed = (plays["cut"] * plays["shrew_end"] + (n - plays["cut"]) * plays["tempest"]) / n
    assert mixed == pytest.approx(test, abs=0.01)
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


def test_the_progress_line_reads_like_tqdm():
    from rnn_edu.lm.progress import ProgressLine, Reporter, clock, progress_text
    import io
    text = progress_text("lstm_512", 1000, 4000, 300.0, 1.7123, "1/3 runs done")
    assert text == ("lstm_512 |#####---------------| 1000/4000 updates · 05:00 elapsed · 15:00 left · "
                    "val 1.712 · 1/3 runs done")
    assert progress_text("x", 0, 10, 3.0).endswith("--:-- left")
    assert clock(3725) == "1:02:05" and clock(59.6) == "01:00"
    sent = []
    rep = Reporter(lambda done, val: sent.append((done, val)), every=3600)

    class H:
        steps, val_loss = 1, []
    rep(H)
    H.steps = 2
    rep(H)                                                        # throttled: nothing new
    H.steps, H.val_loss = 3, [2.5]
    rep(H)                                                        # a new validation always goes
    assert sent == [(1, None), (3, 2.5)]
    log = io.StringIO()                                           # not a terminal: one line per new val
    line = ProgressLine(log)
    line.show("a", new_val=False)
    line.show("b", new_val=True)
    line.say("done")
    line.close()
    assert log.getvalue() == "b\ndone\n"


def test_the_script_refuses_bad_options(script, capsys):
    with pytest.raises(SystemExit):
        script.main(["--only", "compare", "--settings", "adam,nonsense"])
    assert "nonsense" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        script.main(["--jobs", "0"])
