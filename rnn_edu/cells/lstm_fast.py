"""The LSTM layer as `bptt` runs it: lstm.py's equations, arranged for speed.

Same results as lstm.layer_forward / lstm.layer_backward (and as a loop of the step code:
tests/test_fast_paths.py), same cache; what differs is where the work and the memory go:

- forward: W_F x_t + b_h for all T is one matrix product, straight into the gates array;
  the rows of W_F, W_R and b_h are scaled once so that one vectorised call per step turns
  a_t into the gates (see _row_scale); each step then adds one recurrent product, as
  h W_R^T (B, 4H) below H = WIDE and as W_R h^T (4H, B) from there on (that shape runs
  faster in OpenBLAS and needs no transposed copy of W_R), and works in place.
  The gates, h_t, c_t and tanh(c_t) of all steps share one allocation: glibc returns
  freed memory to the system once the free space at the top of its heap exceeds twice the
  largest block it has served with mmap and freed (glibc's dynamic thresholds, up to
  32 MB), and every byte it gives back is page-faulted in again by the next call; one big
  block raises that threshold above what a call uses.
- backward: the factors that do not depend on the gradient (g i', c_{t-1} f', i g',
  tanh(c_t) o' and o (1 - tanh(c_t)^2)) are computed a chunk of steps at a time into
  scratch arrays that stay in cache and are kept for the next call, and dL/da_t is
  written over the gates of step t, which nothing needs after step t: the backward pass
  allocates no (T, B, 4H) array.
  Each step: [dc, dh] live in one (2, B, H) array, so dc_{t+1} f_{t+1} and dh_t KD_t are
  one product (f_{t+1} is copied next to KD_t in the pre-pass), and dL/da for all four
  gates is one call over the whole contiguous (B, 4H) row (dc times all four factors, then
  da_o = dh tanh(c_t) o' over it): numpy runs a contiguous array in one loop, a (B, H)
  slice of a (B, 4H) array in B short loops.
  Like PyTorch's autograd after backward, the cache is spent after `backward`: a second
  backward (or lstm.truncated_step) through it raises a RuntimeError instead of returning
  wrong numbers; its states h_t, c_t stay readable.

Where the time goes (float32, T = 50, B = 32, 1 thread; benchmarks/lstm_profile.py counts
each part's FLOPs and working set): per step, the forward makes one product and 9
element-wise calls, the backward one product and 5; numpy spends about 0.4-1 us on each
call whatever its size, and 10-20 ns more for each row of a strided (B, H) slice. At H = 32
that overhead is most of the layer's time (a (32, 32) @ (32, 128) product is about 3 us);
from H = 128 on the per-step products dominate, and they run at about the rate of one big
product of the same shape. PyTorch (torch 2.x, float32 on CPU) runs nn.LSTM through oneDNN's
fused RNN primitive (aten::mkldnn_rnn_layer and its backward in torch.profiler): the whole
sequence is one call, the weights are reordered once for all steps, and the gates'
element-wise work is generated code inside the step, with no per-call overhead.
"""
import threading
from functools import lru_cache

import numpy as np

from .fastmath import sigmoid_from_negated, tanh_into

WIDE = 256               # from this H on, the forward's per-step product is W_R h^T (see forward)
CHUNK_BYTES = 1 << 18    # scratch of the backward pass: about this many bytes of gates per chunk (256 KB:
                         # 3 % faster whole bptt calls than 1 MB at H = 32, the same at 128)
_kept = threading.local()   # scratch arrays kept between calls, one set per thread


def _scratch(shape, dtype, slot):
    """An uninitialised array for use inside one call only, kept for the next call (one per
    `slot` and thread): memory touched afresh on every call costs page faults."""
    kept = _kept.__dict__.setdefault("arrays", {})
    a = kept.get(slot)
    if a is None or a.shape != shape or a.dtype != dtype:
        a = kept[slot] = np.empty(shape, dtype)
    return a


def _row_scale(H, dtype):
    """Row scales for the gates' pre-activations, and how the activated rows become gates.

    float32 (np.tanh is vectorised): rows * 1/2 on i, f, o and * 1 on g; after one tanh
    call, y = m u + c gives sigma(a) = (1 + tanh(a / 2)) / 2 and tanh(a_g) (m, c per row).
    float64 (exp is the fast one): rows * -1 on i, f, o and * -2 on g; sigma from one exp
    call and tanh(a_g) = 2 sigma(2 a_g) - 1 (m, c = None). Powers of two: exact.
    """
    if np.dtype(dtype) == np.float32:
        s = np.full(4 * H, 0.5, dtype)
        s[2 * H:3 * H] = 1.0
        return s, s, np.where(s == 0.5, 0.5, 0.0).astype(dtype)
    s = np.full(4 * H, -1.0, dtype)
    s[2 * H:3 * H] = -2.0
    return s, None, None


