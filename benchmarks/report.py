"""Turn the measurements into Markdown tables, check the targets, write RESULTS.md."""
import math

from flops import __doc__ as FLOPS_DOC

# (cell, dtype, sizes it applies to, largest allowed rnn_edu time / torch time)
SPEED_TARGETS = [("rnn", "float64", (32, 128, 512), 1.0), ("rnn", "float32", (32, 128), 1.0),
                 ("rnn", "float32", (512,), 1.3)] + [
                (cell, dtype, (32, 128, 512), 1.0) for cell in ("lstm", "gru") for dtype in ("float64", "float32")]
CELL_NAMES = {"rnn": "RNN", "lstm": "LSTM", "gru": "GRU"}
GEMM_TARGET = ("float64", 512, 0.70)     # achieved / matmul-bound GFLOP/s at least this


def fmt(x, spec):
    return "n/a" if x is None or (isinstance(x, float) and math.isnan(x)) else format(x, spec)


def speed_table(rows, T, B):
    head = [f"| cell | dtype | D=H=O | blocks | rnn_edu (ms) | torch (ms) | rnn_edu / torch | "
            f"GFLOP/s | numpy GEMM big / step (GFLOP/s) | of matmul-bound | of big GEMM | "
            f"torch GEMM big / step | max rel. diff |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    body = [f"| {CELL_NAMES[r.cell]} | {r.dtype} | {r.n} | {r.pairs} x {r.calls} | {fmt(r.median('ours') * 1e3, '.2f')} | "
            f"{fmt(r.median('torch') * 1e3, '.2f')} | {fmt(r.ratio, '.2f')} | {r.gflops:.1f} | "
            f"{r.median('big'):.0f} / {r.median('step'):.0f} | {r.of_bound:.0%} | {r.of_big:.0%} | "
            f"{fmt(r.median('torch_big'), '.0f')} / {fmt(r.median('torch_step'), '.0f')} | "
            f"{fmt(r.max_diff, '.1e')} |" for r in rows]
    return [f"One `bptt` call (forward + backward, cross-entropy, many-to-many), T={T}, B={B}, "
            "against torch (nn.RNN, nn.LSTM or nn.GRU with nn.Linear and autograd) on the same "
            "weights and data, one cell after the other, each size and dtype interleaved. 'blocks' = pairs of alternating blocks "
            "x timed calls per block; times are medians, 'rnn_edu / torch' is the median of the "
            "per-pair ratios. GFLOP/s counts the matrix products only (formula below); "
            "'GEMM big / step' is numpy's rate for (T*B, H) @ (H, G H) and for (B, H) @ (H, G H) "
            "(G = 1 for the RNN, 4 for the LSTM, 3 for the GRU), "
            "measured between the blocks; 'of matmul-bound' compares the achieved rate with "
            "the rate bptt would have if it did nothing but its products at those two measured "
            "rates, 'of big GEMM' with the big-shape rate alone; 'torch GEMM' is torch.mm's rate "
            "at the same shapes (MKL), measured after each torch block. 'max rel. diff' is the largest "
            "relative difference between the two libraries' loss and gradients."] + [""] + head + body


def check_targets(rows):
    """Lines saying which targets hold, and by how much the others miss."""
    by_key = {(r.cell, r.dtype, r.n): r for r in rows}
    lines = []
    for cell, dtype, sizes, limit in SPEED_TARGETS:
        for n in sizes:
            r = by_key.get((cell, dtype, n))
            name = f"{CELL_NAMES[cell]} {dtype} H={n}"
            if r is None:
                continue
            if math.isnan(r.ratio):
                lines.append(f"- {name}: rnn_edu / torch <= {limit}: not measured (no torch)")
                continue
            verdict = "holds" if r.ratio <= limit else f"MISSED by {r.ratio / limit - 1:.0%}"
            lines.append(f"- {name}: rnn_edu / torch = {r.ratio:.2f} (target <= {limit}): {verdict}")
    dtype, n, share = GEMM_TARGET
    r = by_key.get(("rnn", dtype, n))
    if r is not None:
        verdict = "holds" if r.of_bound >= share else f"MISSED by {share - r.of_bound:.0%} points"
        lines.append(f"- RNN {dtype} H={n}: {r.of_bound:.0%} of the matmul-bound GEMM throughput "
                     f"(target >= {share:.0%}): {verdict}; against the big-shape GEMM rate "
                     f"alone it is {r.of_big:.0%}")
    return lines


def memory_table(rows, one_array_mb, T, B, H):
    head = [f"T={T}, B={B}, D=H=O={H}, float64; one (T, B, H) array is {one_array_mb:.1f} MB. "
            "Peak = largest total of numpy buffers alive during the call (tracemalloc). Full "
            "BPTT needs four such arrays at its peak: the states h_t, the outputs z_t, dL/dz_t "
            "and the gradient reaching each h_t from the output (before this work it was five).", "",
            "| run | peak traced memory (MB) | in (T, B, H) arrays | time (s) |", "|---|---|---|---|"]
    return head + [f"| {label} | {mb:.1f} | {mb / one_array_mb:.1f} | {s:.2f} |" for label, mb, s in rows]


