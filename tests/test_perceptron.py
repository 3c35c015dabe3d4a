"""The perceptron learns a separable rule, replays its history, and fails on XOR."""

import numpy as np

import lstm_lib as ll

CORNERS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])


def test_learns_and_and_or():
    for y in ([0, 0, 0, 1], [0, 1, 1, 1]):
        p = ll.Perceptron(2)
        history = p.fit(CORNERS, y)
        assert history[-1].errors == 0
        assert p.predict(CORNERS).tolist() == y


def test_history_replays_learning(rng):
    X = rng.normal(size=(40, 2))
    y = (X @ np.array([2.0, -1.0]) + 0.3 > 0).astype(int)
    p = ll.Perceptron(2)
    history = p.fit(X, y, epochs=200, seed=3)
    assert history[0].index is None and np.array_equal(history[0].w, [0, 0])
    assert history[-1].errors == 0 and len(history) > 2
    replay = ll.Perceptron(2)
    for step in history[1:]:                       # each recorded update is the rule applied
        assert replay.update(X[step.index], int(y[step.index]))
        assert np.array_equal(replay.w, step.w) and replay.b == step.b
    assert np.array_equal(p.w, history[-1].w)


def test_update_leaves_a_correct_neuron_alone():
    p = ll.Perceptron(2)
    p.w[:] = [1.0, 1.0]
    assert not p.update(np.array([1.0, 1.0]), 1)
    assert p.w.tolist() == [1.0, 1.0] and p.b == 0.0
    assert p.update(np.array([1.0, 1.0]), 0)
    assert p.w.tolist() == [0.0, 0.0] and p.b == -1.0


def test_xor_is_never_learned():
    p = ll.Perceptron(2)
    history = p.fit(CORNERS, [0, 1, 1, 0], epochs=200)
    assert min(step.errors for step in history) >= 1      # no line gets all four right


def test_fit_is_reproducible(rng):
    X = rng.normal(size=(30, 3))
    y = (X.sum(axis=1) > 0).astype(int)
    a, b = ll.Perceptron(3).fit(X, y, seed=7), ll.Perceptron(3).fit(X, y, seed=7)
    assert [s.index for s in a] == [s.index for s in b]
