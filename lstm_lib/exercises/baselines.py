"""Checks for the exercises of notebook 07 (when to reach for an LSTM).

- 07.1 the missing column: "an X, then a Y on the next step, within the last w steps",
  written without a loop over time, against a plain loop and a changed future
- 07.2 average precision by hand, against scikit-learn and a worked example
- 07.3 predict: a forecast ten times too alarmed, scored by average precision and by
  log loss against the constant base rate
"""

from __future__ import annotations

import numpy as np

from .. import events as ev
from . import NotYet, as_array, as_number, call, exercise, unfinished

_N_TRAIN, _N_VAL, _N_TEST = 4_000, 3_000, 6_000      # the split of notebook 07, section 3


def _notebook_stream(order: float):
    """The stream of section 3 for one regime, and its (train, val, test) slices."""
    stream = ev.simulate(ev.WARMUP + _N_TRAIN + _N_VAL + _N_TEST, order=order, seed=0)
    return stream, ev.time_splits(_N_TRAIN, _N_VAL, _N_TEST, T=len(stream))


def _average_precision(y, score) -> float:
    from sklearn.metrics import average_precision_score

    return float(average_precision_score(y, score))


# --- 07.1 ------------------------------------------------------------------------------------

def _pattern_by_loop(first, second, window: int) -> np.ndarray:
    """1 at t if first[τ − 1] and second[τ] for some τ in [t − window + 1, t], τ ≥ 1."""
    out = np.zeros(len(first))
    for t in range(len(first)):
        for tau in range(max(t - window + 1, 1), t + 1):
            if first[tau - 1] and second[tau]:
                out[t] = 1.0
    return out


def _column(x_then_y, x, window: int) -> np.ndarray:
    got = call(x_then_y, x.copy(), window, name="x_then_y")
    column = as_array(got, f"x_then_y(x, window={window})", (len(x),), "(T,)")
    if not np.all((column == 0) | (column == 1)):
        big = float(column.max())
        hint = (f" Values up to {big:g}: that looks like a count of patterns; return "
                "1.0 where the count is above 0." if big > 1 and np.all(column == np.round(column))
                else "")
        raise NotYet(f"x_then_y(x, window={window}) should hold only 0 and 1 (did the pattern "
                     f"happen in the window or not?), got values such as "
                     f"{np.unique(column)[:5]}.{hint}")
    return column


