"""Two rules that hold for every exercise of the course (issue 22, items 1 and 5).

1. What a checker accepts, the later cells can use.  For each of the fourteen exercises whose
   function a later cell runs (through `use_yours_or_library`), the learner's function is
   written in every form its checker accepts (a `(clipped, norm)` pair, a list instead of an
   array, a generator of windows, a one-number array for a loss, ...); the checker must pass it,
   and then the lesson's own fallback cell, read from the notebook, must run with it.  The
   cells before it run once per lesson (the instructor edition, as nbval runs it).
   The other eleven exercises (shapes, forward_step, the update, the two counts, backward_step,
   the bound, the overflow step, the LSTM step backward, the GRU step, the temperature) have no
   later cell that runs the learner's code.

2. One rule for inputs.  A function that returns the right result but changes one of its
   arguments in place gets the same verdict from every checker that hands it arrays, lists or
   parameter containers: not passed, with the same sentence naming the argument.  (windows,
   steps_below and the value exercises receive only numbers, and build_vocab a string, which cannot
   be changed in place.)
"""
import json
import os
from pathlib import Path

import numpy as np
import pytest

import rnn_edu
from rnn_edu.course.exercises import IN_PLACE, use_yours_or_library
from rnn_edu.course.exercises import (bptt, forward, gradcheck, lesson01, lesson02, lesson03, lesson04, lesson05,
                               lesson06, lesson07, lesson08, loss, training)

REPO = Path(__file__).resolve().parents[1]
RULE = IN_PLACE.split(" in place ")[1][:60]          # the sentence every checker gives


# ---------------------------------------------------------------- rule 2: inputs left as they were

def _change(value):
    """Change `value` in place: an array, a parameter container or a list."""
    if isinstance(value, np.ndarray):
        value += 1
    elif hasattr(value, "named_arrays"):
        next(iter(value.named_arrays().values()))[...] += 1
    elif isinstance(value, list):
        value.append(value[-1])
    else:
        raise TypeError(type(value))


def changing(fn, index):
    """fn, right result, but argument `index` changed in place afterwards."""
    def learner(*args):
        out = fn(*args)
        _change(args[index])
        return out
    return learner


def _sgd(W, dW, lr):
    return W - lr * dW


# (checker, a right function, the argument it changes, that argument's name in the exercise)
RIGHT = [
    (forward.check_forward_step, forward.library_forward_step, 0, "x_t"),
    (forward.check_rnn_forward, forward.library_rnn_forward, 1, "h0"),
    (lesson01.check_sgd_update, _sgd, 0, "W"),
    (lesson02.check_count_params, rnn_edu.count_params, 1, "hidden_sizes"),
    (loss.check_softmax_cross_entropy, loss.library_softmax_cross_entropy, 0, "zs"),
    (lesson03.check_backward_step, lesson03.library_backward_step, 0, "dh_t"),
    (bptt.check_rnn_backward, bptt.library_rnn_backward, 0, "dhs"),
    (gradcheck.check_numerical_gradient, gradcheck.library_numerical_gradient, 1, "W"),
    (gradcheck.check_relative_error, gradcheck.library_relative_error, 0, "a"),
    (lesson04.check_gradient_bound, lesson04.bound, 0, "W_R"),
    (lesson05.check_clip_by_norm, lesson05.library_clip_by_norm, 0, "grads"),
    (lesson07.check_lstm_step_forward, lesson07.library_lstm_step_forward, 2, "c_prev"),
    (lesson07.check_lstm_step_backward, lesson07.library_lstm_step_backward, 1, "dc_t"),
    (lesson07.check_gru_step_forward, lesson07.library_gru_step_forward, 1, "h_prev"),
    (lesson08.check_temperature_probs, lesson08.library_temperature_probs, 0, "z"),
    (lesson08.check_loss_per_char, lesson08.library_loss_per_char, 0, "zs"),
    (lesson08.check_sequential_windows, lesson08.library_sequential_windows, 0, "ids"),
    (lesson08.check_adam_step, lesson08.library_adam_step, 2, "m"),
    (lesson08.check_adam_step, lesson08.library_adam_step, 3, "v"),
    (lesson08.check_adam_step, lesson08.library_adam_step, 1, "g"),
    (training.check_train_on_windows, training.library_train_on_windows, 0, "params"),
]
IDS = [checker.__name__ for checker, *_ in RIGHT]


