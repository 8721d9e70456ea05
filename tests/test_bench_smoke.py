"""The benchmark's PyTorch reference computes the same loss and gradients as rnn_edu.bptt.

Runs only where torch is installed (the `bench` extra); skipped otherwise.
"""
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import flops  # noqa: E402
import torch_ref  # noqa: E402

needs_torch = pytest.mark.skipif(not torch_ref.available(),
                                 reason="torch is not installed (pip install -e '.[bench]')")


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
    from rnn_edu.corpus import shakespeare
    vocab, tr, va, _ = shakespeare()
    data = (vocab, tr, va[:3000])
    ours, theirs, ratios = lm_bench.throughput(data, blocks=1, per_block=1)   # asserts equal losses
    assert ours > 0 and theirs > 0 and len(ratios) == 1
    r = lm_bench.quality_run(lm_bench.MINCHAR, 0.5, data)
    assert r["updates"] > 10 and r["chars"] == 25 * r["updates"] and np.isfinite(r["val"])
