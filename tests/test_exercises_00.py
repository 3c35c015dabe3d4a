"""The checks of notebook 00's exercises: the reference solutions pass, typical mistakes
fail with a sentence that names the mistake."""

from functools import partial

import numpy as np
import pytest
from notebook_exercises import ROOT, fails, solved

import lstm_lib as ll
from lstm_lib import exercises

NOTEBOOK = ROOT / "notebooks" / "00_start_here.ipynb"


reference = partial(solved, NOTEBOOK)


def test_00_1_reference_passes_and_its_numbers_hold():
    ref = reference("00.1")
    verdict = exercises.check("00.1", ref["w"], ref["b"])
    assert verdict, repr(verdict)
    assert ll.sigmoid(4.0) > 0.98                             # "σ(4), above 0.98"
    assert -5.9 < -2 * np.log(19) < -5.8                      # "w of -5.9 or below"
    assert exercises.check("00.1", -5.9, 5.9).passed
    assert not exercises.check("00.1", -5.8, 5.8).passed


@pytest.mark.parametrize("w, b, match", [
    (0.0, 1.0, r"with w = 0 the neuron ignores x"),
    (-8.0, -8.0, r"switches at x = -1, not 1: the sign of b is flipped"),
    (-8.0, 4.0, r"switches at x = 0\.5, not at 1.*b must be 8"),
    (-8.0, 8.0001, r"switches at x = 1\.0000125, not at 1.*b must be 8"),
    (8.0, -8.0, r"says yes to the right of it.*flip the signs"),
    (-2.0, 2.0, r"too gentle: at x = 0\.5 your neuron says 0\.731.*w ≤ -2 ln 19 ≈ -5\.89"),
    ("eight", 1.0, r"w: expected a number"),
])
def test_00_1_names_the_mistake(w, b, match):
    fails("00.1", w, b, match=match)


def test_00_2_reference_passes():
    assert exercises.check("00.2", reference("00.2")["make_inputs"])


shared = np.random.default_rng(0)


def one_generator_for_every_call(seed):
    return shared.normal(size=(5, 2, 3))


def seed_ignored(seed):
    return np.random.default_rng(0).normal(size=(5, 2, 3))


@pytest.mark.parametrize("answer, match", [
    (one_generator_for_every_call, r"two calls with seed 0 gave different numbers.*inside"),
    (seed_ignored, r"seeds 0 and 1 gave exactly the same numbers.*default_rng\(seed\)"),
    (lambda seed: np.random.default_rng(seed), r"returned the generator itself"),
    (lambda seed: np.random.default_rng(seed).normal(size=(2, 5, 3)),
     r"shape \(2, 5, 3\), expected \(5, 2, 3\) = \(T, B, X\)"),
    (lambda seed: np.zeros((5, 2, 3)), r"holds the same number 0 30 times"),
    (lambda: None, r"calling make_inputs raised TypeError"),
    (lambda seed: np.random.default_rng(seed).random((5, 2, 3)),
     r"no negative number.*rng\.normal"),
    (lambda seed: np.random.default_rng(seed).integers(0, 10, (5, 2, 3)), r"no negative number"),
    (lambda seed: np.random.default_rng(seed).normal(0.0, 5.0, (5, 2, 3)),
     r"spread \(standard deviation\) 4;.*without loc or scale"),
    (lambda seed: np.random.default_rng().normal(size=(5, 2, 3)),
     r"gave different numbers.*created without the seed"),
])
def test_00_2_names_the_mistake(answer, match):
    fails("00.2", answer, match=match)
