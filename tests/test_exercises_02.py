"""The checks of notebook 02's exercises: the reference solutions pass, typical mistakes
fail with a sentence that names the mistake."""

from functools import partial

import numpy as np
import pytest
from notebook_exercises import ROOT, fails, solved

import lstm_lib as ll
from lstm_lib import exercises

NOTEBOOK = ROOT / "notebooks" / "02_a_layer.ipynb"
CORNERS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])


reference = partial(solved, NOTEBOOK)


# 02.1 · a layer for a whole batch

def test_02_1_reference_passes_and_agrees_with_dense():
    dense_forward = reference("02.1")["dense_forward"]
    assert exercises.check("02.1", dense_forward)
    layer = ll.Dense(3, 4, activation="sigmoid", seed=5)
    layer.params["b"][:] = [0.1, -0.2, 0.3, 0.0]
    X = np.random.default_rng(5).normal(size=(7, 3))
    assert np.allclose(dense_forward(X, layer.params["W"], layer.params["b"]), layer.forward(X))


@pytest.mark.parametrize("answer, match", [
    (lambda X, W, b: X @ W.T + b, r"before the squash: apply the sigmoid"),
    (lambda X, W, b: np.tanh(X @ W.T + b), r"that is tanh of the sums"),
    (lambda X, W, b: ll.sigmoid(X @ W.T), r"the bias is missing"),
    (lambda X, W, b: ll.sigmoid(X @ W + b), r"raised ValueError: matmul.* multiply X by W "
                                            r"transposed, X @ W\.T"),
    (lambda X, W, b: ll.sigmoid(W @ X.T + b[:, None]), r"shape \(4, 5\), expected \(5, 4\) = "
                                                       r"\(N, k\)\. Did you transpose"),
    (lambda X, W, b: ll.sigmoid(X @ W.T - b), r"off by up to"),
    (lambda X, W, b: np.maximum(0.0, X @ W.T + b), r"that is ReLU of the sums"),
    (lambda X, W, b: ll.sigmoid(X @ W.T) + b, r"you added b after the squash: .*inside"),
    (lambda X, W, b: 1 / (1 + np.exp(X @ W.T + b)), r"1 − σ\(z\).*sign in the exponent"),
])
def test_02_1_names_the_mistake(answer, match):
    fails("02.1", answer, match=match)


# 02.2 · merge three linear layers

def test_02_2_reference_passes_and_its_numbers_hold():
    assert exercises.check("02.2", reference("02.2")["merge_three"])
    sizes = [2, 5, 4, 3]
    layers = [ll.Linear(a, c, seed=0) for a, c in zip(sizes[:-1], sizes[1:], strict=True)]
    assert sum(lay.params["W"].size + lay.params["b"].size for lay in layers) == 54
    assert 3 * 2 + 3 == 9


def merged(bias):
    def merge_three(W1, b1, W2, b2, W3, b3):
        return W3 @ W2 @ W1, bias(W1, b1, W2, b2, W3, b3)
    return merge_three


@pytest.mark.parametrize("answer, match", [
    (merged(lambda W1, b1, W2, b2, W3, b3: W3 @ b2 + b3), r"b lacks the term W3 W2 b1"),
    (merged(lambda W1, b1, W2, b2, W3, b3: W3 @ W2 @ b1 + b3), r"b lacks the term W3 b2"),
    (merged(lambda W1, b1, W2, b2, W3, b3: W3 @ W2 @ b1 + W3 @ b2), r"b lacks the term b3"),
    (merged(lambda W1, b1, W2, b2, W3, b3: W3 @ W2 @ b1 - W3 @ b2 + b3), r"the merged b is off"),
    (lambda W1, b1, W2, b2, W3, b3: (W1 @ W2 @ W3, b3), r"raised ValueError: matmul.*The layer "
                                                        r"applied first stands on the right"),
    (lambda W1, b1, W2, b2, W3, b3: ((W3 @ W2 @ W1).T, b3), r"shape \(2, 3\), expected \(3, 2\) "
                                                            r"= \(n3, n0\)\. Did you transpose"),
    (lambda W1, b1, W2, b2, W3, b3: (2 * W3 @ W2 @ W1, b3), r"the merged W is 2 times the right"),
    (lambda W1, b1, W2, b2, W3, b3: W3 @ W2 @ W1, r"should return two things"),
])
def test_02_2_names_the_mistake(answer, match):
    fails("02.2", answer, match=match)


# 02.3 · XOR by hand, with ReLU

def test_02_3_reference_passes_and_its_numbers_hold():
    ref = reference("02.3")
    answer = [ref[name] for name in ("W1", "b1", "W2", "b2")]
    assert exercises.check("02.3", *answer)
    hidden = np.maximum(0, CORNERS @ ref["W1"].T + ref["b1"])
    assert np.array_equal(hidden, [[0, 0], [1, 0], [1, 0], [2, 1]])
    assert np.array_equal(hidden @ ref["W2"][0] + ref["b2"], [-0.5, 0.5, 0.5, -0.5])
    # flat shapes for the output layer are accepted too
    assert exercises.check("02.3", ref["W1"], ref["b1"], [1.0, -2.0], -0.5)


GOOD = dict(W1=np.ones((2, 2)), b1=np.array([0.0, -1.0]), W2=np.array([[1.0, -2.0]]),
            b2=np.array([-0.5]))


@pytest.mark.parametrize("change, match", [
    (dict(b1=np.array([0.0, 0.0])), r"Your two hidden neurons are the same neuron twice"),
    (dict(b1=np.array([0.0, -3.0])), r"Hidden neuron 2 outputs 0 at all four corners"),
    (dict(b2=np.array([-1.0])), r"2 of the 4 corners wrong: \(0, 1\): h = \(1, 0\), logit = 0, "
                                r"says no.*\(1, 0\).*A logit of exactly 0 counts as no"),
    (dict(W2=np.array([[1.0, -1.0]])), r"1 of the 4 corners wrong: \(1, 1\): h = \(2, 1\), "
                                       r"logit = 0\.5, says yes"),
    (dict(W1=np.ones((2, 3))), r"W1 has shape \(2, 3\), expected \(2, 2\)"),
    (dict(W2=np.ones(3)), r"W2 has shape \(3,\), expected \(1, 2\)"),
    (dict(b1=...), r"b1 is still `\.\.\.`"),
])
def test_02_3_names_the_mistake(change, match):
    answer = {**GOOD, **change}
    fails("02.3", answer["W1"], answer["b1"], answer["W2"], answer["b2"], match=match)
