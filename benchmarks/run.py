"""Benchmarks of rnn_edu: `make bench`, or `python benchmarks/run.py [--quick]`.

1. speed of one bptt call against PyTorch (nn.RNN / nn.LSTM / nn.GRU + Linear + autograd),
   interleaved, float64 and float32, D = H = O in {32, 128, 512}, T = 50, B = 32
   (after checking that both give the same loss and gradients), for each cell;
2. achieved GFLOP/s against numpy's matrix-multiply throughput measured alongside;
3. peak memory of bptt at T = 1000: full, truncated, windowed;
4. time of each lesson notebook, and of the whole course, under nbval;
5. the language model's rows (benchmarks/lm_bench.py: validation loss after 60 s of training,
   rnn_edu's recipe against min-char-rnn's, and training throughput against PyTorch), run
   after the rest in a process of its own; `--lm-only` runs just these, `--no-lm` skips them.
Prints the tables and writes them to benchmarks/RESULTS.md (`--quick`: a smoke run
with few repetitions, which writes a file only when --output is given).
Both libraries use the same number of threads (2 by default, --threads).
"""
import argparse
import sys
import time
from pathlib import Path

import machine

HERE = Path(__file__).resolve().parent
T, B, SIZES, CELLS = 50, 32, (32, 128, 512), ("rnn", "lstm", "gru")


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="few repetitions, small memory run")
    ap.add_argument("--threads", type=int, default=2, help="BLAS threads for numpy and torch (2)")
    ap.add_argument("--seconds", type=float, default=8.0,
                    help="time budget per size and dtype for the interleaved timing (8)")
    ap.add_argument("--no-notebooks", action="store_true", help="skip the nbval timings")
    ap.add_argument("--lm-only", action="store_true", help="only the language-model rows (lm_bench.py)")
    ap.add_argument("--no-lm", action="store_true", help="skip the language-model rows")
    ap.add_argument("--cells", default=",".join(CELLS),
                    help="which cells to time, comma-separated (default: rnn,lstm,gru)")
    ap.add_argument("--dtypes", default="float64,float32",
                    help="which dtypes to time, comma-separated (default: float64,float32)")
    ap.add_argument("--output", type=Path, default=None,
                    help="where to write the Markdown (default benchmarks/RESULTS.md; none with --quick)")
    return ap.parse_args(argv)


args = parse_args()
THREADS_BEFORE = machine.pin_threads(args.threads)   # before numpy is imported, here or by rnn_edu

import numpy as np  # noqa: E402

import compare  # noqa: E402
import memory  # noqa: E402
import notebooks_timing  # noqa: E402
import report  # noqa: E402
import results_md  # noqa: E402
import torch_ref  # noqa: E402


def setup_torch(threads):
    """Import torch with `threads` intra-op threads; False (and a note) if it is absent."""
    if not torch_ref.available():
        print("NOTE: torch is not installed, so the PyTorch comparison is skipped "
              "(install it with: pip install -e '.[bench]').")
        return False
    import torch
    torch.set_num_threads(threads)
    return True


def speed_section(with_torch):
    budget, lo, hi = (0.5, 3, 3) if args.quick else (args.seconds, 7, 101)
    rows = []
    dtypes = [np.dtype(d) for d in args.dtypes.split(",")]
    cases = [(c, d, n) for c in args.cells.split(",") for d in dtypes for n in SIZES]
    for cell, dtype, n in cases:
        row = compare.measure(T, B, n, dtype, with_torch, budget, lo, hi, cell=cell)
        print(f"  {cell} {row.dtype} n={n}: {row.pairs} pairs of {row.calls}-call blocks, "
              f"rnn_edu {row.median('ours') * 1e3:.2f} ms, ratio {report.fmt(row.ratio, '.2f')}",
              flush=True)
        rows.append(row)
    return rows


def lm_rows():
    """benchmarks/lm_bench.py in a process of its own (it pins its own BLAS threads)."""
    import subprocess
    cmd = [sys.executable, str(HERE / "lm_bench.py")] + (["--quick"] if args.quick else [])
    if args.output is not None:
        cmd += ["--output", str(args.output)]
    return subprocess.call(cmd)


