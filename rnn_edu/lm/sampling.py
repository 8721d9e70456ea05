"""Generate text from a trained character model, one character at a time.

    p_t = softmax(z_t / T)        z_t = W_O h_t + b_o,  T the temperature

T = 1 samples from the model's own distribution; T < 1 sharpens it (safer, more repetitive
text), T > 1 flattens it (more surprising, more misspelt). As T -> 0 the draw becomes the most
likely character (greedy decoding); temperature=0 means exactly that.
The prompt is read first; each new character is fed back in with forward(..., h0=fwd.h_last),
so this works for any cell type.

Lesson 08 (notebooks/08_capstone_char_lm.ipynb).
"""
import numpy as np

from .batching import one_hot_window
from ..forward import forward
from ..validate import check_positive_int


def next_char_probs(z, temperature):
    """softmax(z / T) for one score vector z (V,); one-hot on the argmax when T = 0."""
    z = np.asarray(z, np.float64)
    if temperature == 0:
        p = np.zeros_like(z)
        p[np.argmax(z)] = 1.0
        return p
    s = z / temperature
    e = np.exp(s - s.max())
    return e / e.sum()


def sample(params, vocab, prompt, n, *, temperature=1.0, seed=0):
    """The prompt followed by n generated characters (a string).

    params: a trained character model (n_in = n_out = len(vocab)); vocab: a corpus.Vocab.
    prompt: at least one character of the vocabulary. temperature >= 0 (0: greedy).
    seed: the random draws (the same seed gives the same text).
    """
    n = check_positive_int("n", n)
    ok = isinstance(temperature, (int, float, np.integer, np.floating)) and not isinstance(temperature, bool)
    if not ok or not np.isfinite(temperature) or temperature < 0:
        raise ValueError(f"temperature: expected a finite number >= 0 (0 = greedy), got {temperature!r}.")
    if not isinstance(prompt, str) or not prompt:
        raise ValueError(f"prompt: expected a non-empty string to start from, got {prompt!r}.")
    if params.n_in != len(vocab) or params.n_out != len(vocab):
        raise ValueError(f"params: expected n_in = n_out = {len(vocab)} (the vocabulary's size), "
                         f"got n_in = {params.n_in}, n_out = {params.n_out}.")
    rng = np.random.default_rng(seed)
    V = len(vocab)
    ids = vocab.encode(prompt)
    fwd = forward(params, one_hot_window(ids[:, None], V, params.dtype))
    out = []
    for _ in range(n):
        c = int(rng.choice(V, p=next_char_probs(fwd.zs[-1, 0], temperature)))
        out.append(c)
        fwd = forward(params, one_hot_window(np.array([[c]]), V, params.dtype), h0=fwd.h_last)
    return prompt + vocab.decode(np.array(out))
