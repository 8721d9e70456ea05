"""Lesson 08's LSTM study (rnn_edu/studies/lm_trap.py): why a validation loss jumped to 6.3.

    python scripts/lm_trap_study.py            (about 5 minutes on 2 shared cores; --no-torch to skip
                                                the PyTorch comparison, which keeps the stored one)

Trains the comparison runs of scripts/capstone.py (plain RNN and LSTM, sequential; LSTM, random
partitioning; seeds 0 and 1) and at every validation (each 50 updates) measures: the validation
loss from zeros at the part's first character (one stream, what train_lm measured before),
the validation loss after a warm-up of 200 training characters (train_lm's default now), and the
share of 100 starts from zeros at blank lines of the validation part that end trapped. On the seed-1
LSTM at update 200 it measures the cell state, the gates, the trap rates by kind of start on
each part, and a few openings, and stores those weights (rnn_edu/assets/lm_trap_weights.npz).
With torch installed it also trains the seed-1 LSTM in PyTorch on the same batches from the same
weights (float64 and float32) and records how far the two runs drift apart.
Writes rnn_edu/assets/lm_trap.json. Seeded; BLAS on one thread.
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
sys.path.insert(0, str(ROOT / "scripts"))

import capstone  # noqa: E402
from rnn_edu import init_params  # noqa: E402
from rnn_edu.clipping import global_norm  # noqa: E402
from rnn_edu.lm.batching import batches  # noqa: E402
from rnn_edu.lm.corpus import shakespeare  # noqa: E402
from rnn_edu.lm.evaluation import evaluate  # noqa: E402
from rnn_edu.lm.training import VAL_WARMUP, train_lm  # noqa: E402
from rnn_edu.optim import Adam  # noqa: E402
from rnn_edu.studies import lm_trap as S  # noqa: E402
from rnn_edu.forward import forward  # noqa: E402
from rnn_edu.training import update  # noqa: E402

ASSETS = ROOT / "rnn_edu" / "assets"
RUNS = ("adam_sequential_clip", "lstm_adam_sequential_clip", "lstm_adam_random_clip")
SHIPPED = ("lstm_adam_sequential_clip", 1, 200)          # the weights the lesson measures again
N_CURVE, N_DETAIL = 100, 200                             # starts per measurement
OPENINGS = ("\n\nGREMIO:", "\n\nBAPTISTA:", "\n\nHAMLET:", "\n\nROMEO:", "GREMIO:", "ROMEO:")


def run(name, seed, data, keep):
    vocab, tr, va = data
    c = {**capstone.SMALL, **capstone.COMPARE[name]}
    params = init_params(len(vocab), c["hidden"], len(vocab), seed=seed, dtype=np.float32,
                         cell=c.get("cell", "rnn"))
    nl = vocab.chars.index("\n")
    blank = S.start_points(va, "blank line", N_CURVE, 0, nl)
    rec = dict(val_zero=[], trap_blank=[])

    def measure(hist):
        p = hist.params
        rec["val_zero"].append(evaluate(p, va, max_chars=c["val_chars"]))
        rec["trap_blank"].append(float(S.trapped(S.start_losses(p, va, blank), len(vocab)).mean()))
        if (name, seed, hist.steps) == SHIPPED:
            keep["params"] = p.copy()

    h = train_lm(params, tr, va, optimizer=capstone.make_optimizer(c["optimizer"], c["lr"]),
                 batch_size=c["batch_size"], num_steps=c["num_steps"], partition=c["partition"],
                 clip_norm=c["clip_norm"], epochs=100, max_steps=c["max_steps"], eval_every=c["eval_every"],
                 val_chars=c["val_chars"], seed=seed, on_validate=measure)
    tl = np.array(h.train_loss)
    return dict(seed=seed, val_steps=h.val_steps, val_warm=h.val_loss, **rec,
                final_train=float(tl[-c["eval_every"]:].mean()),
                max_train_after_50=float(tl[50:].max()) if len(tl) > 50 else None)


def detail(p, vocab, tr, va, te):
    nl = vocab.chars.index("\n")
    trapped_run, ok_run = S.stream_profile(p, va[:2001]), S.stream_profile(p, va[2:2003])
    chars, counts = np.unique(trapped_run["argmax"][-1000:], return_counts=True)

    def summary(r):
        return dict(loss=float(r["loss"][-1000:].mean()), max_c=float(r["max_c"][-1000:].max()),
                    median_max_c=float(np.median(r["max_c"][-1000:])),
                    saturated_ifo=[float(x) for x in r["saturated"][-1000:].mean(axis=0)])
    n, parts = 20000, (("train", tr), ("validation", va), ("test", te))
    return dict(
        scores=dict(val_zero=evaluate(p, va, max_chars=n), val_drop2=evaluate(p, va[2:], max_chars=n),
                    val_warm=evaluate(p, va, max_chars=n, warmup=VAL_WARMUP, context=tr),
                    test_zero=evaluate(p, te, max_chars=n), train_zero=evaluate(p, tr, max_chars=n)),
        trapped_stream=summary(trapped_run), working_stream=summary(ok_run),
        trapped_prediction=vocab.chars[int(chars[counts.argmax()])],
        trapped_prediction_share=float(counts.max() / 1000),
        max_c_first_steps=[float(x) for x in trapped_run["max_c"][:60]],
        max_c_first_steps_working=[float(x) for x in ok_run["max_c"][:60]],
        rates={part: S.trap_rates(p, ids, N_DETAIL, 10, nl) for part, ids in parts},
        warm_trapped_begin={part: warm_trapped_begin(p, vocab, ids, nl) for part, ids in parts},
        openings=S.openings(p, vocab, OPENINGS, va[len("\n\nGREMIO:"):600]),
        streams32={f"warmup {w}": [float(x) for x in evaluate(p, va, max_chars=n, streams=32, warmup=w,
                                                                context=tr, per_stream=True)]
                   for w in (0, VAL_WARMUP)})


def training_rows(data, seed, steps=400):
    """The sequential LSTM run again, as train_lm trains it, with each row's loss per character in
    every window (from a forward pass with the weights and carried state the update starts from)."""
    vocab, tr, va = data
    c = {**capstone.SMALL, **capstone.COMPARE["lstm_adam_sequential_clip"]}
    V, T = len(vocab), c["num_steps"]
    p = init_params(V, c["hidden"], V, seed=seed, dtype=np.float32, cell="lstm")
    adam, h, rows, means = Adam(c["lr"]), None, [], []
    for k, (xs, ys) in enumerate(batches(tr, c["batch_size"], T, V, partition="sequential", seed=seed)):
        z = forward(p, xs, h0=h).zs
        rows.append(-S.log_probs(z, ys).mean(axis=0))                 # (B,) nats per character
        p, value, _, _, h = update(p, xs, ys, h, adam.step, clip_norm=c["clip_norm"])
        means.append(value / T)
        if k + 1 >= steps:
            break
    rows = np.array(rows)
    return dict(seed=seed, max_row_after_50=float(rows[50:].max()) if len(rows) > 50 else None,
                max_mean_gap=float(np.abs(rows.mean(axis=1) - means).max()))


def warm_trapped_begin(p, vocab, ids, nl):
    """The first 3 characters read (from zeros) by each stream still trapped after its warm-up."""
    out = []
    for i, kind in enumerate(S.KINDS):
        starts = S.start_points(ids, kind, N_DETAIL, 10 + i, nl)     # as trap_rates draws them
        caught = S.trapped(S.start_losses(p, ids, starts, S.WARMUP), len(vocab))
        out += [vocab.decode(ids[b:b + 3]) for b in starts[caught] - S.WARMUP]
    return out


def torch_compare(data, dtype, steps=400, seed=1):
    """The seed-1 LSTM run in rnn_edu and in PyTorch, same batches, same initial weights."""
    import torch
    from rnn_edu.torch_interop import params_to_torch
    torch.set_num_threads(1)
    vocab, tr, va = data
    V, tdt = len(vocab), getattr(torch, np.dtype(dtype).name)
    p = init_params(V, 128, V, seed=seed, dtype=np.float32, cell="lstm").map(lambda a: a.astype(dtype))
    rnn, lin = params_to_torch(p)
    rnn.bias_hh_l0.requires_grad_(False)        # rnn_edu has one bias: b_h = bias_ih + bias_hh (= 0)
    tp = [x for x in list(rnn.parameters()) + list(lin.parameters()) if x.requires_grad]
    opt, adam, h, th = torch.optim.Adam(tp, lr=5e-3), Adam(5e-3), None, None
    out = dict(dtype=np.dtype(dtype).name, loss=[], torch_loss=[], norm=[], torch_norm=[], val_steps=[],
               val=[], torch_val=[])
    val = torch.from_numpy(np.asarray(va[:20001], np.int64))
    for k, (xs, ys) in enumerate(batches(tr, 32, 50, V, partition="sequential", seed=seed, dtype=dtype)):
        p, value, grads, _, h = update(p, xs, ys, h, adam.step, clip_norm=5.0)
        o, (hT, cT) = rnn(torch.from_numpy(xs), th)
        loss = torch.nn.functional.cross_entropy(lin(o).reshape(-1, V), torch.from_numpy(ys).reshape(-1))
        opt.zero_grad()
        (loss * 50).backward()                  # rnn_edu's loss: summed over T = 50, mean over B
        norm = float(torch.sqrt(sum((x.grad.double() ** 2).sum() for x in tp)))
        if norm > 5.0:                          # rnn_edu's clip_by_norm
            for x in tp:
                x.grad.mul_(5.0 / norm)
        opt.step()
        th = (hT.detach(), cT.detach())
        out["loss"].append(value / 50), out["torch_loss"].append(loss.item())
        out["norm"].append(global_norm(grads)), out["torch_norm"].append(norm)
        if (k + 1) % 50 == 0:
            with torch.no_grad():
                x = torch.nn.functional.one_hot(val[:-1], V).to(tdt)[:, None]
                z = lin(rnn(x)[0][:, 0]).double()
                out["torch_val"].append(float(torch.nn.functional.cross_entropy(z, val[1:])))
            out["val_steps"].append(k + 1), out["val"].append(evaluate(p, va, max_chars=20000))
        if k + 1 >= steps:
            break
    a, b = np.array(out["loss"]), np.array(out["torch_loss"])
    out["max_loss_diff"] = float(np.abs(a - b).max())
    out["first_update_over_1e-6"] = int(np.argmax(np.abs(a - b) > 1e-6)) + 1 if (np.abs(a - b) > 1e-6).any() else None
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--no-torch", action="store_true")
    ap.add_argument("--detail-only", action="store_true",
                    help="re-measure the stored weights only; keep the stored runs and PyTorch comparison")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    vocab, tr, va, te = shakespeare()
    data, keep, path = (vocab, tr, va), {}, ASSETS / S.RECORD
    old = json.loads(path.read_text()) if path.exists() else {}
    record = dict(settings=dict(small=capstone.SMALL, runs={n: capstone.COMPARE[n] for n in RUNS},
                                n_curve=N_CURVE, n_detail=N_DETAIL, length=S.LENGTH, tail=S.TAIL,
                                warmup=S.WARMUP, val_warmup=VAL_WARMUP, sat=S.SAT, shipped=SHIPPED),
                  runs={})
    if args.detail_only:
        record["runs"], keep["params"], args.no_torch = old["runs"], S.load_trapped_params(), True
    for name in (() if args.detail_only else RUNS):
        record["runs"][name] = []
        for seed in capstone.SEEDS:
            r = run(name, seed, data, keep)
            print(f"{name} seed {seed}: zeros {np.round(r['val_zero'], 3)} warm {np.round(r['val_warm'], 3)} "
                  f"trapped {r['trap_blank']} ({time.perf_counter() - t0:.0f} s)", flush=True)
            record["runs"][name].append(r)
    p = keep["params"]
    if not args.detail_only:
        np.savez_compressed(ASSETS / S.WEIGHTS, **{k: v.astype(np.float32) for k, v in p.named_arrays().items()})
    record["detail"] = detail(p, vocab, tr, va, te)
    record["training_rows"] = [training_rows(data, seed) for seed in capstone.SEEDS]
    print(record["training_rows"], flush=True)
    print(json.dumps(record["detail"]["scores"]), json.dumps(record["detail"]["rates"]), flush=True)
    record["torch"] = old.get("torch")
    path.write_text(json.dumps(record, indent=None, separators=(",", ":")))
    if not args.no_torch:
        record["torch"] = [torch_compare(data, dt) for dt in (np.float64, np.float32)]
        for r in record["torch"]:
            print(r["dtype"], r["max_loss_diff"], r["first_update_over_1e-6"], np.round(r["val"], 3),
                  np.round(r["torch_val"], 3), flush=True)
    path.write_text(json.dumps(record, indent=None, separators=(",", ":")))
    print(f"wrote {path.relative_to(ROOT)} in {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
