"""Same seed, same numbers; and lstm_lib never touches numpy's global random state."""

import numpy as np
import pytest

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
    ll.check_layer(ll.Dense(2, 2, seed=0), {"x": np.ones((3, 2))})
    assert np.array_equal(np.random.get_state()[1], before)  # noqa: NPY002


def test_a_shared_generator_gives_different_layers():
    rng = np.random.default_rng(0)
    a, b = ll.Dense(3, 3, seed=rng), ll.Dense(3, 3, seed=rng)
    assert not np.array_equal(a.params["W"], b.params["W"])


@pytest.mark.parametrize("make", [
    lambda **seed: ll.LSTM(8, 8, **seed), lambda **seed: ll.RNN(8, 8, **seed),
    lambda **seed: ll.Dense(8, 8, **seed), lambda **seed: ll.Linear(8, 8, **seed),
    lambda **seed: ll.MLP([8, 8, 1], **seed),
    lambda **seed: ll.SequenceModel(ll.LSTM(2, 3, seed=0), 1, **seed),
    lambda **seed: ll.charlm.CharLM(8, **seed),
], ids=["LSTM", "RNN", "Dense", "Linear", "MLP", "SequenceModel", "CharLM"])
def test_no_default_seed_so_two_layers_of_one_shape_are_never_silent_twins(make):
    # Before: LSTM(8, 8) twice gave bit-equal weights (both seeded with 0 by default).
    with pytest.raises(TypeError, match="seed"):
        make()
    make(seed=0)


def test_training_loops_need_a_seed_so_two_runs_never_silently_replay_one_batch_order():
    # Before: fit(model, data, ...) twice drew the same minibatches (seed=0 by default).
    data = ll.tasks.parity(16, 5, seed=0)
    model = ll.SequenceModel(ll.RNN(1, 3, seed=0), 1, seed=0)
    with pytest.raises(TypeError, match="seed"):
        ll.fit(model, data, ll.sigmoid_cross_entropy, steps=1, batch_size=4, progress=False)
    with pytest.raises(TypeError, match="seed"):
        ll.charlm.Trainer(ll.charlm.CharLM(4, seed=0), np.zeros(200, dtype=int))


def test_seed_none_says_why_there_is_no_default():
    with pytest.raises(TypeError, match="seed: required .* start identical"):
        ll.rng_from(None)
