"""Training a character language model on a long text: minibatches of windows, an optimiser,
clipping, a validation loss every few steps, and early stopping that keeps the best weights.

Each update is `rnn_edu.training.update`, the step `train` takes too: a window (xs (T, B, V),
targets (T, B)) from `batches`, loss and gradients by BPTT starting from h0 (the last window's h_T
for sequential partitioning, zeros for random partitioning), clipping, then optimizer.step.
Works for any params container.

Why a loop of its own around that shared step: `train` (lessons 01-06) walks the windows of one
sequence epoch after epoch and stops on its training loss; this loop adds what only a long text
needs (minibatches drawn by `batches`, a validation loss every `eval_every` updates that keeps the
best weights, early stopping on it, a step and time budget, a learning-rate schedule). One loop
with all of these would put a dozen options and a validation hook a lesson-01 learner has not met
into the loop they re-write in lesson 01 (docs/architecture.md).

Lesson 08 (notebooks/08_capstone_char_lm.ipynb).
"""
import time
from dataclasses import dataclass, field

import numpy as np

from .batching import batches, check_choice, PARTITIONS
from ..clipping import global_norm
from ..dropout import dropout_mask
from ..training import update
from .evaluation import evaluate
from ..validate import check_positive_finite, check_positive_int

# Characters of training text read before each validation: the validation part then starts from a
# state that has read real text, not from zeros at its first character, a blank line, from which
# lesson 08's LSTM can fall into a state it never leaves. One stream, not several: every stream is
# one more start from zeros, and one trapped stream of 32 lifted the mean by 0.13 (studies/lm_trap.py).
VAL_WARMUP = 200


@dataclass
class LMHistory:
    """What `train_lm` did.

    train_loss: loss per character of every update's window (nats/char), in order.
    norms:      global gradient norm of every update, before clipping.
    val_steps, val_loss: the update count at each validation, and the loss per char there.
    params: the last parameters; best_params, best_val, best_step: those with the lowest
    validation loss. stop_reason: 'max_steps', 'epochs', 'early_stop', 'max_seconds' or 'non-finite'.
    """
    params: object
    best_params: object = None
    best_val: float = np.inf
    best_step: int = 0
    train_loss: list = field(default_factory=list)
    norms: list = field(default_factory=list)
    val_steps: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    seconds: list = field(default_factory=list)
    stop_reason: str = "epochs"

    @property
    def steps(self):
        return len(self.train_loss)


def _validate(hist, val_ids, val_chars, t0, context, warmup):
    v = evaluate(hist.params, val_ids, max_chars=val_chars, warmup=warmup, context=context)
    hist.val_steps.append(hist.steps)
    hist.val_loss.append(v)
    hist.seconds.append(time.perf_counter() - t0)
    if v < hist.best_val:
        hist.best_val, hist.best_step, hist.best_params = v, hist.steps, hist.params.copy()
    return v


