"""Lesson 06's sweep: the cue task over gaps and seeds, training and held-out accuracy.

    python scripts/longterm_sweep.py [--cell rnn|lstm|gru] [--gaps 10,20,...] [--seeds 0,1,2]
                                     [--epochs N] [--out PATH]

Writes rnn_edu/assets/longterm_sweep_<cell>.json (records as in rnn_edu.studies.longterm.run_one);
lesson 06 reads it with rnn_edu.studies.longterm.load_sweep. Records of an existing file for other
(gap, seed) pairs are kept, so a sweep can be extended a few gaps at a time, unless they were made
with other settings (then the file starts anew) or another initial gate bias (longterm.GATE_BIAS;
those records are dropped).
The full plain-RNN sweep takes about 5 minutes of one core (CPU time): run it with `nice -n 10`.
"""
import argparse
import json
import os
import sys
import time
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")      # one core: threaded BLAS only slows these small products
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rnn_edu.studies import longterm  # noqa: E402


def int_list(text):
    try:
        return [int(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected integers separated by commas, got {text!r}") from None


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cell", choices=longterm.CELLS, default="rnn")
    ap.add_argument("--gaps", type=int_list, default=list(longterm.GAPS))
    ap.add_argument("--seeds", type=int_list, default=list(longterm.SEEDS))
    ap.add_argument("--epochs", type=int, default=longterm.SETTINGS["epochs"])
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args(argv)
    out = args.out or longterm.sweep_path(args.cell)
    settings = dict(longterm.SETTINGS, epochs=args.epochs)
    old = json.loads(out.read_text()) if out.exists() else {"records": []}
    if old.get("settings", settings) != settings:
        old = {"records": []}          # other settings: start a new file
    bias = longterm.GATE_BIAS[args.cell]
    keep = {(r["gap"], r["seed"]): r for r in old["records"] if r.get("gate_bias", {}) == bias}
    for gap in args.gaps:
        for seed in args.seeds:
            t0 = time.process_time()
            rec = longterm.run_one(gap, seed, cell=args.cell, epochs=args.epochs)
            keep[gap, seed] = rec
            print(f"{args.cell} gap {gap:3d} seed {seed}: train {rec['train_accuracy']:.3f} "
                  f"held-out {rec['held_out_accuracy']:.3f}  ({time.process_time() - t0:.0f} s CPU)",
                  flush=True)
            records = sorted(keep.values(), key=lambda r: (r["gap"], r["seed"]))
            out.write_text(json.dumps({"settings": settings, "records": records}, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
