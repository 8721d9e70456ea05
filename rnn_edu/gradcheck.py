"""Gradient checking: compare `bptt` with centered finite differences.

    dL/dw  ~  (L(w + eps) - L(w - eps)) / (2 eps)          error O(eps^2)
    dL/dw  ~  (8 [L(w+eps) - L(w-eps)] - [L(w+2eps) - L(w-2eps)]) / (12 eps)   error O(eps^4)

relative error per entry = |a - n| / max(1e-8, |a| + |n|), a analytic, n numerical.
For truncated BPTT the numerical gradient is taken of the truncated objective,
in which each loss term L_t sees the states of step t-k (h_{t-k}, and c_{t-k} for an
LSTM) as constants. Works for every cell: only the params containers' generic methods
(named_arrays, astype, map) and `forward` are used.
"""
import numpy as np

from .gradients import bptt
from .forward import check_inputs, forward
from .losses import check_targets, loss_and_grad


def centered_difference(objective, arr, i, eps, order):
    """Derivative of objective() with respect to arr[i] by centered differences.

    order=2: (L(w+e) - L(w-e)) / 2e, error O(e^2).
    order=4: (-L(w+2e) + 8 L(w+e) - 8 L(w-e) + L(w-2e)) / 12e, error O(e^4), which allows a
             larger e and so less rounding noise.
    """
    old = arr[i]
    weights = {2: [(1, 1 / 2)], 4: [(1, 8 / 12), (2, -1 / 12)]}[order]
    total = 0.0
    for step, w in weights:
        arr[i] = old + step * eps
        up = objective()
        arr[i] = old - step * eps
        down = objective()
        total += w * (up - down)
    arr[i] = old
    return total / eps


def numerical_gradient(objective, params, eps=1e-3, order=4):
    """Centered differences of objective(params) -> float, for every entry of every array.

    params is copied to float64; returns a container of the same kind holding dL/dparam.
    """
    work = params.astype(np.float64)
    grads = work.map(np.zeros_like)
    for name, arr in work.named_arrays().items():
        g = grads.named_arrays()[name]
        for i in np.ndindex(arr.shape):
            g[i] = centered_difference(lambda: objective(work), arr, i, eps, order)
    return grads


def sequence_loss(params, xs, targets, h0=None, *, activation="tanh", loss="cross_entropy",
                  many_to_one=False, output_activation="identity"):
    """The loss `bptt` reports, computed by a forward pass only."""
    fwd = forward(params, xs, h0, activation=activation)
    T, B, O = fwd.zs.shape
    t = check_targets(loss, targets, T, B, O, many_to_one, params.dtype)
    zs = fwd.zs[-1:] if many_to_one else fwd.zs
    return loss_and_grad(zs, t, loss, output_activation)[0]


def truncated_loss(params, frozen, xs, targets, h0=None, *, truncate, activation="tanh",
                   loss="cross_entropy", many_to_one=False, output_activation="identity"):
    """sum_t L_t where L_t is recomputed from the states of step t-k of `frozen`, held fixed.

    frozen: the ForwardResult of the unperturbed parameters. Only steps t-k+1..t are
    rerun with `params`, so the derivative of this sum is exactly what truncated BPTT computes.
    """
    xs, h0s = check_inputs(params, xs, h0)
    T = xs.shape[0]
    t_all = check_targets(loss, targets, T, xs.shape[1], params.n_out, many_to_one, params.dtype)
    total = 0.0
    for i, t in enumerate([T - 1] if many_to_one else range(T)):
        start = max(t - truncate + 1, 0)
        states = h0s if start == 0 else frozen.states_at(start - 1)
        h = states if params.stacked else states[0]
        z = forward(params, xs[start:t + 1], h, activation=activation).zs[-1:]
        total += loss_and_grad(z, t_all[i:i + 1], loss, output_activation)[0]
    return total


class GradCheckResult(dict):
    """Maps each parameter name to its max relative error; also keeps both gradients."""

    def __init__(self, errors, analytic, numerical):
        super().__init__(errors)
        self.analytic, self.numerical = analytic, numerical

    @property
    def max_error(self):
        return max(self.values())

    def passed(self, tol=1e-6):
        return self.max_error < tol

    def __repr__(self):
        rows = "\n".join(f"  {n:<8} {e:.2e}" for n, e in self.items())
        return f"max relative error per parameter:\n{rows}"


def relative_errors(analytic, numerical):
    """Max over entries of |a - n| / max(1e-8, |a| + |n|), per parameter name."""
    out = {}
    for name, a in analytic.named_arrays().items():
        n = numerical.named_arrays()[name]
        a = a.astype(np.float64)
        out[name] = float(np.max(np.abs(a - n) / np.maximum(1e-8, np.abs(a) + np.abs(n))))
    return out


def gradient_check(params, xs, targets, h0=None, *, activation="tanh", loss="cross_entropy",
                   many_to_one=False, truncate=None, output_activation="identity", eps=1e-3, order=4):
    """Check `bptt` against centered differences in float64, for every parameter.

    Takes the same arguments as `bptt`, plus the step eps and the order (2 or 4) of the
    centered difference. With truncate=k < T the numerical side
    differentiates the truncated objective (states h_{t-k} held fixed for each L_t).
    Returns a GradCheckResult: {parameter name: max relative error}, .max_error, .passed(tol).
    """
    p64 = params.astype(np.float64)
    opts = dict(activation=activation, loss=loss, many_to_one=many_to_one,
                output_activation=output_activation)
    _, analytic = bptt(p64, xs, targets, h0, truncate=truncate, **opts)
    T = np.shape(xs)[0]
    if truncate is None or truncate >= T:
        def objective(p):
            return sequence_loss(p, xs, targets, h0, **opts)
    else:
        frozen = forward(p64, xs, h0, activation=activation)

        def objective(p):
            return truncated_loss(p, frozen, xs, targets, h0, truncate=truncate, **opts)
    numerical = numerical_gradient(objective, p64, eps, order)
    return GradCheckResult(relative_errors(analytic, numerical), analytic, numerical)
