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
    # the slope written from the output, as the layers use it, against finite differences
    g, slope_from_y = activations.get(name)
    x = np.array([-7.0, -2.5, -0.3, 0.4, 1.7, 6.0])   # away from ReLU's kink at 0
    numeric = np.array([(g(v + 1e-6) - g(v - 1e-6)) / 2e-6 for v in x])
    assert np.allclose(slope_from_y(g(x)), numeric, rtol=1e-6, atol=1e-10)


def test_gradcheck_catches_a_wrong_backward(rng):
    """The checker itself must be able to fail: break Dense's slope and watch it."""
    layer = ll.Dense(3, 2, activation="tanh", seed=0)
    layer.g_slope_from_output = lambda y: 1 + y * y                # a flipped sign
    errors = ll.check_layer(layer, {"x": rng.normal(size=(4, 3))})
    assert errors["W"] > 1e-2 and errors["x"] > 1e-2


def test_gradcheck_stays_calm_on_saturated_gates(rng):
    """With W ×30 most gates sit at 0 or 1 and many entries of dW are rounding noise.
    The backward is still right (tests/test_torch_parity.py), so the check must say so:
    an entry-by-entry relative error called this 1.0."""
    lstm = ll.LSTM(3, 4, seed=0)
    lstm.params["W"] *= 30
    errors = ll.check_layer(lstm, {"xs": rng.normal(size=(6, 2, 3)),
                                   "h0": rng.normal(size=(2, 4)), "c0": rng.normal(size=(2, 4))})
    assert_small(errors)


def test_gradcheck_names_the_entry_that_disagrees_most(rng):
    layer = ll.Dense(3, 2, activation="tanh", seed=0)
    backward = layer.backward

    def one_entry_off(dy):
        dx = backward(dy)
        layer.grads["W"][1, 2] += 0.5
        return dx

    layer.backward = one_entry_off
    error = ll.check_layer(layer, {"x": rng.normal(size=(4, 3))})["W"]
    assert error > 1e-2 and error.worst == (1, 2)
    assert error.analytic - error.numeric == pytest.approx(0.5, abs=1e-6)
    assert "W[1, 2]" in repr(error)


def test_relative_error_compares_whole_arrays_with_a_noise_floor():
    assert ll.relative_error([1.0, -2.0], [1.0, -2.0]) == 0.0
    assert ll.relative_error([1.0, -2.0], [-1.0, 2.0]) == pytest.approx(1.0)
    # Entries far below finite-difference noise do not count as disagreement ...
    assert ll.relative_error([1e-13, 0.0], [0.0, 3e-13]) < 1e-4
    # ... but the same relative gap on entries of real size does.
    assert ll.relative_error([1e-3, 0.0], [0.0, 3e-3]) > 0.5
    with pytest.raises(ValueError, match="expected the same shape"):
        ll.relative_error(np.zeros(3), np.zeros(4))


@pytest.mark.parametrize("x, message", [
    (np.arange(3), "got dtype int64 .*convert it with .astype"),
    (np.zeros(3, dtype=np.float32), "got dtype float32 .*check in float64"),
    ([0.0, 1.0], "got list"),
])
def test_numerical_gradient_refuses_what_it_cannot_nudge(x, message):
    with pytest.raises(TypeError, match=message):
        ll.numerical_gradient(lambda: 0.0, x)


def test_gradcheck_refuses_float32_layers_and_inputs(rng):
    with pytest.raises(TypeError, match="its W is float32.*dtype=np.float64"):
        ll.check_layer(ll.Dense(3, 2, dtype=np.float32, seed=0), {"x": rng.normal(size=(4, 3))})
    with pytest.raises(TypeError, match=r"inputs\['x'\]: float32"):
        ll.check_layer(ll.Dense(3, 2, seed=0), {"x": rng.normal(size=(4, 3)).astype(np.float32)})


