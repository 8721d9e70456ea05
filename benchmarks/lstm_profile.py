"""Where one LSTM `bptt` call spends its time (issue 19): `python benchmarks/lstm_profile.py [H ...]`.

One BLAS thread, CPU time of this thread (time.thread_time: other processes on a busy machine
stretch wall time, not this), float32 by default (--float64), T = 50, B = 32, D = H = O.
Per part: the median over repeated calls, and the minor page faults per call (memory touched
for the first time: on a virtual machine each costs microseconds). The parts are run alone,
so they need not add up to the whole call exactly. torch's nn.LSTM + Linear + autograd step
on the same problem is timed in the same way, alternating with rnn_edu.
Beside each part: its matrix-product FLOPs (flops.py's count), the GFLOP/s that gives, and
its working set (the arrays it reads or writes, each counted once: a lower bound on its
memory traffic; W_R is read again at every step, which the count leaves out).
Not part of `make bench`; a development tool. `--write` puts the tables into RESULTS.md's
section "lstm-profile" (the rest of the file stays as it is).
"""
import argparse
import os
import resource
import sys
import time
from pathlib import Path

for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_name] = "1"          # before numpy is imported

import numpy as np  # noqa: E402

import rnn_edu  # noqa: E402
from rnn_edu.cells import lstm_fast  # noqa: E402
from rnn_edu.forward import output_scores  # noqa: E402
from rnn_edu.gradients import output_backward  # noqa: E402
from rnn_edu.losses import cross_entropy  # noqa: E402
from rnn_edu.stack import layer_weight_grads  # noqa: E402
import machine  # noqa: E402
import results_md  # noqa: E402
import torch_ref  # noqa: E402
from flops import bptt_flops  # noqa: E402

T, B = 50, 32
HERE = Path(__file__).resolve().parent


def timed(fn, calls):
    """(median CPU seconds per call, minor page faults per call) over `calls` calls after one."""
    fn()
    faults0, times = resource.getrusage(resource.RUSAGE_SELF).ru_minflt, []
    for _ in range(calls):
        start = time.thread_time()
        fn()
        times.append(time.thread_time() - start)
    return float(np.median(times)), (resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults0) / calls


def parts(H, dtype):
    """The callables to time: the whole call, torch's step, and the parts of bptt."""
    params, xs, targets = torch_ref.make_problem(T, B, H, dtype, cell="lstm")
    layer, h0 = params.layers[0], np.zeros((B, H), dtype)
    hs, _, cache = lstm_fast.forward(*layer, xs, h0, h0)
    zs = output_scores(params.W_O, params.b_o, hs)
    _, dzs = cross_entropy(zs, targets)
    _, _, dtop = output_backward(params, hs, dzs, slice(0, T))
    das = lstm_fast.backward(dtop, cache)[0]
    out = {"bptt (whole call)": lambda: rnn_edu.bptt(params, xs, targets),
           "LSTM layer forward": lambda: lstm_fast.forward(*layer, xs, h0, h0),
           "LSTM layer forward + backward": lambda: lstm_fast.backward(
               dtop, lstm_fast.forward(*layer, xs, h0, h0)[2]),
           "weight gradients (stack)": lambda: layer_weight_grads(das, xs, h0, hs),
           "output layer forward": lambda: output_scores(params.W_O, params.b_o, hs),
           "cross-entropy": lambda: cross_entropy(zs, targets),
           "output layer backward": lambda: output_backward(params, hs, dzs, slice(0, T))}
    if torch_ref.available():
        import torch
        torch.set_num_threads(1)
        out["torch step (nn.LSTM + Linear + autograd)"] = torch_ref.TorchRNN(params, xs, targets).step
    return out


