"""Lesson 07 (gated cells): the notebook's PyTorch listing runs and is the same model as rnn_edu's,
its numbers come from computation, and its quizzes come before the text that answers them."""
import json
import re
from pathlib import Path

import numpy as np
import pytest

import rnn_edu
from rnn_edu import quiz

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


def test_the_pytorch_listing_runs_and_gives_rnn_edus_loss(cells):
    torch = pytest.importorskip("torch")
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
