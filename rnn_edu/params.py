"""Parameters of a recurrent network, and their initialisation.

A one-layer RNN has five arrays::

    h_t = f(W_F x_t + W_R h_{t-1} + b_h)      W_F: (H, D)  W_R: (H, H)  b_h: (H,)
    y_t = g(W_O h_t + b_o)                    W_O: (O, H)  b_o: (O,)

`RNNParams` holds them; `StackedRNNParams` holds one (W_F, W_R, b_h) per layer
and a single output layer on top. Gradients use the same containers.
"""
from dataclasses import dataclass, fields

import numpy as np

from .validate import check_positive_finite, check_positive_int, shape_str

FLOAT_DTYPES = (np.float32, np.float64)


def _common_dtype(owner, arrays):
    """The one float dtype shared by all arrays (ints become float64)."""
    dtypes = {a.dtype for a in arrays.values() if np.issubdtype(a.dtype, np.floating)}
    for name, a in arrays.items():
        if not (np.issubdtype(a.dtype, np.floating) or np.issubdtype(a.dtype, np.integer)):
            raise TypeError(f"{owner}.{name}: expected a float32 or float64 array, got dtype {a.dtype}.")
    if len(dtypes) > 1:
        listing = ", ".join(f"{n}: {a.dtype}" for n, a in arrays.items())
        raise TypeError(f"{owner}: all arrays must share one dtype (float64 or float32), got {listing}.")
    dtype = dtypes.pop() if dtypes else np.dtype(np.float64)
    if dtype.type not in FLOAT_DTYPES:
        raise TypeError(f"{owner}: expected float32 or float64 arrays, got {dtype}.")
    return dtype


def _check_layer_shapes(owner, W_F, W_R, b_h):
    H = W_R.shape[0] if W_R.ndim == 2 else None
    if W_F.ndim != 2:
        raise ValueError(f"{owner}W_F: expected shape (H, D), got shape {shape_str(W_F.shape)}.")
    if W_R.ndim != 2 or W_R.shape[0] != W_R.shape[1]:
        raise ValueError(f"{owner}W_R: expected a square shape (H, H), got shape {shape_str(W_R.shape)}.")
    if W_F.shape[0] != H:
        raise ValueError(f"{owner}W_F: expected shape (H, D) with H = {H} (from W_R), "
                         f"got shape {shape_str(W_F.shape)}.")
    if b_h.shape != (H,):
        raise ValueError(f"{owner}b_h: expected shape (H,) = ({H},), got shape {shape_str(b_h.shape)}.")
    return H


def _check_output_shapes(W_O, b_o, H):
    if W_O.ndim != 2 or W_O.shape[1] != H:
        raise ValueError(f"W_O: expected shape (O, H) with H = {H}, got shape {shape_str(W_O.shape)}.")
    if b_o.shape != (W_O.shape[0],):
        raise ValueError(f"b_o: expected shape (O,) = ({W_O.shape[0]},), got shape {shape_str(b_o.shape)}.")


class _ParamsMixin:
    """Shared helpers: every container lists its arrays by name in `named_arrays()`."""

    def map(self, fn):
        """A new container with `fn(array)` applied to every array."""
        return self.from_named({n: fn(a) for n, a in self.named_arrays().items()})

    def copy(self):
        """A deep copy: new arrays with the same values."""
        return self.map(np.array)

    def astype(self, dtype):
        """A copy with every array converted to `dtype`."""
        return self.map(lambda a: a.astype(dtype))

    @property
    def dtype(self):
        return next(iter(self.named_arrays().values())).dtype

    def num_params(self):
        """Number of trainable scalars."""
        return sum(a.size for a in self.named_arrays().values())

    def flatten(self):
        """All parameters in one 1-D vector, in `named_arrays()` order."""
        return np.concatenate([a.ravel() for a in self.named_arrays().values()])

    def unflatten(self, vector):
        """A container shaped like this one, filled from a 1-D `vector`."""
        vector = np.asarray(vector)
        if vector.shape != (self.num_params(),):
            raise ValueError(f"vector: expected shape ({self.num_params()},), "
                             f"got shape {shape_str(vector.shape)}.")
        out, start = {}, 0
        for name, a in self.named_arrays().items():
            out[name] = vector[start:start + a.size].reshape(a.shape).copy()
            start += a.size
        return self.from_named(out)


