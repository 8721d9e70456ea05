"""Lesson 07's two later exercises: one LSTM step backward (lstm_step_backward, CS231n style, on the cache
of rnn_edu.cells.lstm.step_forward) and one GRU step forward (gru_step_forward). Their checkers: a right
answer passes; each known slip, written here independently of the checker's own catalogue, gets its
targeted message; garbage gets a clear message and never an exception; the fallback message points to
the hints without reciting the formula. The reference solutions agree with rnn_edu, with central
differences and (with torch) with PyTorch's autograd and nn.GRUCell."""
import json
from pathlib import Path

import numpy as np
import pytest

from rnn_edu.activations import sigmoid
from rnn_edu.cells import gru, lstm
from rnn_edu.course.exercises import IN_PLACE, use_yours_or_library
from rnn_edu.course.exercises import gru_step, lstm_backward
from rnn_edu.course.exercises.lesson07 import (check_gru_step_forward, check_lstm_step_backward,
                                               library_gru_step_forward, library_lstm_step_backward)
from optional import torch_or_skip

ROOT = Path(__file__).resolve().parents[1]
RULE = IN_PLACE.split(" in place ")[1][:60]
# what the fallback message must not recite (the exercise's formula; the hints give it step by step)
FORMULA_BITS = ["1 - tanh", "tanh_c ** 2", "tanh_c**2", "* f", "(1 - i)", "(1 - o)", "da.T", "da @", "W_R^T",
                "(1 - z)", "1 - z", "r * (", "z * h_prev", "x_t @ W_F.T", "h_prev @ W_R.T"]


# ---------------------------------------------------------------- the LSTM step backward

def make_backward(no_f=False, only_dc=False, no_via_h=False, o_prev=False, slope="tanh", gate_slope="sigmoid",
                  order="ifgo", direct_h=False, mean=False, swap=False, transpose_dW_F=False, db_rows=False,
                  in_place=False, outputs=6, g_sign=1, o_with_total=False, dtype=None, via_h_scale=1.0):
    """A learner's lstm_step_backward with the chosen slips (defaults: right); dtype: compute in it."""
    def lstm_step_backward(dh_t, dc_t, cache):
        x_t, h_prev, c_prev, gates, tanh_c, W_F, W_R = cache
        if dtype is not None:
            dh_t, dc_t = dh_t.astype(dtype), dc_t.astype(dtype)
            x_t, h_prev, c_prev, gates, tanh_c, W_F, W_R = (a.astype(dtype) for a in cache)
        H = h_prev.shape[1]
        i, f, g, o = (gates[:, k * H:(k + 1) * H] for k in range(4))
        tslope = {"tanh": 1 - tanh_c ** 2, "linear": 1 - tanh_c}[slope]
        via_h = via_h_scale * dh_t * o * tslope
        if in_place:
            dc_t += via_h                               # the slip: the caller's dc_t changes
            dc = dc_t
        else:
            dc = dc_t if no_via_h else dc_t + via_h
        sg = (lambda s: s * (1 - s)) if gate_slope == "sigmoid" else (lambda s: 1 - s ** 2)
        blocks = {"i": dc * g * sg(i), "f": dc * c_prev * sg(f), "g": g_sign * dc * i * (1 - g ** 2),
                  "o": (dc if o_with_total else dh_t) * (np.tanh(c_prev) if o_prev else tanh_c) * sg(o)}
        da = np.concatenate([blocks[n] for n in order], axis=1)
        dc_prev = dc if no_f else (dc_t * f if only_dc else dc * f)
        dh_prev = da @ W_R + (dh_t if direct_h else 0)
        scale = 1 / len(x_t) if mean else 1
        dW_F = scale * (x_t.T @ da if transpose_dW_F else da.T @ x_t)
        db = da if db_rows else scale * da.sum(axis=0)
        out = (da @ W_F, dc_prev, dh_prev) if swap else (da @ W_F, dh_prev, dc_prev)
        return (*out, dW_F, scale * (da.T @ h_prev), db)[:outputs]
    return lstm_step_backward


correct_backward = make_backward()


