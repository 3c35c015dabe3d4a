"""The checks of notebook 04's exercises: the reference solutions pass, typical mistakes
are named (lstm_lib/exercises/forgetting.py)."""

from functools import partial

import numpy as np
import pytest
from notebook_exercises import ROOT, exercises_in, fails, read, solved

import lstm_lib as ll
from lstm_lib import exercises

NOTEBOOK = ROOT / "notebooks" / "04_why_it_forgets.ipynb"


solution = partial(solved, NOTEBOOK)


def test_notebook_has_three_exercises_and_its_prose_points_at_them():
    assert [e.number for e in exercises_in(NOTEBOOK)] == ["04.1", "04.2", "04.3"]
    prose = "\n".join(c.source for c in read(NOTEBOOK).cells if c.cell_type == "markdown")
    assert "(Exercise 04.2 varies the threshold.)" in prose
    assert "**Exercise 04.2 · Choose the clip.**" in prose
    assert "**Exercise 04.3 · Take the hint away.**" in prose


# 04.1 · one step's Jacobian

def test_04_1_reference_solution_passes():
    verdict = exercises.check("04.1", solution("04.1")["step_jacobian"])
    assert verdict, verdict


def test_04_1_agrees_with_the_library():
    rnn = ll.RNN(3, 6, seed=2)
    rnn.forward(np.random.default_rng(0).normal(size=(4, 2, 3)))
    mine = solution("04.1")["step_jacobian"](rnn.trace.h[2], rnn.W_h)
    assert np.allclose(mine, ll.step_jacobians(rnn)[2])


@pytest.mark.parametrize("body, message", [
    (lambda h, W_h: (1 - h**2)[:, :, None] * W_h.T, "you used W_hᵀ where W_h belongs"),
    (lambda h, W_h: (1 - h**2)[:, None, :] * W_h, "scale the columns of your J"),
    (lambda h, W_h: (1 - h**2)[:, None, :] * W_h.T, "your J is transposed"),
    (lambda h, W_h: np.stack([W_h] * len(h)), "the tanh's slope is missing"),
    (lambda h, W_h: (1 - np.tanh(h) ** 2)[:, :, None] * W_h, "you took tanh of h_k once more"),
    (lambda h, W_h: (h * (1 - h))[:, :, None] * W_h, "the sigmoid's slope"),
    (lambda h, W_h: np.diag(1 - h[0] ** 2) @ W_h,
     r"J has shape \(4, 4\), expected \(5, 4, 4\) = \(B, H, H\)"),
    (lambda h, W_h: 2 * (1 - h**2)[:, :, None] * W_h, "J is 2 times the right answer"),
])
def test_04_1_names_the_mistake(body, message):
    fails("04.1", body, match=message)


def test_04_1_untouched():
    def step_jacobian(h, W_h):
        J = ...
        return J

    fails("04.1", step_jacobian, match=r"J is still `\.\.\.`")


# 04.2 · choose the clip

def test_04_2_reference_solution_passes():
    verdict = exercises.check("04.2", solution("04.2")["prediction"])
    assert verdict, verdict
    assert "right for all three" in verdict.message


def test_04_2_truth_comes_from_training():
    from lstm_lib.exercises.forgetting import _clip_runs

    runs = _clip_runs()
    baseline = ll.tasks.ADDING_BASELINE_MSE
    assert runs[100][0] > 10 * baseline                 # wrecked
    assert runs[1][0] < 0.8 * baseline                  # learns
    assert 0.8 * baseline < runs[0.01][0] < 1.2 * baseline   # hardly moved
    assert np.all(runs[0.01][1]["grad_norm"] > 0.01)    # clipped at every step
    assert runs[100][1]["grad_norm"][0] < 100           # idle at the start


@pytest.mark.parametrize("answer, message", [
    ({100: "above", 1: "below", 0.01: "below"},
     r"clip = 0.01: you said below, the run ends about at the baseline .*at most 0.4 in all"),
    ({100: "at", 1: "below", 0.01: "at"},
     r"clip = 100: you said at, the run ends far above the baseline \(the first gradient "
     r"norm is 10\.\d, far below 100"),
    ({100: "above", 1: "above", 0.01: "at"},
     "clip = 1: you said above, the run ends clearly below"),
    ({100: "above", 1: "below"}, r"no word for the threshold\(s\) \[0.01\]"),
    ({100: "above", 1: "below", 0.01: "slow"}, "write one of \"above\", \"at\" or \"below\""),
    ({100: ..., 1: ..., 0.01: ...}, r"clip = 100 is still `\.\.\.`"),
    (["above", "below", "at"], "expected a dict"),
])
def test_04_2_names_the_mistake(answer, message):
    fails("04.2", answer, match=message)


def test_04_2_accepts_capitals_and_float_keys():
    assert exercises.check("04.2", {100.0: "Above", 1.0: " below", 0.01: "AT"})


# 04.3 · take the hint away

def test_04_3_reference_solution_passes():
    names = solution("04.3")
    assert names["prediction"] == {0: 0.5, 4: 0.5}
    verdict = exercises.check("04.3", names["prediction"])
    assert verdict, verdict
    assert "Both at chance" in verdict.message


def test_04_3_truth_comes_from_training_the_run_it_describes():
    from lstm_lib.exercises.forgetting import _no_hint_accuracy

    model = ll.SequenceModel(ll.RNN(len(ll.tasks.AGREEMENT_VOCAB), 16, seed=0), 1, seed=0)
    ll.fit(model, ll.tasks.agreement(2000, p_attractor=0.5, seed=1), ll.sigmoid_cross_entropy,
           steps=300, lr=0.01, batch_size=32, seed=0, progress=False)
    for k, right in _no_hint_accuracy().items():
        test = ll.tasks.agreement(400, nouns=(4, 4), attractors=k, seed=100 + k)
        assert right == ll.accuracy(model, test)
        assert abs(right - 0.5) < 0.1                   # chance, with and without attractors


@pytest.mark.parametrize("answer, message", [
    ({0: 1.0, 4: 0.95}, r"you expected that, with no noun to lean on, the run learns to follow "
                        r"the subject, but after 300 steps .* \d+% right with no attractor"),
    ({0: 0.99, 4: 0.05}, "you expected what section 6's runs did"),
    ({0: 0.5, 4: 0.9}, r"you predicted 90% with 4 attractors, but"),
    ({0: 50, 4: 50}, r"looks like a percentage: write the fraction, 0.5 for 50%"),
    ({"0": 0.5, "4": 0.5}, "the keys are written as text"),
    ({0: 0.5}, r"no fraction for \[4\] attractor"),
    ({0: ..., 4: ...}, r"the prediction for 0 attractors is still `\.\.\.`"),
    ({0: "0.5", 4: 0.5}, "remove the quotes"),
    ({0: 1.5, 4: 0.5}, "between 0 and 1, got 1.5"),
    ([0.5, 0.5], "expected a dict"),
    (..., r"prediction is still `\.\.\.`"),
])
def test_04_3_names_the_mistake(answer, message):
    fails("04.3", answer, match=message)


# Holes closed in review: answers that used to get only a generic message.

def test_04_2_names_text_keys():
    fails("04.2", {"100": "above", "1": "below", "0.01": "at"},
          match=r"written as text .* numbers 100, 1 and 0.01")
