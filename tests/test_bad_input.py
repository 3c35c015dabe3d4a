"""Bad input raises at once, with a message naming the argument, the expected and the got."""

import numpy as np
import pytest

import lstm_lib as ll


def raises(exc, *fragments):
    """pytest.raises that also demands every fragment appear in the message."""

    class Check:
        def __enter__(self):
            self.ctx = pytest.raises(exc)
            self.info = self.ctx.__enter__()
            return self.info

        def __exit__(self, *args):
            handled = self.ctx.__exit__(*args)
            message = str(self.info.value)
            for fragment in fragments:
                assert fragment in message, f"{fragment!r} not in message {message!r}"
            return handled

    return Check()


@pytest.fixture(params=["lstm", "rnn"])
def cell(request):
    return ll.LSTM(3, 4, seed=0) if request.param == "lstm" else ll.RNN(3, 4, seed=0)


def test_sequence_of_wrong_rank(cell):
    with raises(ValueError, "xs", "expected shape (T, B, 3)", "got (5, 3)"):
        cell.forward(np.zeros((5, 3)))


def test_sequence_with_wrong_input_size(cell):
    with raises(ValueError, "xs", "(T, B, 3)", "got (5, 2, 7)"):
        cell.forward(np.zeros((5, 2, 7)))


def test_h0_batch_mismatch(cell):
    with raises(ValueError, "h0", "(2, 4)", "batch of 2", "got (3, 4)"):
        cell.forward(np.zeros((5, 2, 3)), np.zeros((3, 4)))


def test_h0_wrong_hidden_size(cell):
    with raises(ValueError, "h0", "(2, 4)", "got (2, 5)"):
        cell.forward(np.zeros((5, 2, 3)), np.zeros((2, 5)))


def test_c0_batch_mismatch():
    with raises(ValueError, "c0", "(2, 4)", "got (1, 4)"):
        ll.LSTM(3, 4, seed=0).forward(np.zeros((5, 2, 3)), None, np.zeros((1, 4)))


@pytest.mark.parametrize("bad, count", [(np.nan, "1 NaN and 0 inf"), (np.inf, "0 NaN and 1 inf")])
def test_nan_and_inf_inputs(cell, bad, count):
    xs = np.zeros((5, 2, 3))
    xs[2, 1, 0] = bad
    with raises(ValueError, "xs", "expected finite values", count):
        cell.forward(xs)


def test_integer_input(cell):
    with raises(TypeError, "xs", "float32 or float64", "got dtype int64", ".astype(np.float64)"):
        cell.forward(np.zeros((5, 2, 3), dtype=np.int64))


def test_dtype_mismatch_with_the_layer(cell):
    with raises(TypeError, "xs", "expected dtype float64", "got float32"):
        cell.forward(np.zeros((5, 2, 3), dtype=np.float32))


def test_backward_before_forward(cell):
    with raises(RuntimeError, "backward", "call forward first"):
        cell.backward(np.zeros((5, 2, 4)))


def test_upstream_gradient_shape(cell):
    cell.forward(np.zeros((5, 2, 3)))
    with raises(ValueError, "dhs", "expected shape (5, 2, 4)", "got (5, 2, 3)"):
        cell.backward(np.zeros((5, 2, 3)))


@pytest.mark.parametrize("make", [ll.LSTM, ll.RNN])
@pytest.mark.parametrize("input_size, hidden_size, arg, exc, got", [
    (0, 4, "input_size", ValueError, "got 0"),
    (3, -2, "hidden_size", ValueError, "got -2"),
    (3.0, 4, "input_size", TypeError, "got 3.0"),
    (3, True, "hidden_size", TypeError, "got True"),
])
def test_sizes_must_be_positive_ints(make, input_size, hidden_size, arg, exc, got):
    with raises(exc, arg, "expected a positive int", got):
        make(input_size, hidden_size, seed=0)


def test_unsupported_dtype():
    with raises(TypeError, "dtype", "float32 or float64", "got int32"):
        ll.LSTM(3, 4, dtype=np.int32, seed=0)
    with raises(TypeError, "dtype", "got float16"):
        ll.Dense(3, 4, dtype=np.float16, seed=0)


def test_bad_seed_and_forget_bias():
    with raises(TypeError, "seed", "got 'abc'"):
        ll.LSTM(3, 4, seed="abc")
    with raises(ValueError, "seed", "got -1"):
        ll.RNN(3, 4, seed=-1)
    with raises(ValueError, "forget_bias", "finite", "got nan"):
        ll.LSTM(3, 4, forget_bias=float("nan"), seed=0)


def test_dense_input_size():
    with raises(ValueError, "x", "expected shape (N, 3)", "got (4, 2)"):
        ll.Dense(3, 2, seed=0).forward(np.zeros((4, 2)))


def test_mlp_sizes():
    with raises(ValueError, "sizes", "at least [n_in, n_out]", "got [3]"):
        ll.MLP([3], seed=0)
    with raises(ValueError, "sizes[1]", "got 0"):
        ll.MLP([3, 0, 1], seed=0)


