"""lstm_lib.jacobians against independent truth: finite differences through the RNN
itself, np.linalg.svd, and the bound σ₁^(T−t)."""

import numpy as np
import pytest

import lstm_lib as ll


def run_rnn(rng, *, X=3, H=5, T=7, B=2, sigma1=None, scale=1.0, seed=0):
    rnn = ll.RNN(X, H, seed=seed)
    if sigma1 is not None:
        rnn.W_h[...] = ll.scale_to_spectral_norm(rnn.W_h, sigma1)
    rnn.params["b"][:] = rng.normal(0, 0.3, H)
    xs = rng.normal(0, scale, (T, B, X))
    h0 = rng.normal(0, 0.5, (B, H))
    rnn.forward(xs, h0)
    return rnn, xs, h0


def test_step_jacobian_is_diag_slope_times_W_h(rng):
    rnn, _, _ = run_rnn(rng)
    J = ll.step_jacobians(rnn)
    H = rnn.hidden_size
    assert J.shape == (7, 2, H, H)
    h, W_h = rnn.trace.h, rnn.params["W"][:, :H]
    k, b = 4, 1
    assert np.allclose(J[k, b], np.diag(1 - h[k, b] ** 2) @ W_h)


@pytest.mark.parametrize("sigma1", [0.7, 2.5])
def test_products_match_finite_differences_of_a_restarted_rnn(rng, sigma1):
    # Independent truth: rerun the RNN from step t with a nudged h_t and watch h_T move.
    rnn, xs, h0 = run_rnn(rng, sigma1=sigma1)
    T, B, H = rnn.trace.h.shape
    states = np.concatenate([h0[None], rnn.trace.h])          # h_0 .. h_T, (T + 1, B, H)
    P = ll.jacobian_products(ll.step_jacobians(rnn))
    assert P.shape == (T + 1, B, H, H)
    eps = 1e-6
    for t in (0, 3, T - 1, T):
        numeric = np.empty((B, H, H))
        for j in range(H):
            nudge = np.zeros((B, H))
            nudge[:, j] = eps
            if t == T:                                         # h_T depends on itself only
                up, down = states[T] + nudge, states[T] - nudge
            else:
                up = rnn.forward(xs[t:], states[t] + nudge)[1]
                down = rnn.forward(xs[t:], states[t] - nudge)[1]
            numeric[:, :, j] = (up - down) / (2 * eps)
        assert np.allclose(P[t], numeric, rtol=1e-5, atol=1e-9), t


def test_products_are_matrix_products_not_elementwise(rng):
    rnn, _, _ = run_rnn(rng, T=3)
    J = ll.step_jacobians(rnn)
    P = ll.jacobian_products(J)
    assert np.allclose(P[0, 0], J[2, 0] @ J[1, 0] @ J[0, 0])
    assert np.allclose(P[3], np.eye(rnn.hidden_size))
    assert not np.allclose(P[0, 0], J[2, 0] * J[1, 0] * J[0, 0])


def test_gradient_norms_agree_with_svd_and_obey_the_bound(rng):
    sigma1 = 1.7
    rnn, _, _ = run_rnn(rng, sigma1=sigma1, T=20, B=3)
    norms = ll.gradient_norms(rnn)
    P = ll.jacobian_products(ll.step_jacobians(rnn))
    by_svd = np.array([[np.linalg.svd(P[t, b], compute_uv=False)[0] for b in range(3)]
                       for t in range(21)])
    assert norms.shape == (21, 3) and np.allclose(norms, by_svd)
    distance = 20 - np.arange(21)
    assert np.all(norms <= sigma1 ** distance[:, None] * (1 + 1e-12))


def test_gradient_norms_read_each_sequence_at_its_own_end(rng):
    # Independent truth: each sequence run alone, cut at its own last step.
    rnn = ll.RNN(3, 5, seed=2)
    xs = rng.normal(size=(9, 3, 3))
    at = np.array([8, 3, 5])
    rnn.forward(xs)
    norms = ll.gradient_norms(rnn, at=at)
    assert norms.shape == (10, 3)
    for b, end in enumerate(at):
        rnn.forward(xs[:end + 1, b:b + 1])
        alone = ll.gradient_norms(rnn)[:, 0]                     # (end + 2,)
        assert np.allclose(norms[:end + 2, b], alone), b
        assert np.allclose(norms[end + 2:, b], 1.0)             # past the end: nothing
    rnn.forward(xs)
    assert np.allclose(ll.gradient_norms(rnn, at=np.full(3, 8)), ll.gradient_norms(rnn))
    for bad in (np.array([9, 0, 0]), np.array([1, 2]), np.array([1.0, 2.0, 3.0])):
        with pytest.raises(ValueError,
                           match=r"at: expected (\(3,\) integer steps|steps in \[0, 9\))"):
            ll.gradient_norms(rnn, at=bad)


def test_scale_to_spectral_norm_against_svd(rng):
    W_h = rng.normal(size=(6, 6))
    for sigma1 in (0.5, 1.0, 3.0):
        scaled = ll.scale_to_spectral_norm(W_h, sigma1)
        s_before = np.linalg.svd(W_h, compute_uv=False)
        s_after = np.linalg.svd(scaled, compute_uv=False)
        assert s_after[0] == pytest.approx(sigma1, rel=1e-12)
        assert np.allclose(s_after / s_after[0], s_before / s_before[0])   # same shape
    assert ll.spectral_norm(W_h) == pytest.approx(np.linalg.svd(W_h, compute_uv=False)[0])
    assert not np.shares_memory(ll.scale_to_spectral_norm(W_h, 2.0), W_h)


def test_with_zero_inputs_and_state_the_product_is_a_matrix_power(rng):
    # h stays exactly 0, every slope is 1, so ∂h_T/∂h_0 = W_h^T (T = 5 factors).
    rnn = ll.RNN(2, 4, seed=1)
    rnn.forward(np.zeros((5, 1, 2)))
    P = ll.jacobian_products(ll.step_jacobians(rnn))
    assert np.allclose(P[0, 0], np.linalg.matrix_power(rnn.params["W"][:, :4], 5))


def test_bad_inputs_have_clear_errors(rng):
    with pytest.raises(RuntimeError, match="call rnn.forward"):
        ll.step_jacobians(ll.RNN(2, 3, seed=0))
    with pytest.raises(TypeError, match="expected an lstm_lib RNN"):
        ll.step_jacobians(ll.LSTM(2, 3, seed=0))
    with pytest.raises(ValueError, match="square"):
        ll.jacobian_products(np.zeros((2, 1, 3, 4)))
    with pytest.raises(ValueError, match=r"J: expected shape \(T, B, H, H\)"):
        ll.jacobian_products(np.zeros((3, 3)))
    with pytest.raises(ValueError, match="sigma1: expected a finite number > 0"):
        ll.scale_to_spectral_norm(np.eye(3), -1.0)
    with pytest.raises(ValueError, match="all zeros"):
        ll.scale_to_spectral_norm(np.zeros((3, 3)), 1.0)
    with pytest.raises(TypeError, match="float32 or float64"):
        ll.scale_to_spectral_norm(np.eye(3, dtype=int), 1.0)
    with pytest.raises(OverflowError, match="left the float range"):
        ll.jacobian_products(np.full((400, 1, 2, 2), 10.0))
