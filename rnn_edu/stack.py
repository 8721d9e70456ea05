"""Layers stacked on one another, forwards and backwards, for any cell.

Layer l reads the hidden states of layer l-1 (layer 0 reads x_t); the output layer reads the
top one. Nothing here depends on the cell: each cell module (rnn_edu/cells/) supplies
run_layer, run_layer_backward, truncated_step and state_at, and every cell's weight gradients
are sums over t of outer products, computed here in one matrix product each:

    dL/dW_F = sum_t da_x,t x_t^T     dL/db_h = sum_t da_x,t
    dL/dW_R = sum_t da_h,t h_{t-1}^T  (dL/db_R = sum_t da_h,t for the GRU)

with da_x, da_h the gradients of the input-side and recurrent-side pre-activations
(the same array for the plain RNN and the LSTM).
"""
import numpy as np


def forward_layers(cell, layers, xs, states0, activation):
    """Run every layer over the whole sequence; returns (layer_hs, caches), bottom first."""
    inputs, layer_hs, caches = xs, [], []
    for layer, state0 in zip(layers, states0):
        inputs, cache = cell.run_layer(layer, inputs, state0, activation)
        layer_hs.append(inputs)
        caches.append(cache)
    return layer_hs, caches


def input_grads(das, W_F):
    """dL/dx_t = W_F^T dL/da_t for every t: das (T, B, G*H) -> (T, B, D)."""
    T, B, H = das.shape
    return (das.reshape(T * B, H) @ W_F).reshape(T, B, -1)


def backward_layers(cell, layers, caches, dtop):
    """Full BPTT through the stack, top layer first. dtop: (T, B, H_top) from the output.

    Returns a list (bottom first) of (das_x, das_h) per layer.
    """
    out, d_above = [None] * len(layers), dtop
    for l in range(len(layers) - 1, -1, -1):
        out[l] = cell.run_layer_backward(layers[l], caches[l], d_above)
        if l > 0:
            d_above = input_grads(out[l][0], layers[l][0])
    return out


def truncated_layers(cell, layers, caches, dtop, scored, k):
    """Truncated BPTT: each loss term L_t flows back at most k steps, then stops.

    dtop: (T, B, H_top), the gradient of each L_t with respect to the top h_t; scored: the
    time indices t that carry a loss term. For L_t the gradient reaches the pre-activations
    of steps t, t-1, ..., t-k+1 (every layer) and stops at the states of step t-k (h_{t-k},
    and c_{t-k} for the LSTM), which are treated as constants.
    Returns a list (bottom first) of (das_x, das_h) per layer.
    """
    B, dtype = dtop.shape[1], dtop.dtype
    sizes = [layer[1].shape[1] for layer in layers]
    das_x = [np.zeros((dtop.shape[0], B, layer[1].shape[0]), dtype) for layer in layers]
    das_h = [np.zeros_like(d) if cell.TWO_SIDED else d for d in das_x]
    top = len(layers) - 1
    for t in scored:
        dstate = [cell.zero_state(B, H, dtype) for H in sizes]
        cell.h_part(dstate[top])[...] = dtop[t]
        for s in range(t, max(t - k, -1), -1):
            earlier = [None] * len(layers)
            for l in range(top, -1, -1):
                da_x, da_h, earlier[l] = cell.truncated_step(layers[l], caches[l], s, dstate[l])
                das_x[l][s] += da_x
                if das_h[l] is not das_x[l]:
                    das_h[l][s] += da_h
                if l > 0:
                    cell.h_part(dstate[l - 1])[...] += da_x @ layers[l][0]   # into h^{l-1}_s
            dstate = earlier
    return list(zip(das_x, das_h))


def layer_weight_grads(das, xs, h0, hs, das_rec=None):
    """Weight gradients of one layer from its pre-activation gradients (sums over t).

    das: (T, B, G*H) input-side gradients; xs: (T, B, D) the layer's inputs; h0: (B, H);
    hs: (T, B, H); das_rec: the recurrent-side gradients if they differ from das (GRU).
    Returns (dW_F (G*H, D), dW_R (G*H, H), db_h (G*H,)), each computed as one matrix
    product over all T*B rows, which equals sum_t dL/da_t x_t^T (and so on).
    """
    rec = das if das_rec is None else das_rec
    T, B, GH = das.shape
    H = hs.shape[-1]
    flat = das.reshape(T * B, GH)
    dW_F = flat.T @ xs.reshape(T * B, -1)
    dW_R = rec[0].T @ h0
    if T > 1:
        dW_R += rec[1:].reshape((T - 1) * B, GH).T @ hs[:-1].reshape((T - 1) * B, H)
    return dW_F, dW_R, flat.sum(axis=0)
