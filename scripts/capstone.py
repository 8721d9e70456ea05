"""The capstone's long run (`make capstone`): train the shipped character model on tiny
Shakespeare, and the short comparison runs lesson 08 shows; write everything as data.

    python scripts/capstone.py            the full run (about 10 minutes on 2 shared cores)
    python scripts/capstone.py --only main|compare

Writes rnn_edu/assets/capstone_weights.npz (the best weights by validation loss, float32) and
rnn_edu/assets/capstone_run.json (configuration, learning curves, validation and test loss,
samples at several temperatures, the comparisons). Seeded: the same machine gives the same
numbers; tests/test_capstone.py re-runs the first steps and checks them against the stored curve.
BLAS runs on one thread (on a shared machine, two spinning BLAS threads were ~25x slower).
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
sys.path.insert(0, str(ROOT))

from rnn_edu import init_params  # noqa: E402
from rnn_edu.lm.corpus import shakespeare  # noqa: E402
from rnn_edu.lm.evaluation import evaluate, perplexity  # noqa: E402
from rnn_edu.lm.training import train_lm  # noqa: E402
from rnn_edu.optim import Adam, Momentum  # noqa: E402
from rnn_edu.lm.sampling import sample  # noqa: E402

ASSETS = ROOT / "rnn_edu" / "assets"
# The shipped model: a plain tanh RNN (the course's cell), Adam, clipping, sequential batches.
MAIN = dict(cell="rnn", hidden=256, batch_size=32, num_steps=64, lr=5e-3, lr_final=5e-4,
            clip_norm=5.0, partition="sequential", max_steps=5000, eval_every=250,
            val_chars=20000, patience=4, seed=0)
# The comparisons: a small model, short runs, two seeds each; one setting changes at a time.
SMALL = dict(hidden=128, batch_size=32, num_steps=50, max_steps=400, eval_every=50, val_chars=20000)
COMPARE = {
    "adam_sequential_clip": dict(optimizer="adam", lr=5e-3, partition="sequential", clip_norm=5.0),
    "adam_random_clip": dict(optimizer="adam", lr=5e-3, partition="random", clip_norm=5.0),
    "sgd_sequential_clip": dict(optimizer="sgd", lr=0.2, partition="sequential", clip_norm=5.0),
    "sgd_sequential_noclip": dict(optimizer="sgd", lr=0.2, partition="sequential", clip_norm=None),
    "lstm_adam_sequential_clip": dict(optimizer="adam", lr=5e-3, partition="sequential", clip_norm=5.0,
                                      cell="lstm"),
    "lstm_adam_random_clip": dict(optimizer="adam", lr=5e-3, partition="random", clip_norm=5.0, cell="lstm"),
}
SEEDS = (0, 1)
TEMPERATURES = (0.0, 0.5, 0.8, 1.0, 1.5)
PROMPT = "ROMEO:\n"


def linear_decay(lr, lr_final, steps):
    """lr at update s: from lr down to lr_final in a straight line over `steps` updates."""
    return lambda s: lr + (lr_final - lr) * min(s, steps) / steps


def say(text):
    print(text, flush=True)


def run_main(cfg=MAIN, max_steps=None, log=say):
    """Train the shipped model; returns (history, vocab, val_ids, test_ids)."""
    vocab, tr, va, te = shakespeare()
    params = init_params(len(vocab), cfg["hidden"], len(vocab), seed=cfg["seed"], dtype=np.float32)
    steps = max_steps or cfg["max_steps"]
    hist = train_lm(params, tr, va, optimizer=Adam(cfg["lr"]), batch_size=cfg["batch_size"],
                    num_steps=cfg["num_steps"], partition=cfg["partition"], clip_norm=cfg["clip_norm"],
                    epochs=100, max_steps=steps, eval_every=cfg["eval_every"], val_chars=cfg["val_chars"],
                    patience=cfg["patience"], seed=cfg["seed"],
                    lr_schedule=linear_decay(cfg["lr"], cfg["lr_final"], cfg["max_steps"]), log=log)
    return hist, vocab, va, te


def make_optimizer(name, lr):
    # plain SGD as Momentum with momentum 0: W <- W - lr g, exactly sgd_step
    return Adam(lr) if name == "adam" else Momentum(lr, momentum=0.0)


def run_compare(name, seed, max_steps=None):
    """One comparison run: its curves and final training / validation loss."""
    c = {**SMALL, **COMPARE[name]}
    vocab, tr, va, _ = shakespeare()
    cell = c.get("cell", "rnn")
    params = (init_params(len(vocab), c["hidden"], len(vocab), seed=seed, dtype=np.float32) if cell == "rnn"
              else init_params(len(vocab), c["hidden"], len(vocab), seed=seed, dtype=np.float32, cell=cell))
    t0 = time.perf_counter()
    h = train_lm(params, tr, va, optimizer=make_optimizer(c["optimizer"], c["lr"]),
                 batch_size=c["batch_size"], num_steps=c["num_steps"], partition=c["partition"],
                 clip_norm=c["clip_norm"], epochs=100, max_steps=max_steps or c["max_steps"],
                 eval_every=c["eval_every"], val_chars=c["val_chars"], seed=seed)
    return dict(seed=seed, train_loss=h.train_loss, norms=h.norms, val_steps=h.val_steps,
                val_loss=h.val_loss, seconds=time.perf_counter() - t0, stop_reason=h.stop_reason,
                num_params=int(params.num_params()),
                final_train=float(np.mean(h.train_loss[-c["eval_every"]:])), final_val=h.val_loss[-1])


def main_record(log=say):
    t0 = time.perf_counter()
    hist, vocab, va, te = run_main(log=log)
    best = hist.best_params
    val, test = evaluate(best, va), evaluate(best, te)
    log(f"best step {hist.best_step}: val {val:.4f}, test {test:.4f} nats/char")
    samples = {str(T): sample(best, vocab, PROMPT, 400, temperature=T, seed=0) for T in TEMPERATURES}
    np.savez_compressed(ASSETS / "capstone_weights.npz",
                        **{k: v.astype(np.float32) for k, v in best.named_arrays().items()})
    return dict(config=MAIN, steps=hist.steps, stop_reason=hist.stop_reason, best_step=hist.best_step,
                train_loss=hist.train_loss, norms=hist.norms, val_steps=hist.val_steps,
                val_loss=hist.val_loss, val_seconds=hist.seconds, val_full=val, test=test,
                test_perplexity=perplexity(test), samples=samples, prompt=PROMPT,
                seconds=time.perf_counter() - t0, num_params=int(best.num_params()))


def compare_record(log=say, names=None, old=None):
    """The comparison runs; with `names`, only those settings, the others kept from `old`."""
    out = {"small": SMALL, "settings": COMPARE, "runs": dict((old or {}).get("runs", {}))}
    for name in names or COMPARE:
        out["runs"][name] = []
        for seed in SEEDS:
            r = run_compare(name, seed)
            log(f"{name} seed {seed}: train {r['final_train']:.4f} val {r['final_val']:.4f} "
                f"({r['seconds']:.0f} s)")
            out["runs"][name].append(r)
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", choices=("main", "compare"), default=None)
    ap.add_argument("--settings", default=None,
                    help="with --only compare: re-run only these comparison settings (comma-separated)")
    args = ap.parse_args(argv)
    path = ASSETS / "capstone_run.json"
    record = json.loads(path.read_text()) if path.exists() else {}
    started, new = time.perf_counter(), {}
    if args.only in (None, "main"):
        c0 = time.process_time()
        new["main"] = main_record()
        new["main"]["cpu_seconds"] = time.process_time() - c0
    if args.only in (None, "compare"):
        names = args.settings.split(",") if args.settings else None
        unknown = sorted(set(names or ()) - set(COMPARE))
        if unknown:
            ap.error(f"--settings: expected names from {sorted(COMPARE)}, got {unknown}")
        c0 = time.process_time()
        new["compare"] = compare_record(names=names, old=record.get("compare"))
        new["compare"]["cpu_seconds"] = time.process_time() - c0
    record = json.loads(path.read_text()) if path.exists() else {}     # another run may have written
    record.update(new)
    record.pop("cpu_seconds", None)
    record["threads"] = os.environ.get("OPENBLAS_NUM_THREADS")
    path.write_text(json.dumps(record, indent=None, separators=(",", ":")))
    print(f"wrote {path.relative_to(ROOT)} in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