def _bptt_by_steps(cell, xs, h0, c0, dhs):
    """Backpropagation through time with the plain step and step_backward, by hand."""
    steps, h, c = [], h0, c0
    for x in xs:
        s = cell.step(x, h, c) if c0 is not None else cell.step(x, h)
        steps.append(s)
        h, c = s.h, getattr(s, "c", None)
    dW, db = np.zeros_like(cell.params["W"]), np.zeros_like(cell.params["b"])
    dxs = np.empty_like(xs)
    dh_next, dc_next = np.zeros_like(h0), np.zeros_like(h0)
    for t in reversed(range(len(xs))):
        if c0 is not None:
            g = cell.step_backward(steps[t], dhs[t] + dh_next, dc_next)
            dc_next = g.dc_prev
        else:
            g = cell.step_backward(steps[t], dhs[t] + dh_next)
        dW += g.dW                                  # every step adds its share
        db += g.db
        dxs[t], dh_next = g.dx, g.dh_prev
    return np.stack([s.h for s in steps]), dW, db, dxs, dh_next, dc_next


@pytest.mark.parametrize("kind", ["lstm", "lstm without forget gate", "rnn"])
@pytest.mark.parametrize("dtype, tol", [(np.float64, 1e-12), (np.float32, 1e-5)])
def test_plain_steps_equal_the_fast_sequence_path(rng, kind, dtype, tol):
    T, B, X, H = 7, 3, 4, 5
    cell = (ll.RNN(X, H, seed=1, dtype=dtype) if kind == "rnn" else
            ll.LSTM(X, H, seed=1, dtype=dtype, forget_gate="without" not in kind))
    cell.params["b"][:] = rng.normal(scale=0.5, size=cell.params["b"].shape)
    xs, dhs = rng.normal(size=(T, B, X)).astype(dtype), rng.normal(size=(T, B, H)).astype(dtype)
    h0 = rng.normal(scale=0.5, size=(B, H)).astype(dtype)
    c0 = rng.normal(size=(B, H)).astype(dtype) if kind != "rnn" else None
    hs, dW, db, dxs, dh0, dc0 = _bptt_by_steps(cell, xs, h0, c0, dhs)
    fast_hs = cell.forward(xs, h0, c0)[0] if c0 is not None else cell.forward(xs, h0)[0]
    fast_dxs = cell.backward(dhs)
    for mine, fast in ((hs, fast_hs), (dW, cell.grads["W"]), (db, cell.grads["b"]),
                       (dxs, fast_dxs), (dh0, cell.trace.dh0)):
        assert np.allclose(mine, fast, rtol=tol, atol=tol)
    if c0 is not None:
        assert np.allclose(dc0, cell.trace.dc0, rtol=tol, atol=tol)


def test_lstm_step_backward_matches_numerical_gradients(rng):
    """One step on its own, every gradient it returns against nudging (float64)."""
    cell = ll.LSTM(3, 4, seed=2)
    cell.params["b"][:] = rng.normal(scale=0.5, size=16)
    x, h_prev, c_prev = rng.normal(size=(2, 3)), rng.normal(size=(2, 4)), rng.normal(size=(2, 4))
    R_h, R_c = rng.normal(size=(2, 4)), rng.normal(size=(2, 4))

    def loss():                                     # reads h_t and c_t, as a later step would
        s = cell.step(x, h_prev, c_prev)
        return float(np.sum(s.h * R_h) + np.sum(s.c * R_c))

    g = cell.step_backward(cell.step(x, h_prev, c_prev), R_h, R_c)
    for name, analytic, wrt in (("W", g.dW, cell.params["W"]), ("b", g.db, cell.params["b"]),
                                ("x", g.dx, x), ("h_prev", g.dh_prev, h_prev),
                                ("c_prev", g.dc_prev, c_prev)):
        assert ll.relative_error(analytic, ll.numerical_gradient(loss, wrt)) < TOL, name
