"""FLOPs of one `bptt` call, and the machine's matrix-multiply throughput.

Only the matrix products are counted (an (m, k) @ (k, n) product is 2 m k n FLOPs);
element-wise work (tanh, exp, bias adds) is left out. For one tanh layer,
many-to-many cross-entropy, N = T*B rows:

    forward:   W_F x_t for all t    2 N D H       (T*B, D) @ (D, H)   one product
               W_R h_{t-1}          2 N H^2       (B, H) @ (H, H)     T products, one per step
               W_O h_t              2 N H O       (T*B, H) @ (H, O)   one product
    backward:  dL/dW_O              2 N O H       (O, T*B) @ (T*B, H)
               dL/dh_t from z_t     2 N O H       (T*B, O) @ (O, H)
               W_R^T dL/da_{t+1}    2 N H^2       (B, H) @ (H, H)     T products, one per step
               dL/dW_F              2 N H D       (H, T*B) @ (T*B, D)
               dL/dW_R              2 N H^2       (H, T*B) @ (T*B, H)

    total = 2 T B (2 D H + 3 H^2 + 3 H O)      (= 16 T B H^2 when D = H = O)

of which 4 T B H^2 are in per-step (B, H) @ (H, H) products and the rest in
whole-sequence products. (dL/dx_t is not needed and neither side computes it.)

A gated cell with G gates (LSTM G = 4, GRU G = 3) has G times the hidden layer's
products (W_F and W_R are (G H, D) and (G H, H)); the output layer's are unchanged:

    total = 2 T B (2 G D H + 3 G H^2 + 3 H O),   per-step 4 G T B H^2
"""
import time

import numpy as np


GATES = {"rnn": 1, "lstm": 4, "gru": 3}


def bptt_flops(T, B, D, H, O, cell="rnn"):
    """Matrix-product FLOPs of one bptt call: (total, of which in per-step products)."""
    G = GATES[cell]
    total = 2 * T * B * (2 * G * D * H + 3 * G * H * H + 3 * H * O)
    return total, 4 * G * T * B * H * H


def matmul_seconds(a, b, repeats, calls=1, matmul=np.matmul):
    """Median seconds of `calls` back-to-back matmul(a, b, out=c), over `repeats` runs."""
    c = matmul(a, b)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(calls):
            matmul(a, b, out=c)
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def gemm_operands(T, B, H, dtype, seed=0, cell="rnn"):
    """Random operands for `matmul_rates`: rows (T*B, H) and W (H, G H) (G gates)."""
    rng = np.random.default_rng(seed)
    return rng.normal(size=(T * B, H)).astype(dtype), rng.normal(size=(H, GATES[cell] * H)).astype(dtype)


def matmul_rates(rows, W, B, repeats=1, matmul=np.matmul):
    """GEMM throughput (GFLOP/s) at the two shapes bptt uses (numpy by default;
    pass torch tensors and matmul=torch.mm for torch's).

    big:  rows @ W, i.e. (T*B, H) @ (H, G H), as the whole-sequence products.
    step: (B, H) @ (H, G H), T of them back to back, as the per-step loop.
    """
    TB, H = rows.shape
    flops = 2 * TB * H * W.shape[1]
    big = flops / matmul_seconds(rows, W, repeats, matmul=matmul) / 1e9
    step = flops / matmul_seconds(rows[:B], W, repeats, calls=TB // B, matmul=matmul) / 1e9
    return {"big": big, "step": step}


def matmul_bound_rate(T, B, D, H, O, rates, cell="rnn"):
    """The GFLOP/s bptt would reach if it did nothing but its matrix products, each at
    the measured rate of its shape: total FLOPs / (big FLOPs / big rate + step FLOPs / step rate)."""
    total, step = bptt_flops(T, B, D, H, O, cell)
    seconds = (total - step) / rates["big"] + step / rates["step"]
    return total / seconds
