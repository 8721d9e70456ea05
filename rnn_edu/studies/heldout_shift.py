"""Why lesson 08's test part is harder than its validation part: the text, not the network.

Lesson 08 (notebooks/08_capstone_char_lm.ipynb), section 5, "The shipped model".

split_ids cuts tiny Shakespeare by position: the validation part is the end of "The Taming of
the Shrew", the test part its last lines and the opening of "The Tempest", a play the training
text never reaches. Two measurements that need no neural network:

    speakers(text)                     the speaker of every speech: a line "NAME:" that follows
                                       a blank line (or opens the text)
    new_speakers(train_text, text)     the speeches of `text` whose speaker never speaks in the
                                       training text: (count, total, {name: speeches})
    new_words(train_text, text)        the words of `text` (runs of letters) never seen in the
                                       training text: (count, total)
    NGram(train_ids, V, order, discount)
                                       a character n-gram model with interpolated absolute
                                       discounting, counted on the training part:
        p_k(c | h) = max(N(h c) - D, 0) / N(h) + D U(h) / N(h) p_{k-1}(c | h')

                                       h the last k - 1 characters, h' the last k - 2, N(.) counts
                                       in the training text, U(h) the number of distinct characters
                                       that follow h there, p_0 uniform over the V characters (a
                                       context never seen gives p_{k-1} unchanged)
    NGram.loss(ids, context)           its loss in nats per character on `ids`, the first
                                       characters' contexts taken from the end of `context`
    NGram.unseen(ids, context)         the share of the predictions of `ids` whose context of
                                       order - 1 characters never occurs in the training text
    play_cut(text)                     where "The Tempest" begins in `text` (its first speech,
                                       "Master: Boatswain!"), or None

If a model that only counts 5-character contexts loses much more on the test part than on the
validation part too, the gap between the two parts is in the text.
"""
import re

import numpy as np

TEMPEST_OPENING = "\n\nMaster:\nBoatswain!"
SPEAKER = re.compile(r"(?:\A|\n\n)([A-Za-z][A-Za-z ']*):\n")
WORD = re.compile(r"[A-Za-z]+")


def speakers(text):
    """The speaker's name of every speech in `text`, in order (a line 'NAME:' after a blank line)."""
    if not isinstance(text, str):
        raise TypeError(f"text: expected a string, got {type(text).__name__}.")
    return SPEAKER.findall(text)


def new_speakers(train_text, text):
    """(speeches by a speaker absent from train_text, all speeches, {name: its speeches}) of `text`."""
    known = set(speakers(train_text))
    names = speakers(text)
    new = {}
    for n in names:
        if n not in known:
            new[n] = new.get(n, 0) + 1
    return sum(new.values()), len(names), dict(sorted(new.items(), key=lambda kv: -kv[1]))


def new_words(train_text, text):
    """(words of `text` absent from train_text, all words of `text`); a word is a run of letters."""
    known = set(WORD.findall(train_text))
    words = WORD.findall(text)
    return sum(w not in known for w in words), len(words)


def _codes(ids, k, V):
    """code[i] = the k characters ids[i - k + 1 .. i] as one base-V number (for i >= k - 1)."""
    ids = np.asarray(ids, np.int64)
    code = np.zeros(len(ids) - k + 1, np.int64)
    for j in range(k):
        code = code * V + ids[j:len(ids) - k + 1 + j]
    return code


class NGram:
    """A character n-gram model with interpolated absolute discounting (module docstring)."""

    def __init__(self, train_ids, V, order=5, discount=0.75):
        if not (isinstance(order, int) and 1 <= order <= 8):
            raise ValueError(f"order: expected a whole number from 1 to 8, got {order!r}.")
        if not 0 < discount < 1:
            raise ValueError(f"discount: expected a number between 0 and 1, got {discount!r}.")
        ids = np.asarray(train_ids)
        if ids.ndim != 1 or len(ids) <= order or ids.min() < 0 or ids.max() >= V:
            raise ValueError(f"train_ids: expected a 1-D array of more than {order} ids in [0, {V}), "
                             f"got shape {ids.shape}.")
        self.V, self.order, self.D = V, order, discount
        self.tables = []                       # per context length k - 1 = 1 .. order - 1
        for k in range(2, order + 1):
            grams = _codes(ids, k, V)          # (context, next) as one number
            g, n = np.unique(grams, return_counts=True)
            h, first = np.unique(g // V, return_index=True)
            totals = np.add.reduceat(n, first)                      # N(h)
            distinct = np.diff(np.append(first, len(g)))            # U(h)
            self.tables.append((g, n, h, totals, distinct))
        self.unigram = np.bincount(ids, minlength=V).astype(np.float64)

    @property
    def size(self):
        """How many counts the model stores: one per distinct (context, next character) seen."""
        return int(np.count_nonzero(self.unigram)) + sum(len(t[0]) for t in self.tables)

    def loss(self, ids, context=()):
        """Mean -log p(ids[i] | the order - 1 characters before it), nats per character."""
        ids = np.asarray(ids, np.int64)
        ctx = np.asarray(context, np.int64)[len(context) - min(len(context), self.order - 1):]
        full = np.concatenate([ctx, ids])
        start = len(ctx)
        V, D = self.V, self.D
        uni = self.unigram
        p = np.full(len(ids), 1.0 / V)
        p = np.maximum(uni[ids] - D, 0) / uni.sum() + D * np.count_nonzero(uni) / uni.sum() * p
        for k, (g, n, h, totals, distinct) in zip(range(2, self.order + 1), self.tables):
            pos = np.arange(start, len(full))
            ok = pos >= k - 1                                        # a context of k - 1 characters
            codes = np.zeros(len(ids), np.int64)
            for j in range(k - 1, 0, -1):
                codes = codes * V + np.where(ok, full[np.maximum(pos - j, 0)], 0)
            hi = np.searchsorted(h, codes)
            seen = ok & (hi < len(h)) & (h[np.minimum(hi, len(h) - 1)] == codes)
            gram = codes * V + ids
            gi = np.searchsorted(g, gram)
            hit = seen & (gi < len(g)) & (g[np.minimum(gi, len(g) - 1)] == gram)
            count = np.where(hit, n[np.minimum(gi, len(g) - 1)], 0)
            tot = totals[np.minimum(hi, len(h) - 1)].astype(np.float64)
            u = distinct[np.minimum(hi, len(h) - 1)]
            p = np.where(seen, np.maximum(count - D, 0) / np.where(seen, tot, 1) + D * u / np.where(seen, tot, 1) * p, p)
        return float(-np.mean(np.log(p)))

    def unseen(self, ids, context=()):
        """The share of the predictions of `ids` whose full context (the order - 1 characters
        before, taken from `context` for the first ones) never occurs in the training text."""
        if self.order == 1:
            return 0.0
        k = self.order - 1
        ids = np.asarray(ids, np.int64)
        ctx = np.asarray(context, np.int64)[len(context) - min(len(context), k):]
        full = np.concatenate([ctx, ids])
        codes = _codes(full, k, self.V)[:-1]            # the context before full[k], full[k + 1], ...
        codes = codes[len(codes) - min(len(ids), len(codes)):]
        h = self.tables[-1][2]
        hi = np.minimum(np.searchsorted(h, codes), len(h) - 1)
        return float(np.mean(h[hi] != codes))


def play_cut(text):
    """The index in `text` of "The Tempest"'s first speech ("Master:" after the blank line), or None."""
    i = text.find(TEMPEST_OPENING)
    return None if i < 0 else i + 2

