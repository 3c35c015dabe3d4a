"""The checks of notebook 07's exercises: the reference solutions pass, and the likely
wrong answers fail with a sentence that names the mistake."""

import re

import numpy as np
import pytest
from notebook_exercises import ROOT, fails, solved
from sklearn.metrics import average_precision_score

import lstm_lib as ll
from lstm_lib import exercises

NOTEBOOK = ROOT / "notebooks" / "07_when_to_reach_for_one.ipynb"
ev = ll.events


def section_3_stream(order):
    """The regime's stream and test steps exactly as notebook 07 builds them."""
    stream = ev.simulate(ev.WARMUP + 4_000 + 3_000 + 6_000, order=order, seed=0)
    return stream, ev.time_splits(4_000, 3_000, 6_000, T=len(stream))[2]


def solutions() -> dict:
    """Every name the notebook's reference solutions define; the ladder of section 3 is
    stood in for by the one number 07.3 reads from it."""
    stream, test = section_3_stream(0.0)
    oracle = average_precision_score(stream.y[test], stream.p[test])
    return solved(NOTEBOOK, ev=ev, ladder={"A": {"oracle": oracle}})


SOLVED = solutions()


@pytest.mark.parametrize("number, names", [("07.1", ["x_then_y"]),
                                           ("07.2", ["average_precision"]),
                                           ("07.3", ["ap_alarmed", "beats_base_rate"])])
def test_reference_solutions_pass(number, names):
    verdict = exercises.check(number, *(SOLVED[n] for n in names))
    assert verdict, verdict


# 07.1: the column, built a second way here (ev.rolling over the marks) for the variants.

def column(x, window=4, *, first="X", second="Y", shift=1, stat="max"):
    a, b = (x[:, ev.VARIABLES.index(name)] for name in (first, second))
    marks = np.zeros(len(x))
    if shift == 1:
        marks[1:] = a[:-1] * b[1:]
    elif shift == 0:
        marks = a * b
    else:                                               # shift -1: the Y one step ahead
        marks[:-1] = a[:-1] * b[1:]
    return ev.rolling(marks[:, None], window, stat)[:, 0]


def test_the_column_is_the_regime_b_danger_and_the_payoff_says_so():
    stream, _ = section_3_stream(1.0)
    assert np.array_equal(SOLVED["x_then_y"](stream.x) > 0, ev.order_danger(stream.x))
    verdict = exercises.check("07.1", SOLVED["x_then_y"])
    first, second = re.findall(r"precision of (\d\.\d+), the true hazard (\d\.\d+)",
                               verdict.message)[0]
    assert first == second


@pytest.mark.parametrize("wrong, match", [
    (lambda x, window=4: column(x, window, first="Y", second="X"), r"Y followed by an X"),
    (lambda x, window=4: column(x, window, shift=0), r"X and a Y at the same step"),
    (lambda x, window=4: column(x, window, shift=-1), r"reads the future: changing only the rows"),
    (lambda x, window=4: column(x, window + 1), r"window holds 5 steps, not 4"),
    (lambda x, window=4: column(x, window - 1), r"window holds 3 steps, not 4"),
    (lambda x, window=4: column(x, 4), r"not for window=1: does your code use the `window`"),
    (lambda x, window=4: column(x, window, stat="count"), r"count of patterns; return 1\.0"),
    (lambda x, window=4: column(x, window)[:, None], r"shape \(3000, 1\), expected \(3000,\)"),
])
def test_x_then_y_names_the_mistake(wrong, match):
    fails("07.1", wrong, match=match)


def test_x_then_y_catches_np_roll_wrapping_round():
    def rolled(x, window=4):
        X, Y = (x[:, ev.VARIABLES.index(name)] for name in ("X", "Y"))
        return ev.rolling((np.roll(X, 1) * Y)[:, None], window, "max")[:, 0]

    fails("07.1", rolled, match=r"np\.roll wrap the last step round to step 0")


def test_x_then_y_reports_the_first_differing_step_otherwise():
    def noisy(x, window=4):
        out = column(x, window)
        out[1_500] = 1 - out[1_500]
        return out

    fails("07.1", noisy, match=r"differs from a plain loop at 1 of 3000 steps; first at step "
                               r"1500 you give")


def test_untouched_x_then_y_says_what_to_do():
    def untouched(x, window=4):
        return ...

    fails("07.1", untouched, match=r"still `...`: replace the `...`")
    fails("07.2", lambda y, score: ..., match=r"still returns `...`: write your code for `ap`")
    fails("07.1", ..., match=r"no answer yet")


