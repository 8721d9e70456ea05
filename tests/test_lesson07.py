"""Lesson 07 (gated cells): the notebook's PyTorch listing runs and is the same model as rnn_edu's,
its numbers come from computation, and its quizzes come before the text that answers them."""
import json
import re
from pathlib import Path

import numpy as np
import pytest

from optional import torch_or_skip

import rnn_edu
import rnn_edu.data
import rnn_edu.studies.longterm
from rnn_edu.course import quiz

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "07_gated_cells.ipynb"


@pytest.fixture(scope="module")
def cells():
    return [(c["cell_type"], "".join(c["source"]), c) for c in json.loads(NOTEBOOK.read_text())["cells"]]


def _markdown(cells, start):
    return next(src for kind, src, _ in cells if kind == "markdown" and src.lstrip("> ").startswith(start))


def torch_listing(cells):
    """The ```python block of the "In PyTorch" box, without the quote marks."""
    box = _markdown(cells, "**In PyTorch.**")
    text = "\n".join(re.sub(r"^> ?", "", line) for line in box.split("\n"))
    return re.search(r"```python\n(.*?)```", text, re.S).group(1)


@pytest.mark.torch
def test_the_pytorch_listing_runs_and_gives_rnn_edus_loss(cells):
    torch = torch_or_skip()
    code = torch_listing(cells)
    scope = {}
    exec(compile(code, "In PyTorch listing", "exec"), scope)
    assert isinstance(scope["params"], rnn_edu.LSTMParams) and scope["params"].dtype == np.float64
    assert abs(scope["torch_loss"] - scope["our_loss"]) < 1e-10
    # the same model: rnn_edu's own training loop from the listing's initial weights ends at its weights
    before = {}
    exec(compile(code.split("weights = [")[0], "In PyTorch listing (set-up)", "exec"), before)
    params = rnn_edu.params_from_torch(before["lstm"], before["linear"])
    assert np.all(params.b_h[16:32] == 1.0) and params.num_params() == 4 * 16 * (11 + 16 + 1) + 2 * 16 + 2
    for epoch in range(20):
        xs, cues = rnn_edu.data.cue_task(64, 20, n_distractors=8, seed=epoch)
        _, grads = rnn_edu.bptt(params, xs, cues, many_to_one=True)
        params = rnn_edu.sgd_step(params, rnn_edu.clip_by_norm(grads, 1.0)[0], 0.1)
    for name, a in scope["params"].named_arrays().items():
        np.testing.assert_allclose(a, params.named_arrays()[name], rtol=1e-9, atol=1e-12, err_msg=name)
    assert not np.allclose(params.W_R, rnn_edu.params_from_torch(before["lstm"], before["linear"]).W_R)
    del torch


def _index(cells, needle, kind=None):
    return next(i for i, (k, src, _) in enumerate(cells) if needle in src and (kind is None or k == kind))


@pytest.mark.parametrize("qid, revealing", [
    ("lstm-gate-squashing", r"i_t = \sigma(a^i_t)"),
    ("cell-path-jacobian", r"\frac{\partial c_t}{\partial c_{t-1}} = \operatorname{diag}(f_t)"),
    ("forget-bias-one", "f^k < 1e-3 from k"),
    ("gru-update-gate", r"\frac{\partial h_t}{\partial h_{t-1}} = \operatorname{diag}(z_t)"),
    ("lstm-layer-param-count", "cost.layer_param_count(D, H, cell)"),
    ("gated-cost-per-step", "exactly four times"),
    ("gru-update-gate", "the fraction of the old state that is kept"),       # issue 21, item 20
    ("gated-cost-per-step", "n / counts['rnn']"),                             # the printed 4.000 x
    ("cell-path-jacobian", r"\partial c_t/\partial c_{t-1} = \operatorname{diag}(f_t)"),   # issue 18, finding 12
    ("gated-cost-per-step", "has its own $H$ rows in $W_F$, $W_R$"),
])
def test_each_quiz_comes_before_the_text_that_answers_it(cells, qid, revealing):
    assert quiz.get_question(qid).lesson == "07"
    assert _index(cells, f'quiz.show("{qid}")', "code") < _index(cells, revealing)


def test_every_lesson07_question_is_asked_once(cells):
    asked = [m for _, src, _ in cells for m in re.findall(r'quiz\.show\("([^"]+)"\)', src)]
    assert sorted(asked) == sorted(q.id for q in quiz.lesson_questions("07"))
    assert len(asked) >= 4


def test_the_forget_bias_numbers_of_the_prose(cells):
    from rnn_edu.course.exercises.lesson06 import steps_below
    f1 = 1 / (1 + np.exp(-1.0))
    assert f"{f1:.2f}" == "0.73" and steps_below(f1, 1e-3) == 23
    assert "to below a thousandth after 23 steps" in _markdown(cells, "With the default bias of 1")
    assert steps_below(1 / (1 + np.exp(-5.0)), 1e-3) > 1000