def train_lm(params, train_ids, val_ids, *, optimizer, batch_size=32, num_steps=50,
             partition="sequential", clip_norm=None, epochs=1, max_steps=None, max_seconds=None,
             eval_every=100, val_chars=None, val_warmup=VAL_WARMUP, patience=None, seed=0,
             lr_schedule=None, log=None, on_validate=None, progress=None, dropout=0.0):
    """Train a character model; returns an LMHistory (best_params = lowest validation loss).

    optimizer: e.g. rnn_edu.optim.Adam(lr=2e-3). batch_size B, num_steps T: the windows.
    partition: 'sequential' (state carried across windows, detached) or 'random' (reset).
    clip_norm: clip the global gradient norm to this (None: no clipping).
    epochs / max_steps / max_seconds: stop at whichever comes first.
    eval_every: validate every this many updates (and at the end); val_chars: on the first
    val_chars characters of val_ids only (None: all). val_warmup: W; each validation reads the
    last W characters of train_ids first (from zeros, not scored), then scores val_ids as one
    stream carrying that state: the validation text read as the continuation of the training
    text (split_ids cuts the parts by position). 0: one stream from zeros at val_ids[0] (before
    lesson 08's study, the only way; a start from zeros on a blank line can trap an LSTM in a
    state it never leaves: rnn_edu/studies/lm_trap.py). patience: stop after this many
    validations in a row without a new best (None: never stop early).
    seed: the batches' offsets and order (epoch e uses seed + e). log: a print-like function.
    lr_schedule: a function of the update count (0, 1, ...) giving optimizer.lr for that update.
    progress: called with the history after every update (e.g. rnn_edu.lm.progress.Reporter).
    dropout: p, the probability of dropping each entry of h_t on its way to the output layer
    while training (rnn_edu.dropout; a fresh mask per window, drawn from seed); 0: none.
    Validation never drops.
    on_validate: a function called with the LMHistory after each validation (hist.params are the
    weights just validated), e.g. to measure them (rnn_edu/studies/lm_trap.py).
    """
    check_choice("partition", partition, PARTITIONS)
    if not callable(getattr(optimizer, "step", None)):
        raise TypeError(f"optimizer: expected an object with .step(params, grads), such as "
                        f"rnn_edu.optim.Adam(lr=2e-3), got {type(optimizer).__name__}.")
    epochs = check_positive_int("epochs", epochs)
    eval_every = check_positive_int("eval_every", eval_every)
    max_steps = check_positive_int("max_steps", max_steps, allow_none=True)
    patience = check_positive_int("patience", patience, allow_none=True)
    clip_norm = None if clip_norm is None else check_positive_finite("clip_norm", clip_norm)
    max_seconds = None if max_seconds is None else check_positive_finite("max_seconds", max_seconds)
    if isinstance(val_warmup, bool) or not isinstance(val_warmup, (int, np.integer)) or val_warmup < 0:
        raise ValueError(f"val_warmup: expected a whole number of characters >= 0, got {val_warmup!r}.")
    context = np.asarray(train_ids)[len(train_ids) - min(int(val_warmup), len(train_ids)):]
    val_warmup = len(context)
    V, t0 = params.n_in, time.perf_counter()
    hist = LMHistory(params=params)
    mask_rng = np.random.default_rng([seed, 1]) if dropout else None
    for epoch in range(epochs):
        h = None
        for xs, targets in batches(train_ids, batch_size, num_steps, V, partition=partition,
                                   seed=seed + epoch, dtype=params.dtype):
            if lr_schedule is not None:
                optimizer.lr = float(lr_schedule(hist.steps))
            # h: the last window's h_T, carried as a constant (sequential), or zeros (random)
            mask = None if mask_rng is None else dropout_mask(
                mask_rng, (num_steps, xs.shape[1], params.W_O.shape[1]), dropout, params.dtype)
            hist.params, value, grads, _, h = update(hist.params, xs, targets,
                                                     h if partition == "sequential" else None,
                                                     optimizer.step, clip_norm=clip_norm,
                                                     dropout_mask=mask)
            hist.train_loss.append(value / num_steps)
            hist.norms.append(global_norm(grads))
            if not np.isfinite(value):
                hist.stop_reason = "non-finite"
                return hist
            if hist.steps % eval_every == 0:
                v = _validate(hist, val_ids, val_chars, t0, context, val_warmup)
                if on_validate:
                    on_validate(hist)
                if log:
                    log(f"step {hist.steps}: train {np.mean(hist.train_loss[-eval_every:]):.4f} "
                        f"val {v:.4f} nats/char ({hist.seconds[-1]:.0f} s)")
                if patience and len(hist.val_loss) - 1 - int(np.argmin(hist.val_loss)) >= patience:
                    hist.stop_reason = "early_stop"
                    return hist
            if progress is not None:
                progress(hist)
            if max_steps and hist.steps >= max_steps:
                hist.stop_reason = "max_steps"
                break
            if max_seconds and time.perf_counter() - t0 >= max_seconds:
                hist.stop_reason = "max_seconds"
                break
        if hist.stop_reason != "epochs":
            break
    if not hist.val_steps or hist.val_steps[-1] != hist.steps:
        _validate(hist, val_ids, val_chars, t0, context, val_warmup)
        if on_validate:
            on_validate(hist)
    return hist