@lru_cache(maxsize=32)
def _constants(H, B, dtype):
    """The per-shape constants of both passes, built once (read-only): the row scales s,
    the tiles m, c of the forward's activation and d, e of the backward's derivatives."""
    s = _row_scale(H, dtype)[0]
    m, c = _affine_tiles(H, B, dtype)
    d, e = np.ones((B, 4 * H), dtype), np.zeros((B, 4 * H), dtype)
    d[:, 2 * H:3 * H], e[:, 2 * H:3 * H] = 0, 1
    for a in (s, m, c, d, e):
        a.flags.writeable = False
    return s, m, c, d, e


def _affine_tiles(H, B, dtype):
    """(B, 4H) arrays m, c such that gates = m * y + c after the activation call (see
    _row_scale): float32 y = tanh, float64 y = sigma. Full arrays, not broadcast rows: numpy
    multiplies two equal shapes about twice as fast as a (B, 4H) array by a (4H,) row."""
    if np.dtype(dtype) == np.float32:
        row_m, row_c = _row_scale(H, dtype)[1:]
    else:
        row_m, row_c = np.ones(4 * H, dtype), np.zeros(4 * H, dtype)
        row_m[2 * H:3 * H], row_c[2 * H:3 * H] = 2.0, -1.0
    return np.tile(row_m, (B, 1)), np.tile(row_c, (B, 1))


def _scaled_transpose(W, s):
    """(W * s[:, None]).T in C order (the layout the per-step product is fastest with), one pass."""
    out = np.empty(W.shape[::-1], W.dtype)
    np.multiply(W.T, s, out=out)
    return out


def forward(W_F, W_R, b_h, xs, h0, c0):
    """All T steps of one LSTM layer (lstm.layer_forward's contract and cache).

    xs: (T, B, D), h0, c0: (B, H). Returns (hs, cs, cache), hs and cs (T, B, H); the cache
    (h0, c0, hs, cs, tanh_cs, gates, W_R) holds the gates [i, f, g, o] (T, B, 4H) of every step.
    """
    T, B, D = xs.shape
    H = W_R.shape[1]
    dtype = W_R.dtype
    s, m, c = _constants(H, B, dtype)[:3]
    f32 = dtype == np.float32
    block = np.empty(7 * T * B * H, dtype)          # gates, hs, cs, tanh_cs: one allocation
    gates = block[:4 * T * B * H].reshape(T, B, 4 * H)
    hs, cs, tanh_cs = (block[(4 + j) * T * B * H:(5 + j) * T * B * H].reshape(T, B, H) for j in range(3))
    wide = H >= WIDE
    np.matmul(xs.reshape(T * B, D), (W_F * s[:, None]).T, out=gates.reshape(T * B, 4 * H))
    gates += b_h * s
    if wide:        # W_R h^T as (4H, B), added transposed; W_R needs no transposed copy
        W_R_s, rec = W_R * s[:, None], _scratch((4 * H, B), dtype, "rec_T")
    else:           # h W_R^T as (B, 4H), with W_R^T copied into C order once
        W_R_T, rec = _scaled_transpose(W_R, s), _scratch((B, 4 * H), dtype, "rec")
    ig = _scratch((B, H), dtype, "ig")
    I, F, G, O = (gates[..., k * H:(k + 1) * H] for k in range(4))
    h_prev, c_prev = h0, c0
    # np.dot: about 1 us less per call than np.matmul; ufuncs with a positional out: about
    # 0.2 us less than the in-place operators (a += b)
    dot, multiply, add, tanh = np.dot, np.multiply, np.add, np.tanh
    rec_a = rec.T if wide else rec
    with np.errstate(over="ignore"):
        for a, i_t, f_t, g_t, o_t, c_t, tc, h_t in zip(gates, I, F, G, O, cs, tanh_cs, hs):
            if wide:
                dot(W_R_s, h_prev.T, rec)                      # W_R h^T as (4H, B)
            else:
                dot(h_prev, W_R_T, rec)
            add(a, rec_a, a)                                   # the scaled a_t
            if f32:
                tanh(a, a)
            else:
                sigmoid_from_negated(a)
            multiply(a, m, a)
            add(a, c, a)                                       # the gates [i, f, g, o]
            multiply(f_t, c_prev, c_t)
            multiply(i_t, g_t, ig)
            add(c_t, ig, c_t)                                  # c_t = f c_{t-1} + i g
            if f32:
                tanh(c_t, tc)
            else:
                tanh_into(c_t, tc)
            multiply(o_t, tc, h_t)                             # h_t = o tanh(c_t)
            h_prev, c_prev = h_t, c_t
    return hs, cs, [h0, c0, hs, cs, tanh_cs, gates, W_R]


