"""Shared helpers for the tests. Every random number here comes from a seeded Generator."""

import numpy as np
import pytest


@pytest.fixture
def rng():
    return np.random.default_rng(1234)


def random_sequence(rng, T, B, X, dtype=np.float64):
    """A (T, B, X) input of the size the gradient checks use."""
    return rng.normal(size=(T, B, X)).astype(dtype)