def _cache(seed):
    dh, dc, inputs = lstm_backward.example(seed)
    return dh, dc, inputs, lstm.step_forward(*inputs)[2]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_reference_backward_is_the_library_and_central_differences(seed):
    dh, dc, inputs, cache = _cache(seed)
    mine, lib = correct_backward(dh, dc, cache), lstm.step_backward(dh, dc, cache)
    numeric = lstm_backward.numeric_gradients(dh, dc, inputs)
    for a, b, n in zip(mine, lib, numeric):
        assert a.shape == b.shape == n.shape
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(a, n, rtol=1e-6, atol=1e-8)
    assert library_lstm_step_backward(dh, dc, cache)[3].shape == inputs[3].shape


def test_the_examples_have_the_shapes_the_issue_asks_for():
    for module, gates in ((lstm_backward, 4), (gru_step, 3)):
        sizes = []
        for seed in range(3):
            example = module.example(seed)
            x, h = (example[2][0], example[0]) if module is lstm_backward else example[:2]
            sizes.append((x.shape[0], x.shape[1], h.shape[1]))
        assert any(b == 1 for b, _, _ in sizes) and all(d != h and d != gates * h for _, d, h in sizes), sizes


@pytest.mark.torch
def test_the_reference_backward_agrees_with_torch_autograd():
    torch = torch_or_skip()
    dh, dc, inputs, cache = _cache(1)
    leaves = [torch.tensor(a, requires_grad=True) for a in inputs]
    x, h, c, W_F, W_R, b = leaves
    a = x @ W_F.T + h @ W_R.T + b
    i, f, g, o = a.chunk(4, dim=1)
    c_t = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
    h_t = torch.sigmoid(o) * torch.tanh(c_t)
    (torch.sum(torch.tensor(dh) * h_t) + torch.sum(torch.tensor(dc) * c_t)).backward()
    for mine, leaf in zip(correct_backward(dh, dc, cache), leaves):
        np.testing.assert_allclose(mine, leaf.grad.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("fn", [correct_backward, library_lstm_step_backward,
                                lambda *a: [np.asarray(g).tolist() for g in correct_backward(*a)],
                                make_backward(dtype=np.float32)],
                         ids=["learner", "library", "nested lists", "computed in float32"])
def test_a_right_backward_passes(fn):
    result = check_lstm_step_backward(fn)
    assert result.passed, result.message
    assert "example 2: B, D, H = 1, 4, 3" in result.message


@pytest.mark.parametrize("fn, hint", [
    (make_backward(no_f=True), "dc_prev is missing the forget gate factor"),
    (make_backward(only_dc=True), "dc_prev carries only dc_t"),
    (make_backward(no_via_h=True), "the gradient through h_t is missing from c_t's"),
    (make_backward(o_prev=True), "the o gate's derivative uses tanh(c_{t-1}) instead of tanh(c_t)"),
    (make_backward(slope="linear"), "tanh's slope is 1 - tanh(c_t)**2, squared"),
    (make_backward(gate_slope="tanh"), "i, f and o are sigmoids"),
    (make_backward(order="figo"), "you stacked them as f, i, g, o"),
    (make_backward(order="ifog"), "gate order"),
    (make_backward(direct_h=True), "dh_prev: in an LSTM, h_{t-1} is not added to anything directly"),
    (make_backward(mean=True), "you averaged them (divided by B)"),
    (make_backward(swap=True), "dh_prev and dc_prev are swapped"),
])
def test_each_known_backward_slip_gets_its_message(fn, hint):
    result = check_lstm_step_backward(fn)
    assert not result.passed and not result.stub
    assert hint in result.message, result.message


@pytest.mark.parametrize("fn, hint", [
    (make_backward(transpose_dW_F=True), "dW_F has shape (5, 8) (its transpose), expected (4H, D) = (8, 5)"),
    (make_backward(db_rows=True), "db_h has shape (3, 8) (one row per batch item"),
    (make_backward(outputs=5), "expected six arrays (dx_t, dh_prev, dc_prev, dW_F, dW_R, db_h), got 5 values"),
    (lambda *a: None, "expected six arrays"),
    (lambda *a: (*correct_backward(*a)[:5], None), "db_h: your function returned None"),
    (lambda *a: (*correct_backward(*a)[:5], "db"), "db_h should be a numpy array of numbers, got str"),
    (lambda dh, dc, cache: (dh @ cache[5].T,) * 6, "the shapes do not line up"),
    (lambda *a: 1 / 0, "your code raised ZeroDivisionError"),
    (make_backward(in_place=True), "changed its argument `dc_t` in place"),
])
def test_garbage_gets_a_clear_message_and_never_raises(fn, hint):
    result = check_lstm_step_backward(fn)
    assert not result.passed
    assert hint in result.message, result.message


def test_the_stub_and_non_functions():
    def lstm_step_backward(dh_t, dc_t, cache):
        raise NotImplementedError()
    result = check_lstm_step_backward(lstm_step_backward)
    assert result.stub and "write `lstm_step_backward` above" in result.message
    assert "expected a function lstm_step_backward(dh_t, dc_t, cache), got int" in check_lstm_step_backward(3).message
    assert "got NoneType" in check_lstm_step_backward(None).message


def test_an_unknown_backward_error_points_to_the_hints_without_the_formula():
    def lstm_step_backward(dh_t, dc_t, cache):
        out = list(correct_backward(dh_t, dc_t, cache))
        out[4] = out[4] * 1.1
        return tuple(out)
    message = check_lstm_step_backward(lstm_step_backward).message
    assert "dW_R differs from rnn_edu's step_backward" in message and "the hints below" in message, message
    assert "dx_t, dh_prev, dc_prev, dW_F, db_h agree with it" in message, message
    assert not [bit for bit in FORMULA_BITS if bit in message], message


@pytest.mark.parametrize("fn, where, agree", [
    (make_backward(g_sign=-1), "the g block of the pre-activation gradient differs (g: rows 2H:3H", "i, f, o agree"),
    (make_backward(o_with_total=True), "the o block of the pre-activation gradient differs (o: rows 3H:4H",
     "i, f, g agree"),
    (make_backward(g_sign=-1, dtype=np.float32), "the g block", "i, f, o agree"),
    (make_backward(via_h_scale=2.0), "the i, f, g blocks of the pre-activation gradient differ", "o agrees"),
], ids=["sign of the g block", "o block with the total dc", "g block in float32", "the gradient at c_t"])
def test_an_error_in_one_gate_block_is_located_without_the_formula(fn, where, agree):
    message = check_lstm_step_backward(fn).message
    assert where in message and agree in message, message
    assert not [bit for bit in FORMULA_BITS if bit in message], message


def test_float32_answers_get_float32_tolerance_and_float64_ones_do_not():
    """A float32 answer passes; its slips still get their messages; float64 is held to 1e-6."""
    assert "forget gate factor" in check_lstm_step_backward(make_backward(no_f=True, dtype=np.float32)).message

    def off_by_1e_5(dh_t, dc_t, cache):
        return tuple(g * (1 + 1e-5) for g in correct_backward(dh_t, dc_t, cache))
    message = check_lstm_step_backward(off_by_1e_5).message
    assert "relative to the largest entry" in message and "differ from rnn_edu's step_backward" in message, message


def test_the_central_differences_catch_what_the_library_would_miss(monkeypatch):
    """If rnn_edu's step_backward were wrong, a learner copying the slip would still fail."""
    wrong = make_backward(no_f=True)
    monkeypatch.setattr(lstm_backward, "step_backward", wrong)
    result = check_lstm_step_backward(wrong)
    assert not result.passed and "dc_prev disagrees with central differences" in result.message, result.message


def test_the_backward_reads_its_result_for_later_cells(capsys):
    chosen = use_yours_or_library(correct_backward, check_lstm_step_backward, library_lstm_step_backward)
    assert chosen.__wrapped__ is correct_backward
    dh, dc, _, cache = _cache(0)
    assert all(isinstance(g, np.ndarray) for g in chosen(dh, dc, cache))
    bad = make_backward(no_f=True)
    assert use_yours_or_library(bad, check_lstm_step_backward, library_lstm_step_backward) is library_lstm_step_backward


# ---------------------------------------------------------------- the GRU step forward

def make_gru(order="rzn", swap_z=False, reset="after", b_R_inside=True, use_b_h=True, use_b_R=True,
             gates=sigmoid, cand=np.tanh, transpose=False, with_cache=False, in_place=False):
    """A learner's gru_step_forward with the chosen slips (defaults: right)."""
    def gru_step_forward(x_t, h_prev, W_F, W_R, b_h, b_R):
        H = h_prev.shape[1]
        k = {name: slice(j * H, (j + 1) * H) for j, name in enumerate(order)}
        bh, bR = (b_h if use_b_h else 0 * b_h), (b_R if use_b_R else 0 * b_R)
        ax = (x_t @ (W_F if transpose else W_F.T)) + bh
        wh = h_prev @ W_R.T
        r = gates(ax[:, k["r"]] + wh[:, k["r"]] + bR[k["r"]])
        z = gates(ax[:, k["z"]] + wh[:, k["z"]] + bR[k["z"]])
        if reset == "after":
            rec = r * (wh[:, k["n"]] + bR[k["n"]]) if b_R_inside else r * wh[:, k["n"]] + bR[k["n"]]
            a_n = ax[:, k["n"]] + rec
        elif reset == "before":                          # Cho et al. / d2l
            a_n = ax[:, k["n"]] + (r * h_prev) @ W_R[k["n"]].T + bR[k["n"]]
        else:                                            # on the input side
            a_n = r * ax[:, k["n"]] + wh[:, k["n"]] + bR[k["n"]]
        n = cand(a_n)
        h_t = z * n + (1 - z) * h_prev if swap_z else (1 - z) * n + z * h_prev
        if in_place:
            h_prev[...] = h_t
        return (h_t, None) if with_cache else h_t
    return gru_step_forward


correct_gru = make_gru()


def gru_with(r_squash=sigmoid, z_squash=sigmoid, dtype=None):
    """A GRU step with its own squashing function per gate, computed in `dtype` if given."""
    def gru_step_forward(x_t, h_prev, W_F, W_R, b_h, b_R):
        if dtype is not None:
            x_t, h_prev, W_F, W_R, b_h, b_R = (a.astype(dtype) for a in (x_t, h_prev, W_F, W_R, b_h, b_R))
        H = h_prev.shape[1]
        a_x, a_h = x_t @ W_F.T + b_h, h_prev @ W_R.T + b_R
        r = r_squash(a_x[:, :H] + a_h[:, :H])
        z = z_squash(a_x[:, H:2 * H] + a_h[:, H:2 * H])
        n = np.tanh(a_x[:, 2 * H:] + r * a_h[:, 2 * H:])
        return (1 - z) * n + z * h_prev
    return gru_step_forward


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_reference_gru_step_is_the_library(seed):
    args = gru_step.example(seed)
    np.testing.assert_allclose(correct_gru(*args), gru.step_forward(*args)[0], rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(library_gru_step_forward(*args), gru.step_forward(*args)[0])


@pytest.mark.torch
def test_the_reference_gru_step_agrees_with_torch_grucell():
    torch = torch_or_skip()
    x, h, W_F, W_R, b_h, b_R = gru_step.example(1)
    cell = torch.nn.GRUCell(x.shape[1], h.shape[1], dtype=torch.float64)
    with torch.no_grad():
        for p, value in zip((cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh), (W_F, W_R, b_h, b_R)):
            p.copy_(torch.from_numpy(value))
        want = cell(torch.from_numpy(x), torch.from_numpy(h)).numpy()
    np.testing.assert_allclose(correct_gru(x, h, W_F, W_R, b_h, b_R), want, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("fn", [correct_gru, library_gru_step_forward, lambda *a: correct_gru(*a).tolist(),
                                lambda *a: correct_gru(*a).astype(np.float32), gru_with(dtype=np.float32)],
                         ids=["learner", "library", "nested lists", "float32", "computed in float32"])
def test_a_right_gru_step_passes(fn):
    result = check_gru_step_forward(fn)
    assert result.passed, result.message


@pytest.mark.parametrize("fn, hint", [
    (make_gru(swap_z=True), "z and 1 - z are swapped"),
    (make_gru(reset="before"), "the GRU's r gate multiplies the wrong term: you applied it to h_{t-1} before"),
    (make_gru(b_R_inside=False), "the n block of the recurrent bias b_R sits inside r_t * (...)"),
    (make_gru(reset="input"), "the GRU's r gate multiplies the wrong term: it scales the recurrent side"),
    (make_gru(use_b_h=False), "b_h is missing"),
    (make_gru(use_b_R=False), "b_R is missing"),
    (make_gru(gates=np.tanh, cand=sigmoid), "sigmoid vs tanh are swapped"),
    (make_gru(cand=sigmoid), "the candidate n_t uses tanh"),
    (make_gru(order="zrn"), "you read them as z, r, n"),
    (make_gru(order="nrz"), "gate order"),
    (lambda *a: gru_with(r_squash=np.tanh)(*a), "the reset gate r uses the sigmoid, like z"),
    (lambda *a: gru_with(z_squash=np.tanh)(*a), "the update gate z uses the sigmoid, like r"),
])
def test_each_known_gru_slip_gets_its_message(fn, hint):
    result = check_gru_step_forward(fn)
    assert not result.passed and not result.stub
    assert hint in result.message, result.message


@pytest.mark.parametrize("fn, hint", [
    (make_gru(transpose=True), "the shapes do not line up"),
    (make_gru(with_cache=True), "expected one array h_t (B, H), got a tuple of 2"),
    (lambda *a: correct_gru(*a).T, "h_t has shape (2, 3) (its transpose), expected (B, H) = (3, 2)"),
    (lambda *a: None, "your function returned None"),
    (lambda *a: "h", "h_t should be a numpy array of numbers, got str"),
    (lambda *a: {}["x"], "your code raised KeyError"),
    (make_gru(in_place=True), "changed its argument `h_prev` in place"),
])
def test_gru_garbage_gets_a_clear_message_and_never_raises(fn, hint):
    result = check_gru_step_forward(fn)
    assert not result.passed
    assert hint in result.message, result.message


def test_the_gru_stub_and_non_functions():
    def gru_step_forward(x_t, h_prev, W_F, W_R, b_h, b_R):
        raise NotImplementedError()
    result = check_gru_step_forward(gru_step_forward)
    assert result.stub and "write `gru_step_forward` above" in result.message
    assert "expected a function gru_step_forward(x_t, h_prev, W_F, W_R, b_h, b_R), got list" in \
        check_gru_step_forward([]).message


def test_an_unknown_gru_error_points_to_the_hints_without_the_formula():
    message = check_gru_step_forward(lambda *a: 0.9 * correct_gru(*a)).message
    assert "h_t differs from rnn_edu's" in message and "the hints below" in message, message
    assert not [bit for bit in FORMULA_BITS if bit in message], message


def test_the_gru_step_reads_its_result_for_later_cells():
    chosen = use_yours_or_library(lambda *a: correct_gru(*a).tolist(), check_gru_step_forward,
                                  library_gru_step_forward, "gru_step_forward")
    assert isinstance(chosen(*gru_step.example(0)), np.ndarray)


# ---------------------------------------------------------------- where the lesson puts them

def _lesson_cells():
    return json.loads((ROOT / "notebooks" / "07_gated_cells.ipynb").read_text(encoding="utf-8"))["cells"]


def _where(cells, text):
    return next(i for i, c in enumerate(cells) if text in "".join(c["source"]))


def test_each_exercise_comes_after_the_quizzes_it_would_answer():
    """Issue 21, item 20: the backward step holds the cell path's factor (cell-path-jacobian) and the
    forget gate's role (forget-bias-one); the GRU step holds the update rule (gru-update-gate)."""
    cells = _lesson_cells()
    backward, gru_ex = _where(cells, "def lstm_step_backward("), _where(cells, "def gru_step_forward(")
    assert _where(cells, 'quiz.show("cell-path-jacobian")') < backward
    assert _where(cells, 'quiz.show("forget-bias-one")') < backward
    assert _where(cells, 'quiz.show("gru-update-gate")') < gru_ex
    assert _where(cells, "def lstm_step_forward(") < backward < gru_ex < _where(cells, "## 4. Measured")
    for solution, check in [(backward, "check_lstm_step_backward(lstm_step_backward)"),
                            (gru_ex, "check_gru_step_forward(gru_step_forward)")]:
        assert check in "".join(cells[solution + 1]["source"])
        assert cells[solution - 1]["cell_type"] == "markdown"
