"""Shared helpers for the tests. Every random number here comes from a seeded Generator."""

import matplotlib
import numpy as np
import pytest

# Widgets built in tests draw off screen (the browser tests run notebooks in their own
# kernels, which use ipympl).
matplotlib.use("Agg")


@pytest.fixture
def rng():
    return np.random.default_rng(1234)

