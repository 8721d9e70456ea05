"""Build it yourself, lesson 01: the training loop over windows, with the hidden state carried.

    train_on_windows(params, xs, targets, seq_len, lr, epochs) -> (params, losses)
        for each epoch: h = None (zeros); for each window w = steps [s, s + seq_len) of xs:
            loss, grads = rnn_edu.bptt(params, xs[w], targets[w], h)
            h = rnn_edu.forward(params, xs[w], h).h_last       # carried; no gradient crosses it
            params = rnn_edu.sgd_step(params, grads, lr)        # one update per window
            losses.append(loss)
        the last window may be shorter than seq_len.

`check_train_on_windows` compares with rnn_edu.train(..., seq_len=seq_len), which does the same.
"""
import numpy as np

from rnn_edu import RNNParams, bptt, forward, init_params, sgd_step, train
from rnn_edu.data import delayed_echo_task
from . import ExerciseResult, call_unchanged, function_name, reads_result, run_checks

CASES = [(4, 0.1, 2), (3, 0.2, 1)]          # (seq_len, lr, epochs) on 11 steps: the last window is shorter


def library_train_on_windows(params, xs, targets, seq_len, lr, epochs):
    """rnn_edu.train with windows of seq_len steps: (trained params, loss of every update)."""
    hist = train(params, xs, targets, lr=lr, epochs=epochs, seq_len=seq_len)
    return hist.params, hist.losses


def example():
    """A small echo task (T = 11, B = 2) and a seeded network."""
    xs, targets = delayed_echo_task(batch=2, steps=11, n_symbols=3, delay=1, seed=0)
    return init_params(3, 5, 3, seed=0), xs, targets


def _loop(params, xs, targets, seq_len, lr, epochs, carry=True, reset=True, sign=-1,
          after_update=False, drop_last=False, per_epoch=False):
    """The loop, optionally with one classic mistake (see _mistakes)."""
    T, losses, h = len(xs), [], None
    stops = range(0, T - seq_len + 1 if drop_last else T, seq_len)
    for _ in range(epochs):
        h = None if reset else h
        total = None
        for s in stops:
            w = slice(s, s + seq_len)
            loss, grads = bptt(params, xs[w], targets[w], h if carry else None)
            losses.append(loss)
            if per_epoch:
                total = grads if total is None else total.from_named(
                    {n: a + grads.named_arrays()[n] for n, a in total.named_arrays().items()})
                h = forward(params, xs[w], h).h_last
                continue
            new = sgd_step(params, grads if sign < 0 else grads.map(np.negative), lr)
            h = forward(new if after_update else params, xs[w], h if carry else None).h_last
            params = new
        if per_epoch:
            params = sgd_step(params, total, lr)
    return params, losses


def _mistakes(args):
    return [
        (_loop(*args, carry=False), "the state is not carried: start each window from the state the "
                                    "previous window ended in (forward(...).h_last), not from zeros."),
        (_loop(*args, reset=False), "restart from a zero state at the start of every epoch; the state "
                                    "is carried only from one window to the next within a pass."),
        (_loop(*args, sign=+1), "the update has the wrong sign: W - lr * dW goes downhill, W + lr * dW climbs."),
        (_loop(*args, after_update=True), "carry the state this window's forward pass produced, "
                                          "with the weights used for this window (before the update)."),
        (_loop(*args, drop_last=True), "the last, shorter window is missing: keep it so every step is trained on."),
        (_loop(*args, per_epoch=True), "make one update per window, right after its gradients; "
                                       "you summed the windows and updated once per epoch."),
    ]


def _same_params(a, b):
    return all(np.allclose(x, b.named_arrays()[n], rtol=1e-7, atol=1e-10) for n, x in a.named_arrays().items())


NAMES = ("params", "xs", "targets", "seq_len", "lr", "epochs")


def as_fit(out):
    """The learner's (params, losses) as (RNNParams, list of floats); TypeError/ValueError saying
    what is wrong for any other form."""
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        raise TypeError(f"expected (params, losses), got {type(out).__name__}.")
    got_params, got_losses = out
    if not isinstance(got_params, RNNParams):
        raise TypeError(f"the first item should be the trained RNNParams, got {type(got_params).__name__}.")
    try:
        return got_params, [float(v) for v in got_losses]
    except (TypeError, ValueError):
        raise ValueError("losses should be a list of numbers, one per update.") from None


def _check(fn, seq_len, lr, epochs):
    params, xs, targets = example()
    args = (params, xs, targets, seq_len, lr, epochs)
    out, hint = call_unchanged(fn, args, NAMES)
    if hint:
        return False, hint
    try:
        got_params, got_losses = as_fit(out)
    except (TypeError, ValueError) as exc:
        return False, str(exc)
    want_params, want_losses = library_train_on_windows(*args)
    if len(got_losses) == len(want_losses) and np.allclose(got_losses, want_losses, rtol=1e-7) \
            and _same_params(got_params, want_params):
        return True, ""
    for (wrong_params, wrong_losses), hint in _mistakes(args):
        if len(got_losses) == len(wrong_losses) and np.allclose(got_losses, wrong_losses, rtol=1e-7) \
                and _same_params(got_params, wrong_params):
            return False, hint
    if _same_params(got_params, params):
        return False, "the parameters came back unchanged: return the updated params."
    if len(got_losses) != len(want_losses):
        return False, (f"expected {len(want_losses)} losses (one per window, {len(want_losses) // epochs} "
                       f"windows x {epochs} epochs), got {len(got_losses)}.")
    return False, ("the losses or the trained weights differ from rnn_edu.train(..., seq_len=seq_len). "
                   "Per window: bptt with the carried h, carry forward(...).h_last, then sgd_step.")


@reads_result(as_fit)
def check_train_on_windows(train_on_windows):
    """Check train_on_windows(params, xs, targets, seq_len, lr, epochs) against rnn_edu.train."""
    fn = train_on_windows
    if not callable(fn):
        return ExerciseResult(False, "expected a function train_on_windows(params, xs, targets, seq_len, "
                                     f"lr, epochs), got {type(fn).__name__}.")
    return run_checks([(f"seq_len = {s}, lr = {lr}, {e} epoch(s)", lambda s=s, lr=lr, e=e: _check(fn, s, lr, e))
                       for s, lr, e in CASES], function_name(fn))
