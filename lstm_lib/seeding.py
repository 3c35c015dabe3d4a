"""One rule for randomness: every object that needs it takes a seed or a Generator.

Nothing in lstm_lib touches numpy's global random state, so a notebook that seeds
its own objects reproduces its numbers and figures exactly on every run.

Layers, models and training loops have no default seed: ``LSTM(8, 8, seed=0)``, not
``LSTM(8, 8)``. A default would make the easy call a trap: two layers of one shape
built without a seed would start bit-equal (twins that receive equal gradients and
stay twins), and two ``fit`` calls would replay the same minibatches. Choosing the
seed keeps every run reproducible and makes "the same start" something you asked for:
seed=0 for one layer, seed=1 for the next, or one Generator shared by all of them
(each layer then draws the next numbers of that one stream).
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
    if seed is None:
        raise TypeError(
            "seed: required (e.g. seed=0). Two layers or runs from the same seed start "
            "identical, so lstm_lib has no default: give each its own int, or share one "
            "numpy.random.Generator between them"
        )
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(
            f"seed: expected a non-negative int or a numpy.random.Generator, got {seed!r}"
        )
    if seed < 0:
        raise ValueError(f"seed: expected a non-negative int, got {seed}")
    return np.random.default_rng(int(seed))