@pytest.mark.parametrize("checker, right, index, name", RIGHT, ids=IDS)
def test_the_right_function_passes(checker, right, index, name):
    result = checker(right)
    assert result.passed, result.message


@pytest.mark.parametrize("checker, right, index, name", RIGHT, ids=IDS)
def test_a_changed_input_gets_the_same_verdict_from_every_checker(checker, right, index, name):
    result = checker(changing(right, index))
    assert not result.passed, f"{checker.__name__} passes a function that changes {name} in place"
    assert f"changed its argument `{name}` in place" in result.message, result.message
    assert RULE in result.message, result.message


def test_the_two_patterns_of_the_issue_get_the_same_verdict():
    """`W -= lr * dW; return W` (lesson 01) and scaling the gradients where they lie (lesson 05)."""
    def my_sgd_update(W, dW, lr):
        W -= lr * dW
        return W

    def my_clip_by_norm(grads, max_norm):
        norm = rnn_edu.global_norm(grads)
        for a in grads.named_arrays().values():
            a *= min(1.0, max_norm / norm)
        return grads
    verdicts = [lesson01.check_sgd_update(my_sgd_update), lesson05.check_clip_by_norm(my_clip_by_norm)]
    assert [v.passed for v in verdicts] == [False, False]
    assert all(RULE in v.message for v in verdicts), [v.message for v in verdicts]


def test_probing_w_and_putting_it_back_is_allowed():
    """numerical_gradient must nudge W (f reads it there); left as it was at the end, it passes."""
    def numerical_gradient(f, W, eps=1e-5):
        grad = np.zeros_like(W)
        for i in np.ndindex(W.shape):
            W[i] += eps
            up = f()
            W[i] -= 2 * eps
            down = f()
            W[i] += eps                    # back, up to rounding
            grad[i] = (up - down) / (2 * eps)
        return grad
    assert gradcheck.check_numerical_gradient(numerical_gradient).passed


def test_lesson_01_teaches_the_rule_once():
    """The rule is taught where it first matters (lesson 01's update exercise), and only there."""
    said = {}
    for path in sorted((REPO / "notebooks").glob("[0-9]*.ipynb")):
        cells = json.loads(path.read_text())["cells"]
        text = " ".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
        said[path.name[:2]] = "leave your inputs as they were" in text.lower()
    assert [k for k, v in said.items() if v] == ["01"], said


# ---------------------------------------------------------------- rule 1: accepted forms run later

def _run_before(notebook, cell_id):
    """Run the notebook's code cells before `cell_id` (magics dropped); (namespace, that cell's source)."""
    cells = json.loads((REPO / "notebooks" / notebook).read_text())["cells"]
    namespace = {"__name__": "__lesson__"}
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        if cell.get("id") == cell_id:
            return namespace, source
        code = "\n".join(ln for ln in source.splitlines() if not ln.lstrip().startswith(("%", "!")))
        exec(compile(code, f"{notebook}:{cell.get('id')}", "exec"), namespace)
    raise KeyError(f"{notebook} has no cell {cell_id}")


def _forms_rnn_forward(ns):
    f = forward.library_rnn_forward
    return {"array": f, "list of arrays": lambda *a: list(f(*a)), "nested lists": lambda *a: f(*a).tolist(),
            "float32": lambda *a: f(*a).astype(np.float32)}


def _forms_windows(ns):
    f = lesson01.library_windows
    return {"list of tuples": f, "list of lists": lambda *a: [list(p) for p in f(*a)],
            "generator": lambda *a: (p for p in f(*a)), "array": lambda *a: np.array(f(*a)),
            "tuple of tuples": lambda *a: tuple(f(*a))}


def _forms_train(ns):
    f = training.library_train_on_windows

    def form(wrap):
        return lambda *a, **k: (lambda p, losses: wrap(p, losses))(*f(*a, **k))
    return {"(params, list)": f, "[params, array]": form(lambda p, L: [p, np.array(L)]),
            "(params, tuple)": form(lambda p, L: (p, tuple(L))),
            "(params, generator)": form(lambda p, L: (p, (v for v in L)))}


