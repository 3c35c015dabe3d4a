"""Checks for the exercises of notebook 00 · Start here.

00.1  design a switch: choose w and b for a neuron that says yes left of x = 1, and surely
00.2  same seed, same numbers: a function that draws repeatable random inputs
"""

from __future__ import annotations

import numpy as np

from ..activations import sigmoid
from . import NotYet, as_array, as_number, call, exercise

SURE = 0.95                         # how sure the switch must be, half a unit from x = 1
STEEPEST_NEEDED = 2 * np.log(SURE / (1 - SURE))    # |w| ≥ 2 ln 19 ≈ 5.89 gives σ ≥ 0.95


@exercise("00.1", "design a switch")
def _(w, b) -> str:
    w = as_number(w, "w")
    b = as_number(b, "b")
    if w == 0:
        raise NotYet(f"with w = 0 the neuron ignores x and says σ(b) = {sigmoid(b):.3f} "
                     "everywhere: there is no switch. Give w a value.")
    threshold = -b / w
    if abs(threshold - 1) > 1e-9:
        if abs(threshold + 1) <= 1e-9:
            raise NotYet("your neuron switches at x = -1, not 1: the sign of b is flipped. "
                         "It switches where w·x + b = 0, so at x = 1 you need b = -w.")
        shown = f"{threshold:.4g}" if abs(threshold - 1) >= 1e-3 else f"{threshold:.10g}"
        raise NotYet(f"your neuron switches at x = {shown}, not at 1. It switches "
                     f"where w·x + b = 0; for that to happen at x = 1 with your w, b must "
                     f"be {-w:g}.")
    left, right = sigmoid(0.5 * w + b), sigmoid(1.5 * w + b)
    if w > 0:
        raise NotYet(f"the threshold is right, but with w = {w:g} > 0 the neuron says yes to "
                     f"the right of it (σ = {right:.3f} at x = 1.5). A negative w puts the yes "
                     "side on the left: flip the signs of both w and b.")
    if left < SURE:
        raise NotYet(f"the threshold and the side are right, but the switch is too gentle: at "
                     f"x = 0.5 your neuron says {left:.3f}, below {SURE}. Make w steeper (more "
                     f"negative) and keep b = -w; you need w ≤ -2 ln 19 ≈ {-STEEPEST_NEEDED:.2f}.")
    return (f"your neuron switches at x = 1 and says {left:.3f} at x = 0.5 and {right:.3f} at "
            f"x = 1.5. The threshold fixes only the ratio b/w = -1; the size of w sets how "
            f"sure it is, and any w ≤ {-STEEPEST_NEEDED:.2f} (with b = -w) is sure enough.")


T, B, X = 5, 2, 3


@exercise("00.2", "same seed, same numbers")
def _(make_inputs) -> str:
    first = call(make_inputs, 0, name="make_inputs")
    if isinstance(first, np.random.Generator):
        raise NotYet("make_inputs(0) returned the generator itself. Draw the numbers from "
                     f"it and return those: rng.normal(size=({T}, {B}, {X})).")
    first = as_array(first, "make_inputs(0)", (T, B, X), "(T, B, X)")
    if np.ptp(first) == 0:
        raise NotYet(f"make_inputs(0) holds the same number {first.flat[0]:g} {T * B * X} "
                     "times. Draw random numbers from your generator: rng.normal(size=...).")
    if np.all(first >= 0):
        raise NotYet(f"make_inputs(0) holds no negative number, yet about half of {T * B * X} "
                     "standard normal numbers fall below 0: rng.random and rng.integers draw "
                     "from other ranges. Draw them with rng.normal(size=...).")
    if abs(first.mean()) > 1 or not 0.4 < first.std() < 2:
        raise NotYet(f"make_inputs(0) has mean {first.mean():.2g} and spread (standard "
                     f"deviation) {first.std():.2g}; standard normal numbers have mean 0 and "
                     "spread 1. Call rng.normal(size=...) without loc or scale.")
    again = as_array(call(make_inputs, 0, name="make_inputs"), "make_inputs(0), called again",
                     (T, B, X), "(T, B, X)")
    if not np.array_equal(first, again):
        raise NotYet("two calls with seed 0 gave different numbers. A generator created once "
                     "outside the function, one created without the seed (default_rng() with "
                     "empty brackets), or np.random.normal keeps giving new numbers from call "
                     "to call; create a new one inside, from the seed: "
                     "rng = np.random.default_rng(seed).")
    other = as_array(call(make_inputs, 1, name="make_inputs"), "make_inputs(1)", (T, B, X),
                     "(T, B, X)")
    if np.array_equal(first, other):
        raise NotYet("seeds 0 and 1 gave exactly the same numbers, so your generator ignores "
                     "the seed it is given. Pass it on: rng = np.random.default_rng(seed).")
    return ("the same seed gives the same 30 numbers on every call, and another seed other "
            "numbers. Inputs made this way, like the LSTM's seeded weights, come out the same "
            "every time the notebook runs, and so does everything computed from them, such as "
            "the LSTM's outputs hs.")
