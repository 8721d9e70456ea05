"""Parameter updates: plain gradient descent, and four optimisers that keep a state.

sgd_step(params, grads, lr)       W <- W - lr g            (stateless)
Momentum(lr, momentum=0.9)        torch.optim.SGD(lr, momentum)        (dampening 0, no Nesterov)
Adagrad(lr, eps=1e-10)            torch.optim.Adagrad(lr, eps)         (no lr decay, accumulator 0)
Adam(lr, betas=(0.9, 0.999), eps=1e-8)   torch.optim.Adam(lr, betas, eps)  (no weight decay)
AdamW(lr, ..., weight_decay=0.01)        torch.optim.AdamW(lr, betas, eps, weight_decay)

Each optimiser is an object with `step(params, grads) -> new params`. It works for any params
container (RNN, stacked, LSTM, GRU): it uses only named_arrays() and from_named(), and keeps one
state array per name. `params` and `grads` are never changed.
"""
import numpy as np

from .validate import check_positive_finite


def _check_grads(params, grads):
    """Same container type, same names, same shapes; returns (param arrays, grad arrays)."""
    if type(grads) is not type(params):
        raise TypeError(f"grads: expected {type(params).__name__} like params, got {type(grads).__name__}.")
    p, g = params.named_arrays(), grads.named_arrays()
    if set(p) != set(g):
        raise ValueError(f"grads: expected the arrays {sorted(p)} like params, got {sorted(g)}.")
    for name, a in p.items():
        if g[name].shape != a.shape:
            raise ValueError(f"grads.{name}: expected shape {a.shape} like params.{name}, got {g[name].shape}.")
    return p, g


def sgd_step(params, grads, lr):
    """One step of gradient descent: W <- W - lr * dL/dW for every parameter.

    Descent *subtracts* the gradient: the gradient points uphill, towards larger loss.
    (Adding it, W + lr * dL/dW, would climb the loss instead.)
    Returns new parameters; `params` is not changed.
    """
    lr = check_positive_finite("lr", lr)
    p, g = _check_grads(params, grads)
    with np.errstate(over="ignore", invalid="ignore"):   # exploded gradients are reported by bptt
        return params.from_named({n: a - lr * g[n].astype(a.dtype) for n, a in p.items()})


class Optimizer:
    """Base class: keeps per-array state by name and applies `_update` to every array."""

    def __init__(self, lr):
        self.lr = check_positive_finite("lr", lr)
        self.state = {}        # name -> dict of state arrays
        self.t = 0             # number of steps taken

    def step(self, params, grads):
        """Return new params after one update with `grads` (same container type as params)."""
        p, g = _check_grads(params, grads)
        if self.state and set(self.state) != set(p):
            raise ValueError(f"params: this optimiser was used with the arrays {sorted(self.state)}, "
                             f"got {sorted(p)}; make a new optimiser for a new model.")
        self.t += 1
        out = {}
        with np.errstate(over="ignore", invalid="ignore"):
            for name, a in p.items():
                st = self.state.setdefault(name, {})
                out[name] = self._update(a, g[name].astype(a.dtype), st).astype(a.dtype, copy=False)
        return params.from_named(out)

    def _update(self, w, g, st):
        raise NotImplementedError

    def __repr__(self):
        return f"{type(self).__name__}(lr={self.lr:g}, steps taken: {self.t})"


class Momentum(Optimizer):
    """Gradient descent with momentum, as torch.optim.SGD(lr, momentum) (dampening 0, no Nesterov).

        b_1 = g_1,   b_t = mu b_{t-1} + g_t          (a running sum of past gradients)
        W  <- W - lr b_t
    Defaults: momentum mu = 0.9 (the usual choice; torch.optim.SGD's own default is 0).
    """

    def __init__(self, lr, momentum=0.9):
        super().__init__(lr)
        m = momentum
        if isinstance(m, bool) or not isinstance(m, (int, float, np.integer, np.floating)) \
                or not np.isfinite(m) or not 0 <= m < 1:
            raise ValueError(f"momentum: expected a number in [0, 1), got {momentum!r}.")
        self.momentum = float(m)

    def _update(self, w, g, st):
        b = st.get("b")
        st["b"] = b = g.copy() if b is None else self.momentum * b + g
        return w - self.lr * b


class Adagrad(Optimizer):
    """Adagrad, as torch.optim.Adagrad(lr, eps) (lr_decay 0, initial accumulator 0).

        s_t = s_{t-1} + g_t^2                         (s_0 = 0, element-wise square)
        W  <- W - lr g_t / (sqrt(s_t) + eps)
    Each entry's step shrinks as its squared gradients accumulate. Default eps = 1e-10.
    """

    def __init__(self, lr, eps=1e-10):
        super().__init__(lr)
        self.eps = check_positive_finite("eps", eps)

    def _update(self, w, g, st):
        s = st.get("s")
        st["s"] = s = g * g if s is None else s + g * g
        return w - self.lr * g / (np.sqrt(s) + self.eps)


class Adam(Optimizer):
    """Adam, as torch.optim.Adam(lr, betas, eps) (no weight decay, no amsgrad).

        m_t = beta1 m_{t-1} + (1 - beta1) g_t          v_t = beta2 v_{t-1} + (1 - beta2) g_t^2
        m^_t = m_t / (1 - beta1^t)                     v^_t = v_t / (1 - beta2^t)
        W  <- W - lr m^_t / (sqrt(v^_t) + eps)
    with m_0 = v_0 = 0. Defaults: betas = (0.9, 0.999), eps = 1e-8.
    """

    def __init__(self, lr, betas=(0.9, 0.999), eps=1e-8):
        super().__init__(lr)
        try:
            b1, b2 = (float(b) for b in betas)
        except (TypeError, ValueError):
            raise ValueError(f"betas: expected two numbers (beta1, beta2) in [0, 1), got {betas!r}.") from None
        if not (0 <= b1 < 1 and 0 <= b2 < 1):
            raise ValueError(f"betas: expected two numbers (beta1, beta2) in [0, 1), got {betas!r}.")
        self.betas = (b1, b2)
        self.eps = check_positive_finite("eps", eps)

    def _update(self, w, g, st):
        b1, b2 = self.betas
        m, v = st.get("m", 0.0), st.get("v", 0.0)
        st["m"] = m = b1 * m + (1 - b1) * g
        st["v"] = v = b2 * v + (1 - b2) * g * g
        step_size = self.lr / (1 - b1 ** self.t)
        denom = np.sqrt(v) / np.sqrt(1 - b2 ** self.t) + self.eps    # = sqrt(v^_t) + eps
        return w - step_size * m / denom


class AdamW(Adam):
    """Adam with decoupled weight decay, as torch.optim.AdamW(lr, betas, eps, weight_decay).

        W  <- W (1 - lr lambda)                          (shrink every weight a little)
        W  <- W - lr m^_t / (sqrt(v^_t) + eps)           (then Adam's step, as in Adam)
    The decay acts on the weights directly, not through the gradient, so Adam's per-entry
    scaling does not undo it (Loshchilov & Hutter, 2019). Default weight_decay = 0.01 (torch's).
    """

    def __init__(self, lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01):
        super().__init__(lr, betas, eps)
        wd = weight_decay
        if isinstance(wd, bool) or not isinstance(wd, (int, float, np.integer, np.floating)) \
                or not np.isfinite(wd) or wd < 0:
            raise ValueError(f"weight_decay: expected a number >= 0, got {weight_decay!r}.")
        self.weight_decay = float(wd)

    def _update(self, w, g, st):
        return super()._update(w * (1 - self.lr * self.weight_decay), g, st)
