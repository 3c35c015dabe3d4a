"""Same seed, same numbers; and lstm_lib never touches numpy's global random state."""

import numpy as np

import lstm_lib as ll


def test_same_seed_same_weights_different_seed_different_weights():
    for make in (ll.LSTM, ll.RNN):
        a, b, c = make(3, 4, seed=5), make(3, 4, seed=5), make(3, 4, seed=6)
        assert np.array_equal(a.params["W"], b.params["W"])
        assert not np.array_equal(a.params["W"], c.params["W"])
    assert np.array_equal(ll.MLP([2, 3, 1], seed=1).params["0.W"],
                          ll.MLP([2, 3, 1], seed=1).params["0.W"])


def test_global_random_state_is_untouched():
    # The legacy global API is used on purpose: we check that nothing else touches it.
    np.random.seed(0)  # noqa: NPY002
    before = np.random.get_state()[1].copy()  # noqa: NPY002
    ll.LSTM(3, 4, seed=1)
    ll.RNN(3, 4, seed=1)
    ll.MLP([2, 4, 1], seed=1)
    ll.Perceptron(2).fit(np.eye(2), [0, 1], seed=1)
    ll.check_layer(ll.Dense(2, 2), {"x": np.ones((3, 2))})
    assert np.array_equal(np.random.get_state()[1], before)  # noqa: NPY002


def test_a_shared_generator_gives_different_layers():
    rng = np.random.default_rng(0)
    a, b = ll.Dense(3, 3, seed=rng), ll.Dense(3, 3, seed=rng)
    assert not np.array_equal(a.params["W"], b.params["W"])
