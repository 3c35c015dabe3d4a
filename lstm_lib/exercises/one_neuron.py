"""Checks for the exercises of notebook 01 · One neuron.

01.1  three gates by hand: weights and biases for AND, OR and NAND on the four corners
01.2  one correction by hand: the perceptron rule, written as a function
01.3  lift XOR into three dimensions: a new input, and a plane that separates the corners
"""

from __future__ import annotations

import numpy as np

from ..neuron import Perceptron
from . import NotYet, as_array, as_number, call, exercise, unfinished

CORNERS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])     # (4, 2)
A, B = CORNERS[:, 0] == 1, CORNERS[:, 1] == 1
GATES = {"AND": A & B, "OR": A | B, "NAND": ~(A & B)}                  # the truth tables
XOR = A ^ B


def _corner(k) -> str:
    return f"({CORNERS[k, 0]:g}, {CORNERS[k, 1]:g})"


def _word(yes) -> str:
    return "yes" if yes else "no"


@exercise("01.1", "three gates by hand")
def _(gate_weights) -> str:
    if unfinished(gate_weights):
        raise NotYet("gate_weights is still empty: fill in the attempt cell, run it, then run "
                     "this check again.")
    if not isinstance(gate_weights, dict):
        raise NotYet(f"gate_weights: expected a dict {{gate: (w1, w2, b)}}, got "
                     f"{type(gate_weights).__name__}.")
    weights = {}
    for gate in GATES:
        if gate not in gate_weights:
            raise NotYet(f"gate_weights has no entry for {gate!r}: keep the three keys of the "
                         "attempt cell.")
        entry = gate_weights[gate]
        if unfinished(entry) or (isinstance(entry, tuple | list)
                                 and any(map(unfinished, entry))):
            raise NotYet(f"gate_weights[{gate!r}] still holds `...`: write three numbers, "
                         "w1, w2 and b.")
        weights[gate] = as_array(entry, f"gate_weights[{gate!r}]", (3,), "(w1, w2, b)")
    for gate, truth in GATES.items():
        w, b = weights[gate][:2], weights[gate][2]
        z = CORNERS @ w + b                                     # (4,)
        says = z > 0
        wrong = np.flatnonzero(says != truth)
        if wrong.size == 0:
            continue
        k = wrong[0]
        detail = (f"{gate} with w = ({w[0]:g}, {w[1]:g}), b = {b:g}: at the corner "
                  f"{_corner(k)}, z = {z[k]:g}, so the neuron says {_word(says[k])}, but "
                  f"{gate} says {_word(truth[k])}")
        if len(wrong) > 1:
            detail += f" (and {len(wrong) - 1} more corner{'s' if len(wrong) > 2 else ''} wrong)"
        if z[k] == 0:
            detail += (". z = 0 counts as no: the neuron says yes only when z > 0, so keep "
                       "the line off the corners")
            flipped = {"NAND": "AND"}.get(gate)
            if flipped and np.allclose(weights[gate], -weights[flipped]):
                detail += (f"; flipping the signs of {flipped}'s numbers flips every answer "
                           "except those with z = 0 exactly")
        raise NotYet(detail + ".")
    return ("all three gates are right on all four corners. Each is one line across the "
            "square: AND cuts off the corner (1, 1), OR cuts off (0, 0), and NAND is AND with "
            "its yes side turned over. XOR would need the two diagonal corners on one side, "
            "and no line does that.")


# Cases for 01.2: (w, b, x, y), in 2 and 3 dimensions, wrong and right answers, and one
# point with z = 0 exactly (which the neuron answers with no).
UPDATE_CASES = [
    (np.zeros(2), 0.0, np.array([2.0, -1.0]), 1),              # z = 0: says no, should say yes
    (np.array([1.0, 0.5]), 0.2, np.array([1.0, 1.0]), 0),       # z = 1.7: says yes, should say no
    (np.array([1.0, 0.5]), 0.2, np.array([1.0, 1.0]), 1),       # already right: no change
    (np.array([1.0, -2.0, 0.5]), -0.5, np.array([0.5, 1.0, 2.0]), 0),   # right, z = -1
    (np.array([0.5, -1.0, 2.0]), 0.0, np.array([1.0, 2.0, 1.0]), 0),    # z = 0.5: wrong
    (np.array([1.0, 1.0]), -3.0, np.array([1.0, 1.0]), 0),     # w·x = 2 but z = -1: right
]


def _rule_by_library(w, b, x, y):
    neuron = Perceptron(len(w))
    neuron.w[:], neuron.b = w, b
    neuron.update(x, y)
    return neuron.w.copy(), neuron.b