def cost(H, itemsize):
    """{part: (matrix-product FLOPs, working-set bytes)} for D = H = O, T = 50, B = 32."""
    N, D, O, G = T * B, H, H, 4
    W = G * H * (D + H) + G * H                          # W_F, W_R, b_h
    fwd = (2 * N * D * G * H + 2 * N * H * G * H, N * D + N * G * H + 3 * N * H + W)
    bwd = (2 * N * G * H * H, N * G * H + 4 * N * H + G * H * H)
    out = {"bptt (whole call)": (bptt_flops(T, B, D, H, O, "lstm")[0], None),
           "LSTM layer forward": fwd,
           "LSTM layer forward + backward": (fwd[0] + bwd[0], fwd[1] + N * H),
           "weight gradients (stack)": (2 * N * G * H * (D + H), N * G * H + N * (D + H) + W),
           "output layer forward": (2 * N * H * O, N * H + O * H + N * O),
           "cross-entropy": (0, 2 * N * O),
           "output layer backward": (4 * N * O * H, 2 * N * O + 2 * N * H + O * H)}
    return {k: (f, None if b is None else b * itemsize) for k, (f, b) in out.items()}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sizes", nargs="*", type=int, default=[32, 128, 512])
    ap.add_argument("--float64", action="store_true")
    ap.add_argument("--rounds", type=int, default=5, help="alternating rounds (5)")
    ap.add_argument("--write", action="store_true", help="write the tables into benchmarks/RESULTS.md")
    args = ap.parse_args(argv)
    dtype = np.float64 if args.float64 else np.float32
    started, cpu_start = time.time(), machine.cpu_seconds()
    lines = []
    for H in args.sizes:
        fns = parts(H, dtype)
        calls = max(3, int(2e6 / (H * H * 16)))
        got = {name: [] for name in fns}
        for _ in range(args.rounds):                  # alternate, so load hits every part alike
            for name, fn in fns.items():
                got[name].append(timed(fn, calls))
        costs = cost(H, np.dtype(dtype).itemsize)
        lines += ["", f"H = {H} ({args.rounds} rounds x {calls} calls):", "",
                  "| part | CPU ms | page faults | matrix MFLOP | GFLOP/s | working set MB |",
                  "|---|---|---|---|---|---|"]
        for name, rows in got.items():
            ms = np.median([r[0] for r in rows]) * 1e3
            faults = np.median([r[1] for r in rows])
            flops, nbytes = costs.get(name, (None, None))
            lines.append(f"| {name} | {ms:.2f} | {faults:.0f} | "
                         + ("" if flops is None else f"{flops / 1e6:.1f}") + " | "
                         + ("" if not flops else f"{flops / ms / 1e6:.1f}") + " | "
                         + ("" if nbytes is None else f"{nbytes / 2 ** 20:.2f}") + " |")
        torch_name = "torch step (nn.LSTM + Linear + autograd)"
        if torch_name in got:    # the median of the per-round ratios: the rounds alternate
            ratio = np.median([a[0] / b[0] for a, b in zip(got["bptt (whole call)"], got[torch_name])])
            lines += ["", f"rnn_edu / torch (whole call, CPU time): {ratio:.2f}"]
        print("\n".join(lines[-len(got) - 7:]), flush=True)
    busy, steal, own = (end - start for end, start in zip(machine.cpu_seconds(), cpu_start))
    elapsed = time.time() - started
    import datetime
    head = ["## Where an LSTM bptt call spends its time", "",
            f"Measured on {datetime.date.today().isoformat()} by `benchmarks/lstm_profile.py --write` "
            f"({np.dtype(dtype).name}, T = {T}, B = {B}, D = H = O, one BLAS thread, CPU time of the "
            f"calling thread, median over alternating rounds); while it ran, other processes kept on average "
            f"{max(busy - own, 0.0) / elapsed:.2f} CPUs busy. The parts are timed alone, so they need not add "
            "up to the whole call. Matrix MFLOP: flops.py's count of the part's products; working set: the "
            "arrays the part reads or writes, each counted once (a lower bound on its memory traffic). "
            "torch's step runs nn.LSTM through oneDNN's fused RNN primitive (aten::mkldnn_rnn_layer and "
            "its backward, in torch.profiler), with one call per layer and direction for the whole sequence."]
    if args.write:
        out = HERE / "RESULTS.md"
        out.write_text(results_md.replace_section(out.read_text(), "lstm-profile", "benchmarks/lstm_profile.py",
                                                  "\n".join(head + lines)))
        print(f"Wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
