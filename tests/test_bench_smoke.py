"""The benchmark's PyTorch reference computes the same loss and gradients as rnn_edu.bptt.

The comparisons need torch (`make test-torch`); without it they skip, saying why.
"""
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import flops  # noqa: E402
import torch_ref  # noqa: E402

from optional import torch_or_skip  # noqa: E402


@pytest.fixture
def needs_torch_fixture():
    torch_or_skip()


def needs_torch(test):
    """A PyTorch comparison: marked `torch` (make test-torch), skipped with the reason without torch."""
    return pytest.mark.torch(pytest.mark.usefixtures("needs_torch_fixture")(test))


@needs_torch
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_bptt_equals_torch_reference(dtype):
    params, xs, targets = torch_ref.make_problem(T=4, B=3, n=5, dtype=dtype)
    diffs = torch_ref.check_equivalence(params, xs, targets)
    assert set(diffs) == {"loss", "W_F", "W_R", "b_h", "W_O", "b_o"}


@needs_torch
def test_equivalence_check_catches_a_small_difference(monkeypatch):
    params, xs, targets = torch_ref.make_problem(T=4, B=3, n=5, dtype=np.float64)
    bptt = torch_ref.rnn_edu.bptt

    def off_by_1e_8(*args, **kwargs):              # dW_R wrong in the 8th digit
        loss, grads = bptt(*args, **kwargs)
        grads.W_R *= 1 + 1e-8
        return loss, grads

    monkeypatch.setattr(torch_ref.rnn_edu, "bptt", off_by_1e_8)
    with pytest.raises(AssertionError, match="W_R"):
        torch_ref.check_equivalence(params, xs, targets)


def test_flop_formula_for_equal_sizes():
    total, step = flops.bptt_flops(T=50, B=32, D=128, H=128, O=128)
    assert total == 16 * 50 * 32 * 128 ** 2 and step == total // 4


@needs_torch
def test_lm_bench_compares_the_same_model_and_recipes_train():
    import lm_bench
    from rnn_edu.lm.corpus import shakespeare
    vocab, tr, va, _ = shakespeare()
    data = (vocab, tr, va[:3000])
    ours, theirs, ratios = lm_bench.throughput(data, blocks=1, per_block=1)   # asserts equal losses
    assert ours > 0 and theirs > 0 and len(ratios) == 1
    r = lm_bench.quality_run(lm_bench.MINCHAR, 0.5, data)
    assert r["updates"] > 10 and r["chars"] == 25 * r["updates"] and np.isfinite(r["val"])


@needs_torch
@pytest.mark.parametrize("cell", ["lstm", "gru"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_gated_bptt_equals_torch_reference(cell, dtype):
    params, xs, targets = torch_ref.make_problem(T=4, B=3, n=5, dtype=dtype, cell=cell)
    diffs = torch_ref.check_equivalence(params, xs, targets)
    assert set(diffs) == {"loss"} | set(params.named_arrays())
    assert ("b_R" in diffs) == (cell == "gru")


@needs_torch
def test_gated_equivalence_check_catches_a_small_difference(monkeypatch):
    params, xs, targets = torch_ref.make_problem(T=4, B=3, n=5, dtype=np.float64, cell="lstm")
    bptt = torch_ref.rnn_edu.bptt

    def off_by_1e_8(*args, **kwargs):
        loss, grads = bptt(*args, **kwargs)
        grads.W_F *= 1 + 1e-8
        return loss, grads

    monkeypatch.setattr(torch_ref.rnn_edu, "bptt", off_by_1e_8)
    with pytest.raises(AssertionError, match="W_F"):
        torch_ref.check_equivalence(params, xs, targets)


def test_gated_flop_formula():
    for cell, G in (("lstm", 4), ("gru", 3)):
        total, step = flops.bptt_flops(T=50, B=32, D=128, H=128, O=128, cell=cell)
        assert total == 2 * 50 * 32 * 128 ** 2 * (5 * G + 3) and step == 4 * G * 50 * 32 * 128 ** 2


def test_report_has_gated_rows_and_targets():
    import compare
    import report
    rows = []
    for cell in ("rnn", "lstm", "gru"):
        for dtype in ("float64", "float32"):
            for n, ratio in ((32, 0.5), (128, 0.9), (512, 1.2)):
                r = compare.Row(dtype, n, cell, pairs=1, calls=1, ours=[ratio * 1e-3], torch=[1e-3],
                                big=[100.0], step=[50.0], bound=[80.0], flops=10 ** 8)
                rows.append(r)
    table = "\n".join(report.speed_table(rows, 50, 32))
    assert "| LSTM | float32 | 128 |" in table and "| GRU | float64 | 512 |" in table
    targets = report.check_targets(rows)
    assert "- LSTM float64 H=512: rnn_edu / torch = 1.20 (target <= 1.0): MISSED by 20%" in targets
    assert "- GRU float32 H=32: rnn_edu / torch = 0.50 (target <= 1.0): holds" in targets
    assert "- RNN float32 H=512: rnn_edu / torch = 1.20 (target <= 1.3): holds" in targets
    assert len([t for t in targets if "rnn_edu / torch" in t]) == 18


@pytest.mark.parametrize("name", ["LSTM", "GRU"])
def test_lm_bench_gated_recipes_train_and_score_both_ways(name):
    import lm_bench
    from rnn_edu.lm.corpus import shakespeare
    vocab, tr, va, _ = shakespeare()
    recipe = dict(getattr(lm_bench, name), hidden=16)
    r = lm_bench.quality_run(recipe, 0.3, (vocab, tr, va[:3000]))
    assert r["updates"] >= 1 and r["chars"] == 32 * 64 * r["updates"]
    assert all(np.isfinite(r[k]) and r[k] < 4.3 for k in ("val", "val_zeros", "val_warm"))
    assert lm_bench.describe(recipe).startswith(name)
