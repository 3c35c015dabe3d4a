"""One rule for randomness: every object that needs it takes a seed or a Generator.

Nothing in lstm_lib touches numpy's global random state, so a notebook that seeds
its own objects reproduces its numbers and figures exactly on every run.
"""

from __future__ import annotations

import numbers

import numpy as np


def rng_from(seed) -> np.random.Generator:
    """Return a ``numpy.random.Generator`` for ``seed``.

    ``seed`` may be a non-negative int (a fresh generator seeded with it) or an
    existing Generator (returned as is, so several objects can share one stream).
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(
            f"seed: expected a non-negative int or a numpy.random.Generator, got {seed!r}"
        )
    if seed < 0:
        raise ValueError(f"seed: expected a non-negative int, got {seed}")
    return np.random.default_rng(int(seed))
