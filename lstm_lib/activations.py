"""The squashing functions a layer applies after ``W x + b``, and their slopes.

``sigmoid`` here is the one stable sigmoid: the losses and the layers all call it.

All of them are safe at any finite input: ``sigmoid(-1000)`` is 0.0 with no
overflow warning, because ``exp`` is only ever called on non-positive numbers.

Layers look their activation up with ``get(name)``, which also returns its slope
written in terms of the value the layer already computed (for the sigmoid y·(1−y),
for tanh 1−y², for ReLU 1 where y > 0), so backward never recomputes the function.
"""

from __future__ import annotations

import numpy as np


def sigmoid(x):
    """σ(x) = 1 / (1 + e^(−x)), elementwise.

    Mathematically in (0, 1); in floating point it rounds to exactly 1.0 beyond x ≈ 37
    and underflows to 0.0 far below −700 (float64), without warnings.
    """
    x = np.asarray(x)
    e = np.exp(-np.abs(x))  # in (0, 1]: never overflows
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))[()]  # [()]: scalar in, scalar out


def tanh(x):
    """tanh(x), elementwise, in (−1, 1)."""
    return np.tanh(x)


def relu(x):
    """max(0, x), elementwise."""
    return np.maximum(x, 0.0)


def identity(x):
    """x itself: a layer with no squash (a purely linear map)."""
    return np.asarray(x)


# The same slopes, written in terms of the output y = g(x).
def _sigmoid_from_y(y):
    return y * (1.0 - y)


def _tanh_from_y(y):
    return 1.0 - y * y


def _relu_from_y(y):
    return (y > 0).astype(y.dtype)


def _identity_from_y(y):
    return np.ones_like(y)


ACTIVATIONS = {
    "sigmoid": (sigmoid, _sigmoid_from_y),
    "tanh": (tanh, _tanh_from_y),
    "relu": (relu, _relu_from_y),
    "identity": (identity, _identity_from_y),
}
"""name -> (function of x, its slope written as a function of the output y)."""


def get(name: str):
    """Look up an activation by name; returns (function, slope_from_output)."""
    if name not in ACTIVATIONS:
        raise ValueError(f"activation: expected one of {sorted(ACTIVATIONS)}, got {name!r}")
    return ACTIVATIONS[name]