# 07.2: against scikit-learn, with the worked example's 5/6 by hand.

def ranked(y, score):
    hits = y[np.argsort(-score)]
    return hits, np.cumsum(hits) / np.arange(1, len(y) + 1)


@pytest.mark.parametrize("wrong, match", [
    (lambda y, s: ranked(y, -s)[1][ranked(y, -s)[0] == 1].mean(), r"ranked from the lowest"),
    (lambda y, s: ranked(y, s)[1].mean(), r"averaged the precision over every rank"),
    (lambda y, s: ranked(y, s)[1][ranked(y, s)[0] == 1].sum() / len(y),
     r"divided by the number of steps"),
    (lambda y, s: ranked(y, s)[1][ranked(y, s)[0] == 0].mean(), r"precision at the negatives"),
    (lambda y, s: (np.cumsum(ranked(y, s)[0]) / y.sum())[ranked(y, s)[0] == 1].mean(),
     r"took recall"),
    (lambda y, s: 0.5, r"you give 0\.5, scikit-learn's average_precision_score gives 0\.833333"),
])
def test_average_precision_names_the_mistake(wrong, match):
    fails("07.2", wrong, match=match)


def test_average_precision_worked_example_is_five_sixths():
    y, score = np.array([1.0, 0, 1, 0, 0]), np.array([0.9, 0.8, 0.7, 0.1, 0.2])
    assert np.isclose(SOLVED["average_precision"](y, score), (1 / 1 + 2 / 3) / 2)
    assert "random scores get 0.0" in exercises.check("07.2", SOLVED["average_precision"]).message


# 07.3: the alarmed forecast, recomputed here from its definition.

def test_alarmed_forecast_ranks_like_the_hazard_but_loses_on_log_loss():
    from sklearn.metrics import log_loss

    stream, test = section_3_stream(0.0)
    y, p = stream.y[test], stream.p[test]
    odds = 10 * p / (1 - p)
    alarmed = odds / (1 + odds)
    assert np.isclose(average_precision_score(y, alarmed), average_precision_score(y, p))
    train = ev.time_splits(4_000, 3_000, 6_000, T=len(stream))[0]
    constant = np.full(len(y), stream.y[train].mean())
    assert log_loss(y, alarmed) > log_loss(y, constant) > log_loss(y, p)
    oracle = SOLVED["ap_alarmed"]
    assert exercises.check("07.3", oracle + 0.015, False)     # within the tolerance


@pytest.mark.parametrize("answer, match", [
    ((0.1, False), r"ap_alarmed = 0\.1, but it is 0\.41\d.*reads only the order\. A forecast"),
    ((0.9, False), r"ap_alarmed = 0\.9, but it is 0\.41\d"),
    ((None, False), r"write your answer as a number"),
    ((1.5, False), r"between 0 and 1, got 1\.5"),
])
def test_alarmed_average_precision_mistakes(answer, match):
    fails("07.3", *answer, match=match)


def test_alarmed_log_loss_mistakes():
    ap = SOLVED["ap_alarmed"]
    fails("07.3", ap, True, match=r"log loss is 0\.1\d+, worse than the 0\.13\d of always")
    fails("07.3", ap, ..., match=r"beats_base_rate is still `...`: write True or False")
    fails("07.3", ap, "no", match=r"expected True or False, got 'no'")


# Added in review: a forgotten window, a window that ends at t − 1, a centred window.

def marks(x):
    X, Y = (x[:, ev.VARIABLES.index(name)] for name in ("X", "Y"))
    out = np.zeros(len(x))
    out[1:] = X[:-1] * Y[1:]
    return out


@pytest.mark.parametrize("wrong, match", [
    (lambda x, window=4: (np.cumsum(marks(x)) > 0) * 1.0, r"stays at 1 from the first pattern"),
    (lambda x, window=4: (np.concatenate([[0.0], np.cumsum(marks(x))])[np.arange(len(x))]
                          - np.concatenate([[0.0], np.cumsum(marks(x))])[
                              np.maximum(np.arange(len(x)) - window, 0)] > 0) * 1.0,
     r"window ends one step early, at t − 1"),
    (lambda x, window=4: (np.convolve(marks(x), np.ones(window), "same") > 0) * 1.0,
     r"reads the future.*mode='same' centres it"),
])
def test_x_then_y_names_window_mistakes(wrong, match):
    fails("07.1", wrong, match=match)


def test_x_then_y_accepts_a_causal_convolution_and_booleans():
    assert exercises.check("07.1", lambda x, window=4:
                           np.convolve(marks(x), np.ones(window))[:len(x)] > 0)
