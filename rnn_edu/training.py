"""A small training loop: forward, loss, gradients, (clip), update, repeat.

`update` is one step, shared by every loop of the course (`train` here, lesson 08's
`rnn_edu.lm.training.train_lm`):

    L, g = bptt(params, xs, targets, h0)      loss and gradients over one window, from state h0
    g'   = clip(g)                            by global norm or by value (or not at all)
    params <- step(params, g')                sgd_step at a learning rate, or optimizer.step

`train` repeats it over the windows of one sequence, epoch after epoch.
"""
from dataclasses import dataclass, field

import numpy as np

from .gradients import bptt_with_state
from .clipping import clip_by_norm, clip_by_value, global_norm
from .optim import sgd_step
from .validate import check_positive_finite, check_positive_int


@dataclass
class TrainHistory:
    """What happened during `train`.

    losses:        loss of every update (one per window, or one per epoch without windows).
    norms_before:  global gradient norm ||g|| of every update, before clipping.
    norms_after:   the same after clipping (equal to norms_before without clipping).
    epoch_losses:  sum of the losses of each epoch.
    stop_reason:   'max_epochs', 'converged' (epoch loss changed by less than tol) or
                   'non-finite' (the loss or the weights became inf/NaN).
    params:        the trained parameters.
    """
    params: object
    losses: list = field(default_factory=list)
    norms_before: list = field(default_factory=list)
    norms_after: list = field(default_factory=list)
    epoch_losses: list = field(default_factory=list)
    stop_reason: str = "max_epochs"

    @property
    def epochs(self):
        return len(self.epoch_losses)


def windows(T, seq_len):
    """Slices of consecutive time steps: [0, seq_len), [seq_len, 2 seq_len), ... up to T."""
    if seq_len is None:
        return [slice(0, T)]
    return [slice(s, min(s + seq_len, T)) for s in range(0, T, seq_len)]


def _clip(grads, clip_norm, clip_value):
    if clip_norm is not None:
        return clip_by_norm(grads, clip_norm)[0]
    if clip_value is not None:
        return clip_by_value(grads, clip_value)
    return grads


def update(params, xs, targets, h0, step, *, clip_norm=None, clip_value=None, **bptt_opts):
    """One update: L, g = bptt(params, xs, targets, h0); g' = clip(g); params <- step(params, g').

    xs (T, B, D), targets, h0 (None: zeros) and bptt_opts (activation, loss, many_to_one, truncate,
    output_activation): as for `bptt`. step: a function (params, grads) -> new params, such as
    optimizer.step. clip_norm / clip_value: as for `train` (at most one).
    Returns (new params, L, g, g', h_T): g before and g' after clipping; h_T, the window's last
    state, to carry into the next window as a constant (no gradient flows back across it).
    """
    value, grads, fwd = bptt_with_state(params, xs, targets, h0, **bptt_opts)
    clipped = _clip(grads, clip_norm, clip_value)
    return step(params, clipped), value, grads, clipped, fwd.h_last


def _finite(params):
    return all(np.all(np.isfinite(a)) for a in params.named_arrays().values())


def train(params, xs, targets, *, lr=None, epochs=100, clip_norm=None, clip_value=None, seq_len=None,
          tol=None, activation="tanh", loss="cross_entropy", many_to_one=False, truncate=None,
          output_activation="identity", optimizer=None):
    """Train by gradient descent and return a TrainHistory.

    xs, targets, activation, loss, many_to_one, truncate, output_activation: as for `bptt`.
    lr: learning rate of plain gradient descent (sgd_step). optimizer: instead of lr, an object
        with .step(params, grads) -> params, such as rnn_edu.optim.Adam(lr=...).
    epochs: the maximum number of passes over the data.
    clip_norm=nu clips the global gradient norm to nu; clip_value=c clips each entry to [-c, c].
    seq_len: train on windows of seq_len steps (1..seq_len, then seq_len+1..2 seq_len, ...),
        one update per window; the hidden state h_T of a window is carried into the next
        as a constant (no gradient flows across windows). Restarts from zeros each epoch.
    tol: stop when the epoch loss changes by less than tol.
    """
    if optimizer is None:
        lr = check_positive_finite("lr", lr)
    elif lr is not None:
        raise ValueError("lr, optimizer: expected one of them (the optimizer has its own lr), got both.")
    elif not callable(getattr(optimizer, "step", None)):
        raise TypeError(f"optimizer: expected an object with .step(params, grads), such as "
                        f"rnn_edu.optim.Adam(lr=0.01), got {type(optimizer).__name__}.")
    epochs = check_positive_int("epochs", epochs)
    if clip_norm is not None and clip_value is not None:
        raise ValueError("clip_norm, clip_value: expected at most one of them, got both.")
    if seq_len is not None and many_to_one:
        raise ValueError("seq_len: windows split the targets of every step; expected "
                         "many_to_one=False, got many_to_one=True.")
    seq_len = check_positive_int("seq_len", seq_len, allow_none=True)
    tol = None if tol is None else check_positive_finite("tol", tol)
    opts = dict(activation=activation, loss=loss, many_to_one=many_to_one, truncate=truncate,
                output_activation=output_activation)
    step = (lambda p, g: sgd_step(p, g, lr)) if optimizer is None else optimizer.step
    xs, targets = np.asarray(xs), np.asarray(targets)
    hist = TrainHistory(params=params)
    for _ in range(epochs):
        h, epoch_loss = None, 0.0                       # each epoch starts from h_0 = 0
        for w in windows(xs.shape[0], seq_len):
            hist.params, value, grads, clipped, h = update(
                hist.params, xs[w], targets if many_to_one else targets[w], h, step,
                clip_norm=clip_norm, clip_value=clip_value, **opts)
            hist.losses.append(value)
            hist.norms_before.append(global_norm(grads))
            hist.norms_after.append(global_norm(clipped))
            epoch_loss += value
            if np.isnan(value) or not _finite(hist.params):
                hist.epoch_losses.append(epoch_loss)
                hist.stop_reason = "non-finite"
                return hist
        hist.epoch_losses.append(epoch_loss)
        if tol is not None and len(hist.epoch_losses) > 1 and \
                abs(hist.epoch_losses[-1] - hist.epoch_losses[-2]) < tol:
            hist.stop_reason = "converged"
            break
    return hist
