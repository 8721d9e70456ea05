"""The capstone's long run (`make capstone`): train the candidates for lesson 08's shipped
character model on tiny Shakespeare, and the short comparison runs the lesson shows; write
everything as data.

    python scripts/capstone.py            everything (about 15 minutes on 2 cores)
    python scripts/capstone.py --only main|compare [--settings a,b] [--jobs N]
    python scripts/capstone.py --only rescore      the shipped weights' test loss per play, again

The candidates (CANDIDATES: a GRU at two sizes, an LSTM, and the plain RNN the course shipped before)
and the comparison runs train in N worker processes (default 2, one per core, BLAS on one thread
each: on a shared machine, two spinning BLAS threads were ~25x slower), longest first. One line
shows the progress of the longest run (updates, elapsed, time left, latest validation loss) as
tqdm does. Validation chooses the shipped model: the candidate with the lowest loss on the whole
validation part. Only that one is evaluated on the test part, once.

Writes rnn_edu/assets/capstone_weights.npz (the chosen model's best weights by validation loss,
float32) and rnn_edu/assets/capstone_run.json (every candidate's configuration, learning curves
and validation loss; the chosen one's test loss and samples at several temperatures; the
comparisons). Seeded: the same machine gives the same numbers; tests/test_capstone.py re-runs
the first steps and checks them against the stored curves.
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
from rnn_edu.lm.training import VAL_WARMUP, train_lm  # noqa: E402
from rnn_edu.optim import Adam, AdamW, Momentum  # noqa: E402
from rnn_edu.lm.sampling import sample  # noqa: E402
from rnn_edu.lm.progress import ProgressLine, Reporter, progress_text  # noqa: E402
from rnn_edu.studies.heldout_shift import play_cut  # noqa: E402

ASSETS = ROOT / "rnn_edu" / "assets"
# One recipe for the gated candidates: Adam from 2e-3 falling linearly to 2e-4, clipping at 5,
# sequential batches of 32 rows x 64 characters, at most 3600 updates (what fits in 15 minutes on two
# cores for the largest candidate, beside the others), validation every 250, no dropout (on validation,
# dropout 0.25 on h_t -> output ended higher within this budget: scripts/capstone_checks.py).
RECIPE = dict(batch_size=32, num_steps=64, lr=2e-3, lr_final=2e-4, clip_norm=5.0, partition="sequential",
              max_steps=3600, eval_every=250, val_chars=20000, patience=4, seed=0, dropout=0.0)
# How a part is scored (rnn_edu/lm/evaluation.py), as train_lm validates: one stream through the
# whole part, after a warm-up on the 200 characters before it (the end of the part before it)
VAL = dict(warmup=VAL_WARMUP)
# The candidates for the shipped model: validation chooses among them (the lowest loss on the
# whole validation part); only the chosen one is evaluated on the test part, once.
CANDIDATES = {
    "gru_512": dict(RECIPE, cell="gru", hidden=512),
    "gru_256": dict(RECIPE, cell="gru", hidden=256),
    "lstm_256": dict(RECIPE, cell="lstm", hidden=256),
    # the plain tanh RNN the course shipped before, with its own tuned recipe, kept for comparison
    "rnn_256": dict(cell="rnn", hidden=256, batch_size=32, num_steps=64, lr=5e-3, lr_final=5e-4,
                    clip_norm=5.0, partition="sequential", max_steps=5000, eval_every=250,
                    val_chars=20000, patience=4, seed=0),
}
MAIN = CANDIDATES["gru_512"]            # the candidate expected to win (tests re-run its first steps)
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
PIECES = 50                     # the test part cut into this many pieces for lesson 08's figure
PROMPT = "ROMEO:\n"


def linear_decay(lr, lr_final, steps):
    """lr at update s: from lr down to lr_final in a straight line over `steps` updates."""
    return lambda s: lr + (lr_final - lr) * min(s, steps) / steps


def score(params, part):
    """Loss per character on the whole validation or test part, as VAL says; the warm-up of the
    first piece reads the end of the part before it (training text before validation, ...)."""
    _, tr, va, te = shakespeare()
    ids, before = {"validation": (va, tr), "test": (te, va)}[part]
    return evaluate(params, ids, context=before, **VAL)


def by_play(params):
    """The test part holds the end of one play and the opening of another the training text never
    reaches (rnn_edu/studies/heldout_shift.py): the loss on each, scored as `score` scores a part
    (the second piece warms up on the end of the first); and the loss on each of PIECES equal
    consecutive pieces of the test part, each after a warm-up on the text before it."""
    vocab, _, va, te = shakespeare()
    cut = play_cut(vocab.decode(te))
    pieces = evaluate(params, te, context=va, streams=PIECES, per_stream=True, **VAL)
    return dict(cut=cut, shrew_end=evaluate(params, te[:cut], context=va, **VAL),
                tempest=evaluate(params, te[cut:], context=te[:cut], **VAL),
                pieces=[float(x) for x in pieces])


def say(text):
    print(text, flush=True)


def run_main(cfg=MAIN, max_steps=None, log=say, progress=None):
    """Train one candidate; returns (history, vocab, val_ids, test_ids)."""
    vocab, tr, va, te = shakespeare()
    params = init_params(len(vocab), cfg["hidden"], len(vocab), seed=cfg["seed"], dtype=np.float32,
                         cell=cfg.get("cell", "rnn"))
    steps = max_steps or cfg["max_steps"]
    wd = cfg.get("weight_decay", 0.0)
    hist = train_lm(params, tr, va, optimizer=AdamW(cfg["lr"], weight_decay=wd) if wd else Adam(cfg["lr"]), batch_size=cfg["batch_size"],
                    num_steps=cfg["num_steps"], partition=cfg["partition"], clip_norm=cfg["clip_norm"],
                    epochs=100, max_steps=steps, eval_every=cfg["eval_every"], val_chars=cfg["val_chars"],
                    patience=cfg["patience"], seed=cfg["seed"],
                    lr_schedule=linear_decay(cfg["lr"], cfg["lr_final"], cfg["max_steps"]), log=log,
                    progress=progress, dropout=cfg.get("dropout", 0.0))
    return hist, vocab, va, te


def make_optimizer(name, lr):
    # plain SGD as Momentum with momentum 0: W <- W - lr g, exactly sgd_step
    return Adam(lr) if name == "adam" else Momentum(lr, momentum=0.0)


def run_compare(name, seed, max_steps=None):
    """One comparison run: its curves and final training / validation loss."""
    c = {**SMALL, **COMPARE[name]}
    vocab, tr, va, _ = shakespeare()
    cell = c.get("cell", "rnn")
    params = init_params(len(vocab), c["hidden"], len(vocab), seed=seed, dtype=np.float32, cell=cell)
    t0 = time.perf_counter()
    h = train_lm(params, tr, va, optimizer=make_optimizer(c["optimizer"], c["lr"]),
                 batch_size=c["batch_size"], num_steps=c["num_steps"], partition=c["partition"],
                 clip_norm=c["clip_norm"], epochs=100, max_steps=max_steps or c["max_steps"],
                 eval_every=c["eval_every"], val_chars=c["val_chars"], seed=seed)
    return dict(seed=seed, train_loss=h.train_loss, norms=h.norms, val_steps=h.val_steps,
                val_loss=h.val_loss, seconds=time.perf_counter() - t0, stop_reason=h.stop_reason,
                num_params=int(params.num_params()),
                final_train=float(np.mean(h.train_loss[-c["eval_every"]:])), final_val=h.val_loss[-1])


def _arrays(params):
    return {k: v.astype(np.float32) for k, v in params.named_arrays().items()}


def candidate_record(name, log=None, progress=None, max_steps=None):
    """Train one candidate; its curves, its loss on the whole validation part, its best weights."""
    cfg = CANDIDATES[name]
    t0, c0 = time.perf_counter(), time.process_time()
    hist, vocab, va, _ = run_main(cfg, max_steps=max_steps, log=log, progress=progress)
    best = hist.best_params
    return dict(config=cfg, steps=hist.steps, stop_reason=hist.stop_reason, best_step=hist.best_step,
                train_loss=hist.train_loss, norms=hist.norms, val_steps=hist.val_steps,
                val_loss=hist.val_loss, val_seconds=hist.seconds, val_full=score(best, "validation"),
                final_train=float(np.mean(hist.train_loss[-cfg["eval_every"]:])),
                seconds=time.perf_counter() - t0, cpu_seconds=time.process_time() - c0,
                num_params=int(best.num_params())), _arrays(best)


def ship(name, rec, arrays, out, log=say):
    """The chosen candidate: test loss (read once), samples, weights into the folder `out`."""
    from rnn_edu.lm.capstone import params_from_arrays
    vocab, _, _, te = shakespeare()
    best = params_from_arrays(rec["config"].get("cell", "rnn"), arrays)
    test = score(best, "test")
    log(f"shipped: {name}, best update {rec['best_step']}: validation {rec['val_full']:.4f}, "
        f"test {test:.4f} nats/char (perplexity {perplexity(test):.2f})")
    plays = by_play(best)
    samples = {str(T): sample(best, vocab, PROMPT, 400, temperature=T, seed=0) for T in TEMPERATURES}
    np.savez_compressed(out / "capstone_weights.npz", **arrays)
    return dict(rec, name=name, test=test, test_perplexity=perplexity(test), test_by_play=plays,
                samples=samples, prompt=PROMPT)


# ---- running the jobs: two worker processes (one per core), progress on one line ----------------
_queue = None


def _init_worker(queue):
    global _queue
    _queue = queue


def _job(spec):
    kind, name, arg, max_steps = spec
    if kind == "candidate":
        send = (lambda done, val: _queue.put((name, done, val))) if _queue is not None else None
        rec, arrays = candidate_record(name, progress=Reporter(send) if send else None, max_steps=max_steps)
        return spec, (rec, arrays)
    return spec, run_compare(name, arg, max_steps=max_steps)


def _jobs(parts, settings, max_steps=None):
    jobs = []
    if "main" in parts:                                         # longest first: they bound the wall time
        jobs += [("candidate", n, None, max_steps) for n in sorted(CANDIDATES, key=_cost, reverse=True)]
    if "compare" in parts:
        jobs += [("compare", n, seed, max_steps) for n in settings for seed in SEEDS]
    return jobs


def _cost(name):
    c = CANDIDATES[name]
    return c["max_steps"] * c["hidden"] ** 2 * {"lstm": 4, "gru": 3}.get(c.get("cell"), 1)


def run_jobs(jobs, workers, line, max_steps=None):
    """Run the jobs on `workers` processes; one progress line follows the longest candidate."""
    import multiprocessing as mp
    results, t0 = {}, time.perf_counter()
    lead = next((n for k, n, *_ in jobs if k == "candidate"), None)
    state = {"done": 0, "val": None}
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()

    def draw(new_val=False):
        if lead is not None:
            total = max_steps or CANDIDATES[lead]["max_steps"]
            extra = f"{len(results)}/{len(jobs)} runs done"
            if state["done"] >= total and not any(k == "candidate" and n == lead for k, n, *_ in results):
                extra = "scoring the validation part · " + extra
            line.show(progress_text(lead, state["done"], total, time.perf_counter() - t0, state["val"], extra),
                      new_val)

    with ctx.Pool(workers, initializer=_init_worker, initargs=(queue,)) as pool:
        pending = pool.imap_unordered(_job, jobs)
        finished = 0
        while finished < len(jobs):
            try:
                spec, out = pending.next(timeout=0.5)
            except mp.TimeoutError:
                spec = None
            while not queue.empty():
                name, done, val = queue.get()
                if name == lead:
                    new_val = val is not None and val != state["val"]
                    state.update(done=done, val=val)
                    draw(new_val)
            if spec is None:
                draw()
                continue
            finished += 1
            results[spec] = out
            kind, name, arg, _ = spec
            if kind == "candidate":
                rec = out[0]
                line.say(f"{name}: {rec['steps']} updates, validation {rec['val_full']:.4f} nats/char, "
                         f"{rec['seconds'] / 60:.1f} min")
            else:
                line.say(f"{name} seed {arg}: train {out['final_train']:.4f} val {out['final_val']:.4f} "
                         f"({out['seconds']:.0f} s)")
            draw()
    line.close()
    return results


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", choices=("main", "compare", "rescore"), default=None,
                    help="rescore: only the shipped weights' test loss per play (no training)")
    ap.add_argument("--settings", default=None,
                    help="with --only compare: re-run only these comparison settings (comma-separated)")
    ap.add_argument("--jobs", type=int, default=2, help="worker processes (default 2: one per core)")
    ap.add_argument("--max-steps", type=int, default=None,
                    help="stop every run after this many updates (a quick try of the pipeline)")
    ap.add_argument("--out", default=str(ASSETS), help="the folder for the two files (default rnn_edu/assets)")
    ap.add_argument("--keep", default=None, help="also save every candidate's best weights in this folder")
    args = ap.parse_args(argv)
    names = args.settings.split(",") if args.settings else list(COMPARE)
    unknown = sorted(set(names) - set(COMPARE))
    if unknown:
        ap.error(f"--settings: expected names from {sorted(COMPARE)}, got {unknown}")
    if args.jobs < 1:
        ap.error(f"--jobs: expected a positive number of processes, got {args.jobs}")
    parts = ("main", "compare") if args.only is None else (args.only,)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "capstone_run.json"
    if args.only == "rescore":
        from rnn_edu.lm.capstone import params_from_arrays
        record = json.loads(path.read_text())
        with np.load(out / "capstone_weights.npz") as f:
            best = params_from_arrays(record["main"]["config"].get("cell", "rnn"), {k: f[k] for k in f.files})
        record["main"]["test_by_play"] = by_play(best)
        path.write_text(json.dumps(record, indent=None, separators=(",", ":")))
        say(f"test part by play: {record['main']['test_by_play']}; wrote {path}")
        return
    started, c0 = time.perf_counter(), time.process_time()
    line = ProgressLine()
    results = run_jobs(_jobs(parts, names, args.max_steps), args.jobs, line, args.max_steps)
    record = json.loads(path.read_text()) if path.exists() else {}
    if "main" in parts:
        cands = {n: results[("candidate", n, None, args.max_steps)] for n in CANDIDATES}
        chosen = min(cands, key=lambda n: cands[n][0]["val_full"])     # validation chooses
        record["main"] = ship(chosen, *cands[chosen], out, log=line.say)
        record["candidates"] = {n: rec for n, (rec, _) in cands.items()}
        if args.keep:
            Path(args.keep).mkdir(parents=True, exist_ok=True)
            for n, (_, arrays) in cands.items():
                np.savez(Path(args.keep) / f"{n}.npz", **arrays)
    if "compare" in parts:
        old = record.get("compare", {})
        runs = dict(old.get("runs", {}))
        for n in names:
            runs[n] = [results[("compare", n, seed, args.max_steps)] for seed in SEEDS]
        record["compare"] = {"small": SMALL, "settings": COMPARE, "runs": runs}
    wall = time.perf_counter() - started
    record["run"] = dict(parts=list(parts), workers=args.jobs, wall_seconds=wall, max_steps=args.max_steps,
                         threads=os.environ.get("OPENBLAS_NUM_THREADS"))
    record.pop("cpu_seconds", None)
    record.pop("threads", None)
    path.write_text(json.dumps(record, indent=None, separators=(",", ":")))
    line.say(f"wrote {path} in {wall / 60:.1f} min on {args.jobs} worker process(es)")


if __name__ == "__main__":
    main()