@exercise("01.2", "one correction by hand")
def _(perceptron_update) -> str:
    for w, b, x, y in UPDATE_CASES:
        z = float(w @ x + b)
        y_hat = int(z > 0)
        step = y - y_hat
        got = call(perceptron_update, w.copy(), b, x.copy(), y, name="perceptron_update")
        if not isinstance(got, tuple | list) or len(got) != 2:
            raise NotYet("perceptron_update should return two things, the new weights and the "
                         f"new bias: `return w_new, b_new`. It returned {type(got).__name__}.")
        D = len(w)
        w_new = as_array(got[0], "w_new", (D,), "(D,)")
        b_new = as_number(got[1], "b_new")
        want_w, want_b = _rule_by_library(w, b, x, y)
        if np.allclose(w_new, want_w) and np.isclose(b_new, want_b):
            continue
        case = (f"for w = {w.tolist()}, b = {b:g}, x = {x.tolist()}, y = {y} (z = {z:g}, so "
                f"ŷ = {y_hat})")
        no_bias = y - int(w @ x > 0)
        if (no_bias != step and np.allclose(w_new, w + no_bias * x)
                and np.isclose(b_new, b + no_bias)):
            raise NotYet(f"{case} your ŷ seems to leave out the bias: the neuron answers from "
                         f"z = w·x + b = {z:g}, not from w·x = {float(w @ x):g}.")
        if step == 0:
            raise NotYet(f"{case} the neuron is already right, so the rule changes nothing; "
                         f"your function returned w = {w_new.tolist()}, b = {b_new:g}.")
        if z == 0 and np.allclose(w_new, w) and np.isclose(b_new, b):
            raise NotYet(f"{case} your function changed nothing. At z = 0 the neuron says no "
                         "(yes needs z > 0), so with y = 1 it was wrong and must be corrected.")
        if np.allclose(w_new, w - step * x):
            raise NotYet(f"{case} you moved w the wrong way: add (y − ŷ)·x = {(step * x).tolist()} "
                         "to w, do not subtract it.")
        if np.allclose(w_new, w) and np.isclose(b_new, b):
            verb = "add x to w and 1 to b" if step > 0 else "subtract x from w and 1 from b"
            also = " (a step of y·x would be zero here)" if y == 0 else ""
            raise NotYet(f"{case} your function changed nothing, but the neuron's answer is "
                         f"wrong, so the rule corrects it: y − ŷ = {step:+d}, so {verb}{also}.")
        if np.allclose(w_new, want_w):
            raise NotYet(f"{case} w is right, but b should become {want_b:g} (b + (y − ŷ)), "
                         f"not {b_new:g}.")
        raise NotYet(f"{case} the rule gives w = {want_w.tolist()}, b = {want_b:g}; your "
                     f"function returned w = {w_new.tolist()}, b = {b_new:g}.")
    w, b, x, y = UPDATE_CASES[0]
    w_new, b_new = _rule_by_library(w, b, x, y)
    rise = float((w_new @ x + b_new) - (w @ x + b))
    return (f"your rule agrees with ll.Perceptron.update on {len(UPDATE_CASES)} cases, in 2 "
            "and 3 dimensions, right answers (no change) and wrong ones. In the first case "
            f"the point's z rose by {rise:g} = |x|² + 1, toward its label.")


@exercise("01.3", "lift XOR into three dimensions")
def _(lift, w_lifted, b_lifted) -> str:
    lifted = as_array(call(lift, CORNERS.copy(), name="lift"), "lift(X_xor)", (4, 3), "(N, 3)")
    if not np.allclose(lifted[:, :2], CORNERS):
        raise NotYet("the first two columns of lift(X) should be x1 and x2 unchanged; the new "
                     "input goes in the third column.")
    points = np.random.default_rng(3).uniform(-1, 2, size=(6, 2))
    more = call(lift, points.copy(), name="lift")
    if np.shape(more) == (4, 3):
        raise NotYet("lift of 6 points returned 4 rows: your lift always works on the four "
                     "corners. Use its argument X, not the notebook's X_xor.")
    more = as_array(more, "lift of 6 points", (6, 3), "(N, 3)")
    if not np.allclose(more[:, :2], points):
        raise NotYet("on 6 other points the first two columns of lift(X) are not x1 and x2 "
                     "unchanged: build them from the argument X, whatever points it holds.")
    x3 = lifted[:, 2]
    affine = np.column_stack([CORNERS, np.ones(4)])             # x3 = a·x1 + c·x2 + d ?
    coef = np.linalg.lstsq(affine, x3, rcond=None)[0]
    if np.allclose(affine @ coef, x3):
        raise NotYet("your new input is a weighted sum of x1 and x2 (plus a constant), so the "
                     "four corners still lie on one flat plane in 3-D, and a plane cuts them no "
                     "better than a line did. The new input must bend: try a product.")
    w = as_array(w_lifted, "w_lifted", (3,), "(3,) one weight per input")
    b = as_number(b_lifted, "b_lifted")
    z = lifted @ w + b
    wrong = np.flatnonzero((z > 0) != XOR)
    if wrong.size:
        listed = "; ".join(f"{_corner(k)} → {np.round(lifted[k], 3).tolist()}: z = {z[k]:.3g}, "
                           f"says {_word(z[k] > 0)}, XOR says {_word(XOR[k])}" for k in wrong)
        raise NotYet(f"your lift is fine, but the plane w = {w.tolist()}, b = {b:g} gets "
                     f"{len(wrong)} corner{'s' if len(wrong) > 1 else ''} wrong: {listed}.")
    history = Perceptron(3).fit(lifted, XOR.astype(int), epochs=100, seed=0)
    found = (f" The perceptron rule finds such a plane on its own too, in {len(history) - 1} "
             "corrections." if history[-1].errors == 0 else "")
    return (f"with the new input taking the values {np.round(x3, 3).tolist()} at the four "
            f"corners, your plane puts both yes corners on one side and both no corners on the "
            f"other.{found} A well-chosen extra input made XOR separable; a layer of neurons can "
            "learn such inputs instead of you inventing them.")
