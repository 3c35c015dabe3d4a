"""The checks of notebook 08's exercises: the reference solutions pass, and the likely
wrong answers fail with a sentence that names the mistake."""


import numpy as np
import pytest
from notebook_exercises import ROOT, fails, solved

from lstm_lib import exercises

NOTEBOOK = ROOT / "notebooks" / "08_real_text.ipynb"


SOLVED = solved(NOTEBOOK)


def stand_in_probabilities(n=4_000, seed=8):
    """Stand-ins for section 6's lstm_p and ngram_p: probabilities of the true next
    character at the same positions, the n-gram better on most of them."""
    rng = np.random.default_rng(seed)
    return rng.uniform(0.01, 0.9, n), rng.uniform(0.05, 0.95, n)


LSTM_P, NGRAM_P = stand_in_probabilities()


def test_reference_solutions_pass():
    assert exercises.check("08.1", SOLVED["bpc_from_probs"])
    assert exercises.check("08.2", SOLVED["with_temperature"])
    assert exercises.check("08.3", SOLVED["tune_mixture"], LSTM_P, NGRAM_P)


# 08.1

def test_bpc_worked_example_is_two_bits_by_hand():
    probs = np.full((4, 4), 0.25)
    probs[0, 1], probs[1, 2], probs[2, 1] = 1 / 2, 1 / 4, 1 / 8
    assert np.isclose(SOLVED["bpc_from_probs"](probs, np.array([0, 1, 2, 1])), 2.0)


def picked(probs, ids):
    return probs[np.arange(len(ids) - 1), ids[1:]]


@pytest.mark.parametrize("wrong, match", [
    (lambda p, i: -np.log2(p[np.arange(len(i)), i]).mean(), r"character it had just read"),
    (lambda p, i: -np.log(picked(p, i)).mean(), r"in nats: you used the natural logarithm"),
    (lambda p, i: np.log2(picked(p, i)).mean(), r"the sign is wrong"),
    (lambda p, i: -np.log2(picked(p, i)).sum(), r"you summed over the characters"),
    (lambda p, i: -np.log2(p[:-1, i[1:]]).mean(), r"picks a \(T − 1, T − 1\) table"),
    (lambda p, i: -np.log2(p[np.arange(len(i)), np.roll(i, -1)]).mean(), r"np\.roll wraps"),
    (lambda p, i: 3.0, r"you give 3 bits per character, the answer is 2"),
])
def test_bpc_names_the_mistake(wrong, match):
    fails("08.1", wrong, match=match)


def test_bpc_on_the_model_is_checked_too():
    def right_on_toys_only(probs, ids):
        return 2.0 if len(ids) == 4 else 1.0

    fails("08.1", right_on_toys_only, match=r"for the shipped model on a snippet you give 1 bits")


# 08.2

def plain_power(p, tau):
    q = p ** (1 / tau)
    return q / q.sum()


@pytest.mark.parametrize("wrong, match", [
    (plain_power, r"with_temperature\(p, 0\.001\) .* holds NaN.*underflows"),
    (lambda p, tau: p ** (1 / tau), r"adds up to 0\.\d+, not 1: divide by the sum"),
    (lambda p, tau: plain_power(p, 1 / tau), r"raised p to the power τ; it is 1/τ"),
    (lambda p, tau: (p / tau) / (p / tau).sum(), r"your result equals p"),
    (lambda p, tau: np.exp(p / tau) / np.exp(p / tau).sum(), r"treated the probabilities as"),
    (lambda p, tau: p[:-1], r"has shape \(6,\), expected \(7,\) = \(V,\)"),
])
def test_temperature_names_the_mistake(wrong, match):
    with np.errstate(all="ignore"):
        fails("08.2", wrong, match=match)


def test_temperature_near_zero_must_reach_the_argmax():
    def floored(p, tau):                   # right, but never sharper than τ = 0.1
        return SOLVED["with_temperature"](p, max(tau, 0.1))

    fails("08.2", floored, match=r"at τ = 0\.001 your distribution should be \(almost\) all")


# 08.3: against a plain recomputation, on made-up halves whose best λ differ.

def bits(lam, lstm_p, ngram_p):
    return float(-np.log2(lam * lstm_p + (1 - lam) * ngram_p).mean())


def best_lambda(lstm_p, ngram_p, score=bits):
    grid = np.round(np.linspace(0, 1, 11), 1)
    return grid[np.argmin([score(lam, lstm_p, ngram_p) for lam in grid])]


def chosen_on(which):
    """A tune_mixture that chooses λ on the given positions and reports the second half."""
    def tune(lstm_p, ngram_p):
        half = len(lstm_p) // 2
        part = {"first": slice(None, half), "second": slice(half, None), "all": slice(None)}[which]
        lam = best_lambda(lstm_p[part], ngram_p[part])
        return lam, bits(lam, lstm_p[half:], ngram_p[half:])
    return tune


