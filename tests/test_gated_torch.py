"""LSTM and GRU against torch.nn.LSTM / nn.GRU + autograd on the same weights (float64, 1e-10),
and the params_to_torch / params_from_torch round trips. Skipped when torch is absent."""
import numpy as np
import pytest

import rnn_edu

from optional import torch_or_skip

pytestmark = pytest.mark.torch
torch = torch_or_skip(module_level=True)
T, B, D, H, O = 7, 3, 4, 5, 3
KINDS = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU, "rnn": torch.nn.RNN}


def torch_problem(cell, layers, seed=0):
    torch.manual_seed(seed)
    module = KINDS[cell](D, H, num_layers=layers, dtype=torch.float64)
    linear = torch.nn.Linear(H, O, dtype=torch.float64)
    rng = np.random.default_rng(seed)
    return module, linear, rng.normal(size=(T, B, D)), rng.integers(0, O, size=(T, B))


def torch_loss_and_grads(module, linear, xs, targets, state=None, many_to_one=False):
    """Loss (1/B) sum_t CE and the gradients, in rnn_edu's names (b_h = grad of bias_ih,
    which equals the gradient of the summed bias for the RNN and the LSTM)."""
    for m in (module, linear):
        m.zero_grad(set_to_none=True)
    out, _ = module(torch.from_numpy(xs), state)
    logits = linear(out[-1:] if many_to_one else out)
    y = torch.from_numpy(targets[None] if many_to_one else targets).reshape(-1)
    loss = torch.nn.functional.cross_entropy(logits.reshape(-1, O), y, reduction="sum") / B
    loss.backward()
    grads = {}
    for k in range(module.num_layers):
        suffix = "" if module.num_layers == 1 else f"[{k}]"
        g = lambda n: getattr(module, f"{n}_l{k}").grad.numpy()  # noqa: E731
        grads["W_F" + suffix], grads["W_R" + suffix], grads["b_h" + suffix] = \
            g("weight_ih"), g("weight_hh"), g("bias_ih")
        if isinstance(module, torch.nn.GRU):
            grads["b_R" + suffix] = g("bias_hh")
        if not isinstance(module, torch.nn.GRU):
            np.testing.assert_allclose(g("bias_ih"), g("bias_hh"), rtol=1e-12, atol=1e-15)
    grads["W_O"], grads["b_o"] = linear.weight.grad.numpy(), linear.bias.grad.numpy()
    return loss.item(), grads


def assert_same(loss, grads, ref_loss, ref_grads, tol=1e-10):
    assert abs(loss - ref_loss) <= tol * abs(ref_loss)
    ours = grads.named_arrays()
    assert set(ours) == set(ref_grads)
    for name, ref in ref_grads.items():
        diff = np.abs(ours[name] - ref).max() / np.abs(ref).max()
        assert diff <= tol, f"{name}: relative difference {diff:.2e} from torch"


@pytest.mark.parametrize("cell", ["lstm", "gru", "rnn"])
@pytest.mark.parametrize("layers", [1, 2])
def test_loss_and_gradients_equal_torch(cell, layers):
    module, linear, xs, targets = torch_problem(cell, layers)
    params = rnn_edu.params_from_torch(module, linear)
    assert params.cell == cell and params.stacked == (layers > 1)
    ref_loss, ref_grads = torch_loss_and_grads(module, linear, xs, targets)
    loss, grads = rnn_edu.bptt(params, xs, targets)
    assert_same(loss, grads, ref_loss, ref_grads)


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_many_to_one_with_initial_state_equals_torch(cell):
    module, linear, xs, targets = torch_problem(cell, 2, seed=4)
    params = rnn_edu.params_from_torch(module, linear)
    rng = np.random.default_rng(2)
    h = rng.normal(size=(2, B, H))
    if cell == "lstm":
        c = rng.normal(size=(2, B, H))
        state, h0 = (torch.from_numpy(h), torch.from_numpy(c)), [(h[0], c[0]), (h[1], c[1])]
    else:
        state, h0 = torch.from_numpy(h), [h[0], h[1]]
    ref_loss, ref_grads = torch_loss_and_grads(module, linear, xs, targets[-1], state, many_to_one=True)
    loss, grads = rnn_edu.bptt(params, xs, targets[-1], h0, many_to_one=True)
    assert_same(loss, grads, ref_loss, ref_grads)


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_final_state_equals_torch(cell):
    module, linear, xs, _ = torch_problem(cell, 2, seed=1)
    params = rnn_edu.params_from_torch(module, linear)
    out, state = module(torch.from_numpy(xs))
    fwd = rnn_edu.forward(params, xs)
    np.testing.assert_allclose(fwd.hs, out.detach().numpy(), rtol=1e-12, atol=1e-14)
    if cell == "lstm":
        for k in range(2):
            np.testing.assert_allclose(fwd.h_last[k][0], state[0][k].detach().numpy(), atol=1e-14)
            np.testing.assert_allclose(fwd.h_last[k][1], state[1][k].detach().numpy(), atol=1e-14)
    else:
        np.testing.assert_allclose(np.stack(fwd.h_last), state.detach().numpy(), atol=1e-14)


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
@pytest.mark.parametrize("hidden", [H, [H, H]])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_round_trip_through_torch(cell, hidden, dtype):
    params = rnn_edu.init_params(D, hidden, O, cell=cell, seed=2, dtype=dtype)
    params = params.map(lambda a: a + np.random.default_rng(0).normal(size=a.shape).astype(dtype))
    module, linear = rnn_edu.params_to_torch(params)
    assert isinstance(module, KINDS[cell]) and module.num_layers == (1 if hidden == H else 2)
    assert module.weight_hh_l0.dtype == getattr(torch, np.dtype(dtype).name)
    back = rnn_edu.params_from_torch(module, linear)
    assert type(back) is type(params) and back.dtype == dtype
    np.testing.assert_array_equal(back.flatten(), params.flatten())
    if cell != "gru":
        assert not module.bias_hh_l0.detach().numpy().any()   # exported as b_ih = b_h, b_hh = 0
    out, _ = module(torch.from_numpy(np.ones((2, 1, D), dtype)))
    np.testing.assert_allclose(linear(out).detach().numpy(), rnn_edu.forward(params, np.ones((2, 1, D))).zs,
                               rtol=1e-5 if dtype == np.float32 else 1e-12)


def test_params_from_torch_sums_the_two_lstm_biases():
    module, linear, _, _ = torch_problem("lstm", 1)
    p = rnn_edu.params_from_torch(module, linear)
    np.testing.assert_allclose(p.b_h, (module.bias_ih_l0 + module.bias_hh_l0).detach().numpy())


def test_params_from_torch_refuses_what_it_cannot_represent():
    linear = torch.nn.Linear(H, O)
    with pytest.raises(ValueError, match="batch_first=False"):
        rnn_edu.params_from_torch(torch.nn.LSTM(D, H, batch_first=True), linear)
    with pytest.raises(ValueError, match="bias=True"):
        rnn_edu.params_from_torch(torch.nn.GRU(D, H, bias=False), linear)
    with pytest.raises(TypeError, match="nn.RNN, nn.LSTM or nn.GRU"):
        rnn_edu.params_from_torch(torch.nn.Linear(D, H), linear)
    with pytest.raises(ValueError, match="in_features = hidden_size = 6"):
        rnn_edu.params_from_torch(torch.nn.LSTM(D, 6), linear)
    with pytest.raises(ValueError, match="one hidden size for every layer"):
        rnn_edu.params_to_torch(rnn_edu.init_params(D, [4, 5], O, cell="lstm"))
