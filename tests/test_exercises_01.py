"""The checks of notebook 01's exercises: the reference solutions pass, typical mistakes
fail with a sentence that names the mistake."""

from functools import partial

import numpy as np
import pytest
from notebook_exercises import ROOT, fails, solved

from lstm_lib import exercises

NOTEBOOK = ROOT / "notebooks" / "01_one_neuron.ipynb"
CORNERS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])


reference = partial(solved, NOTEBOOK)


# 01.1 · three gates by hand

def test_01_1_reference_passes():
    gates = reference("01.1")["gate_weights"]
    assert exercises.check("01.1", gates)
    for name, truth in {"AND": [0, 0, 0, 1], "OR": [0, 1, 1, 1], "NAND": [1, 1, 1, 0]}.items():
        z = CORNERS @ np.array(gates[name][:2]) + gates[name][2]
        assert np.array_equal((z > 0).astype(int), truth)
        assert np.abs(z).min() == 0.5                           # "half a unit away"


GOOD = {"AND": (1.0, 1.0, -1.5), "OR": (1.0, 1.0, -0.5), "NAND": (-1.0, -1.0, 1.5)}


@pytest.mark.parametrize("change, match", [
    ({"OR": (1.0, 1.0, -1.5)}, r"OR with w = \(1, 1\), b = -1\.5: at the corner \(0, 1\), z = "
                               r"-0\.5, so the neuron says no, but OR says yes \(and 1 more"),
    ({"AND": (1.0, 1.0, -1.0), "NAND": (-1.0, -1.0, 1.0)},
     r"NAND .* z = 0, so the neuron says no, but NAND says yes.*z = 0 counts as no.*flipping "
     r"the signs of AND's numbers"),
    ({"NAND": (1.0, 1.0, -1.5)}, r"NAND .* at the corner \(0, 0\).*says no, but NAND says yes "
                                 r"\(and 3 more corners wrong\)"),
    ({"AND": (1.0, 1.0, ...)}, r"gate_weights\['AND'\] still holds `\.\.\.`"),
    ({"AND": (1.0, -1.5)}, r"gate_weights\['AND'\] has shape \(2,\), expected \(3,\)"),
])
def test_01_1_names_the_mistake(change, match):
    fails("01.1", {**GOOD, **change}, match=match)


def test_01_1_wants_the_dict():
    fails("01.1", {"AND": (1.0, 1.0, -1.5)}, match=r"no entry for 'OR'")
    fails("01.1", [1.0, 1.0, -1.5], match=r"expected a dict")


# 01.2 · one correction by hand

def test_01_2_reference_passes_and_its_numbers_hold():
    update = reference("01.2")["perceptron_update"]
    assert exercises.check("01.2", update)
    w, b, x = np.zeros(2), 0.0, np.array([2.0, -1.0])
    w_new, b_new = update(w, b, x, 1)
    assert np.array_equal(w_new, [2.0, -1.0]) and b_new == 1.0
    assert w_new @ x + b_new == 6.0 == x @ x + 1 and np.array_equal(w, [0.0, 0.0])


def z_zero_says_yes(w, b, x, y):
    y_hat = int(w @ x + b >= 0)
    return w + (y - y_hat) * x, b + (y - y_hat)


def wrong_sign(w, b, x, y):
    y_hat = int(w @ x + b > 0)
    return w - (y - y_hat) * x, b - (y - y_hat)


def label_not_error(w, b, x, y):
    y_hat = int(w @ x + b > 0)
    if y_hat == y:
        return w, b
    return w + y * x, b + y


def forgot_bias(w, b, x, y):
    y_hat = int(w @ x + b > 0)
    return w + (y - y_hat) * x, b


def always_nudges(w, b, x, y):
    return w + (2 * y - 1) * x, b + (2 * y - 1)


def returns_only_w(w, b, x, y):
    return w + x


@pytest.mark.parametrize("answer, match", [
    (z_zero_says_yes, r"z = 0, so ŷ = 0\) your function changed nothing\. At z = 0 the neuron "
                      r"says no"),
    (wrong_sign, r"you moved w the wrong way: add \(y − ŷ\)·x"),
    (label_not_error, r"changed nothing, but the neuron's answer is wrong.*y − ŷ = -1, so "
                      r"subtract x from w and 1 from b \(a step of y·x would be zero here\)"),
    (forgot_bias, r"w is right, but b should become 1 \(b \+ \(y − ŷ\)\), not 0"),
    (always_nudges, r"y = 1 \(z = 1\.7, so ŷ = 1\) the neuron is already right, so the rule "
                    r"changes nothing"),
    (returns_only_w, r"should return two things"),
])
def test_01_2_names_the_mistake(answer, match):
    fails("01.2", answer, match=match)


