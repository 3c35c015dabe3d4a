"""The LSTM's contract: layout, trace, the belt's derivative, float32, and that it learns."""

import numpy as np
import pytest

import lstm_lib as ll


def test_parameter_layout():
    lstm = ll.LSTM(3, 4, seed=0, forget_bias=1.5)
    assert lstm.params["W"].shape == (16, 4 + 3)            # row blocks f i c̃ o, columns [h, x]
    assert lstm.params["b"].shape == (16,)
    assert lstm.params["W"].dtype == np.float64
    assert np.all(lstm.params["b"][:4] == 1.5) and np.all(lstm.params["b"][4:] == 0)
    assert set(lstm.grads) == set(lstm.params)
    assert all(lstm.grads[k].shape == p.shape for k, p in lstm.params.items())
    assert lstm.n_params == 7 * 16 + 16
    assert np.abs(lstm.params["W"]).max() <= 1 / np.sqrt(4)


def test_forward_equals_the_plain_step_equations(rng):
    """forward's fused, in-place loop computes exactly what step() writes out plainly."""
    lstm = ll.LSTM(3, 5, seed=1)
    lstm.params["b"][:] = rng.normal(size=20)
    xs = rng.normal(size=(6, 2, 3))
    h, c = rng.normal(size=(2, 5)), rng.normal(size=(2, 5))
    hs, (h_T, c_T) = lstm.forward(xs, h, c)
    tr = lstm.trace
    for t in range(6):
        s = lstm.step(xs[t], h, c)
        for name in ("f", "i", "c_tilde", "o", "c", "h"):
            assert np.allclose(getattr(s, name), getattr(tr, name)[t], rtol=0, atol=1e-14), name
        assert np.array_equal(s.z, np.concatenate([h, xs[t]], axis=1))
        h, c = s.h, s.c
    assert np.array_equal(hs, tr.h)
    assert np.array_equal(h_T, hs[-1]) and np.array_equal(c_T, tr.c[-1])


def test_trace_views_have_the_documented_shapes(rng):
    lstm = ll.LSTM(3, 4, seed=0)
    lstm.forward(rng.normal(size=(5, 2, 3)))
    tr = lstm.trace
    for name in ("f", "i", "c_tilde", "o", "c", "h", "c_prev", "h_prev"):
        assert getattr(tr, name).shape == (5, 2, 4), name
    for name in ("f", "i", "o"):
        assert ((getattr(tr, name) > 0) & (getattr(tr, name) < 1)).all()
    assert (np.abs(tr.c_tilde) < 1).all()
    assert np.array_equal(tr.c_prev[0], np.zeros((2, 4)))
    assert tr.dh is None
    lstm.backward(np.ones((5, 2, 4)))
    assert tr.dh.shape == tr.dc.shape == (5, 2, 4) and tr.dc0.shape == (2, 4)


def test_the_belt_derivative_is_the_forget_gate(rng):
    """∂c_t/∂c_{t-1} = f_t: with no loss on h, the gradient on c shrinks by f each step."""
    lstm = ll.LSTM(2, 3, seed=0)
    T = 6
    lstm.forward(rng.normal(size=(T, 1, 2)))
    tr = lstm.trace
    # Only c_T is read (through h_T = o·tanh(c_T), via a unit upstream on h_T).
    dhs = np.zeros((T, 1, 3))
    dhs[-1] = 1.0
    # Block the h path so only the belt carries gradient: zero the recurrent weights.
    lstm.params["W"][:, :3] = 0
    lstm.forward(tr.xs)
    tr = lstm.trace
    lstm.backward(dhs)
    for t in range(T - 1, 0, -1):
        assert np.allclose(tr.dc[t - 1], tr.dc[t] * tr.f[t], rtol=1e-13)
    assert np.allclose(tr.dc0, tr.dc[0] * tr.f[0], rtol=1e-13)


def test_float32_is_kept_end_to_end(rng):
    lstm = ll.LSTM(3, 4, seed=0, dtype=np.float32)
    xs = rng.normal(size=(5, 2, 3)).astype(np.float32)
    hs, (h_T, c_T) = lstm.forward(xs)
    dxs = lstm.backward(np.ones_like(hs))
    tr = lstm.trace
    arrays = [hs, h_T, c_T, dxs, tr.gates, tr.c, tr.dh, tr.dc, *lstm.params.values(),
              *lstm.grads.values()]
    assert all(a.dtype == np.float32 for a in arrays)
    ref = ll.LSTM(3, 4, seed=0)
    assert np.allclose(ref.forward(xs.astype(np.float64))[0], hs, atol=1e-5)
    rnn = ll.RNN(3, 4, dtype=np.float32, seed=0)
    assert rnn.forward(xs)[0].dtype == np.float32 and rnn.backward(hs).dtype == np.float32


