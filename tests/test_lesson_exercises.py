"""The build-it-yourself path sits in the real lessons as docs/authoring.md lays it out: which function
each lesson asks for, in which order, and which later cells run on the learner's function.
(The release tests, tests/test_release.py, run these lessons as a learner edition.)"""
import json
import re
import sys
from pathlib import Path

import numpy as np
import pytest

import rnn_edu
from rnn_edu.data import delayed_echo_task
from rnn_edu.course.exercises import lesson05

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from authoring import FALLBACK  # noqa: E402
from edition import nbgrader_meta, source_text  # noqa: E402

# lesson -> the functions the learner writes there, in the order the lesson asks for them
EXERCISES = {
    "00": ["my_shapes"],
    "01": ["forward_step", "rnn_forward", "my_sgd_update", "my_windows", "train_on_windows"],
    "02": ["my_count_params", "param_count"],
    "03": ["softmax_cross_entropy", "backward_step", "rnn_backward", "numerical_gradient", "relative_error"],
    "04": ["gradient_bound", "float32_overflow_step"],
    "05": ["my_clip_by_norm"],
    "06": ["steps_below"],
    "07": ["lstm_step_forward", "lstm_step_backward", "gru_step_forward"],
    "08": ["build_vocab", "loss_per_char", "sequential_windows", "adam_step", "temperature_probs"],
}
# lesson -> the learner functions that later cells run (use_yours_or_library), first one per cell
FALLBACKS = {
    "01": ["rnn_forward", "my_windows", "train_on_windows"],
    "03": ["softmax_cross_entropy", "numerical_gradient"],
    "05": ["my_clip_by_norm"],
    "06": ["steps_below"],
    "07": ["lstm_step_forward"],
    "08": ["build_vocab", "loss_per_char", "sequential_windows", "adam_step"],
}


def lesson(prefix):
    path, = (ROOT / "notebooks").glob(f"{prefix}_*.ipynb")
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def defined(cell):
    return source_text(cell).split("def ", 1)[1].split("(", 1)[0]


@pytest.mark.parametrize("prefix", sorted(EXERCISES))
def test_each_lesson_asks_for_its_functions_in_order(prefix):
    cells = lesson(prefix)
    assert [defined(c) for c in cells if nbgrader_meta(c).get("solution")] == EXERCISES[prefix]


@pytest.mark.parametrize("prefix", sorted(EXERCISES))
def test_later_cells_run_on_the_learners_function_and_say_so(prefix):
    cells = lesson(prefix)
    uses = [(c, FALLBACK.search(source_text(c)).group("name")) for c in cells
            if c["cell_type"] == "code" and FALLBACK.search(source_text(c))]
    assert [name for _, name in uses] == FALLBACKS.get(prefix, [])
    for cell, name in uses:                     # the stored run (instructor edition) used the solution
        shown = "".join("".join(o.get("text", "")) for o in cell["outputs"])
        assert shown.startswith(f"Using your {name}."), (prefix, shown)


def test_no_later_cell_calls_a_learner_function_directly():
    """In the learner edition a direct call would raise NotImplementedError: later cells go
    through use_yours_or_library (its result has another name)."""
    for prefix, names in EXERCISES.items():
        cells = lesson(prefix)
        for i, cell in enumerate(cells):
            meta, text = nbgrader_meta(cell), source_text(cell)
            if cell["cell_type"] != "code" or meta.get("solution") or meta.get("grade"):
                continue
            for name in names:
                if re.search(rf"(?<![\w.]){name}\(", text):
                    pytest.fail(f"lesson {prefix}, cell {i} calls {name}(...) directly:\n{text}")


def test_the_clipping_loop_of_lesson_05_is_rnn_edu_train_with_clip_norm():
    """Lesson 05 says the learner's clipping loop ends where train(..., clip_norm=1.0) ended."""
    xs, targets = delayed_echo_task(batch=16, steps=30, n_symbols=4, delay=2, seed=0)
    params = rnn_edu.init_params(4, 16, 4, seed=0, spectral_radius=1.0)
    p, losses = params, []
    for _ in range(150):
        value, grads = rnn_edu.bptt(p, xs, targets)
        p = rnn_edu.sgd_step(p, lesson05.library_clip_by_norm(grads, 1.0), 0.3)
        losses.append(value)
    hist = rnn_edu.train(params, xs, targets, lr=0.3, epochs=150, clip_norm=1.0)
    assert np.allclose(losses, hist.losses)
    assert np.median(losses[-50:]) < 0.1                # converged, as the lesson's run reports
    unclipped = rnn_edu.train(params, xs, targets, lr=0.3, epochs=150)
    assert np.median(unclipped.losses[-50:]) > 100      # and the run it rescues diverged
