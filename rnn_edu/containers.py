"""What every parameter container shares, whatever the cell.

Each container lists its arrays by name in `named_arrays()` and can be rebuilt from
such a dict by `from_named`; everything generic (clipping, optimisers, the gradient
check, flatten/unflatten) uses only these two, so it works for every cell type.
"""
import numpy as np

from .validate import shape_str

FLOAT_DTYPES = (np.float32, np.float64)


def common_dtype(owner, arrays):
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


def as_common_dtype(owner, arrays):
    """{name: array} converted to numpy arrays of their one shared float dtype."""
    arrays = {n: np.asarray(a) for n, a in arrays.items()}
    dtype = common_dtype(owner, arrays)
    return {n: a.astype(dtype, copy=False) for n, a in arrays.items()}


def check_layer_shapes(owner, W_F, W_R, biases, gates=1, gate_names=""):
    """Shapes of one hidden layer: W_F (G*H, D), W_R (G*H, H), each bias (G*H,); returns H.

    gates = G: 1 for the plain RNN, 4 for the LSTM (i, f, g, o), 3 for the GRU (r, z, n).
    biases: {name: array}.
    """
    G = "" if gates == 1 else f"{gates}"
    blocks = "" if gates == 1 else f" ({gate_names} stacked)"
    if W_F.ndim != 2:
        raise ValueError(f"{owner}W_F: expected shape ({G}H, D), got shape {shape_str(W_F.shape)}.")
    if W_R.ndim != 2 or W_R.shape[0] != gates * W_R.shape[1]:
        want = "a square shape (H, H)" if gates == 1 else f"shape ({G}H, H){blocks}"
        raise ValueError(f"{owner}W_R: expected {want}, got shape {shape_str(W_R.shape)}.")
    H = W_R.shape[1]
    if W_F.shape[0] != gates * H:
        raise ValueError(f"{owner}W_F: expected shape ({G}H, D) with H = {H} (from W_R), "
                         f"got shape {shape_str(W_F.shape)}.")
    for name, b in biases.items():
        if b.shape != (gates * H,):
            raise ValueError(f"{owner}{name}: expected shape ({G}H,) = ({gates * H},), "
                             f"got shape {shape_str(b.shape)}.")
    return H


def check_output_shapes(W_O, b_o, H):
    if W_O.ndim != 2 or W_O.shape[1] != H:
        raise ValueError(f"W_O: expected shape (O, H) with H = {H}, got shape {shape_str(W_O.shape)}.")
    if b_o.shape != (W_O.shape[0],):
        raise ValueError(f"b_o: expected shape (O,) = ({W_O.shape[0]},), got shape {shape_str(b_o.shape)}.")


class ParamsMixin:
    """Shared helpers: every container lists its arrays by name in `named_arrays()`."""

    cell = "rnn"          # which cell the container holds: 'rnn', 'lstm' or 'gru'

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

    @property
    def n_out(self):
        return self.W_O.shape[0]

    @property
    def stacked(self):
        """True for a container with a list of layers (even a list of one)."""
        return isinstance(self.W_F, list)

    def __repr__(self):
        return (f"{type(self).__name__}(D={self.n_in}, H={self.n_hidden}, O={self.n_out}, "
                f"dtype={self.dtype}, {self.num_params()} parameters)")


class OneLayerParams(ParamsMixin):
    """A one-layer container: the fields LAYER_FIELDS of its hidden layer, then W_O and b_o.

    Subclasses are dataclasses naming the fields; `__post_init__` converts them to one
    float dtype and checks their shapes.
    """

    GATES, GATE_NAMES, LAYER_FIELDS = 1, "", ("W_F", "W_R", "b_h")

    def __post_init__(self):
        names = self.LAYER_FIELDS + ("W_O", "b_o")
        arrays = as_common_dtype(type(self).__name__, {n: getattr(self, n) for n in names})
        for name, a in arrays.items():
            setattr(self, name, a)
        biases = {n: arrays[n] for n in self.LAYER_FIELDS[2:]}
        H = check_layer_shapes("", self.W_F, self.W_R, biases, self.GATES, self.GATE_NAMES)
        check_output_shapes(self.W_O, self.b_o, H)

    def named_arrays(self):
        return {n: getattr(self, n) for n in self.LAYER_FIELDS + ("W_O", "b_o")}

    @classmethod
    def from_named(cls, arrays):
        return cls(**arrays)

    @property
    def layers(self):
        """The hidden layers as a list of (W_F, W_R, b_h[, b_R]) tuples (one here)."""
        return [tuple(getattr(self, n) for n in self.LAYER_FIELDS)]

    @property
    def n_in(self):
        return self.W_F.shape[1]

    @property
    def n_hidden(self):
        return self.W_R.shape[1]


