"""`bptt`: the loss of a sequence and its gradient with respect to every weight, for any cell."""
import warnings

import numpy as np

from .cells import cell_module
from .dropout import check_mask
from .forward import forward, output_scores
from .losses import OUTPUT_ACTIVATIONS, check_targets, loss_and_grad
from .stack import backward_layers, layer_weight_grads, truncated_layers
from .validate import check_choice, check_positive_int


class NonFiniteGradientWarning(RuntimeWarning):
    """The loss or a gradient came out as inf or NaN: the gradients exploded."""


def report_non_finite(loss, grads):
    """Warn, naming each parameter whose gradient holds inf or NaN; return True if any did."""
    bad = {n: int(a.size - np.count_nonzero(np.isfinite(a))) for n, a in grads.named_arrays().items()}
    bad = {n: c for n, c in bad.items() if c}
    if not bad and np.isfinite(loss):
        return False
    parts = ", ".join(f"{n} ({c} entries)" for n, c in bad.items()) or "none of the gradients"
    warnings.warn(NonFiniteGradientWarning(
        f"bptt: loss = {loss:.6g}; inf or NaN in the gradient of {parts}. The gradients have "
        f"exploded past the range of {grads.dtype}: lower the learning rate, clip the "
        f"gradients, or shrink W_R."), stacklevel=3)
    return True


def output_backward(params, hs, dzs, scored):
    """z_t = W_O h_t + b_o backwards: returns (dW_O, db_o, dL/dh_t from the output (T, B, H))."""
    hs_s = hs[scored]
    S, B, H = hs_s.shape
    dflat = dzs.reshape(S * B, -1)
    dW_O = dflat.T @ hs_s.reshape(S * B, H)
    # steps without a loss term get nothing from the output (if every step has one, all is overwritten)
    dhs_out = np.empty_like(hs) if S == hs.shape[0] else np.zeros_like(hs)
    np.matmul(dflat, params.W_O, out=dhs_out[scored].reshape(S * B, H))   # W_O^T dL/dz_t
    return dW_O, dflat.sum(axis=0), dhs_out


def hidden_backward(params, fwd, dtop, scored, truncate):
    """Gradients of every hidden layer, bottom first: a list of (dW_F, dW_R, db_h[, db_R])."""
    cell, layers, T = cell_module(params), params.layers, fwd.hs.shape[0]
    if truncate is None or truncate >= T:
        deltas = backward_layers(cell, layers, fwd.caches, dtop)
    else:
        deltas = truncated_layers(cell, layers, fwd.caches, dtop, range(T)[scored], truncate)
    inputs = [fwd.xs] + fwd.layer_hs[:-1]
    out = []
    for (das_x, das_h), x, state0, hs in zip(deltas, inputs, fwd.h0s, fwd.layer_hs):
        if das_h is das_x:
            out.append(layer_weight_grads(das_x, x, cell.h_part(state0), hs))
        else:       # GRU: the recurrent side has its own gradient and its own bias b_R
            out.append((*layer_weight_grads(das_x, x, cell.h_part(state0), hs, das_h),
                        das_h.sum(axis=(0, 1))))
    return out


def bptt(params, xs, targets, h0=None, *, activation="tanh", loss="cross_entropy",
         many_to_one=False, truncate=None, output_activation="identity", dropout_mask=None):
    """Forward pass, loss, and backpropagation through time.

    params:  RNNParams, LSTMParams or GRUParams (or a stacked one), float64 or float32;
             the gradients keep that dtype.
    xs:      (T, B, D) inputs, time-major.
    targets: loss='cross_entropy': integer classes, (T, B), or (B,) if many_to_one.
             loss='mse': real targets, (T, B, O), or (B, O) if many_to_one.
    h0:      initial state, zeros if None: (B, H); the pair (h, c) for an LSTM; a list per layer
             if stacked (what `forward(...).h_last` returns).
    activation: f in h_t = f(W_F x_t + W_R h_{t-1} + b_h): 'tanh', 'sigmoid' or 'relu' (plain RNN).
    many_to_one: score only the last step (t = T) instead of every step.
    truncate: k, or None for full BPTT. Each scored loss term L_t backpropagates through at
             most k recurrent steps (into steps t, t-1, ..., t-k+1) and stops at the state of
             step t-k (h_{t-k}; for the LSTM also c_{t-k}). k >= T is full BPTT.
    output_activation: for loss='mse', 'identity' (y_t = z_t) or 'relu' (y_t = ReLU(z_t)),
             the latter for non-negative regression targets.
    dropout_mask: None, or m (T, B, H) of zeros and 1/(1 - p) (rnn_edu.dropout.dropout_mask):
             the output layer reads m_t * h_t instead of h_t, z_t = W_O (m_t * h_t) + b_o
             (dropout on the connection to the output; the recurrence keeps the whole h_t).

    The loss is the sum over the scored time steps of the per-step loss, averaged over the batch:
        cross-entropy: L_t = -log softmax(W_O h_t + b_o)[target_t]
        mse:           L_t = sum_o (y_t - target_t)^2,  y_t = W_O h_t + b_o
    Returns (loss, grads): a float, and the same kind of container as params holding dL/dparam.
    An inf or NaN in the loss or gradients raises a NonFiniteGradientWarning naming the parameters.
    """
    value, grads, _ = bptt_with_state(params, xs, targets, h0, activation=activation, loss=loss,
                                      many_to_one=many_to_one, truncate=truncate,
                                      output_activation=output_activation, dropout_mask=dropout_mask)
    return value, grads


def bptt_with_state(params, xs, targets, h0=None, *, activation="tanh", loss="cross_entropy",
                    many_to_one=False, truncate=None, output_activation="identity", dropout_mask=None):
    """`bptt`, also returning the ForwardResult (for carrying the state into the next window)."""
    check_choice("output_activation", output_activation, OUTPUT_ACTIVATIONS)
    if output_activation == "relu" and loss != "mse":
        raise ValueError(f"output_activation: 'relu' is for loss='mse' (regression), got loss={loss!r}.")
    truncate = check_positive_int("truncate", truncate, allow_none=True)
    fwd = forward(params, xs, h0, activation=activation)
    T, B, O = fwd.zs.shape
    targets = check_targets(loss, targets, T, B, O, bool(many_to_one), params.dtype)
    scored = slice(T - 1, T) if many_to_one else slice(0, T)
    hs_out, zs = fwd.hs, fwd.zs
    if dropout_mask is not None:                  # z_t = W_O (m_t h_t) + b_o
        dropout_mask = check_mask(dropout_mask, fwd.hs)
        hs_out = fwd.hs * dropout_mask
        zs = output_scores(params.W_O, params.b_o, hs_out)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        value, dzs = loss_and_grad(zs[scored], targets, loss, output_activation)
        dW_O, db_o, dtop = output_backward(params, hs_out, dzs, scored)
        del dzs                   # done with dL/dz_t: its memory is reused by the hidden layers
        if dropout_mask is not None:
            dtop *= dropout_mask                  # dL/dh_t = m_t * W_O^T dL/dz_t
        layer_grads = hidden_backward(params, fwd, dtop, scored, truncate)
    if params.stacked:
        grads = type(params)(*(list(g) for g in zip(*layer_grads)), dW_O, db_o)
    else:
        grads = type(params)(*layer_grads[0], dW_O, db_o)
    report_non_finite(value, grads)
    return value, grads, fwd
