"""The squashes are exact where they should be and silent at extreme inputs."""

import warnings

import numpy as np
import pytest

import lstm_lib as ll
from lstm_lib import activations

EXTREME = np.array([-1000.0, -710.0, -50.0, 0.0, 50.0, 710.0, 1000.0])


@pytest.mark.parametrize("name", ["sigmoid", "sigmoid_deriv", "tanh", "tanh_deriv", "relu",
                                  "relu_deriv", "identity", "identity_deriv"])
def test_no_warnings_and_finite_at_extremes(name):
    fn = getattr(activations, name)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = fn(EXTREME)
        y32 = fn(EXTREME.astype(np.float32))
    assert np.isfinite(y).all() and np.isfinite(y32).all()


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
    assert ll.sigmoid_deriv(0.0) == 0.25       # the most a sigmoid can pass back
    assert ll.tanh_deriv(0.0) == 1.0
    assert ll.relu_deriv(np.array([-1.0, 0.0, 2.0])).tolist() == [0.0, 0.0, 1.0]


def test_unknown_activation_is_named():
    with pytest.raises(ValueError, match="activation: expected one of .* got 'softplus'"):
        ll.Dense(2, 2, activation="softplus", seed=0)