def notebook_table(rows):
    head = ["`python -m pytest --nbval --nbval-current-env --nbval-sanitize-with "
            "tests/nbval_sanitize.cfg notebooks/<nb>` per notebook, then once for all that exist "
            "(wall clock, pytest start-up included).", "",
            "| notebook | time (s) | result |", "|---|---|---|"]
    return head + [f"| {name} | {fmt(s, '.1f')} | {status} |" for name, s, status in rows]


def machine_lines(info):
    lines = []
    for label, value in info.items():
        if isinstance(value, list):
            lines.append(f"- {label}:")
            lines += [f"  - {v}" for v in value]
        else:
            lines.append(f"- {label}: {value}")
    return lines


def flops_section():
    """The FLOP formula, taken from flops.py's docstring so the two never disagree."""
    return ["```", FLOPS_DOC.strip(), "```"]


def document(sections, header):
    """Join titled sections [(title, lines)] under a header into one Markdown text."""
    out = list(header)
    for title, lines in sections:
        out += ["", f"## {title}", ""] + list(lines)
    return "\n".join(out) + "\n"


def header(quick, threads, seconds, other_cpus, stolen_cpus):
    import datetime
    lines = ["# rnn-edu benchmarks", "",
             f"Written by `benchmarks/run.py` (`make bench`) on {datetime.date.today().isoformat()}, "
             f"in {seconds:.0f} s; numpy and torch both used {threads} threads. While it ran, other "
             f"processes kept on average {fmt(max(other_cpus, 0.0), '.2f')} CPUs busy and the "
             f"hypervisor took {fmt(stolen_cpus, '.2f')} (above ~0.2 the times spread; the "
             "interleaved ratios stay fairer than the absolute times). On a virtual machine the "
             "host's other guests can still slow both sides unseen: compare GEMM rates between runs."]
    if quick:
        lines += ["", "**Quick smoke run (`--quick`): few repetitions; do not cite these numbers.**"]
    return lines


def limits_notes(rows):
    """What bounds the speed, with this run's numbers filled in."""
    lines = [
        "- Both sides do the same matrix products (formula above); neither computes dL/dx_t. "
        "A quarter of the FLOPs are in T = 50 small per-step products (B, H) @ (H, H) that "
        "must run one after another (h_t needs h_{t-1}); with B = 32 rows they run below the "
        "big-shape GEMM rate (the 'step' column). So the GEMM target is judged against the "
        "matmul-bound rate: total FLOPs / (big FLOPs / big rate + step FLOPs / step rate), "
        "the speed bptt would reach if it did nothing but its matrix products at the rates "
        "numpy reaches for those shapes in the same run. The share of the big-shape rate "
        "alone is shown too.",
    ]
    for r in rows:
        if r.cell != "rnn":
            continue
        if r.torch_big and r.dtype == "float64" and r.n == 512:
            lines.append(
                f"- At H=512 in float64 the time is mostly matrix products, so the ratio to torch "
                f"follows the two BLAS libraries: numpy's OpenBLAS reached {r.median('big'):.0f} "
                f"(big) and {r.median('step'):.0f} (per-step) GFLOP/s, torch's MKL "
                f"{r.median('torch_big'):.0f} and {r.median('torch_step'):.0f}. rnn_edu's lower "
                "overhead (no autograd graph, fewer temporaries) is what keeps it level.")
        if r.dtype == "float64" and r.n == 512:
            lines.append(
                f"- At H=512 in float64, {r.of_bound:.0%} of the matmul-bound rate means about "
                f"{1 - r.of_bound:.0%} of the time goes elsewhere: element-wise passes over "
                "(T, B, H) arrays (bias adds, tanh, softmax, f'(a), column sums), which numpy runs "
                "on one thread while the products use two; the Python loop over 2 T steps; and "
                "first-touch page faults: each call allocates five (T, B, H) buffers of 6.5 MB "
                "(at most four alive at once), and glibc serves blocks that large with mmap and "
                "unmaps them on free, so every call faults its memory in again (in development, raising "
                "MALLOC_MMAP_THRESHOLD_ took about 8 ms off about 86 ms; the benchmark does not "
                "change the allocator).")
    lines += [
        "- Small sizes (H = 32) are dominated by per-call overhead (Python, numpy dispatch, "
        "input checks, torch's autograd bookkeeping), not by arithmetic.",
        "- Timing noise: with other processes on a 2-core machine a 2-thread GEMM waits "
        "for its descheduled thread, so single calls can take several times longer; the "
        "per-pair ratios are fairer than the absolute times because both sides are hit alike.",
        "- Memory: `truncate=k` does not save memory in rnn_edu: the forward pass still keeps "
        "every h_t, and each loss term backpropagates through its own k steps (more per-step "
        "work than full BPTT). What saves memory is training on windows of k steps with the "
        "state carried over (`train(seq_len=k)`), which keeps only k states at a time.",
    ]
    return lines
