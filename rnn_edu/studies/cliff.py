"""The "cliff": the loss surface of a one-unit RNN, with a wall where the gradient explodes.

Pascanu, Mikolov and Bengio (2013, "On the difficulty of training recurrent neural
networks") draw this surface. One sigmoid unit, no input, runs for T steps:

    h_t = sigmoid(w h_{t-1} + b),   t = 1..T,   h_0 = 0.5        L(w, b) = (h_T - target)^2

In the course's notation it is an RNNParams with W_R = [[w]], b_h = [b], W_F = [[0]]
(the input x_t = 0 plays no part), W_O = [[1]], b_o = [0], loss='mse', many_to_one=True.
For w > 4 the map h -> sigmoid(w h + b) has two stable fixed points; h_0 = 0.5 sits on the
unstable one exactly when b = -w/2. Just above that line h_T ends near 1, just below near 0:
L jumps across a wall that gets thinner (and its gradient larger) as w grows.

Lesson 05 (notebooks/05_gradient_clipping.ipynb).
"""
from dataclasses import dataclass

import numpy as np

from ..activations import get_activation
from ..clipping import clip_by_norm
from ..forward import forward
from ..gradients import bptt
from ..params import RNNParams
from ..validate import check_positive_finite, check_positive_int

T = 50              # sequence length
H0 = 0.5            # h_0
TARGET = 0.7        # the value h_T should reach
ACTIVATION = "sigmoid"

# A start, learning rate and threshold where plain gradient descent lands on the wall
# (found by searching over starts; the notebook and tests use it).
DEMO = dict(w0=4.58, b0=-3.65, lr=2.0, steps=120, clip_norm=0.25)


def cliff_params(w, b):
    """The one-unit RNN with recurrent weight w and bias b, as RNNParams (D = H = O = 1)."""
    return RNNParams(W_F=[[0.0]], W_R=[[float(w)]], b_h=[float(b)], W_O=[[1.0]], b_o=[0.0])


def cliff_problem(T=T, h0=H0, target=TARGET):
    """(xs (T, 1, 1) zeros, targets (1, 1), h0 (1, 1)): the inputs `bptt` needs."""
    T = check_positive_int("T", T)
    return np.zeros((T, 1, 1)), np.array([[float(target)]]), np.array([[float(h0)]])


def pack_wb(dw, db):
    """A gradient container holding dL/dw in W_R and dL/db in b_h; all other entries 0.

    Lets the course's clip_by_norm / clip_by_value act on the 2-D gradient (dw, db).
    """
    return RNNParams(W_F=[[0.0]], W_R=[[float(dw)]], b_h=[float(db)], W_O=[[0.0]], b_o=[0.0])


def unpack_wb(grads):
    """The (dL/dw, dL/db) pair of a gradient container: array of shape (2,)."""
    return np.array([grads.W_R[0, 0], grads.b_h[0]], dtype=np.float64)


def cliff_loss(w, b, *, T=T, h0=H0, target=TARGET, activation=ACTIVATION):
    """L(w, b) = (h_T - target)^2, by the course's `forward`. Returns a float."""
    xs, targets, h_init = cliff_problem(T, h0, target)
    h_T = forward(cliff_params(w, b), xs, h_init, activation=activation).hs[-1, 0, 0]
    return float((h_T - targets[0, 0]) ** 2)


def loss_surface(ws, bs, *, T=T, h0=H0, target=TARGET, activation=ACTIVATION):
    """L(w, b) on the grid ws x bs, all points at once.

    ws: (n_w,) recurrent weights, bs: (n_b,) biases.
    Returns (n_b, n_w): row i, column j is L(ws[j], bs[i]) (ready for pcolormesh(ws, bs, .)).
    """
    f, _ = get_activation(activation)
    W, B = np.meshgrid(np.asarray(ws, dtype=np.float64), np.asarray(bs, dtype=np.float64))
    h = np.full_like(W, float(h0))
    for _ in range(check_positive_int("T", T)):
        h = f(W * h + B)                                  # h_t = f(w h_{t-1} + b), every (w, b)
    return (h - float(target)) ** 2


def cliff_gradient(w, b, *, T=T, h0=H0, target=TARGET, activation=ACTIVATION):
    """(L, g) with g = (dL/dw, dL/db), shape (2,), computed by the course's `bptt`."""
    xs, targets, h_init = cliff_problem(T, h0, target)
    loss, grads = bptt(cliff_params(w, b), xs, targets, h_init, activation=activation,
                       loss="mse", many_to_one=True)
    return loss, unpack_wb(grads)


@dataclass
class CliffPath:
    """A gradient-descent path over (w, b).

    points: (n + 1, 2) the (w, b) visited, start first.
    losses: (n + 1,) L at every point.
    norms:  (n,) ||g|| of every step, before clipping.
    step_lengths: (n,) length of every step actually taken, ||(w, b)_{k+1} - (w, b)_k||.
    """
    points: np.ndarray
    losses: np.ndarray
    norms: np.ndarray
    step_lengths: np.ndarray


def descend(w0, b0, *, lr, steps, clip_norm=None, T=T, h0=H0, target=TARGET,
            activation=ACTIVATION):
    """`steps` updates of gradient descent on L(w, b): (w, b) <- (w, b) - lr * g.

    With clip_norm = nu, g is first clipped by the course's clip_by_norm (see `pack_wb`):
        g <- g * nu / ||g||  when ||g|| > nu,   so no step is longer than lr * nu.
    T, h0, target, activation: the surface, as for `cliff_loss`.
    Returns a CliffPath.
    """
    lr = check_positive_finite("lr", lr)
    n = check_positive_int("steps", steps)
    opts = dict(T=T, h0=h0, target=target, activation=activation)
    point = np.array([float(w0), float(b0)])
    points, losses, norms = [point], [], []
    for _ in range(n):
        loss, g = cliff_gradient(*point, **opts)
        norms.append(float(np.hypot(*g)))
        if clip_norm is not None:
            g = unpack_wb(clip_by_norm(pack_wb(*g), clip_norm)[0])
        point = point - lr * g
        points.append(point)
        losses.append(loss)
    losses.append(cliff_loss(*point, **opts))
    points = np.array(points)
    return CliffPath(points, np.array(losses), np.array(norms),
                     np.linalg.norm(np.diff(points, axis=0), axis=1))
