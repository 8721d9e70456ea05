"""The gradient-descent update."""
import numpy as np

from .validate import check_positive_finite


def sgd_step(params, grads, lr):
    """One step of gradient descent: W <- W - lr * dL/dW for every parameter.

    Descent *subtracts* the gradient: the gradient points uphill, towards larger loss.
    (Adding it, W + lr * dL/dW, would climb the loss instead.)
    Returns new parameters; `params` is not changed.
    """
    lr = check_positive_finite("lr", lr)
    if type(grads) is not type(params):
        raise TypeError(f"grads: expected {type(params).__name__} like params, got {type(grads).__name__}.")
    g = grads.named_arrays()
    for name, a in params.named_arrays().items():
        if g[name].shape != a.shape:
            raise ValueError(f"grads.{name}: expected shape {a.shape} like params.{name}, got {g[name].shape}.")
    with np.errstate(over="ignore", invalid="ignore"):   # exploded gradients are reported by bptt
        return params.from_named({n: a - lr * g[n].astype(a.dtype) for n, a in params.named_arrays().items()})