def _chunk_factors(t0, t1, gates, cs, tanh_cs, c0, one_minus_g, g_one, K, FK, f_after):
    """For steps t = t0..t1-1 (j = t - t0): K[j] = [g i', c_{t-1} f', i g', tanh(c_t) o']
    (k, B, 4, H) and FK[j] = [f_{t+1}, o_t (1 - tanh(c_t)^2)] (k, 2, B, H), with
    sigma' = sigma (1 - sigma), tanh' = 1 - tanh^2; f_after holds f_{t1} (zeros for t1 = T).
    First, for whole rows of gates y = [i, f, g, o]: y (d - y) + e with d = [1, 1, 0, 1] and
    e = [0, 0, 1, 0] gives [i', f', g', o'] in three calls (one_minus_g, g_one: d, e as (B, 4H))."""
    H = cs.shape[-1]
    k = t1 - t0
    Y, K, FK = gates[t0:t1], K[:k], FK[:k]
    rows = K.reshape(Y.shape)
    np.subtract(one_minus_g, Y, out=rows)
    rows *= Y
    rows += g_one                                          # [i', f', g', o']
    I, F, G, O = (Y[..., j * H:(j + 1) * H] for j in range(4))
    tc = tanh_cs[t0:t1]
    K[:, :, 0] *= G                                        # g i'
    if t0 > 0:
        K[:, :, 1] *= cs[t0 - 1:t1 - 1]                    # c_{t-1} f'
    else:
        K[0, :, 1] *= c0
        K[1:, :, 1] *= cs[:t1 - 1]
    K[:, :, 2] *= I                                        # i g'
    K[:, :, 3] *= tc                                       # tanh(c_t) o'
    FK[:-1, 0] = F[1:]                                     # f_{t+1}
    FK[-1, 0] = f_after
    KD = FK[:, 1]
    np.multiply(tc, tc, out=KD)
    np.subtract(1, KD, out=KD)
    KD *= O                                                # o (1 - tanh(c_t)^2)


def live_gates(gates):
    """The cache's gates, or a RuntimeError if a backward pass has spent them."""
    if gates is None:
        raise RuntimeError("LSTM cache: a backward pass already used it and overwrote its gates "
                           "with dL/da_t (as PyTorch frees what backward used); run the forward pass again.")
    return gates


def backward(dhs, cache):
    """Full BPTT through one LSTM layer (lstm.layer_backward's contract); spends the cache.

    dhs: (T, B, H), the gradient reaching each h_t from above. Returns (das, dh0, dc0): das
    (T, B, 4H) = dL/da_t, written over the cache's gates array. Per step (module docstring
    of lstm.py):  dc_t = dc_{t+1} f_{t+1} + dh_t KD_t;  da_t = [dc_t, dc_t, dc_t, dh_t] * K_t;
    dh_{t-1} = W_R^T da_t + (dL/dh_{t-1} from above); [dc f, dh KD] is one product of [dc, dh].
    """
    h0, c0, hs, cs, tanh_cs, gates, W_R = cache
    gates = live_gates(gates)
    cache[5] = None
    T, B, H = hs.shape
    dtype = gates.dtype
    k = min(max(CHUNK_BYTES // (B * 4 * H * dtype.itemsize), 1), T)
    K, FK, both = (_scratch(shape, dtype, n) for n, shape in
                   enumerate([(k, B, 4, H), (k, 2, B, H), (2, B, H)]))
    d, e = _constants(H, B, dtype)[3:]
    g4 = gates.reshape(T, B, 4, H)
    V = np.zeros((2, B, H), dtype)      # [dL/dc_t, dL/dh_t]: one array, so one call scales both
    dc, dh = V
    f_after, t1 = np.zeros((B, H), dtype), T
    dot, multiply, add = np.dot, np.multiply, np.add
    dc_each_gate, (fdc, kdh) = dc[:, None, :], both
    K_o, da_o = K[:, :, 3], g4[:, :, 3]
    while t1 > 0:
        t0 = max(t1 - k, 0)
        _chunk_factors(t0, t1, gates, cs, tanh_cs, c0, d, e, K, FK, f_after)
        f_after[...] = g4[t0, :, 1]                            # f_{t0}, before da_{t0} overwrites it
        steps, j = slice(t1 - 1, t0 - 1 if t0 else None, -1), slice(t1 - t0 - 1, None, -1)
        for a_t, g_t, o_t, dh_above, K_t, Ko_t, FK_t in zip(gates[steps], g4[steps], da_o[steps],
                                                            dhs[steps], K[j], K_o[j], FK[j]):
            # t = t1-1, ..., t0 (positional out: see forward)
            add(dh, dh_above, dh)                              # dL/dh_t
            multiply(V, FK_t, both)                            # [dc_{t+1} f_{t+1}, dh_t KD_t]
            add(fdc, kdh, dc)                                  # dL/dc_t
            multiply(dc_each_gate, K_t, g_t)                   # da_i, da_f, da_g (and dc in da_o's place:
            multiply(dh, Ko_t, o_t)                            # one contiguous call is faster) da_o
            dot(a_t, W_R, dh)                                  # W_R^T da_t
        t1 = t0
    dc *= f_after                                              # dL/dc_0 (the initial state) = dc_1 f_1
    return gates, dh, dc