def test_saturated_inputs_stay_finite():
    """Huge inputs saturate the gates but never produce NaN or warnings."""
    lstm = ll.LSTM(2, 3, seed=0)
    xs = np.full((4, 1, 2), 1e6)
    hs, _ = lstm.forward(xs)
    dxs = lstm.backward(np.ones_like(hs))
    assert np.isfinite(hs).all() and np.isfinite(dxs).all()


@pytest.mark.parametrize("make", [lambda: ll.LSTM(1, 8, seed=0), lambda: ll.RNN(1, 8, seed=0)])
def test_learns_to_recall_the_first_input(make):
    """End to end: BPTT + Adam teach the cell to report the sign of step 0 at step 5."""
    rng = np.random.default_rng(0)
    cell, head = make(), ll.Linear(8, 1, seed=1)
    opt = ll.Adam([cell, head], lr=0.03)
    T, B = 6, 32

    def step(k):
        xs = rng.normal(scale=0.3, size=(T, B, 1))
        xs[0, :, 0] = rng.choice([-1.0, 1.0], size=B)
        target = (xs[0] > 0).astype(float)                       # (B, 1)
        hs, _ = cell.forward(xs)
        logits = head.forward(hs[-1])
        loss, dlogits = ll.sigmoid_cross_entropy(logits, target)
        dhs = np.zeros_like(hs)
        dhs[-1] = head.backward(dlogits)
        cell.backward(dhs)
        opt.step()
        return {"loss": loss, "acc": float(((logits > 0) == (target > 0.5)).mean())}

    history = ll.train(step, 150, progress=False)
    assert history["loss"][0] > 0.6                              # starts near log 2 ≈ 0.69
    assert history["acc"][-10:].mean() > 0.95 and history["loss"][-10:].mean() < 0.1


def test_without_a_forget_gate_the_belt_only_adds(rng):
    """forget_gate=False: f_t = 1, so c_t = c_{t-1} + i_t ⊙ c̃_t, step by step and batched."""
    lstm = ll.LSTM(3, 4, seed=2, forget_gate=False)
    xs, c0 = rng.normal(size=(7, 2, 3)), rng.normal(size=(2, 4))
    hs, (_, c_T) = lstm.forward(xs, None, c0)
    tr = lstm.trace
    assert np.array_equal(tr.f, np.ones((7, 2, 4)))
    added = np.cumsum(tr.i * tr.c_tilde, axis=0)                 # Σ_{s<=t} i_s ⊙ c̃_s
    assert np.allclose(tr.c, c0 + added, rtol=0, atol=1e-13)
    h, c = None, c0
    for t in range(7):
        s = lstm.step(xs[t], h, c)
        assert np.array_equal(s.f, np.ones((2, 4)))
        assert np.allclose(s.h, hs[t], rtol=0, atol=1e-14)
        h, c = s.h, s.c
    assert np.allclose(c, c_T, rtol=0, atol=1e-13)
    assert "forget_gate=False" in repr(lstm) and "forget_gate" not in repr(ll.LSTM(3, 4, seed=0))


def test_a_fixed_gate_equals_a_gate_held_wide_open(rng):
    """Independent truth: a gated cell whose f block reads nothing and whose bias is huge
    has σ(bias) = 1 exactly in float64, so it must compute the same sequence."""
    fixed = ll.LSTM(3, 4, seed=5, forget_gate=False)
    gated = ll.LSTM(3, 4, seed=5, forget_bias=1e3)
    gated.params["W"][:4] = 0.0
    xs = rng.normal(size=(9, 2, 3))
    assert np.allclose(fixed.forward(xs)[0], gated.forward(xs)[0], rtol=0, atol=1e-14)


@pytest.mark.parametrize("forget_bias", [1.0, -2.0])
def test_without_a_forget_gate_backward_matches_numerical_gradients(rng, forget_bias):
    lstm = ll.LSTM(3, 4, seed=0, forget_bias=forget_bias, forget_gate=False)
    lstm.params["b"][:] += rng.normal(scale=0.5, size=16)
    inputs = {"xs": rng.normal(size=(6, 2, 3)), "h0": rng.normal(scale=0.5, size=(2, 4)),
              "c0": rng.normal(size=(2, 4))}
    errors = ll.check_layer(lstm, inputs, seed=1)
    assert set(errors) == {"W", "b", "xs", "h0", "c0"}
    assert max(errors.values()) < 1e-6, errors
    # The unused f block gets no gradient, so no optimizer ever moves it.
    assert not lstm.grads["W"][:4].any() and not lstm.grads["b"][:4].any()
    # With f = 1 the belt hands ∂L/∂c back unchanged: c0 only feeds c at the first step.
    lstm.forward(inputs["xs"], inputs["h0"], inputs["c0"])
    lstm.backward(rng.normal(size=(6, 2, 4)))
    assert np.array_equal(lstm.trace.dc0, lstm.trace.dc[0])