@dataclass(eq=False)
class RNNParams(_ParamsMixin):
    """Weights of a one-layer RNN (also used for its gradients).

    W_F: (H, D) feed-forward weight, input -> hidden.
    W_R: (H, H) recurrent weight, hidden -> hidden.
    b_h: (H,)   hidden bias.
    W_O: (O, H) output weight, hidden -> output.
    b_o: (O,)   output bias.
    All arrays share one dtype: float64 by default, float32 kept as float32.
    """
    W_F: np.ndarray
    W_R: np.ndarray
    b_h: np.ndarray
    W_O: np.ndarray
    b_o: np.ndarray

    def __post_init__(self):
        arrays = {f.name: np.asarray(getattr(self, f.name)) for f in fields(self)}
        dtype = _common_dtype("RNNParams", arrays)
        for name, a in arrays.items():
            setattr(self, name, a.astype(dtype, copy=False))
        H = _check_layer_shapes("", self.W_F, self.W_R, self.b_h)
        _check_output_shapes(self.W_O, self.b_o, H)

    def named_arrays(self):
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_named(cls, arrays):
        return cls(**arrays)

    @property
    def layers(self):
        """The hidden layers as a list of (W_F, W_R, b_h) triples (one here)."""
        return [(self.W_F, self.W_R, self.b_h)]

    @property
    def n_in(self):
        return self.W_F.shape[1]

    @property
    def n_hidden(self):
        return self.W_R.shape[0]

    @property
    def n_out(self):
        return self.W_O.shape[0]

    def __repr__(self):
        return (f"RNNParams(D={self.n_in}, H={self.n_hidden}, O={self.n_out}, "
                f"dtype={self.dtype}, {self.num_params()} parameters)")


class StackedRNNParams(_ParamsMixin):
    """Weights of an L-layer RNN: layer l reads the hidden states of layer l-1.

        h^l_t = f(W_F[l] h^{l-1}_t + W_R[l] h^l_{t-1} + b_h[l]),   h^0_t = x_t
        y_t   = g(W_O h^L_t + b_o)

    W_F, W_R, b_h are lists with one array per layer; W_O: (O, H_L), b_o: (O,).
    """

    def __init__(self, W_F, W_R, b_h, W_O, b_o):
        if not (len(W_F) == len(W_R) == len(b_h)) or len(W_F) < 1:
            raise ValueError(f"StackedRNNParams: W_F, W_R and b_h need one array per layer, "
                             f"got {len(W_F)}, {len(W_R)} and {len(b_h)}.")
        L = len(W_F)
        arrays = {f"W_F[{l}]": np.asarray(W_F[l]) for l in range(L)}
        arrays.update({f"W_R[{l}]": np.asarray(W_R[l]) for l in range(L)})
        arrays.update({f"b_h[{l}]": np.asarray(b_h[l]) for l in range(L)})
        arrays.update(W_O=np.asarray(W_O), b_o=np.asarray(b_o))
        dtype = _common_dtype("StackedRNNParams", arrays)
        arrays = {n: a.astype(dtype, copy=False) for n, a in arrays.items()}
        self.W_F = [arrays[f"W_F[{l}]"] for l in range(L)]
        self.W_R = [arrays[f"W_R[{l}]"] for l in range(L)]
        self.b_h = [arrays[f"b_h[{l}]"] for l in range(L)]
        self.W_O, self.b_o = arrays["W_O"], arrays["b_o"]
        below = None
        for l in range(L):
            H = _check_layer_shapes(f"layer {l} ", self.W_F[l], self.W_R[l], self.b_h[l])
            if below is not None and self.W_F[l].shape[1] != below:
                raise ValueError(f"layer {l} W_F: expected shape (H, {below}) to read layer {l - 1}'s "
                                 f"{below} units, got shape {shape_str(self.W_F[l].shape)}.")
            below = H
        _check_output_shapes(self.W_O, self.b_o, below)

    def named_arrays(self):
        out = {}
        for l in range(len(self.W_F)):
            out[f"W_F[{l}]"], out[f"W_R[{l}]"], out[f"b_h[{l}]"] = self.W_F[l], self.W_R[l], self.b_h[l]
        out["W_O"], out["b_o"] = self.W_O, self.b_o
        return out

    @classmethod
    def from_named(cls, arrays):
        L = sum(1 for n in arrays if n.startswith("W_F["))
        return cls([arrays[f"W_F[{l}]"] for l in range(L)], [arrays[f"W_R[{l}]"] for l in range(L)],
                   [arrays[f"b_h[{l}]"] for l in range(L)], arrays["W_O"], arrays["b_o"])

    @property
    def layers(self):
        return list(zip(self.W_F, self.W_R, self.b_h))

    @property
    def n_in(self):
        return self.W_F[0].shape[1]

    @property
    def n_hidden(self):
        return [w.shape[0] for w in self.W_R]

    @property
    def n_out(self):
        return self.W_O.shape[0]

    def __repr__(self):
        return (f"StackedRNNParams(D={self.n_in}, H={self.n_hidden}, O={self.n_out}, "
                f"dtype={self.dtype}, {self.num_params()} parameters)")


