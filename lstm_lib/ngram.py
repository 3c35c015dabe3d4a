"""The classical baseline for the character model (notebook 08): an interpolated
Kneser–Ney character n-gram model, which predicts the next character from the last
``order − 1`` characters alone.
"""

from __future__ import annotations

import numpy as np

from . import corpus, validate
from .seeding import rng_from


class NGram:
    """An interpolated Kneser–Ney character n-gram model (Kneser & Ney 1995; Chen &
    Goodman 1998), the classical way to predict the next character from the last
    ``order − 1`` characters alone.

    For context u of length k and next character w:

        p_k(w | u) = [max(a(u w) − D_k, 0) + D_k · N(u ·) · p_{k−1}(w | u')] / a(u ·)

    where u' drops u's first character, a counts occurrences at the highest order and
    continuation counts (how many different characters precede u w) below it, N(u ·)
    is the number of distinct characters seen after u, and D_k = n1 / (n1 + 2·n2) from
    the numbers of grams seen once (n1) and twice (n2), at least 0.1. An unseen context
    falls back to p_{k−1}; below the unigram lies the uniform distribution 1/V, so no
    character ever gets probability 0.
    """

    MAX_ORDER = 9        # V^order must fit in int64 codes

    def __init__(self, ids, order: int = 5, *, vocab_size: int = len(corpus.VOCAB)):
        self.order = validate.positive_int("order", order)
        if self.order > self.MAX_ORDER:
            raise ValueError(f"order: expected at most {self.MAX_ORDER}, got {order}")
        self.V = V = validate.positive_int("vocab_size", vocab_size)
        codes = self._codes(np.asarray(ids, dtype=np.int64))
        self.tables = []
        upper = None
        for k in reversed(range(self.order)):          # highest order first
            if upper is None:                          # plain counts
                keys, counts = np.unique(codes[k][k:], return_counts=True)
            else:                                      # continuation counts below the top
                keys, counts = np.unique(upper % V ** (k + 1), return_counts=True)
            upper = keys
            n1, n2 = np.sum(counts == 1), np.sum(counts == 2)
            D = max(n1 / (n1 + 2 * n2), 0.1) if n1 + n2 else 0.5
            contexts, inverse, distinct = np.unique(keys // V, return_inverse=True,
                                                    return_counts=True)
            totals = np.bincount(inverse, weights=counts)
            self.tables.append((keys, counts.astype(np.float64), contexts, totals,
                                distinct.astype(np.float64), D))
        self.tables.reverse()                           # tables[k]: context length k

    def __repr__(self):
        return f"NGram(order={self.order}, V={self.V}, {self.size:,} counts)"

    @property
    def size(self) -> int:
        """How many counts the model keeps: one per distinct gram in its tables, all orders."""
        return sum(len(keys) for keys, *_ in self.tables)

    def _codes(self, ids) -> list:
        """codes[k][t] = the (k+1)-gram ending at t as one base-V integer (valid t ≥ k)."""
        codes = [ids.copy()]
        for _ in range(1, self.order):
            code = np.zeros_like(ids)
            code[1:] = codes[-1][:-1] * self.V + ids[1:]
            codes.append(code)
        return codes

    @staticmethod
    def _lookup(keys, values, query):
        at = np.minimum(np.searchsorted(keys, query), len(keys) - 1)
        return np.where(keys[at] == query, values[at], 0.0)

    def _interpolate(self, grams_by_order, p):
        """Climb from the uniform distribution up the orders; grams_by_order[k] holds
        the (k+1)-gram codes (or None where that order has no context)."""
        for k, grams in enumerate(grams_by_order):
            keys, counts, contexts, totals, distinct, D = self.tables[k]
            if grams is None:
                continue
            valid = grams >= 0
            g = grams[valid]
            a = self._lookup(keys, counts, g)
            total = self._lookup(contexts, totals, g // self.V)
            seen = self._lookup(contexts, distinct, g // self.V)
            below = p[valid]
            with np.errstate(invalid="ignore", divide="ignore"):
                mixed = (np.maximum(a - D, 0.0) + D * seen * below) / total
            p[valid] = np.where(total > 0, mixed, below)
        return p

    def log2_probs(self, ids) -> np.ndarray:
        """log₂ p(ids[t] | up to order − 1 characters before t), (len(ids),); the first
        positions use the shorter contexts they have."""
        ids = np.asarray(ids, dtype=np.int64)
        codes = self._codes(ids)
        t = np.arange(len(ids))
        grams = [np.where(t >= k, codes[k], -1) for k in range(self.order)]
        return np.log2(self._interpolate(grams, np.full(len(ids), 1.0 / self.V)))

    def probs(self, context) -> np.ndarray:
        """(V,) the distribution of the character after ``context`` (indices)."""
        context = np.asarray(context, dtype=np.int64)[-(self.order - 1):] \
            if self.order > 1 else np.zeros(0, dtype=np.int64)
        w = np.arange(self.V)
        grams = []
        for k in range(self.order):
            if k > len(context):
                grams.append(None)
                continue
            prefix = 0
            for j in context[len(context) - k:]:
                prefix = prefix * self.V + int(j)
            grams.append(prefix * self.V + w)
        p = self._interpolate(grams, np.full(self.V, 1.0 / self.V))
        return p / p.sum()

    def sample(self, prompt: str, n: int, *, temperature: float = 1.0, seed=0) -> str:
        """Continue ``prompt`` with ``n`` characters, as ``sample`` does for the LSTM."""
        n = validate.positive_int("n", n)
        temperature = validate.positive_float("temperature", temperature)
        rng = rng_from(seed)
        ids = list(corpus.encode(prompt or "\n"))
        for _ in range(n):
            logp = np.log(self.probs(ids)) / temperature
            p = np.exp(logp - logp.max())
            cumulative = np.cumsum(p)
            ids.append(min(int(np.searchsorted(cumulative, rng.random() * cumulative[-1],
                                               side="right")), self.V - 1))
        return corpus.decode(ids[-n:])
