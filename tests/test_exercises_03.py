"""The checks of notebook 03's exercises: the reference solutions pass, typical mistakes
are named (lstm_lib/exercises/first_loop.py)."""

import math
from functools import partial

import numpy as np
import pytest
from notebook_exercises import ROOT, exercises_in, fails, solved

from lstm_lib import exercises

NOTEBOOK = ROOT / "notebooks" / "03_first_loop.ipynb"


solution = partial(solved, NOTEBOOK)


def test_notebook_has_three_exercises():
    assert [e.number for e in exercises_in(NOTEBOOK)] == ["03.1", "03.2", "03.3"]


# 03.1 · one step of the loop

def test_03_1_reference_solution_passes():
    verdict = exercises.check("03.1", solution("03.1")["rnn_step"])
    assert verdict, verdict
    assert "unrolled over 6 steps" in verdict.message


def test_03_1_concatenated_form_passes_too():
    def rnn_step(x_t, h_prev, W, b):
        return np.tanh(np.concatenate([h_prev, x_t], axis=1) @ W.T + b)

    assert exercises.check("03.1", rnn_step)


def _H(W):
    """W is (H, H + X) = [W_h | W_x]."""
    return W.shape[0]


@pytest.mark.parametrize("body, message", [
    (lambda x, h, W, b: np.tanh(x @ W[:, :x.shape[1]].T + h @ W[:, x.shape[1]:].T + b),
     "you took W_x from the first X columns"),
    (lambda x, h, W, b: np.tanh(x @ W[:, _H(W):] + h @ W[:, :_H(W)].T + b),
     r"raised ValueError.*ll\.RNN stores W = \[W_h \| W_x\]"),
    (lambda x, h, W, b: np.tanh(x @ W[:, _H(W):].T + h @ W[:, :_H(W)].T),
     "the bias b is missing"),
    (lambda x, h, W, b: x @ W[:, _H(W):].T + h @ W[:, :_H(W)].T + b, "the tanh is missing"),
    (lambda x, h, W, b: np.tanh(x @ W[:, _H(W):].T + h @ W[:, :_H(W)] + b),
     r"you multiplied the rows of h_prev by W_h itself"),
    (lambda x, h, W, b: np.tanh(x @ W[:, _H(W):].T + b), "h_prev plays no part"),
    (lambda x, h, W, b: np.maximum(0.0, x @ W[:, _H(W):].T + h @ W[:, :_H(W)].T + b),
     "you squashed with ReLU"),
    (lambda x, h, W, b: np.tanh(x @ W[:, _H(W):].T + h + b),
     r"h_prev enters your step without its weights.*h_prev @ W\[:, :H\]\.T"),
    (lambda x, h, W, b: np.tanh(x @ W[:, _H(W):].T + h @ W[:, :_H(W)].T + b).T,
     r"shape \(5, 4\), expected \(4, 5\) = \(B, H\)\. Did you transpose"),
])
def test_03_1_names_the_mistake(body, message):
    fails("03.1", body, match=message)


def test_03_1_untouched_and_missing():
    def rnn_step(x_t, h_prev, W, b):
        h_t = ...
        return h_t

    fails("03.1", rnn_step, match=r"h_t is still `\.\.\.`")
    fails("03.1", ..., match="no answer yet")


def test_03_1_a_step_that_drifts_is_caught_when_unrolled():
    calls = []

    def rnn_step(x_t, h_prev, W, b):          # right once, then it adds up its own calls
        calls.append(1)
        H = W.shape[0]
        return np.tanh(x_t @ W[:, H:].T + h_prev @ W[:, :H].T + b + 0.1 * (len(calls) > 2))

    fails("03.1", rnn_step, match="part from RNN.forward at step 2")


# 03.2 · when the flat layer is smaller

def test_03_2_reference_solution_passes():
    verdict = exercises.check("03.2", solution("03.2")["longest_flat_cheaper"])
    assert verdict, verdict
    assert "3 words" in verdict.message


def test_03_2_truth_is_counted_independently():
    from lstm_lib.exercises.first_loop import _longest_cheaper

    for X, H in [(30, 8), (30, 64), (4, 32), (7, 50)]:
        T = _longest_cheaper(X, H)
        assert T * X * H + H < H * (H + X) + H <= (T + 1) * X * H + H
    # the solution's prose: "a single word" for this notebook's cell, "only 3" with H = 64
    assert (_longest_cheaper(30, 8), _longest_cheaper(30, 64)) == (1, 3)


@pytest.mark.parametrize("formula, message", [
    (lambda X, H: math.floor(1 + H / X), r"X = 4, H = 32 .* exactly as many as the RNN"),
    (lambda X, H: H // X, r"X = 30, H = 64 you answered T = 2, .* also smaller at T = 3"),
    (lambda X, H: 1 + H / X, "not a whole number"),
    (lambda X, H: math.ceil(H / X) + 1, r"already has 7744 parameters, more than the RNN's 6080"),
    (lambda X, H: 0, "even a sequence of one step fits"),
    (lambda X, H: "three", "expected a whole number"),
    (lambda X, H: str(-(-H // X)), r"returned str '3'; expected a whole number.*not text"),
    (lambda X, H: H > 0, r"returned bool True; expected a whole number"),
    (lambda X, H: ..., "still returns `...`"),
])
def test_03_2_names_the_mistake(formula, message):
    fails("03.2", formula, match=message)


# 03.3 · switch the memory off

def test_03_3_reference_solution_passes():
    names = solution("03.3")
    verdict = exercises.check("03.3", names["same_bank"], names["same_order"])
    assert verdict, verdict


@pytest.mark.parametrize("answer, message", [
    ((True, True), "same_order: the final states differ by up to .* only because their last"),
    ((False, False), "same_bank: the two final states are identical"),
    ((False, True), "same_bank: the two final states are identical"),
    ((1, 0), "expected True or False, got int"),
    ((..., ...), r"same_bank is still `\.\.\.`"),
])
def test_03_3_names_the_mistake(answer, message):
    fails("03.3", *answer, match=message)
