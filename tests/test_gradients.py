"""Every hand-derived backward pass against centered finite differences (float64).

A correct backward agrees to ~1e-8; the bar is 1e-6. A flipped sign or a missing
term in any backward gives relative errors of order 1, so these tests fail.
"""

import numpy as np
import pytest

import lstm_lib as ll
from lstm_lib import activations

TOL = 1e-6


def assert_small(errors: dict):
    bad = {k: v for k, v in errors.items() if not v <= TOL}
    assert not bad, f"relative errors above {TOL}: {bad} (all: {errors})"


@pytest.mark.parametrize("forget_bias", [1.0, -0.5])
def test_lstm_backward_matches_numerical_gradients(rng, forget_bias):
    lstm = ll.LSTM(3, 4, seed=0, forget_bias=forget_bias)
    lstm.params["b"][:] += rng.normal(scale=0.5, size=16)    # every gate bias nonzero
    inputs = {
        "xs": rng.normal(size=(6, 2, 3)),
        "h0": rng.normal(scale=0.5, size=(2, 4)),
        "c0": rng.normal(size=(2, 4)),
    }
    errors = ll.check_layer(lstm, inputs, seed=1)
    assert set(errors) == {"W", "b", "xs", "h0", "c0"}
    assert_small(errors)


def test_lstm_trace_holds_gradients_of_every_h_and_c(rng):
    """trace.dh[t] and trace.dc[t] are the full ∂L/∂h_t and ∂L/∂c_t. Check them by
    restarting the sequence from a perturbed state after step t."""
    T, B, X, H = 5, 2, 3, 4
    lstm = ll.LSTM(X, H, seed=3)
    xs = rng.normal(size=(T, B, X))
    R = rng.normal(size=(T, B, H))
    lstm.forward(xs, rng.normal(size=(B, H)), rng.normal(size=(B, H)))
    lstm.backward(R)
    tr = lstm.trace
    t = 2
    h_t, c_t, o_t = tr.h[t].copy(), tr.c[t].copy(), tr.o[t].copy()

    def loss_from(h, c):  # steps t+1.. started from (h, c), plus step t's own term
        hs, _ = lstm.forward(xs[t + 1 :], h, c)
        return float(np.sum(hs * R[t + 1 :]) + np.sum(h * R[t]))

    # ∂L/∂h_t: h_t feeds step t's loss term and step t+1.
    numeric_dh = ll.numerical_gradient(lambda: loss_from(h_t, tr.c[t]), h_t)
    assert ll.relative_error(tr.dh[t], numeric_dh) < TOL
    # ∂L/∂c_t: c_t feeds c_{t+1} along the belt and, through h_t = o_t·tanh(c_t), the rest.
    numeric_dc = ll.numerical_gradient(lambda: loss_from(o_t * np.tanh(c_t), c_t), c_t)
    assert ll.relative_error(tr.dc[t], numeric_dc) < TOL


def test_rnn_backward_matches_numerical_gradients(rng):
    rnn = ll.RNN(3, 5, seed=0)
    rnn.params["b"][:] = rng.normal(scale=0.5, size=5)
    inputs = {"xs": rng.normal(size=(7, 2, 3)), "h0": rng.normal(scale=0.5, size=(2, 5))}
    errors = ll.check_layer(rnn, inputs, seed=2)
    assert set(errors) == {"W", "b", "xs", "h0"}
    assert_small(errors)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "identity"])
def test_dense_backward_matches_numerical_gradients(rng, activation):
    layer = ll.Dense(4, 3, activation=activation, seed=0)
    layer.params["b"][:] = rng.normal(size=3)
    assert_small(ll.check_layer(layer, {"x": rng.normal(size=(5, 4))}, seed=3))


def test_linear_reads_a_whole_sequence(rng):
    head = ll.Linear(4, 2, seed=0)
    head.params["b"][:] = rng.normal(size=2)
    assert_small(ll.check_layer(head, {"x": rng.normal(size=(3, 2, 4))}, seed=4))


def test_mlp_backward_matches_numerical_gradients(rng):
    mlp = ll.MLP([3, 5, 4, 2], activation="tanh", seed=0)
    for name, p in mlp.params.items():
        if name.endswith(".b"):
            p[:] = rng.normal(size=p.shape)
    assert_small(ll.check_layer(mlp, {"x": rng.normal(size=(6, 3))}, seed=5))


def _loss_gradient_error(loss_fn, pred, target):
    _, analytic = loss_fn(pred, target)
    numeric = ll.numerical_gradient(lambda: loss_fn(pred, target)[0], pred)
    return ll.relative_error(analytic, numeric)


def test_mse_gradient(rng):
    assert _loss_gradient_error(ll.mse, rng.normal(size=(4, 3)), rng.normal(size=(4, 3))) < TOL


def test_sigmoid_cross_entropy_gradient(rng):
    logits = rng.normal(scale=3, size=(5, 2))
    target = rng.uniform(size=(5, 2))
    assert _loss_gradient_error(ll.sigmoid_cross_entropy, logits, target) < TOL


def test_softmax_cross_entropy_gradient(rng):
    logits = rng.normal(scale=2, size=(3, 2, 5))
    labels = rng.integers(0, 5, size=(3, 2))
    assert _loss_gradient_error(ll.softmax_cross_entropy, logits, labels) < TOL


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu"])
def test_activation_slopes_match_numerical(name):
    fn = getattr(activations, name)
    deriv = getattr(activations, name + "_deriv")
    x = np.array([-7.0, -2.5, -0.3, 0.4, 1.7, 6.0])   # away from ReLU's kink at 0
    numeric = np.array([(fn(v + 1e-6) - fn(v - 1e-6)) / 2e-6 for v in x])
    assert np.allclose(deriv(x), numeric, rtol=1e-6, atol=1e-10)
    # the slope-from-output form the layers use agrees with the slope-from-input form
    g, slope_from_y = activations.get(name)
    assert np.allclose(slope_from_y(g(x)), deriv(x))


def test_gradcheck_catches_a_wrong_backward(rng):
    """The checker itself must be able to fail: break Dense's slope and watch it."""
    layer = ll.Dense(3, 2, activation="tanh", seed=0)
    layer.g_slope_from_output = lambda y: 1 + y * y                # a flipped sign
    errors = ll.check_layer(layer, {"x": rng.normal(size=(4, 3))})
    assert errors["W"] > 1e-2 and errors["x"] > 1e-2
