"""Every exercise's stub (what the learner edition keeps of its solution cell) and the task text right
above it give the contract, not the result the exercise asks for (issue 18). The texts below are the
giveaways they used to hold, or their equivalents; none may come back."""
import ast
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from edition import learner_cell, nbgrader_meta, source_text  # noqa: E402

GIVEAWAYS = {
    "my-shapes": ["time comes first"],
    "forward-step": ["x_t @ W_F.T", "W_F.T", "h_prev @ W_R"],
    "train-on-windows": ["computed with the weights used for this window", "h = None"],
    "my-count-params": ["H_l^2", "H_l D_l", "O H_L", "input size of an upper layer"],
    "softmax-cross-entropy": ["onehot", "subtract each row's largest", "(p_t -"],
    "backward-step": ["1 - h_t", "W_R^T da", "W_R^\\top\\, \\partial", "da.T", "h_{t-1}^T", "h_{t-1}^\\top",
                      "(1 - h_t ** 2)"],
    "rnn-backward": ["1 - h_t^2", "\\odot", "x_t^\\top", "h_{t-1}^\\top", "W_R^\\top"],
    "numerical-gradient": ["one-sided difference", "missing factor 2"],
    "gradient-bound": ["sigma_max(W_R))^k", "\\sigma_{\\max}(W_R))^k", "np.linalg.norm(W_R, 2)", "spectral radius"],
    "float32-overflow-step": ["10^{38}", "3.4"],
    "my-clip-by-norm": ["nu / ||g||", "\\nu / \\lVert", "rescaling below the threshold", "separate norm"],
    "steps-below": ["log(eps) / log(r)", "\\log\\varepsilon / \\log r", "mind the rounding", "exactly on"],
    "lstm-step-forward": ["c_t = f", "o * tanh", "x_t @ W_F.T", "c_{t-1} + i"],
    "lstm-step-backward": ["1 - tanh_c", "tanh_c ** 2", "tanh_c**2", "* f", "da @ W_R", "da.T", "W_R^T", "W_R^\\top",
                           "(1 - i)", "o * (1", "\\operatorname{diag}(f_t)", "dc_t +", "1 - g"],
    "gru-step-forward": ["(1 - z", "1 - z_t", "r * (", "r_t \\odot", "z * h_prev", "z_t \\odot h", "x_t @ W_F.T",
                         "h_prev @ W_R.T"],
    "build-vocab": ["sorted(set(", "set(text)", "enumerate(", "dict.fromkeys", "code point"],
    "loss-per-char": ["np.log2", "np.log(2)", "/ \\ln 2", "np.exp(loss", ".mean()", "log_p", "np.arange(",
                      "e^{\\bar L}", "keepdims", "subtract"],
    "sequential-windows": ["reshape(", "// batch_size", "len(ids) - offset - 1", "(len(ids)",
                           "i * num_steps", "k * num_steps"],
    "adam-step": ["1 - beta1 ** t", "1 - b1 ** t", "1-\\beta_1^t", "b1 * m", "np.sqrt(v", "m_hat", "v_hat",
                  "(1 - b1) * g", "g * g", "eps outside"],
    "temperature-probs": ["s.max()", "Subtract the largest", "cancels in the ratio"],
}


def exercises():
    """[(lesson file, grade_id, learner's stub text, the markdown right above)] over notebooks/."""
    out = []
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        for i, cell in enumerate(cells):
            meta = nbgrader_meta(cell)
            if meta.get("solution"):
                above = next(source_text(c) for c in reversed(cells[:i]) if c["cell_type"] == "markdown")
                out.append((path.name, meta["grade_id"], source_text(learner_cell(cell)), above))
    return out


EXERCISES = exercises()


def test_all_exercises_are_checked():
    assert len(EXERCISES) == 25 and set(GIVEAWAYS) <= {e[1] for e in EXERCISES}


@pytest.mark.parametrize("lesson, exercise, stub, above", EXERCISES, ids=[e[1] for e in EXERCISES])
def test_the_stub_and_the_text_above_give_no_answer(lesson, exercise, stub, above):
    for text in GIVEAWAYS.get(exercise, []):
        assert text not in stub, f"{lesson} {exercise}: the stub states {text!r}"
        assert text not in above, f"{lesson} {exercise}: the task text right above states {text!r}"


@pytest.mark.parametrize("lesson, exercise, stub, above", EXERCISES, ids=[e[1] for e in EXERCISES])
def test_the_stub_keeps_a_contract_docstring(lesson, exercise, stub, above):
    fn = ast.parse(stub).body[0]
    doc = ast.get_docstring(fn) or ""
    assert len(doc) > 40, f"{exercise}: the stub's docstring should give the contract"
    takes_arguments = bool(fn.args.args)
    if takes_arguments:
        assert "->" in doc or "Mirrors" in doc or ":" in doc, exercise
