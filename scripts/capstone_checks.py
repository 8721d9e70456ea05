"""Checks on lesson 08's capstone (`make capstone-checks`, about 20 minutes on 2 cores): the
candidates again with a second seed, and the largest one with dropout.

    python scripts/capstone_checks.py [--jobs N] [--max-steps S] [--out DIR]

Each run is one of scripts/capstone.py's candidates with one setting changed (RUNS), trained by
the same code (capstone.run_main) and scored on the whole validation part as the candidates are
(capstone.score). The test part is never read here. Writes rnn_edu/assets/capstone_checks.json:
per run its configuration, its validation curve and loss, its final training loss (the mean of
the last 250 updates) and its first training losses (tests/test_capstone_checks.py re-runs them).
"""
import argparse
import json
import os
import sys
import time
from pathlib import Path

for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import capstone  # noqa: E402

# name: (candidate, the settings that differ from it)
RUNS = {
    "gru_512_seed1": ("gru_512", dict(seed=1)),
    "gru_256_seed1": ("gru_256", dict(seed=1)),
    "lstm_256_seed1": ("lstm_256", dict(seed=1)),
    "rnn_256_seed1": ("rnn_256", dict(seed=1)),
    "gru_512_dropout25": ("gru_512", dict(dropout=0.25)),
}
FIRST = 6          # training losses stored from the start, for the test that re-runs them


def config(name):
    base, change = RUNS[name]
    return dict(capstone.CANDIDATES[base], **change)


def run(args):
    name, max_steps = args
    cfg = config(name)
    t0 = time.perf_counter()
    hist, *_ = capstone.run_main(cfg, max_steps=max_steps, log=None)
    every = cfg["eval_every"]
    return name, dict(base=RUNS[name][0], change=RUNS[name][1], config=cfg, steps=hist.steps,
                      best_step=hist.best_step, val_steps=hist.val_steps, val_loss=hist.val_loss,
                      val_full=capstone.score(hist.best_params, "validation"),
                      final_train=float(np.mean(hist.train_loss[-every:])),
                      first_train=[float(x) for x in hist.train_loss[:FIRST]],
                      seconds=time.perf_counter() - t0)


def _cost(name):
    c = config(name)
    return c["max_steps"] * c["hidden"] ** 2 * {"lstm": 4, "gru": 3}.get(c.get("cell"), 1)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jobs", type=int, default=2, help="worker processes (default 2: one per core)")
    ap.add_argument("--max-steps", type=int, default=None, help="stop every run after this many updates")
    ap.add_argument("--out", default=str(capstone.ASSETS), help="the folder for capstone_checks.json")
    args = ap.parse_args(argv)
    if args.jobs < 1:
        ap.error(f"--jobs: expected a positive number of processes, got {args.jobs}")
    import multiprocessing as mp
    started, runs = time.perf_counter(), {}
    names = sorted(RUNS, key=_cost, reverse=True)                 # longest first
    with mp.get_context("spawn").Pool(args.jobs) as pool:
        for name, rec in pool.imap_unordered(run, [(n, args.max_steps) for n in names]):
            runs[name] = rec
            print(f"{name}: validation {rec['val_full']:.4f}, training {rec['final_train']:.4f} "
                  f"({rec['seconds'] / 60:.1f} min)", flush=True)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    record = dict(runs={n: runs[n] for n in RUNS}, wall_seconds=time.perf_counter() - started,
                  workers=args.jobs, max_steps=args.max_steps)
    (out / "capstone_checks.json").write_text(json.dumps(record, separators=(",", ":")))
    print(f"wrote {out / 'capstone_checks.json'} in {record['wall_seconds'] / 60:.1f} min", flush=True)


if __name__ == "__main__":
    main()