def scale_to_spectral_radius(W, rho):
    """Rescale a square matrix so that its spectral radius max|eig(W)| equals `rho`."""
    return W * (rho / np.max(np.abs(np.linalg.eigvals(W))))


def _layer_init(rng, n_in, n_hidden, spectral_radius, dtype):
    W_F = rng.normal(0.0, 1.0 / np.sqrt(n_in), size=(n_hidden, n_in))
    W_R = rng.normal(0.0, 1.0 / np.sqrt(n_hidden), size=(n_hidden, n_hidden))
    if spectral_radius is not None:
        W_R = scale_to_spectral_radius(W_R, spectral_radius)
    return W_F.astype(dtype), W_R.astype(dtype), np.zeros(n_hidden, dtype)


def hidden_sizes(n_in, n_hidden, n_out):
    """Check the sizes of an architecture; return the hidden sizes as a list (one per layer).

    n_hidden is an int (one layer) or a list of ints (stacked layers); all must be positive.
    """
    sizes = [n_hidden] if np.isscalar(n_hidden) else list(n_hidden)
    for name, v in [("n_in", n_in), ("n_out", n_out)] + [(f"n_hidden[{i}]", h) for i, h in enumerate(sizes)]:
        check_positive_int(name, v)
    return sizes


def init_params(n_in, n_hidden, n_out, *, seed=0, spectral_radius=None, dtype=np.float64):
    """Random RNN weights, reproducible from `seed`.

    W_F ~ N(0, 1/D), W_R ~ N(0, 1/H), W_O ~ N(0, 1/H), biases zero.
    `spectral_radius=rho` rescales W_R so that max|eig(W_R)| = rho: rho < 1 gives
    a "small W_R" whose gradients vanish, rho > 1 a "large W_R" that can explode.
    `n_hidden` may be a list such as [8, 8]: that returns `StackedRNNParams`.
    """
    sizes = hidden_sizes(n_in, n_hidden, n_out)
    if spectral_radius is not None:
        check_positive_finite("spectral_radius", spectral_radius)
    if np.dtype(dtype).type not in FLOAT_DTYPES:
        raise TypeError(f"dtype: expected float32 or float64, got {np.dtype(dtype)}.")
    rng = np.random.default_rng(seed)
    layers, below = [], n_in
    for H in sizes:
        layers.append(_layer_init(rng, below, H, spectral_radius, dtype))
        below = H
    W_O = rng.normal(0.0, 1.0 / np.sqrt(below), size=(n_out, below)).astype(dtype)
    b_o = np.zeros(n_out, dtype)
    if np.isscalar(n_hidden):
        (W_F, W_R, b_h), = layers
        return RNNParams(W_F=W_F, W_R=W_R, b_h=b_h, W_O=W_O, b_o=b_o)
    W_F, W_R, b_h = (list(t) for t in zip(*layers))
    return StackedRNNParams(W_F, W_R, b_h, W_O, b_o)
