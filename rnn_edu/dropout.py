"""Dropout on the connection from the hidden state to the output (Zaremba et al., 2014).

While training, each entry of h_t that the output layer reads is kept with probability 1 - p
and scaled by 1 / (1 - p), or set to zero with probability p:

    m_t[b, j] = 1 / (1 - p)  with probability 1 - p,   0  with probability p
    z_t = W_O (m_t * h_t) + b_o            (training, a fresh mask m for every window)
    z_t = W_O h_t + b_o                    (evaluation and sampling: no mask)

The scaling keeps the expected input of the output layer equal to h_t, so nothing changes at
evaluation time. The recurrence h_{t-1} -> h_t is never dropped: the state keeps its memory;
only what the output reads is noisy, so the model cannot lean on a few exact hidden units
(a regulariser: it narrows the gap between training and held-out loss).
bptt(..., dropout_mask=m) applies it; rnn_edu.lm.training.train_lm(..., dropout=p) draws m.
"""
import numpy as np


def dropout_mask(rng, shape, p, dtype=np.float32):
    """A mask of the given shape (T, B, H): 1/(1-p) with probability 1-p, else 0. 0 <= p < 1."""
    if not (isinstance(p, (int, float, np.floating)) and 0.0 <= float(p) < 1.0):
        raise ValueError(f"dropout: expected a probability p with 0 <= p < 1, got {p!r}.")
    keep = rng.random(shape, dtype=np.float32) >= p          # float32 draws: half the work of float64
    return keep.astype(dtype) * np.asarray(1.0 / (1.0 - float(p)), dtype)


def check_mask(mask, hs):
    """The mask, checked against the hidden states it multiplies (same shape (T, B, H))."""
    mask = np.asarray(mask)
    if mask.shape != hs.shape:
        raise ValueError(f"dropout_mask: expected the shape of the hidden states {hs.shape} (T, B, H), "
                         f"got {mask.shape}.")
    return mask.astype(hs.dtype, copy=False)
