"""Losses on the output pre-activations z_t = W_O h_t + b_o, and their gradients.

The loss of a batch is the sum over the scored time steps of the per-step
loss, averaged over the B sequences of the batch:

    L = (1/B) sum_b sum_t L_t(b)

cross-entropy:  L_t = -log softmax(z_t)[target_t]           dL/dz_t = (p_t - onehot_t) / B
squared error:  L_t = sum_o (y_t - target_t)^2,  y_t = z_t   dL/dz_t = 2 (y_t - target_t) / B
  (with output_activation='relu', y_t = ReLU(z_t) and the gradient is zero where z_t <= 0)
"""
import numpy as np

from .activations import sigmoid
from .validate import as_float_array, check_choice, check_shape, int_targets

LOSSES = ("cross_entropy", "mse")
OUTPUT_ACTIVATIONS = ("identity", "relu")


def softmax(z):
    """Softmax over the last axis, shifted by the max so exp never overflows."""
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def cross_entropy(zs, targets):
    """zs: (S, B, O) scores, targets: (S, B) integer classes. Returns (loss, dL/dzs).

    Uses log softmax(z)[k] = z_k - max(z) - log sum_j exp(z_j - max(z)), which stays
    finite even when a probability underflows to zero. The gradient
    dL/dz_t = (p_t - onehot_t) / B is built in place in one buffer:
    exp(z - max(z)), times 1 / (B sum_j exp(z_j - max(z))), minus 1/B at each target.
    The work runs on the (O, S*B) view, one column per (t, b): the max and the sum over the
    classes are then O - 1 element-wise passes over long rows, which numpy vectorises (a
    reduction over a short last axis runs row by row, several times slower). `forward`
    stores zs in that layout, so the view costs nothing; dL/dzs comes back in it too.
    """
    S, B, O = zs.shape
    zT = zs.reshape(S * B, O).T                       # (O, S*B)
    rows, cols = targets.reshape(-1), np.arange(S * B)
    shifted = zT - zT.max(axis=0)                     # z - max(z)
    picked = shifted[rows, cols]
    e = np.exp(shifted, out=shifted)                  # exp(z - max(z)), in the same buffer
    total = e.sum(axis=0)
    loss = float((np.log(total) - picked).sum() / B)
    e *= 1.0 / (B * total)                            # p_t / B
    e[rows, cols] -= 1.0 / B                          # (p_t - onehot_t) / B
    return loss, e.T.reshape(S, B, O)


def squared_error(zs, targets, output_activation="identity"):
    """zs, targets: (S, B, O). y = z (or ReLU(z)); L = sum (y - target)^2 / B. Returns (loss, dL/dzs)."""
    B = zs.shape[1]
    y = np.maximum(zs, 0) if output_activation == "relu" else zs
    diff = y - targets
    loss = float((diff * diff).sum() / B)
    dzs = (2.0 / B) * diff
    if output_activation == "relu":
        dzs *= zs > 0
    return loss, dzs


def check_targets(loss, targets, T, B, O, many_to_one, dtype):
    """Validate targets for the loss; returns them with a leading time axis (S, B[, O])."""
    check_choice("loss", loss, LOSSES)
    if loss == "cross_entropy":
        shape, meaning = ((B,), "(B,)") if many_to_one else ((T, B), "(T, B)")
        t = int_targets("targets", targets, shape, f"{meaning} of class labels", O)
    else:
        shape, meaning = ((B, O), "(B, O)") if many_to_one else ((T, B, O), "(T, B, O)")
        t = as_float_array("targets", targets, dtype)
        check_shape("targets", t, shape, meaning)
    return t[None] if many_to_one else t


def loss_and_grad(zs, targets, loss, output_activation="identity"):
    """Dispatch to the named loss: returns (loss value, dL/dzs)."""
    if loss == "cross_entropy":
        return cross_entropy(zs, targets)
    return squared_error(zs, targets, output_activation)


def predict(zs, loss="cross_entropy", output_activation="identity"):
    """The network's outputs y_t from z_t: softmax probabilities for cross-entropy,
    z_t (or ReLU(z_t)) for squared error, or sigmoid when output_activation='sigmoid'."""
    if output_activation == "sigmoid":
        return sigmoid(np.asarray(zs, dtype=float))
    if loss == "cross_entropy":
        return softmax(zs)
    return np.maximum(zs, 0) if output_activation == "relu" else zs