def _reads_future(x_then_y, x, window: int) -> None:
    """NotYet if changing the rows after some step t moves the column at or before t."""
    X, Y = (x[:, ev.VARIABLES.index(name)] > 0 for name in ("X", "Y"))
    steps = [*np.flatnonzero(X[:-1] & Y[:-1])[:3], *np.flatnonzero(X[:-1] & ~Y[:-1])[:3],
             len(x) // 2, len(x) - 2]
    futures = (np.ones_like(x), np.zeros_like(x), ev.simulate(len(x), order=1.0, seed=99).x)
    before = _column(x_then_y, x, window)
    for t in steps:
        for future in futures:
            changed = x.copy()
            changed[t + 1:] = future[t + 1:]
            moved = np.flatnonzero(before[:t + 1] != _column(x_then_y, changed, window)[:t + 1])
            if moved.size and moved.max() < window <= t:
                raise NotYet(f"changing the end of the stream changed your column at step "
                             f"{moved[0]}, at the very start: did np.roll wrap the last step "
                             "round to step 0? Nothing comes before step 0, so no pattern can "
                             "close there.")
            if moved.size:
                raise NotYet(f"your column reads the future: changing only the rows after step "
                             f"{t} changed it at step {moved[-1]}, which is not after {t}. Two "
                             "places can look ahead: each mark belongs at the step of the Y, "
                             "with the X one step *before* it (X[:-1] with Y[1:]); and the "
                             "window must end at step t (np.convolve with mode='same' centres "
                             "it on t instead).")


def _first_difference(got, want, X, Y) -> str:
    t = int(np.flatnonzero(got != want)[0])
    lo = max(t - 5, 0)
    return (f"at step {t} you give {got[t]:g}, a plain loop gives {want[t]:g} (steps {lo}..{t}: "
            f"X = {X[lo:t + 1].astype(int).tolist()}, Y = {Y[lo:t + 1].astype(int).tolist()})")


@exercise("07.1", "the missing column: X, then Y")
def _(x_then_y) -> str:
    x = ev.simulate(3_000, order=1.0, seed=7).x
    X, Y = x[:, ev.VARIABLES.index("X")] > 0, x[:, ev.VARIABLES.index("Y")] > 0
    window = 4
    got = _column(x_then_y, x, window)
    _reads_future(x_then_y, x, window)
    want = _pattern_by_loop(X, Y, window)
    if not np.array_equal(got, want):
        wrong = np.flatnonzero(got != want)
        if np.array_equal(got, _pattern_by_loop(Y, X, window)):
            raise NotYet("you mark a Y followed by an X, the harmless order. The dangerous one "
                         "is an X at step τ − 1 and a Y at step τ.")
        if np.array_equal(got, ev.rolling((X & Y)[:, None] * 1.0, window, "max")[:, 0]):
            raise NotYet("you mark an X and a Y at the same step. The pattern is an X, then a "
                         "Y on the next step: X at τ − 1, Y at τ.")
        if np.array_equal(got, np.maximum.accumulate(want)):
            raise NotYet(f"your column stays at 1 from the first pattern on: it looks at every "
                         f"step so far, not only the last {window}. Count the marks in steps "
                         f"t − {window - 1} to t, a difference of two cumulative sums.")
        ends_early = np.zeros(len(x))
        ends_early[1:] = want[:-1]
        if np.array_equal(got, ends_early):
            raise NotYet(f"your window ends one step early, at t − 1, so a pattern closing at "
                         f"step t itself is missed: the window holds steps t − {window - 1} to "
                         "t, step t included.")
        for w in (window - 1, window + 1):
            if np.array_equal(got, _pattern_by_loop(X, Y, w)):
                raise NotYet(f"your window holds {w} steps, not {window}: the pattern may close "
                             f"at any step τ with t − {window} < τ ≤ t, {window} steps in all.")
        if wrong.max() < window:
            raise NotYet("your column is right except at the very start, "
                         + _first_difference(got, want, X, Y)
                         + ". Step 0 has no step before it: did np.roll wrap the end of the "
                           "stream round to the start, or a window reach below step 0?")
        raise NotYet(f"your column differs from a plain loop at {wrong.size} of {len(x)} steps; "
                     f"first {_first_difference(got, want, X, Y)}.")
    for w in (1, 7):
        if not np.array_equal(_column(x_then_y, x, w), _pattern_by_loop(X, Y, w)):
            raise NotYet(f"right for window=4, but not for window={w}: does your code use the "
                         "`window` argument, or is 4 written into it?")
    stream, (_, _, test) = _notebook_stream(1.0)
    column = _column(x_then_y, stream.x, window)
    ap_column = _average_precision(stream.y[test], column[test])
    ap_hazard = _average_precision(stream.y[test], stream.p[test])
    return (f"your column matches a plain loop for windows 1, 4 and 7 and is unchanged by a "
            f"different future. On regime B's test steps this one column scores an average "
            f"precision of {ap_column:.3f}, the true hazard {ap_hazard:.3f}: it says exactly what "
            "the hazard depends on. The summary models stalled because nobody wrote it; once "
            "written, a table holds this memory too.")


# --- 07.2 ------------------------------------------------------------------------------------

def _ap_cases():
    """(y, score, what) cases with all scores different; the last is rare positives."""
    rng = np.random.default_rng(72)
    cases = [(np.array([1.0, 0, 1, 0, 0]), np.array([0.9, 0.8, 0.7, 0.1, 0.2]),
              "y = [1, 0, 1, 0, 0], score = [0.9, 0.8, 0.7, 0.1, 0.2]")]
    y = (rng.random(40) < 0.3).astype(float)
    y[:2] = 1.0
    cases.append((y, rng.random(40) + 0.5 * y, "40 steps, 30% positives"))
    y = (rng.random(3_000) < 0.03).astype(float)
    cases.append((y, rng.normal(size=3_000) + 1.5 * y, "3,000 steps, 3% positives"))
    return cases


def _ap_mistake(got, y, score) -> str | None:
    """A sentence naming the likely mistake that gives ``got``, or None."""
    order = np.argsort(-score)
    hits = y[order]
    ranks = np.arange(1, len(y) + 1)
    precision = np.cumsum(hits) / ranks
    flipped = y[np.argsort(score)]
    guesses = {
        "you ranked from the lowest score up; rank from the highest down (np.argsort(-score) "
        "or reverse np.argsort(score))":
            np.mean((np.cumsum(flipped) / ranks)[flipped == 1]),
        "you averaged the precision over every rank; average it only at the ranks where a "
        "positive is reached":
            precision.mean(),
        "you divided by the number of steps; average over the positives only":
            precision[hits == 1].sum() / len(y),
        "you took recall (positives so far over all positives) where precision is meant "
        "(positives so far over the rank)":
            np.mean((np.cumsum(hits) / hits.sum())[hits == 1]),
        "you averaged the precision at the negatives; take it at the positives":
            precision[hits == 0].mean(),
    }
    for sentence, value in guesses.items():
        if np.isclose(got, value, rtol=1e-9, atol=1e-12):
            return sentence
    return None


@exercise("07.2", "average precision by hand")
def _(average_precision) -> str:
    for y, score, what in _ap_cases():
        got = call(average_precision, y.copy(), score.copy(), name="average_precision")
        if unfinished(got):
            raise NotYet("average_precision still returns `...`: write your code for `ap` "
                         "in the attempt cell, run it, then run this check again.")
        got = as_number(got, "average_precision(y, score)")
        want = _average_precision(y, score)
        if not np.isclose(got, want, rtol=1e-9, atol=1e-12):
            mistake = _ap_mistake(got, y, score)
            detail = f": {mistake}" if mistake else ""
            raise NotYet(f"for {what} you give {got:.6g}, scikit-learn's average_precision_score "
                         f"gives {want:.6g}{detail}.")
    stream, (_, _, test) = _notebook_stream(0.0)
    y = stream.y[test]
    noise = np.random.default_rng(0).random(len(y))
    ap_random = float(average_precision(y, noise))
    ap_hazard = float(average_precision(y, stream.p[test]))
    return (f"matches scikit-learn (and 0.8333 = (1/1 + 2/3)/2 for the worked example). On "
            f"regime A's test steps, random scores get {ap_random:.3f} for a base rate of "
            f"{y.mean():.3f}, the true hazard {ap_hazard:.3f}. A random ranking finds failures as "
            "often as they occur, so its precision sits near the base rate at every rank. ROC AUC "
            "would give it 0.5 however rare the failures; average precision's floor falls with "
            "the rarity, so read it against the base rate.")


# --- 07.3 ------------------------------------------------------------------------------------

_ALARM = 10.0                                        # 07.3 multiplies the odds by this


def _alarmed(p) -> np.ndarray:
    """The probability whose odds are _ALARM times those of p: p' / (1 − p') = 10 p / (1 − p)."""
    return _ALARM * p / (1 - p + _ALARM * p)


@exercise("07.3", "ranking versus calibration")
def _(ap_alarmed, beats_base_rate) -> str:
    from sklearn.metrics import log_loss

    stream, (train, _, test) = _notebook_stream(0.0)
    y, p = stream.y[test], stream.p[test]
    ap_true = _average_precision(y, p)
    ap_new = _average_precision(y, _alarmed(p))
    loss_new = float(log_loss(y, _alarmed(p), labels=[0, 1]))
    loss_true = float(log_loss(y, p, labels=[0, 1]))
    loss_base = float(log_loss(y, np.full(len(y), stream.y[train].mean()), labels=[0, 1]))
    guess = as_number(ap_alarmed, "ap_alarmed", 0, 1)
    if abs(guess - ap_new) > 0.02:
        lower = " A forecast that is wrong about every probability can still rank perfectly."
        raise NotYet(f"ap_alarmed = {guess:g}, but it is {ap_new:.3f}, exactly the true hazard's "
                     f"{ap_true:.3f}. Multiplying the odds by {_ALARM:g} raises every step's "
                     "forecast while keeping their order, and average precision reads only the "
                     f"order.{lower if guess < ap_new else ''}")
    if unfinished(beats_base_rate):
        raise NotYet("ap_alarmed is right; beats_base_rate is still `...`: write True or False, "
                     "then run the cell again.")
    if not isinstance(beats_base_rate, bool | np.bool_):
        raise NotYet(f"beats_base_rate: expected True or False, got {beats_base_rate!r}")
    if beats_base_rate:
        mean_new = float(_alarmed(p)[y == 0].mean())
        raise NotYet(f"ap_alarmed is right, but its log loss is {loss_new:.3f}, worse than the "
                     f"{loss_base:.3f} of always predicting the base rate. On the "
                     f"{1 - y.mean():.0%} of steps with no failure it still claims a "
                     f"{mean_new:.0%} risk on average and pays −log(1 − p) for it every time; "
                     "the rare failures it foresaw better cannot pay that back.")
    return (f"average precision {ap_new:.3f}, the same as the true hazard's, yet a log loss of "
            f"{loss_new:.3f} against {loss_true:.3f} for the hazard and {loss_base:.3f} for the "
            "constant base rate. Average precision judges the ranking only, log loss also the "
            "probabilities: a perfectly ordered but overconfident forecast loses to knowing "
            "nothing. That is why section 3 reports both.")