def main():
    if args.lm_only:
        return lm_rows()
    started, cpu_start = time.time(), machine.cpu_seconds()
    with_torch = setup_torch(args.threads)
    blas_limit = machine.limit_blas_threads(args.threads)  # noqa: F841 (keeps the limit active)
    info = machine.describe(with_torch, THREADS_BEFORE)
    print("Machine:\n" + "\n".join(report.machine_lines(info)), flush=True)

    print("\nSpeed" + (" (interleaved with torch):" if with_torch else ":"), flush=True)
    all_rows = speed_section(with_torch)
    rows = [r for r in all_rows if r.cell == "rnn"]
    gated = [r for r in all_rows if r.cell != "rnn"]
    out = args.output or (None if args.quick else HERE / "RESULTS.md")
    old = out.read_text() if out is not None and out.exists() else ""
    gated_text = gated_section(gated, with_torch, started, cpu_start, old) if gated else None
    if not rows:       # only gated cells asked for: update their section, leave the rest alone
        print("\n" + gated_text)
        if out is not None:
            out.write_text(results_md.replace_section(old, GATED_SECTION, "benchmarks/run.py", gated_text))
            print(f"Wrote {out}")
        return 0
    speed = report.speed_table(rows, T, B)
    if not with_torch:
        speed += ["", "torch is not installed: the PyTorch columns and the equivalence check are skipped."]
    targets = report.check_targets(rows)

    print("\nMemory:", flush=True)
    mem_T = 200 if args.quick else 1000
    mem_rows, one_mb = memory.measure(T=mem_T)
    mem = report.memory_table(mem_rows, one_mb, mem_T, 32, 128)

    if args.no_notebooks:
        nb = ["(skipped: --no-notebooks)"]
    else:
        print("\nNotebooks under nbval:", flush=True)
        nb = report.notebook_table(notebooks_timing.measure())

    sections = [("Speed: rnn_edu.bptt against PyTorch", speed), ("Targets", targets),
                ("How the FLOPs are counted", report.flops_section()),
                ("Peak memory of bptt, T = %d" % mem_T, mem), ("Notebooks under nbval", nb),
                ("What limits the numbers", report.limits_notes(rows)),
                ("Machine", report.machine_lines(info))]
    elapsed = time.time() - started
    busy, steal, own = (end - start for end, start in zip(machine.cpu_seconds(), cpu_start))
    header = report.header(args.quick, args.threads, elapsed, (busy - own) / elapsed, steal / elapsed)
    text = report.document(sections, header)
    if gated_text is not None:
        text = results_md.replace_section(text, GATED_SECTION, "benchmarks/run.py", gated_text)
    print("\n" + text)
    if out is not None:
        out.write_text(results_md.keep_sections(old, text))  # other harnesses' sections stay
        print(f"Wrote {out}")
    return 0 if args.no_lm else lm_rows()


GATED_SECTION = "gated-speed"


def gated_section(rows, with_torch, started, cpu_start, old=""):
    """The LSTM and GRU rows: their own marked section of RESULTS.md, so that
    `run.py --cells lstm,gru` can refresh them without re-running everything else.
    Rows (and target lines) of a cell and dtype this run did not time (--cells, --dtypes)
    are kept from the old section, and the text says which run they come from."""
    busy, steal, own = (end - start for end, start in zip(machine.cpu_seconds(), cpu_start))
    elapsed = time.time() - started
    import datetime
    timed = {(report.CELL_NAMES[r.cell], r.dtype) for r in rows}
    kept_rows, kept_targets, kept_from = results_md.untimed_rows(
        results_md.read_section(old, GATED_SECTION) or "", timed)
    lines = ["## Speed: LSTM and GRU bptt against PyTorch", "",
             f"Measured on {datetime.date.today().isoformat()} by `benchmarks/run.py` "
             f"(cells {', '.join(sorted({r.cell for r in rows}))}; dtypes "
             f"{', '.join(sorted({r.dtype for r in rows}))}), numpy and torch both with "
             f"{args.threads} thread{'s' if args.threads != 1 else ''}{' (--quick: do not cite)' if args.quick else ''}; while the timings "
             f"ran, other processes kept on average {max(busy - own, 0.0) / elapsed:.2f} CPUs busy and the "
             f"hypervisor took {steal / elapsed:.2f}. Same method and columns as the RNN table at the top of this file; "
             "FLOPs as in flops.py with G gates."]
    if kept_rows:
        lines[-1] += (f" The rows of {', '.join(sorted({' '.join(k) for k in kept_rows}))} were not timed in this "
                      f"run and are kept from the earlier one ({kept_from}).")
    lines.append("")
    table = report.speed_table(rows, T, B)[2:]
    by_key = dict(kept_rows)
    for line in table[2:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        by_key.setdefault((cells[0], cells[1]), []).append(line)
    order = lambda key: (["LSTM", "GRU", "RNN"].index(key[0]), ["float64", "float32"].index(key[1]))  # noqa: E731
    lines += table[:2] + [line for key in sorted(by_key, key=order) for line in by_key[key]]
    if not with_torch:
        lines += ["", "torch is not installed: the PyTorch columns and the equivalence check are skipped."]
    lines += ["", "Targets:", ""] + report.check_targets(rows) + kept_targets
    if any(r.cell == "lstm" for r in rows):
        lines += ["", "What limits the LSTM rows: per step, rnn_edu's forward makes one matrix product and "
                  "9 numpy element-wise calls and its backward one product and 5 (rnn_edu/cells/lstm_fast.py); "
                  "each call costs about a microsecond whatever its size, which is most of the time at H = 32, "
                  "while from H = 128 on the per-step products dominate. torch's float32 nn.LSTM on CPU is one call "
                  "to oneDNN's fused RNN primitive per pass (aten::mkldnn_rnn_layer and its backward), with the "
                  "gates' element-wise work compiled into the step; its float64 nn.LSTM is not (no oneDNN path), "
                  "which is why the float64 rows differ from the float32 ones. Each part's CPU time, FLOPs and "
                  "working set: the section written by benchmarks/lstm_profile.py --write. On a machine shared "
                  "with other work (see 'CPUs busy' above) the two-thread wall-clock ratios move from "
                  "run to run (by tens of percent); the profile's one-thread CPU times move less."]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
