"""rnn_edu.bptt against PyTorch, timed side by side.

For each size the two run alternately, in short blocks (rnn_edu block, torch block,
rnn_edu block, ...) on the same weights and data, so a burst of load from another
process hits both; the speed ratio is the median over the pairs of blocks of
(rnn_edu time / torch time), each block's time being the median of its calls.

numpy's BLAS (OpenBLAS) keeps its worker threads spinning for about 0.1 s after a
call, torch's OpenMP pool for a few ms; on 2 cores a spinning pool of one library
slows the other one down. So before each block both pools are left to go idle
(SETTLE seconds), and the block starts with one untimed call. A program that uses
only one of the libraries never pays that cost, and this way neither side does.

After each rnn_edu block, numpy's matrix products at bptt's two shapes are timed
too (flops.py), so the achieved GFLOP/s is compared with the GEMM throughput of
that same moment.
"""
import time
from dataclasses import dataclass, field

import numpy as np

import rnn_edu
from flops import bptt_flops, gemm_operands, matmul_bound_rate, matmul_rates
from torch_ref import DTYPE_NAMES, TorchRNN, check_equivalence, make_problem


@dataclass
class Row:
    """The measurements of one (dtype, size)."""
    dtype: str
    n: int                       # D = H = O
    cell: str = "rnn"            # 'rnn', 'lstm' or 'gru'
    pairs: int = 0               # alternating pairs of blocks
    calls: int = 0               # timed calls per block
    ours: list = field(default_factory=list)      # seconds per bptt call
    torch: list = field(default_factory=list)     # seconds per torch step (empty if no torch)
    big: list = field(default_factory=list)       # GEMM GFLOP/s, (T*B, H) @ (H, H)
    step: list = field(default_factory=list)      # GEMM GFLOP/s, (B, H) @ (H, H)
    bound: list = field(default_factory=list)     # matmul-bound GFLOP/s of bptt (flops.py)
    torch_big: list = field(default_factory=list)  # torch.mm GFLOP/s at the same two shapes
    torch_step: list = field(default_factory=list)
    max_diff: float = float("nan")                # equivalence check: largest relative difference
    flops: int = 0

    def median(self, name):
        return float(np.median(getattr(self, name))) if getattr(self, name) else float("nan")

    @property
    def ratio(self):
        """Median over the pairs of rnn_edu time / torch time."""
        if not self.torch:
            return float("nan")
        return float(np.median(np.array(self.ours) / np.array(self.torch)))

    @property
    def gflops(self):
        return self.flops / self.median("ours") / 1e9

    @property
    def of_big(self):
        """Achieved GFLOP/s / big-shape GEMM GFLOP/s (median over the repetitions)."""
        return float(np.median(self.flops / np.array(self.ours) / 1e9 / np.array(self.big)))

    @property
    def of_bound(self):
        """Achieved GFLOP/s / matmul-bound GFLOP/s (median over the repetitions)."""
        return float(np.median(self.flops / np.array(self.ours) / 1e9 / np.array(self.bound)))


SETTLE = 0.2            # seconds: longer than either library's threads keep spinning
BLOCK_SECONDS = 0.05    # each block holds enough calls to last about this long (3 to 25 calls)


def seconds(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def block(fn, calls):
    """Let the thread pools go idle, make one untimed call, then time `calls` calls:
    returns the median seconds per call."""
    time.sleep(SETTLE)
    fn()
    return float(np.median([seconds(fn) for _ in range(calls)]))


def measure(T, B, n, dtype, with_torch, budget, min_pairs, max_pairs, cell="rnn"):
    """Check equivalence, then time bptt (and torch) in alternating blocks, about `budget` seconds."""
    params, xs, targets = make_problem(T, B, n, dtype, cell=cell)
    row = Row(DTYPE_NAMES[np.dtype(dtype)], n, cell, flops=bptt_flops(T, B, n, n, n, cell)[0])
    ours = lambda: rnn_edu.bptt(params, xs, targets)  # noqa: E731
    sides = [ours]
    rows, W = gemm_operands(T, B, n, dtype, cell=cell)
    if with_torch:
        import torch
        row.max_diff = max(check_equivalence(params, xs, targets).values())
        sides.append(TorchRNN(params, xs, targets).step)
        t_rows, t_W = torch.from_numpy(rows), torch.from_numpy(W)
    call = max(block(fn, 1) for fn in sides)           # a first estimate of one call
    calls = int(np.clip(BLOCK_SECONDS / call, 3, 25))
    pair = len(sides) * (SETTLE + (calls + 1) * call)
    row.pairs = int(np.clip(budget / pair, min_pairs, max_pairs))
    for _ in range(row.pairs):
        row.ours.append(block(ours, calls))
        rates = matmul_rates(rows, W, B)               # right after numpy's own block
        row.big.append(rates["big"])
        row.step.append(rates["step"])
        row.bound.append(matmul_bound_rate(T, B, n, n, n, rates, cell))
        if with_torch:
            row.torch.append(block(sides[1], calls))
            rates = matmul_rates(t_rows, t_W, B, matmul=torch.mm)   # right after torch's block
            row.torch_big.append(rates["big"])
            row.torch_step.append(rates["step"])
    row.calls = calls
    return row
