"""Peak memory of `bptt` on a long sequence, full and truncated.

tracemalloc sees numpy's array buffers (numpy reports them to it), so the peak
traced while one call runs is the memory that call needed on top of its inputs.
Three ways of training on T = 1000 steps are compared:
    full BPTT              bptt(xs)                       every h_t kept, gradients through all steps
    truncate=k             bptt(xs, truncate=k)           same states kept; each L_t backprops k steps
    windows of k steps     bptt on xs[i:i+k], h carried   what train(seq_len=k) does: only k states
"""
import time
import tracemalloc

import numpy as np

import rnn_edu
from rnn_edu.gradients import bptt_with_state


def windowed(params, xs, targets, k):
    """bptt over consecutive windows of k steps, carrying h_T of one window into the next."""
    h = None
    for start in range(0, xs.shape[0], k):
        _, _, fwd = bptt_with_state(params, xs[start:start + k], targets[start:start + k], h)
        h = fwd.h_last


def peak_and_time(fn):
    """(peak traced MB, seconds) of fn(); the time comes from a second, untraced call."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    start = time.perf_counter()
    fn()
    return peak / 1e6, time.perf_counter() - start


def measure(T=1000, B=32, H=128, k=20, dtype=np.float64, seed=0):
    """Rows of (label, peak MB, seconds), plus the size of one (T, B, H) array in MB."""
    rng = np.random.default_rng(seed)
    params = rnn_edu.init_params(H, H, H, seed=seed, dtype=dtype)
    xs = rng.normal(size=(T, B, H)).astype(dtype)
    targets = rng.integers(0, H, size=(T, B))
    runs = [
        ("full BPTT", lambda: rnn_edu.bptt(params, xs, targets)),
        (f"truncate={k}", lambda: rnn_edu.bptt(params, xs, targets, truncate=k)),
        (f"windows of {k} steps (train(seq_len={k}))", lambda: windowed(params, xs, targets, k)),
    ]
    rows = [(label, *peak_and_time(fn)) for label, fn in runs]
    return rows, T * B * H * np.dtype(dtype).itemsize / 1e6