def test_01_2_catches_an_answer_that_leaves_out_the_bias():
    def answer_without_bias(w, b, x, y):
        y_hat = int(w @ x > 0)
        return w + (y - y_hat) * x, b + (y - y_hat)

    fails("01.2", answer_without_bias, match=r"y = 0 \(z = -1, so ŷ = 0\) your ŷ seems to leave "
                                             r"out the bias: .*z = w·x \+ b = -1, not from w·x = 2")


def test_01_2_catches_a_function_that_only_works_in_two_dimensions():
    def two_d_only(w, b, x, y):
        y_hat = int(w[0] * x[0] + w[1] * x[1] + b > 0)
        return w + (y - y_hat) * x, b + (y - y_hat)

    fails("01.2", two_d_only, match=r"x = \[1\.0, 2\.0, 1\.0\], y = 0 \(z = 0\.5, so ŷ = 1\) "
                                    r"your function changed nothing")


# 01.3 · lift XOR into three dimensions

def test_01_3_reference_passes_and_its_numbers_hold():
    ref = reference("01.3")
    assert exercises.check("01.3", ref["lift"], ref["w_lifted"], ref["b_lifted"])
    z = ref["lift"](CORNERS) @ ref["w_lifted"] + ref["b_lifted"]
    assert np.allclose(z, [-0.5, 0.5, 0.5, -0.5])
    # any other bending input works too, with a plane to match
    square = exercises.check("01.3", lambda X: np.column_stack([X, (X[:, 0] - X[:, 1]) ** 2]),
                             np.array([0.0, 0.0, 1.0]), -0.5)
    assert square, repr(square)


def stack(x3):
    return lambda X: np.column_stack([X, x3(X)])


@pytest.mark.parametrize("lift, w, b, match", [
    (stack(lambda X: X[:, 0] + X[:, 1]), [1.0, 1.0, -2.0], -0.5,
     r"a weighted sum of x1 and x2 .* try a product"),
    (stack(lambda X: np.ones(len(X))), [1.0, 1.0, -2.0], -0.5, r"a weighted sum of x1 and x2"),
    (stack(lambda X: X[:, 0] * X[:, 1]), [1.0, 1.0, 2.0], -0.5,
     r"your lift is fine, but the plane .* gets 1 corner wrong: \(1, 1\) → \[1\.0, 1\.0, 1\.0\]: "
     r"z = 3\.5, says yes, XOR says no"),
    (lambda X: np.column_stack([X[:, 0] * X[:, 1], X]), [1.0, 1.0, -2.0], -0.5,
     r"first two columns of lift\(X\) should be x1 and x2"),
    (lambda X: np.column_stack([X[:, 0] * X[:, 1], X]).T, [1.0, 1.0, -2.0], -0.5,
     r"shape \(3, 4\), expected \(4, 3\) = \(N, 3\)\. Did you transpose"),
    (lambda X: np.array([[0, 0, 0], [0, 1, 0], [1, 0, 0], [1, 1, 1.0]]), [1.0, 1.0, -2.0], -0.5,
     r"lift of 6 points returned 4 rows: your lift always works on the four corners"),
    (stack(lambda X: X[:, 0] * X[:, 1]), [1.0, 1.0], -0.5, r"w_lifted has shape \(2,\)"),
    (stack(lambda X: X[:, 0] * X[:, 1]), ..., ..., r"w_lifted is still `\.\.\.`"),
])
def test_01_3_names_the_mistake(lift, w, b, match):
    fails("01.3", lift, w, b, match=match)


X_XOR = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])


@pytest.mark.parametrize("lift, match", [
    (lambda X: np.column_stack([X_XOR, X_XOR[:, 0] * X_XOR[:, 1]]),
     r"returned 4 rows.*not the notebook's X_xor"),
    (lambda X: np.column_stack([X.round(), X[:, 0] * X[:, 1]]),
     r"on 6 other points the first two columns"),
])
def test_01_3_wants_a_lift_of_any_points(lift, match):
    fails("01.3", lift, [1.0, 1.0, -2.0], -0.5, match=match)
