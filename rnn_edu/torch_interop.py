"""Exchange weights with PyTorch: nn.RNN / nn.LSTM / nn.GRU plus an nn.Linear output layer.

PyTorch keeps two hidden biases per layer, bias_ih_l{k} and bias_hh_l{k}, and the same gate
order as rnn_edu (LSTM i, f, g, o; GRU r, z, n). For the RNN and the LSTM only their sum
matters, so b_h = bias_ih + bias_hh (exported as bias_ih = b_h, bias_hh = 0); the GRU keeps
both (b_h = bias_ih, b_R = bias_hh). torch is imported only when these functions are called.
"""
import numpy as np

DTYPES = {"torch.float64": np.float64, "torch.float32": np.float32}


def _numpy(t):
    return t.detach().cpu().numpy().copy()


def params_from_torch(rnn_module, linear):
    """The rnn_edu params holding the weights of a torch nn.RNN (tanh), nn.LSTM or nn.GRU with
    biases, time-major (batch_first=False), one or more layers, and its nn.Linear output layer.

    Returns RNNParams / LSTMParams / GRUParams for one layer, the stacked container for more.
    """
    from torch import nn
    from .gated_params import GATED
    from .params import RNNParams, StackedRNNParams
    kinds = {nn.LSTM: "lstm", nn.GRU: "gru", nn.RNN: "rnn"}
    cell = kinds.get(type(rnn_module))
    if cell is None:
        raise TypeError(f"rnn_module: expected torch.nn.RNN, nn.LSTM or nn.GRU, got {type(rnn_module).__name__}.")
    if not isinstance(linear, nn.Linear) or linear.bias is None:
        raise TypeError(f"linear: expected a torch.nn.Linear with a bias, got {type(linear).__name__}.")
    m = rnn_module
    problems = [text for bad, text in [
        (not m.bias, "bias=True"), (m.batch_first, "batch_first=False"),
        (m.bidirectional, "bidirectional=False"), (getattr(m, "proj_size", 0), "proj_size=0"),
        (cell == "rnn" and m.nonlinearity != "tanh", "nonlinearity='tanh'")] if bad]
    if problems:
        raise ValueError(f"rnn_module: expected {', '.join(problems)}, got {m}.")
    if linear.in_features != m.hidden_size:
        raise ValueError(f"linear: expected in_features = hidden_size = {m.hidden_size}, "
                         f"got {linear.in_features}.")
    layers = []
    for k in range(m.num_layers):
        w_ih, w_hh = _numpy(getattr(m, f"weight_ih_l{k}")), _numpy(getattr(m, f"weight_hh_l{k}"))
        b_ih, b_hh = _numpy(getattr(m, f"bias_ih_l{k}")), _numpy(getattr(m, f"bias_hh_l{k}"))
        layers.append((w_ih, w_hh, b_ih, b_hh) if cell == "gru" else (w_ih, w_hh, b_ih + b_hh))
    W_O, b_o = _numpy(linear.weight), _numpy(linear.bias)
    one, stacked = (RNNParams, StackedRNNParams) if cell == "rnn" else GATED[cell][:2]
    if m.num_layers == 1:
        return one(*layers[0], W_O, b_o)
    return stacked(*(list(t) for t in zip(*layers)), W_O, b_o)


def params_to_torch(params):
    """(rnn_module, linear): a torch nn.RNN / nn.LSTM / nn.GRU (time-major, with biases) and
    the nn.Linear output layer holding copies of `params`' weights, in the params' dtype."""
    import torch
    from torch import nn
    from .cells import cell_module
    cell_module(params)
    dtype = getattr(torch, str(params.dtype))
    layers = params.layers
    sizes = [layer[1].shape[1] for layer in layers]
    if len(set(sizes)) > 1:
        raise ValueError(f"params: torch's stacked modules need one hidden size for every layer, "
                         f"got {sizes}.")
    kind = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[params.cell]
    extra = {"nonlinearity": "tanh"} if params.cell == "rnn" else {}
    module = kind(params.n_in, sizes[0], num_layers=len(layers), bias=True, batch_first=False,
                  dtype=dtype, **extra)
    linear = nn.Linear(sizes[0], params.n_out, bias=True, dtype=dtype)
    with torch.no_grad():
        for k, layer in enumerate(layers):
            getattr(module, f"weight_ih_l{k}").copy_(torch.from_numpy(layer[0]))
            getattr(module, f"weight_hh_l{k}").copy_(torch.from_numpy(layer[1]))
            getattr(module, f"bias_ih_l{k}").copy_(torch.from_numpy(layer[2]))
            b_hh = getattr(module, f"bias_hh_l{k}")
            b_hh.copy_(torch.from_numpy(layer[3])) if params.cell == "gru" else b_hh.zero_()
        linear.weight.copy_(torch.from_numpy(params.W_O))
        linear.bias.copy_(torch.from_numpy(params.b_o))
    return module, linear
