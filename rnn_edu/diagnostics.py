"""Numbers the lessons plot to watch gradients vanish or explode.

Backwards through time the gradient is multiplied, once per step, by the Jacobian

    dh_t/dh_{t-1} = diag(f'(a_t)) W_R,      so  ||dh_t/dh_{t-k}|| <= (gamma * sigma_max(W_R))^k

with gamma = max|f'| (1 for tanh, 1/4 for sigmoid). Below 1 the product must vanish.
"""
import numpy as np

from .activations import get_activation
from .cells import cell_module
from .cells.rnn import layer_deltas
from .gradients import output_backward
from .forward import forward
from .losses import check_targets, loss_and_grad
from .params import hidden_sizes
from .validate import check_choice


def spectral_radius(W):
    """max |eigenvalue| of a square matrix."""
    return float(np.max(np.abs(np.linalg.eigvals(np.asarray(W, dtype=np.float64)))))


def largest_singular_value(W):
    """sigma_max(W) = ||W||_2, the most W can stretch any vector."""
    return float(np.linalg.norm(np.asarray(W, dtype=np.float64), ord=2))


def hidden_grad_norms(params, xs, targets, h0=None, *, activation="tanh", loss="cross_entropy",
                      many_to_one=True, output_activation="identity", cell_state=False):
    """||dL/dh_t|| for t = 1..T (one layer, any cell): how far back the loss signal reaches.

    With many_to_one=True (the default) only the last step is scored, so the curve shows
    the signal of one loss term travelling back through time. Returns an array of shape (T,),
    the norm over the batch and the hidden units (Frobenius norm of a (B, H) matrix).
    dL/dh_t is the total gradient: from the output at t and from every later step.
    cell_state=True (LSTM only) also returns ||dL/dc_t||, the total gradient reaching the
    cell state c_t (from c_{t+1} and through h_t): a pair of (T,) arrays.
    """
    cell = cell_module(params)
    if params.stacked:
        raise TypeError(f"params: expected a one-layer container (RNNParams, LSTMParams or "
                        f"GRUParams), got {type(params).__name__}.")
    if cell_state and params.cell != "lstm":
        raise ValueError(f"cell_state: only an LSTM has a cell state c_t; got {type(params).__name__}.")
    fwd = forward(params, xs, h0, activation=activation)
    T, B, O = fwd.zs.shape
    t = check_targets(loss, targets, T, B, O, many_to_one, params.dtype)
    scored = slice(T - 1, T) if many_to_one else slice(0, T)
    with np.errstate(over="ignore", invalid="ignore"):
        _, dzs = loss_and_grad(fwd.zs[scored], t, loss, output_activation)
        _, _, dhs = output_backward(params, fwd.hs, dzs, scored)
        if params.cell == "rnn":
            das, _ = layer_deltas(params.W_R, fwd.hs, dhs, activation)
            dhs[:-1] += das[1:] @ params.W_R          # dL/dh_t = from output + W_R^T dL/da_{t+1}
            return np.sqrt(np.sum(dhs * dhs, axis=(1, 2)))
        return _gated_norms(cell, params.layers[0], fwd.caches[0], dhs, cell_state)


def _gated_norms(cell, layer, cache, dhs, cell_state):
    """Step back one step at a time (cell.truncated_step), recording the norms on the way."""
    T = dhs.shape[0]
    h_norms, c_norms = np.zeros(T), np.zeros(T)
    dstate = cell.zero_state(dhs.shape[1], dhs.shape[2], dhs.dtype)
    for s in range(T - 1, -1, -1):
        cell.h_part(dstate)[...] += dhs[s]
        h_norms[s] = np.linalg.norm(cell.h_part(dstate))
        if cell_state:
            c_norms[s] = np.linalg.norm(cell.total_dc(cache, s, dstate))
        _, _, dstate = cell.truncated_step(layer, cache, s, dstate)
    return (h_norms, c_norms) if cell_state else h_norms