class StackedParams(ParamsMixin):
    """An L-layer container: each name in LAYER_FIELDS holds a list with one array per layer
    (layer l reads the hidden states of layer l-1), then one output layer W_O, b_o on top."""

    GATES, GATE_NAMES, LAYER_FIELDS = 1, "", ("W_F", "W_R", "b_h")

    def __init__(self, *args, **kwargs):
        names = self.LAYER_FIELDS + ("W_O", "b_o")
        if len(args) > len(names) or set(kwargs) - set(names):
            raise TypeError(f"{type(self).__name__}: expected the arguments {', '.join(names)}.")
        given = dict(zip(names, args), **kwargs)
        missing = [n for n in names if n not in given]
        if missing:
            raise TypeError(f"{type(self).__name__}: missing {', '.join(missing)}.")
        lists = [list(given[n]) for n in self.LAYER_FIELDS]
        L = len(lists[0])
        if L < 1 or any(len(x) != L for x in lists):
            listed = ", ".join(self.LAYER_FIELDS[:-1]) + " and " + self.LAYER_FIELDS[-1]
            counts = ", ".join(str(len(x)) for x in lists[:-1]) + f" and {len(lists[-1])}"
            raise ValueError(f"{type(self).__name__}: {listed} need one array per layer, got {counts}.")
        arrays = {f"{n}[{l}]": x[l] for n, x in zip(self.LAYER_FIELDS, lists) for l in range(L)}
        arrays.update(W_O=given["W_O"], b_o=given["b_o"])
        arrays = as_common_dtype(type(self).__name__, arrays)
        for n in self.LAYER_FIELDS:
            setattr(self, n, [arrays[f"{n}[{l}]"] for l in range(L)])
        self.W_O, self.b_o = arrays["W_O"], arrays["b_o"]
        below = None
        for l in range(L):
            biases = {n: getattr(self, n)[l] for n in self.LAYER_FIELDS[2:]}
            H = check_layer_shapes(f"layer {l} ", self.W_F[l], self.W_R[l], biases, self.GATES,
                                   self.GATE_NAMES)
            if below is not None and self.W_F[l].shape[1] != below:
                G = "" if self.GATES == 1 else f"{self.GATES}"
                raise ValueError(f"layer {l} W_F: expected shape ({G}H, {below}) to read layer {l - 1}'s "
                                 f"{below} units, got shape {shape_str(self.W_F[l].shape)}.")
            below = H
        check_output_shapes(self.W_O, self.b_o, below)

    def named_arrays(self):
        out = {}
        for l in range(len(self.W_F)):
            for n in self.LAYER_FIELDS:
                out[f"{n}[{l}]"] = getattr(self, n)[l]
        out["W_O"], out["b_o"] = self.W_O, self.b_o
        return out

    @classmethod
    def from_named(cls, arrays):
        L = sum(1 for n in arrays if n.startswith("W_F["))
        lists = {n: [arrays[f"{n}[{l}]"] for l in range(L)] for n in cls.LAYER_FIELDS}
        return cls(**lists, W_O=arrays["W_O"], b_o=arrays["b_o"])

    @property
    def layers(self):
        """The hidden layers, bottom first, as (W_F, W_R, b_h[, b_R]) tuples."""
        return list(zip(*(getattr(self, n) for n in self.LAYER_FIELDS)))

    @property
    def n_in(self):
        return self.W_F[0].shape[1]

    @property
    def n_hidden(self):
        return [w.shape[1] for w in self.W_R]
