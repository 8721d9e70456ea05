"""rnn_edu: the small numpy library behind the course on training recurrent networks.

    h_t = f(W_F x_t + W_R h_{t-1} + b_h)        y_t = g(W_O h_t + b_o)

and the gated cells LSTM and GRU (rnn_edu/cells/). Arrays are time-major: xs has shape (T, B, D).
"""
from .activations import GAMMA, sigmoid
from .backward import step_backward
from .gradients import NonFiniteGradientWarning, bptt
from .clipping import clip_by_norm, clip_by_value, global_norm
from .diagnostics import (count_params, hidden_grad_norms, jacobian_product_norms,
                          largest_singular_value, overflow_step, repeated_products, spectral_radius)
from .forward import ForwardResult, forward, step_forward
from .gradcheck import gradient_check, numerical_gradient
from .losses import predict, softmax
from .optim import sgd_step
from .params import RNNParams, StackedRNNParams, init_params, scale_to_spectral_radius
from .gated_params import GRUParams, LSTMParams, StackedGRUParams, StackedLSTMParams
from .torch_interop import params_from_torch, params_to_torch
from .training import TrainHistory, train

__version__ = "0.1.0"

__all__ = [
    "GAMMA", "ForwardResult", "GRUParams", "LSTMParams", "NonFiniteGradientWarning", "RNNParams",
    "StackedGRUParams", "StackedLSTMParams", "StackedRNNParams", "params_from_torch", "params_to_torch",
    "TrainHistory", "bptt", "clip_by_norm", "clip_by_value", "count_params", "forward",
    "global_norm", "gradient_check", "hidden_grad_norms", "init_params", "jacobian_product_norms",
    "largest_singular_value", "numerical_gradient", "overflow_step", "predict", "repeated_products",
    "scale_to_spectral_radius", "sgd_step", "sigmoid", "softmax", "spectral_radius", "step_backward",
    "step_forward", "train",
]
