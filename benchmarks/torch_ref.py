"""The PyTorch reference: the same network, loss and gradients as `rnn_edu.bptt`.

    h_t = tanh(W_F x_t + W_R h_{t-1} + b_h)     torch.nn.RNN (tanh, batch_first=False, bias)
          or the LSTM / GRU cell                 torch.nn.LSTM / torch.nn.GRU (same layout)
    z_t = W_O h_t + b_o                          torch.nn.Linear
    L   = (1/B) sum_t sum_b CE(z_t[b], y_t[b])   cross_entropy(reduction="sum") / B

nn.RNN and nn.LSTM have two biases (bias_ih_l0 + bias_hh_l0); b_h goes into bias_ih_l0
and bias_hh_l0 is zero, so the sum is b_h (rnn_edu.params_to_torch); the GRU's b_R is
its bias_hh_l0. Torch is optional: `available()` says whether it can be imported, and
nothing here imports it at module load.
"""
import numpy as np

import rnn_edu

DTYPE_NAMES = {np.dtype(np.float64): "float64", np.dtype(np.float32): "float32"}
# How close the two gradients must be (relative to the largest entry of each array).
RTOL = {"float64": 1e-10, "float32": 1e-4}


def available():
    """True if torch can be imported."""
    try:
        import torch  # noqa: F401
    except ImportError:
        return False
    return True


class TorchRNN:
    """nn.RNN + nn.Linear holding a copy of an RNNParams' weights; `.step()` runs one
    forward + backward and returns the loss (gradients in the modules' .grad)."""

    def __init__(self, params, xs, targets):
        import torch
        self.torch = torch
        self.cell = params.cell
        self.rnn, self.out = rnn_edu.params_to_torch(params)
        self.xs = torch.from_numpy(np.ascontiguousarray(xs, dtype=params.dtype))
        self.ys = torch.from_numpy(np.asarray(targets, dtype=np.int64))
        self.modules = (self.rnn, self.out)

    def step(self):
        """Forward, loss, backward (like one `bptt` call); returns the loss as a float."""
        F = self.torch.nn.functional
        for m in self.modules:
            m.zero_grad(set_to_none=True)
        T, B, _ = self.xs.shape
        hs, _ = self.rnn(self.xs)                          # (T, B, H), h_0 = 0
        logits = self.out(hs)                              # (T, B, O)
        loss = F.cross_entropy(logits.reshape(T * B, -1), self.ys.reshape(T * B),
                               reduction="sum") / B
        loss.backward()
        return loss.item()

    def grads(self):
        """The gradients as a params container (numpy arrays), in rnn_edu's names; the
        gradient of b_h is that of bias_ih (equal to bias_hh's: the two are summed)."""
        g = lambda p: p.grad.detach().numpy().copy()  # noqa: E731
        layer = [g(self.rnn.weight_ih_l0), g(self.rnn.weight_hh_l0), g(self.rnn.bias_ih_l0)]
        if self.cell == "gru":
            layer.append(g(self.rnn.bias_hh_l0))
        kind = {"rnn": rnn_edu.RNNParams, "lstm": rnn_edu.LSTMParams, "gru": rnn_edu.GRUParams}[self.cell]
        return kind(*layer, g(self.out.weight), g(self.out.bias))


def make_problem(T, B, n, dtype, seed=0, cell="rnn"):
    """Random weights (D = H = O = n) of the cell, inputs (T, B, n) and class targets (T, B)."""
    rng = np.random.default_rng(seed)
    params = rnn_edu.init_params(n, n, n, seed=seed, dtype=dtype, cell=cell)
    params.b_h[:] += rng.normal(scale=0.1, size=params.b_h.size)
    if cell == "gru":
        params.b_R[:] = rng.normal(scale=0.1, size=params.b_R.size)
    params.b_o[:] = rng.normal(scale=0.1, size=n)
    xs = rng.normal(size=(T, B, n)).astype(dtype)
    targets = rng.integers(0, n, size=(T, B))
    return params, xs, targets


def check_equivalence(params, xs, targets):
    """Run rnn_edu.bptt and the torch reference on the same problem; assert that the
    losses and every gradient agree to RTOL of the dtype. Returns the largest
    relative difference found, {name: max |a - b| / max |b|} plus 'loss'."""
    rtol = RTOL[DTYPE_NAMES[params.dtype]]
    loss, grads = rnn_edu.bptt(params, xs, targets)
    ref = TorchRNN(params, xs, targets)
    ref_loss = ref.step()
    diffs = {"loss": abs(loss - ref_loss) / abs(ref_loss)}
    for name, ref_g in ref.grads().named_arrays().items():
        ours = grads.named_arrays()[name]
        assert ours.dtype == ref_g.dtype == params.dtype, f"{name}: dtype {ours.dtype} vs {ref_g.dtype}"
        diffs[name] = float(np.abs(ours - ref_g).max() / np.abs(ref_g).max())
    worst = max(diffs, key=diffs.get)
    assert diffs[worst] <= rtol, (
        f"rnn_edu and torch disagree on {worst}: relative difference {diffs[worst]:.2e} > {rtol:g} "
        f"({DTYPE_NAMES[params.dtype]})")
    return diffs