def reported_on(which):
    def tune(lstm_p, ngram_p):
        half = len(lstm_p) // 2
        lam = best_lambda(lstm_p[:half], ngram_p[:half])
        part = {"first": slice(None, half), "all": slice(None)}[which]
        return lam, bits(lam, lstm_p[part], ngram_p[part])
    return tune


def geometric(lstm_p, ngram_p):
    half = len(lstm_p) // 2
    lam = best_lambda(lstm_p[:half], ngram_p[:half],
                      score=lambda a, p, q: float(-np.mean(a * np.log2(p) + (1 - a) * np.log2(q))))
    return lam, bits(lam, lstm_p[half:], ngram_p[half:])


@pytest.mark.parametrize("wrong, match", [
    (chosen_on("second"), r"chose λ on the second half, the very text you report on"),
    (chosen_on("all"), r"chose λ on all positions"),
    (lambda lp, np_: SOLVED["tune_mixture"](np_, lp), r"your λ weights the n-gram"),
    (geometric, r"mixed the log-probabilities"),
    (reported_on("first"), r"that is its score on the first half, where λ was chosen"),
    (reported_on("all"), r"that is its score on all positions"),
    (lambda lp, np_: (0.25, 1.0), r"λ = 0\.25 is not on the grid"),
    (lambda lp, np_: 0.3, r"should return two numbers"),
    (lambda lp, np_: (..., ...), r"still returns `...`: fill in `best` and `held_out`"),
])
def test_tune_mixture_names_the_mistake(wrong, match):
    fails("08.3", wrong, LSTM_P, NGRAM_P, match=match)


def test_tune_mixture_reports_on_the_notebooks_arrays():
    verdict = exercises.check("08.3", SOLVED["tune_mixture"], LSTM_P, NGRAM_P)
    lam = best_lambda(LSTM_P[:2_000], NGRAM_P[:2_000])
    assert f"λ = {lam:g}, chosen on the first 2,000 positions, scores " \
           f"{bits(lam, LSTM_P[2_000:], NGRAM_P[2_000:]):.4f}" in verdict.message
    fails("08.3", SOLVED["tune_mixture"], LSTM_P, NGRAM_P[:10], match=r"same length")


def test_untouched_attempts_say_what_to_do():
    fails("08.1", lambda probs, ids: ..., match=r"still returns `...`: write your code for `bpc`")
    fails("08.2", lambda p, tau: ..., match=r"still `...`: replace the `...`")
    fails("08.1", ..., match=r"no answer yet")


# Added in review: more likely mistakes, and right answers in another form.

@pytest.mark.parametrize("wrong, match", [
    (lambda p, i: -np.log2(picked(p, i)).sum() / len(i), r"divided by T, but only T − 1"),
    (lambda p, i: -np.log2(p[np.arange(1, len(i)), i[1:]]).mean(), r"rows 1 \.\. T − 1 against"),
    (lambda p, i: -np.log10(picked(p, i)).mean(), r"np\.log10; bits need np\.log2"),
])
def test_bpc_names_more_mistakes(wrong, match):
    fails("08.1", wrong, match=match)


def test_temperature_reports_the_prediction_it_asked_for():
    message = exercises.check("08.2", SOLVED["with_temperature"]).message
    assert "0.6 and 0.4 become 0.692 and 0.308" in message


def test_tune_mixture_may_return_an_array_of_two():
    def as_array(lstm_p, ngram_p):
        return np.array(SOLVED["tune_mixture"](lstm_p, ngram_p))

    assert exercises.check("08.3", as_array, LSTM_P, NGRAM_P)
    assert "leans toward the" in exercises.check("08.3", as_array, LSTM_P, NGRAM_P).message


def index_of_best(lstm_p, ngram_p):
    lam, held_out = SOLVED["tune_mixture"](lstm_p, ngram_p)
    return int(round(lam * 10)), held_out


def most_bits(lstm_p, ngram_p):
    half = len(lstm_p) // 2
    grid = np.round(np.linspace(0, 1, 11), 1)
    lam = grid[np.argmax([bits(a, lstm_p[:half], ngram_p[:half]) for a in grid])]
    return lam, bits(lam, lstm_p[half:], ngram_p[half:])


@pytest.mark.parametrize("wrong, match", [
    (lambda lp, np_: SOLVED["tune_mixture"](lp, np_)[::-1], r"Return λ first"),
    (index_of_best, r"looks like a position in the grid"),
    (most_bits, r"MOST bits per character on the first half \(np\.argmax\)"),
])
def test_tune_mixture_names_more_mistakes(wrong, match):
    fails("08.3", wrong, LSTM_P, NGRAM_P, match=match)