def _forms_loss(ns):
    f = loss.library_softmax_cross_entropy

    def form(wrap):
        return lambda *a: wrap(*f(*a))
    return {"(float, array)": f, "[0-d array, nested lists]": form(lambda L, d: [np.array(L), d.tolist()]),
            "(np.float32, float32)": form(lambda L, d: (np.float32(L), d.astype(np.float32)))}


def _forms_backward(ns):
    f = bptt.library_rnn_backward
    return {"tuple of arrays": f, "list of nested lists": lambda *a: [g.tolist() for g in f(*a)]}


def _forms_numgrad(ns):
    f = gradcheck.library_numerical_gradient
    return {"array": f, "nested lists": lambda *a: f(*a).tolist()}


def _forms_relerr(ns):
    f = gradcheck.library_relative_error
    return {"float": f, "np.float64": lambda *a: np.float64(f(*a)), "0-d array": lambda *a: np.array(f(*a))}


def _forms_clip(ns):
    return {"RNNParams": lesson05.library_clip_by_norm, "(clipped, norm) as rnn_edu.clip_by_norm": rnn_edu.clip_by_norm,
            "[clipped, norm]": lambda *a: list(rnn_edu.clip_by_norm(*a))}


def _forms_steps(ns):
    f = lesson06.steps_below
    return {"int": f, "np.int64": lambda *a: np.int64(f(*a))}


def _forms_lstm(ns):
    f = lesson07.library_lstm_step_forward

    def form(wrap):
        return lambda *a: wrap(*f(*a))
    return {"tuple": f, "list": form(lambda h, c: [h, c]), "nested lists": form(lambda h, c: (h.tolist(), c.tolist())),
            "float32": form(lambda h, c: (h.astype(np.float32), c.astype(np.float32)))}


def _forms_vocab(ns):
    f = lesson08.library_build_vocab
    return {"(str, dict)": f, "(list, dict)": lambda text: (list(f(text)[0]), f(text)[1]),
            "[array of str, dict]": lambda text: [np.array(list(f(text)[0])), f(text)[1]]}


def _forms_loss_per_char(ns):
    f = lesson08.library_loss_per_char
    return {"(float, float, float)": f, "list": lambda *a: list(f(*a)), "array": lambda *a: np.array(f(*a)),
            "(np.float64, 0-d array, float)": lambda *a: (np.float64(f(*a)[0]), np.array(f(*a)[1]), f(*a)[2])}


def _forms_seq_windows(ns):
    f = lesson08.library_sequential_windows
    return {"list of tuples": f, "generator": lambda *a: (p for p in f(*a)),
            "list of lists of lists": lambda *a: [[x.tolist(), y.tolist()] for x, y in f(*a)],
            "tuple of float arrays": lambda *a: tuple((x.astype(float), y.astype(float)) for x, y in f(*a))}


def _forms_adam(ns):
    f = lesson08.library_adam_step
    return {"tuple": f, "list": lambda *a, **k: list(f(*a, **k)),
            "nested lists": lambda *a, **k: tuple(x.tolist() for x in f(*a, **k))}


# (lesson, the fallback cell, {learner name: (checker, forms)})
FALLBACKS = [
    ("01_training_an_rnn.ipynb", "ex01-rnn-forward-fallback",
     {"rnn_forward": (forward.check_rnn_forward, _forms_rnn_forward)}),
    ("01_training_an_rnn.ipynb", "c028", {"my_windows": (lesson01.check_windows, _forms_windows)}),
    ("01_training_an_rnn.ipynb", "ex01-train-fallback",
     {"train_on_windows": (training.check_train_on_windows, _forms_train)}),
    ("03_backprop_through_time.ipynb", "ex03-assemble-fallback",
     {"softmax_cross_entropy": (loss.check_softmax_cross_entropy, _forms_loss),
      "rnn_backward": (bptt.check_rnn_backward, _forms_backward)}),
    ("03_backprop_through_time.ipynb", "ex03-gradcheck-fallback",
     {"numerical_gradient": (gradcheck.check_numerical_gradient, _forms_numgrad),
      "relative_error": (gradcheck.check_relative_error, _forms_relerr)}),
    ("05_gradient_clipping.ipynb", "ex05-rescue-fallback",
     {"my_clip_by_norm": (lesson05.check_clip_by_norm, _forms_clip)}),
    ("06_long_term_dependencies.ipynb", "7e437c41", {"steps_below": (lesson06.check_steps_below, _forms_steps)}),
    ("07_gated_cells.ipynb", "l07-fallback", {"lstm_step_forward": (lesson07.check_lstm_step_forward, _forms_lstm)}),
    ("08_capstone_char_lm.ipynb", "ex08-vocab-use", {"build_vocab": (lesson08.check_build_vocab, _forms_vocab)}),
    ("08_capstone_char_lm.ipynb", "ex08-loss-use",
     {"loss_per_char": (lesson08.check_loss_per_char, _forms_loss_per_char)}),
    ("08_capstone_char_lm.ipynb", "ex08-windows-use",
     {"sequential_windows": (lesson08.check_sequential_windows, _forms_seq_windows)}),
    ("08_capstone_char_lm.ipynb", "ex08-adam-use", {"adam_step": (lesson08.check_adam_step, _forms_adam)}),
]
CASES = [(nb, cell, name, checker, forms) for nb, cell, learners in FALLBACKS
         for name, (checker, forms) in learners.items()]


