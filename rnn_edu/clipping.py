"""Gradient clipping: two ways to stop one huge gradient from wrecking the weights.

by norm:  g <- g * nu / ||g||   when ||g|| > nu     (||g|| over all parameters together;
                                                       the direction of g is kept)
by value: g_i <- min(max(g_i, -c), c)  for every entry (the direction can change)
"""
import numpy as np

from .validate import check_positive_finite


def global_norm(grads):
    """||g||: the L2 norm of all gradient entries of all parameters taken together."""
    with np.errstate(over="ignore", invalid="ignore"):
        return float(np.sqrt(sum(float(np.sum(np.square(a, dtype=np.float64)))
                                 for a in grads.named_arrays().values())))


def clip_by_norm(grads, max_norm):
    """Rescale all gradients together so that their global norm is at most `max_norm`.

    grads: RNNParams (or StackedRNNParams) of gradients; max_norm: nu > 0.
    Returns (clipped, norm_before): new arrays (the input is never changed), and ||g|| before.
    Below the threshold the values are returned unchanged (as copies).
    """
    nu = check_positive_finite("max_norm", max_norm)
    norm = global_norm(grads)
    if not norm > nu:                     # also keeps NaN gradients as they are, to be seen
        return grads.copy(), norm
    scale = nu / norm
    return grads.map(lambda a: (a * scale).astype(a.dtype)), norm


def clip_by_value(grads, limit):
    """Clip every gradient entry to [-limit, limit]; returns new arrays."""
    c = check_positive_finite("limit", limit)
    return grads.map(lambda a: np.clip(a, -c, c))
