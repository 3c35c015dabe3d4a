"""The squashes are exact where they should be and silent at extreme inputs."""

import warnings

import numpy as np
import pytest

import lstm_lib as ll
from lstm_lib import activations

EXTREME = np.array([-1000.0, -710.0, -50.0, 0.0, 50.0, 710.0, 1000.0])


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "identity"])
def test_no_warnings_and_finite_at_extremes(name):
    fn, slope_from_y = activations.get(name)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = fn(EXTREME)
        y32 = fn(EXTREME.astype(np.float32))
        slopes = slope_from_y(y), slope_from_y(y32)
    assert np.isfinite(y).all() and np.isfinite(y32).all()
    assert all(np.isfinite(s).all() for s in slopes)


def test_sigmoid_values():
    assert ll.sigmoid(0.0) == 0.5
    assert ll.sigmoid(-1000.0) == 0.0 and ll.sigmoid(1000.0) == 1.0
    x = np.linspace(-30, 30, 121)
    assert np.allclose(ll.sigmoid(x), 1 / (1 + np.exp(-x)), rtol=1e-14, atol=0)
    assert np.allclose(ll.sigmoid(x) + ll.sigmoid(-x), 1.0)
    assert ll.sigmoid(np.float32(3)).dtype == np.float32


def test_tanh_is_a_shifted_sigmoid():
    x = np.linspace(-5, 5, 11)
    assert np.allclose(ll.tanh(x), 2 * ll.sigmoid(2 * x) - 1)


def test_derivative_peaks():
    def slope(name, x):
        g, slope_from_y = activations.get(name)
        return slope_from_y(g(np.asarray(x, dtype=float)))
    assert slope("sigmoid", 0.0) == 0.25       # the most a sigmoid can pass back
    assert slope("tanh", 0.0) == 1.0
    assert slope("relu", [-1.0, 0.0, 2.0]).tolist() == [0.0, 0.0, 1.0]


def test_one_sigmoid_and_no_unused_derivative_helpers():
    # Before: *_deriv helpers nothing used, and sigmoid written out again in the losses.
    assert not [name for name in dir(activations) if name.endswith("_deriv")]
    a = np.array([-40.0, -3.0, 0.0, 2.5, 40.0])
    _, dlogits = ll.sigmoid_cross_entropy(a, np.zeros_like(a))
    assert np.array_equal(dlogits * a.size, ll.sigmoid(a))


def test_unknown_activation_is_named():
    with pytest.raises(ValueError, match="activation: expected one of .* got 'softplus'"):
        ll.Dense(2, 2, activation="softplus", seed=0)