def test_perceptron_labels_and_shapes():
    p = ll.Perceptron(2)
    with raises(ValueError, "y", "labels in {0, 1}"):
        p.fit(np.zeros((3, 2)), [0, 1, 2])
    with raises(ValueError, "X", "expected shape (N, 2)", "got (3, 3)"):
        p.fit(np.zeros((3, 3)), [0, 1, 1])
    with raises(ValueError, "y", "label 0 or 1", "got -1"):
        p.update(np.zeros(2), -1)


def test_loss_inputs():
    with raises(ValueError, "target", "expected shape (4, 2)", "got (4, 3)"):
        ll.mse(np.zeros((4, 2)), np.zeros((4, 3)))
    with raises(ValueError, "target", "values in [0, 1]", "max 2.0"):
        ll.sigmoid_cross_entropy(np.zeros(3), np.array([0.0, 1.0, 2.0]))
    with raises(ValueError, "labels", "values in [0, 3)", "max 3"):
        ll.softmax_cross_entropy(np.zeros((2, 3)), np.array([0, 3]))
    with raises(TypeError, "labels", "integer class indices", "got dtype float64"):
        ll.softmax_cross_entropy(np.zeros((2, 3)), np.array([0.0, 1.0]))
    with raises(ValueError, "labels", "expected shape (2,)", "got (3,)"):
        ll.softmax_cross_entropy(np.zeros((2, 3)), np.array([0, 1, 2]))
    with raises(ValueError, "pred", "finite", "1 NaN"):
        ll.mse(np.array([np.nan, 0.0]), np.zeros(2))


def test_optimizer_settings():
    layer = ll.Linear(2, 1, seed=0)
    with raises(ValueError, "lr", "finite number > 0", "got -0.1"):
        ll.SGD(layer, lr=-0.1)
    with raises(ValueError, "momentum", "[0.0, 0.999]", "got 1.5"):
        ll.SGD(layer, lr=0.1, momentum=1.5)
    with raises(ValueError, "max_norm", "got 0"):
        ll.clip_global_norm(layer, 0)
    with raises(TypeError, "layers", "params and grads", "got int"):
        ll.Adam([layer, 3])


def test_train_step_must_return_a_loss():
    with raises(ValueError, "step", "'loss'", "got keys ['acc']"):
        ll.train(lambda k: {"acc": 1.0}, 3, progress=False)
    with raises(ValueError, "n_steps", "got 0"):
        ll.train(lambda k: 0.0, 0, progress=False)


@pytest.mark.parametrize("shape", [(0, 2, 3), (5, 0, 3)])
def test_empty_sequences_are_refused_by_name(cell, shape):
    with raises(ValueError, "xs", "at least one time step and one sequence", str(shape)):
        cell.forward(np.zeros(shape))


def test_dense_backward_before_forward():
    with raises(RuntimeError, "backward: call forward first", "Dense(3 → 2"):
        ll.Dense(3, 2, seed=0).backward(np.zeros((1, 2)))


def test_an_optimizer_takes_a_model_and_says_what_it_needs():
    model = ll.SequenceModel(ll.RNN(2, 3, seed=0), 1, seed=0)
    assert len(ll.Adam(model).pairs) == len(ll.Adam(model.layers).pairs) == 4
    with raises(TypeError, "layers: expected a layer, a model with .layers", "got int"):
        ll.SGD(3)


def test_check_refuses_an_array_of_truths():
    with raises(TypeError, "condition", "array of shape (3,)", ".all() or .any()"):
        ll.check(np.array([True, False, True]), "every run passed")
    ll.check(np.array([True]), "a one-element array is one truth value")


# --- what forward returns and backward reads cannot be changed from outside ------------

def test_editing_a_returned_state_cannot_change_the_gradients(cell, rng):
    xs, dhs = rng.normal(size=(6, 2, 3)), rng.normal(size=(6, 2, 4))
    hs, _ = cell.forward(xs)
    cell.backward(dhs)
    before = {k: g.copy() for k, g in cell.grads.items()}
    with pytest.raises(ValueError, match="read-only"):
        hs += 1                                   # the trace is not the caller's to change
    xs += 1                                       # the caller's own array: theirs to change
    cell.backward(dhs)
    for k, g in cell.grads.items():
        assert np.array_equal(g, before[k]), k


def test_dense_keeps_its_own_copy_of_x_and_returns_y_read_only(rng):
    layer = ll.Dense(3, 2, seed=0)
    x = rng.normal(size=(4, 3))
    y = layer.forward(x)
    layer.backward(np.ones_like(y))
    dW = layer.grads["W"].copy()
    x *= 5                                        # the caller changes their input ...
    layer.backward(np.ones_like(y))
    assert np.array_equal(layer.grads["W"], dW)   # ... backward still reads what forward saw
    with pytest.raises(ValueError, match="read-only"):
        y[0, 0] = 0.0