@pytest.fixture(scope="module")
def lessons(tmp_path_factory):
    """{(notebook, cell id): (namespace after the cells before it, the cell's source)}."""
    os.environ["RNN_EDU_PROGRESS"] = str(tmp_path_factory.mktemp("progress") / "progress.json")
    os.environ.setdefault("MPLBACKEND", "Agg")
    import matplotlib
    matplotlib.use("Agg")
    cache = {}

    def get(notebook, cell_id):
        if (notebook, cell_id) not in cache:
            cache[notebook, cell_id] = _run_before(notebook, cell_id)
        return cache[notebook, cell_id]
    return get


@pytest.mark.parametrize("notebook, cell, name, checker, forms", CASES, ids=[c[2] for c in CASES])
def test_every_form_a_checker_accepts_runs_in_the_cells_after_it(lessons, capsys, notebook, cell, name,
                                                                 checker, forms):
    namespace, source = lessons(notebook, cell)
    for form, fn in forms(namespace).items():
        fn.__name__ = name
        result = checker(fn)
        assert result.passed, f"{name} returning {form}: {result.message}"
        ns = dict(namespace, **{name: fn})
        capsys.readouterr()
        try:
            exec(compile(source, f"{notebook}:{cell}", "exec"), ns)
        except Exception as exc:  # noqa: BLE001 - say which form broke which cell
            raise AssertionError(f"{checker.__name__} passes {name} returning {form}, but the cell "
                                 f"{cell} of {notebook} then fails: {type(exc).__name__}: {exc}") from exc
        out = capsys.readouterr().out
        assert f"Using your {name}." in out, out


def test_the_issue_s_case_headless(lessons, capsys):
    """Lesson 05: my_clip_by_norm returns (clipped, norm) like rnn_edu.clip_by_norm; the checker
    passes it, and the cell "Your clipping rescues the run" runs on it and matches the library."""
    namespace, source = lessons("05_gradient_clipping.ipynb", "ex05-rescue-fallback")

    def my_clip_by_norm(grads, max_norm):
        norm = rnn_edu.global_norm(grads)
        scale = max_norm / norm if norm > max_norm else 1.0
        return grads.map(lambda a: a * scale), norm
    assert lesson05.check_clip_by_norm(my_clip_by_norm).passed
    ns = dict(namespace, my_clip_by_norm=my_clip_by_norm)
    exec(compile(source, "ex05-rescue-fallback", "exec"), ns)
    out = capsys.readouterr().out
    assert "Using your my_clip_by_norm." in out
    assert "the same losses as rnn_edu.train(..., clip_norm=1.0): True" in out, out


def test_a_form_the_checker_refuses_falls_back_to_the_library(capsys):
    def my_clip_by_norm(grads, max_norm):
        return {"W_F": grads.W_F}                       # not an RNNParams
    result = lesson05.check_clip_by_norm(my_clip_by_norm)
    assert not result.passed and "expected an RNNParams of clipped gradients" in result.message
    chosen = use_yours_or_library(my_clip_by_norm, lesson05.check_clip_by_norm, lesson05.library_clip_by_norm)
    assert chosen is lesson05.library_clip_by_norm