def test_forget_gate_must_be_a_bool():
    with pytest.raises(TypeError, match="forget_gate: expected True or False"):
        ll.LSTM(3, 4, forget_gate="no", seed=0)


# --- forward_pinned: one gate of one slot held fixed (an ablation) ------------------------

def test_pinned_nowhere_is_forward(rng):
    lstm = ll.LSTM(3, 5, seed=2)
    xs = rng.normal(size=(7, 3, 3))
    run = ll.forward_pinned(lstm, xs, gate="f", unit=1, value=0.0, where=np.zeros((7, 3), bool))
    lstm.forward(xs)
    for name in ("f", "i", "c_tilde", "o", "c", "h"):
        assert np.allclose(getattr(run, name), getattr(lstm.trace, name), rtol=0, atol=1e-14), name


def test_a_forget_gate_pinned_everywhere_equals_a_gate_that_reads_nothing(rng):
    """Independent truth: zero slot j's row of W_f and set b_f[j] = b, and its gate is σ(b)
    at every step, whatever z_t says; holding the gate there must compute the same run."""
    lstm = ll.LSTM(3, 5, seed=3)
    xs = rng.normal(size=(8, 2, 3))
    run = ll.forward_pinned(lstm, xs, gate="f", unit=2, value=ll.sigmoid(0.7))
    edited = ll.LSTM(3, 5, seed=3)
    edited.params["W"][2] = 0.0                          # row 2 of the f block: slot 2's W_f
    edited.params["b"][2] = 0.7
    hs, _ = edited.forward(xs)
    assert np.allclose(run.h, hs, rtol=0, atol=1e-14)
    assert np.allclose(run.c, edited.trace.c, rtol=0, atol=1e-14)
    assert np.all(run.f[:, :, 2] == ll.sigmoid(0.7))


def test_a_shut_input_gate_leaves_the_slot_to_the_belt(rng):
    """With i held at 0 from step 3 on (in one sequence), that slot only carries:
    c_t = f_t c_{t-1} there; every other slot and sequence runs as before up to step 3."""
    lstm = ll.LSTM(2, 4, seed=4)
    xs = rng.normal(size=(9, 2, 2))
    where = np.zeros((9, 2), bool)
    where[3:, 0] = True
    run = ll.forward_pinned(lstm, xs, gate="i", unit=1, value=0.0, where=where)
    lstm.forward(xs)
    c = run.c[:, 0, 1]
    assert np.allclose(c[3:], run.f[3:, 0, 1] * c[2:-1], rtol=0, atol=1e-15)
    assert np.array_equal(run.i[3:, 0, 1], np.zeros(6))
    assert np.allclose(run.c[:3], lstm.trace.c[:3], rtol=0, atol=1e-14)
    assert np.allclose(run.c[:, 1], lstm.trace.c[:, 1], rtol=0, atol=1e-14)   # not pinned there
    assert not np.allclose(run.c[4:, 0, 1], lstm.trace.c[4:, 0, 1])


def test_forward_pinned_leaves_the_cells_trace_alone(rng):
    lstm = ll.LSTM(2, 3, seed=0)
    lstm.forward(rng.normal(size=(4, 1, 2)))
    before = lstm.trace
    ll.forward_pinned(lstm, rng.normal(size=(5, 2, 2)), gate="o", unit=0, value=1.0)
    assert lstm.trace is before


@pytest.mark.parametrize("kwargs, message", [
    ({"gate": "g"}, "gate: expected one of"),
    ({"unit": 3}, "unit: expected an int from 0 to 2"),
    ({"unit": True}, "unit: expected an int"),
    ({"value": float("nan")}, "value"),
    ({"where": np.ones((4, 2))}, r"where: expected bools of shape \(T, B\) = \(4, 1\)"),
])
def test_forward_pinned_says_what_is_wrong(rng, kwargs, message):
    lstm = ll.LSTM(2, 3, seed=0)
    args = {"gate": "f", "unit": 0, "value": 0.5} | kwargs
    with pytest.raises(ValueError, match=message):
        ll.forward_pinned(lstm, rng.normal(size=(4, 1, 2)), **args)