@pytest.fixture(scope="module")
def signal():
    """§4's measurement, recomputed: the cue task, T = 120, seed 0 weights, 256 sequences; the GRU
    with the default biases and with update_bias=3.0 (§5's start)."""
    xs, cues = rnn_edu.data.cue_task(256, 118, n_distractors=8, seed=1000)
    out = {}
    for cell in ("rnn", "lstm", "gru"):
        p = rnn_edu.init_params(xs.shape[2], 16, 2, seed=0, cell=cell)
        if cell == "lstm":
            out["lstm h"], out["lstm c"] = rnn_edu.hidden_grad_norms(p, xs, cues, cell_state=True)
        else:
            out[cell] = rnn_edu.hidden_grad_norms(p, xs, cues)
    kept = rnn_edu.init_params(xs.shape[2], 16, 2, seed=0, cell="gru",
                               **rnn_edu.studies.longterm.GATE_BIAS["gru"])
    out["gru 3"] = rnn_edu.hidden_grad_norms(kept, xs, cues)
    return {k: v[0] / v[-1] for k, v in out.items()}, out


def test_the_signal_prose_follows_the_measurement(cells, signal):
    ratio, norms = signal
    text = " ".join(_markdown(cells, "At the weights training starts from").split())
    assert len(norms["rnn"]) == 120 and "119 step" in text and len(ratio) == 5
    assert "The LSTM's signal at the cue is larger than the plain RNN's, along $h_t$ and along $c_t$" in text
    assert ratio["lstm h"] > ratio["rnn"] and ratio["lstm c"] > ratio["rnn"]
    assert "still fades by orders of magnitude" in text and ratio["lstm h"] < 1e-2 and ratio["lstm c"] < 1e-2
    assert "the GRU's with its default biases fades faster than the RNN's" in text and ratio["gru"] < ratio["rnn"]
    assert "Every curve falls geometrically" in text and all(r < 0.05 for r in ratio.values())
    assert rnn_edu.studies.longterm.GATE_BIAS["gru"] == {"update_bias": 3.0}
    assert f"{1 / (1 + np.exp(-3.0)):.2f}" == "0.95" and r"$\sigma(3) \approx 0.95$" in text
    assert "the GRU's signal at the cue is the largest of the five curves" in text
    assert ratio["gru 3"] == max(ratio.values())
    assert "it fades by about two orders of magnitude over the 119 steps" in text
    assert 1.5 < -np.log10(ratio["gru 3"]) < 2.5
    assert "where the default GRU's fades by more than ten" in text and -np.log10(ratio["gru"]) > 10


def test_the_signal_cell_uses_the_sweeps_gru_start(cells):
    code = next(src for kind, src, _ in cells if kind == "code" and "hidden_grad_norms" in src)
    assert 'cell="gru", update_bias=3.0' in code and "GRU h_t, update bias 3" in code
    assert rnn_edu.studies.longterm.GATE_BIAS["gru"]["update_bias"] == 3.0


def test_the_explorer_claim_of_the_prose(cells):
    from rnn_edu.course.widgets import gradient_explorer
    text = " ".join(_markdown(cells, "At the weights training starts from").split())
    assert ("At a gate bias of 1 both cells' gradients vanish. At 5 the GRU's is roughly stable, and so is the "
            "LSTM's along $h_t$, but the LSTM's along $c_t$ grows") in text
    e = gradient_explorer(seed=0)
    assert "then the GRU with $T = 40$ at biases 0 and 3" in " ".join(_markdown(cells, "The explorer from lesson 04").split())
    e.set(cell="gru", gate_bias=0.0, length=40)
    assert ": vanishing</b>" in e.readout.value, e.readout.value
    e.set(gate_bias=3.0)
    assert ": roughly stable</b>" in e.readout.value, e.readout.value
    for cell in ("lstm", "gru"):
        e.set(cell=cell, gate_bias=5.0, length=100)
        assert ": roughly stable</b>" in e.readout.value, (cell, e.readout.value)
        if cell == "lstm":                                   # the cell-state line: growing (issue 18, finding 3)
            assert re.search(r"Cell state: .* = 1\.[01]\de\+01: growing\.", e.readout.value), e.readout.value
        e.set(gate_bias=1.0)
        assert ": vanishing</b>" in e.readout.value, (cell, e.readout.value)
        if cell == "lstm":
            assert re.search(r"Cell state: .*: vanishing\.", e.readout.value), e.readout.value


def test_the_counts_of_the_prose(cells):
    from rnn_edu.studies import cost
    text = _markdown(cells, "The counts are exact")
    for D, H in [(10, 20), (11, 64), (3, 7)]:
        rnn, lstm, gru = (cost.layer_param_count(D, H, c) for c in cost.CELLS)
        assert rnn == H * (D + H + 1) and lstm == 4 * H * (D + H + 1) == 4 * rnn     # "exactly four times"
        assert gru == 3 * H * (D + H + 2) and 3 < gru / rnn < 3.5                     # "a little over three"
    assert "exactly four times" in text and "a little over three times" in text


@pytest.mark.torch
def test_torchs_lstm_has_the_counted_parameters():
    torch = torch_or_skip()
    assert sum(p.numel() for p in torch.nn.LSTM(10, 20).parameters()) == 4 * 20 * (10 + 20 + 2)