def jacobian_product_norms(params, xs, h0=None, *, activation="tanh", item=0):
    """||dh_T/dh_{T-k}||_2 for k = 1..T, for one sequence of the batch (index `item`).

    dh_T/dh_{T-k} = J_T J_{T-1} ... J_{T-k+1},  J_t = diag(f'(a_t)) W_R.
    Returns an array of shape (T,): entry k-1 is the spectral norm of the product over k steps.
    """
    if getattr(params, "cell", None) != "rnn" or params.stacked:
        raise TypeError(f"params: expected RNNParams (one plain-RNN layer), got {type(params).__name__}.")
    _, d_f = get_activation(activation)
    fwd = forward(params, xs, h0, activation=activation)
    hs = fwd.hs[:, item, :]
    W_R = params.W_R.astype(np.float64)
    product = np.eye(W_R.shape[0])
    norms = []
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(hs.shape[0] - 1, -1, -1):
            product = product @ (d_f(hs[t].astype(np.float64))[:, None] * W_R)
            norms.append(np.linalg.norm(product, ord=2) if np.all(np.isfinite(product)) else np.inf)
    return np.array(norms)


def count_params(n_in, n_hidden, n_out, cell="rnn"):
    """Trainable parameters of a network with n_hidden units (an int, or a list for stacked layers).

    Plain RNN layer l with H_l units reading D_l inputs: H_l*D_l (W_F) + H_l*H_l (W_R) + H_l (b_h).
    LSTM layer: 4 H_l (D_l + H_l + 1), four gates with one bias each.
    GRU layer: 3 H_l (D_l + H_l + 2), three gates with an input-side and a recurrent-side bias.
    The output layer has O*H (W_O) + O (b_o).
    """
    check_choice("cell", cell, ("rnn", "lstm", "gru"))
    gates, biases = {"rnn": (1, 1), "lstm": (4, 1), "gru": (3, 2)}[cell]
    total, below = 0, n_in
    for H in hidden_sizes(n_in, n_hidden, n_out):
        total += gates * H * (below + H + biases)
        below = H
    return total + n_out * below + n_out


OVERFLOW_DTYPES = ("uint32", "int32", "float32", "float64")


def repeated_products(value, dtype, steps):
    """value^1, value^2, ..., value^steps, each computed by multiplying in `dtype`.

    Integers wrap around silently when they overflow; floats become inf (then inf - inf = nan).
    """
    check_choice("dtype", str(np.dtype(dtype)), OVERFLOW_DTYPES)
    dt = np.dtype(dtype)
    out = np.empty(steps, dtype=dt)
    x, v = dt.type(1), dt.type(value)
    with np.errstate(over="ignore"):
        for n in range(steps):
            x = dt.type(x * v)
            out[n] = x
    return out


def overflow_step(value, dtype, max_steps=100_000):
    """The first step n at which value^n, computed by repeated multiplication in `dtype`,
    no longer holds the true value: an integer that wrapped, or a float that became inf.

    Example: overflow_step(10, 'uint32') == 10, because 10^9 < 2^32 - 1 = 4,294,967,295 < 10^10.
    Returns None if no overflow happens within max_steps.
    """
    check_choice("dtype", str(np.dtype(dtype)), OVERFLOW_DTYPES)
    if not isinstance(value, (int, np.integer)) and np.issubdtype(np.dtype(dtype), np.integer):
        raise TypeError(f"value: expected an integer for dtype {dtype}, got {value!r}.")
    dt = np.dtype(dtype)
    x, v, exact = dt.type(1), dt.type(value), 1
    with np.errstate(over="ignore"):
        for n in range(1, max_steps + 1):
            x = dt.type(x * v)
            if np.issubdtype(dt, np.integer):
                exact *= int(value)
                if int(x) != exact:
                    return n
            elif not np.isfinite(x):
                return n
    return None
