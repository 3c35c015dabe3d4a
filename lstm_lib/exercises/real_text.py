"""Checks for the exercises of notebook 08 (real text).

- 08.1 bits per character from a table of predicted probabilities, against a worked
  example and charlm.bits_per_char on the shipped model
- 08.2 temperature applied to probabilities, p^(1/τ) renormalized, against the softmax
  of the logits divided by τ, and τ → 0 against the argmax
- 08.3 the mixture weight λ chosen on one half of the held-out text and reported on the
  other, against a plain recomputation on made-up and on the notebook's probabilities
"""

from __future__ import annotations

import functools
import math

import numpy as np

from .. import charlm, corpus
from ..losses import softmax
from . import NotYet, as_array, as_number, call, close, exercise

_SNIPPET = '''def mean(values):
    """Return the arithmetic mean of a non-empty list of numbers."""
    total = 0
    for value in values:
        total += value
    return total / len(values)
'''


@functools.lru_cache(maxsize=1)
def _model():
    """The shipped model, computing in float64 (loaded once)."""
    return charlm.load(charlm.SHIPPED, dtype=np.float64)[0]


# --- 08.1 ------------------------------------------------------------------------------------

def _worked_example():
    """ids [0, 1, 2, 1] over 4 symbols; rows give the next character 1/2, 1/4, 1/8: 2 bits."""
    ids = np.array([0, 1, 2, 1])
    probs = np.array([[0.25, 0.50, 0.125, 0.125],
                      [0.25, 0.25, 0.25, 0.25],
                      [0.50, 0.125, 0.25, 0.125],
                      [0.70, 0.10, 0.10, 0.10]])
    return probs, ids


def _bpc_mistake(got, probs, ids) -> str | None:
    T = len(ids)
    picked = probs[np.arange(T - 1), ids[1:]]
    guesses = {
        "you scored each row against the character it had just read, ids[t]; row t "
        "predicts the next one, ids[t + 1]":
            -np.log2(probs[np.arange(T), ids]).mean(),
        "you also scored the last row, whose character lies beyond the text (np.roll wraps "
        "round to ids[0]); use rows 0 .. T − 2 against ids[1:]":
            -np.log2(probs[np.arange(T), np.roll(ids, -1)]).mean(),
        "probs[:-1, ids[1:]] picks a (T − 1, T − 1) table, every row against every "
        "character; pair each row with its own: probs[np.arange(T - 1), ids[1:]]":
            -np.log2(probs[:-1][:, ids[1:]]).mean(),
        "that is in nats: you used the natural logarithm; bits need np.log2 (or divide by ln 2)":
            -np.log(picked).mean(),
        "the sign is wrong: a probability below 1 has a negative logarithm, and the cost is "
        "its negative, −log₂ p":
            np.log2(picked).mean(),
        "you summed over the characters; bits per character is the mean":
            -np.log2(picked).sum(),
        "you divided by T, but only T − 1 characters are predicted: take the mean of those":
            -np.log2(picked).sum() / T,
        "you scored rows 1 .. T − 1 against ids[1:], each row against the character it had "
        "just read; row t predicts ids[t + 1], so use rows 0 .. T − 2":
            -np.log2(probs[np.arange(1, T), ids[1:]]).mean(),
        "you used np.log10; bits need np.log2":
            -np.log10(picked).mean(),
    }
    for sentence, value in guesses.items():
        if np.isclose(got, value, rtol=1e-9, atol=1e-12):
            return sentence
    return None


@exercise("08.1", "bits per character by hand")
def _(bpc_from_probs) -> str:
    probs, ids = _worked_example()
    model = _model()
    snippet = corpus.encode(_SNIPPET)
    logits, _ = model.forward(snippet[:, None])                       # (T, 1, V)
    model_probs = softmax(logits[:, 0].astype(np.float64))
    cases = ((probs, ids, 2.0, "the worked example (4 symbols, ids [0, 1, 2, 1])"),
             (model_probs, snippet,
              charlm.bits_per_char(model, snippet, streams=1), "the shipped model on a snippet"))
    for p, i, want, what in cases:
        got = call(bpc_from_probs, p.copy(), i.copy(), name="bpc_from_probs")
        if got is Ellipsis or got is None:
            raise NotYet("bpc_from_probs still returns `...`: write your code for `bpc` in "
                         "the attempt cell, run it, then run this check again.")
        got = as_number(got, "bpc_from_probs(probs, ids)")
        if not np.isclose(got, want, rtol=1e-9, atol=1e-9):
            mistake = _bpc_mistake(got, p, i)
            detail = f": {mistake}" if mistake else ""
            raise NotYet(f"for {what} you give {got:.6g} bits per character, the answer is "
                         f"{want:.6g}{detail}.")
    return (f"2 bits for the worked example ((1 + 2 + 3) / 3), and {cases[1][2]:.3f} bits per "
            f"character for the shipped model on {len(_SNIPPET)} characters of a small "
            f"function, as charlm.bits_per_char says; a uniform guess would pay log₂ 97 = "
            f"{math.log2(len(corpus.VOCAB)):.2f}. Row t is scored against ids[t + 1]: a model "
            "is only ever judged on a character it has not read yet.")


# --- 08.2 ------------------------------------------------------------------------------------

def _temperature_mistake(got, p, tau) -> str | None:
    guesses = {
        "you raised p to the power τ; it is 1/τ, so that τ < 1 sharpens and τ > 1 flattens":
            softmax(np.log(p) * tau),
        "your result equals p: dividing the probabilities themselves by τ changes nothing once "
        "they are renormalized; divide their logarithms (the logits, up to a constant) by τ":
            p,
        "you treated the probabilities as logits (softmax of p / τ); their logarithms are the "
        "logits, up to a constant: use np.log(p) / τ":
            softmax(p / tau),
    }
    for sentence, value in guesses.items():
        if np.allclose(got, value, rtol=1e-7, atol=1e-12):
            return sentence
    return None


def _tempered(with_temperature, p, tau, what):
    got = call(with_temperature, p.copy(), tau, name="with_temperature")
    if got is not Ellipsis and got is not None and np.shape(got) == p.shape:
        values = np.asarray(got, dtype=float)
        if np.any(np.isnan(values)):
            raise NotYet(f"with_temperature(p, {tau:g}) for {what} holds NaN. For small τ, "
                         "p^(1/τ) underflows to 0 for every character (0.3^1000 ≈ 1e-523), and "
                         "0 / 0 is NaN. Work with logarithms: divide np.log(p) by τ, subtract "
                         "the largest before np.exp, then normalize.")
    return as_array(got, f"with_temperature(p, {tau:g})", p.shape, "(V,)")


@exercise("08.2", "temperature on probabilities")
def _(with_temperature) -> str:
    rng = np.random.default_rng(82)
    logits = rng.normal(0, 2, size=7)
    p = softmax(logits)
    for tau in (0.5, 2.0, 1.0, 0.1):
        got = _tempered(with_temperature, p, tau, "7 characters")
        want = softmax(logits / tau)
        if not np.isclose(got.sum(), 1.0, rtol=1e-9):
            raise NotYet(f"with_temperature(p, {tau:g}) adds up to {got.sum():.6g}, not 1: "
                         "divide by the sum to make it a distribution again.")
        if not np.allclose(got, want, rtol=1e-7, atol=1e-12):
            mistake = _temperature_mistake(got, p, tau)
            if mistake:
                raise NotYet(f"at τ = {tau:g}, {mistake}.")
            close(got, want, f"with_temperature(p, {tau:g})", rtol=1e-7, atol=1e-12)
    model = _model()
    after = charlm.next_char_probs(model, "def ")
    best = int(np.argmax(after))
    sharp = _tempered(with_temperature, after, 0.001, "the model's distribution after 'def '")
    if not np.allclose(sharp, np.eye(len(after))[best], atol=1e-9):
        raise NotYet(f"at τ = 0.001 your distribution should be (almost) all on the likeliest "
                     f"character {corpus.VOCAB[best]!r}, where p = {after[best]:.3f}; it gives "
                     f"that character {sharp[best]:.6g}.")
    half = _tempered(with_temperature, after, 0.5, "the model's distribution after 'def '")
    close(half, charlm.next_char_probs(model, "def ", temperature=0.5),
          "with_temperature(p, 0.5) after 'def '", rtol=1e-6, atol=1e-12)
    pair = _tempered(with_temperature, np.array([0.6, 0.4]), 0.5, "p = [0.6, 0.4]")
    close(pair, [0.36 / 0.52, 0.16 / 0.52], "with_temperature([0.6, 0.4], 0.5)", rtol=1e-9)
    return (f"your prediction: at τ = 0.5, 0.6 and 0.4 become {pair[0]:.3f} and {pair[1]:.3f}. "
            "Your function equals the softmax of the logits divided by τ, for τ from 0.1 to 2. "
            "After 'def ' "
            f"the likeliest next character, {corpus.VOCAB[best]!r}, has p = {after[best]:.3f}; at "
            f"τ = 0.5 it gets {half[best]:.3f}, the same as the model's own sampling, and at "
            "τ = 0.001 all of it: the limit τ → 0 is greedy decoding, the argmax at every step.")


# --- 08.3 ------------------------------------------------------------------------------------

LAMBDAS = np.round(np.linspace(0.0, 1.0, 11), 1)
"""08.3's grid: λ = 0, 0.1, ..., 1."""


def _mix_bpc(lstm_p, ngram_p, lam) -> float:
    return float(-np.mean(np.log2(lam * lstm_p + (1 - lam) * ngram_p)))


def _made_up_halves():
    """Probabilities whose best λ differs between the halves, and over all of them."""
    rng = np.random.default_rng(83)
    n = 1_000

    def half(lstm_good):
        good, bad = rng.uniform(0.3, 0.9, n), rng.uniform(0.001, 0.4, n)
        swap = rng.random(n) < (0.3 if lstm_good else 0.8)
        lstm = np.where(swap, bad, good)
        ngram = np.where(swap, good, bad)
        return lstm, ngram

    first, second = half(True), half(False)
    return np.concatenate([first[0], second[0]]), np.concatenate([first[1], second[1]])


def _best(lstm_p, ngram_p, score=_mix_bpc) -> float:
    return float(LAMBDAS[int(np.argmin([score(lstm_p, ngram_p, lam) for lam in LAMBDAS]))])


def _geometric_bpc(lstm_p, ngram_p, lam) -> float:
    """The bits per character of mixing log-probabilities, normalization ignored."""
    return float(-np.mean(lam * np.log2(lstm_p) + (1 - lam) * np.log2(ngram_p)))


def _tuned(tune_mixture, lstm_p, ngram_p):
    got = call(tune_mixture, lstm_p.copy(), ngram_p.copy(), name="tune_mixture")
    if got is Ellipsis or got is None or (isinstance(got, tuple | list)
                                          and any(v is Ellipsis for v in got)):
        raise NotYet("tune_mixture still returns `...`: fill in `best` and `held_out` in the "
                     "attempt cell, run it, then run this check again.")
    if isinstance(got, np.ndarray) and got.shape == (2,):
        got = tuple(got)
    if not isinstance(got, tuple | list) or len(got) != 2:
        raise NotYet(f"tune_mixture should return two numbers, (λ, bits per character on the "
                     f"second half), got {type(got).__name__} {got!r:.80}")
    first = as_number(got[0], "λ (the first number returned)")
    if not 0 <= first <= 1:
        if 0 <= as_number(got[1], "the second number returned") <= 1:
            raise NotYet(f"the first number you return is {first:g}, which cannot be a weight "
                         "between 0 and 1. Return λ first, then the bits per character: "
                         "`return best, held_out`.")
        if float(first).is_integer() and 0 <= first < len(LAMBDAS):
            raise NotYet(f"you return λ = {first:g}: that looks like a position in the grid, "
                         "from np.argmin; return the λ at that position.")
    lam = as_number(got[0], "λ (the first number returned)", 0, 1)
    bpc = as_number(got[1], "the bits per character (the second number returned)", 0)
    return lam, bpc


def _check_mixture(lam, bpc, lstm_p, ngram_p, what) -> float:
    """NotYet unless (lam, bpc) is λ chosen on the first half and scored on the second."""
    h = len(lstm_p) // 2
    first, second = (lstm_p[:h], ngram_p[:h]), (lstm_p[h:], ngram_p[h:])
    want_lam = _best(*first)
    want_bpc = _mix_bpc(*second, want_lam)
    if not np.any(np.isclose(lam, LAMBDAS, atol=1e-9)):
        raise NotYet(f"{what}: λ = {lam:g} is not on the grid 0, 0.1, ..., 1 "
                     "(np.linspace(0, 1, 11) has 11 values).")
    if not np.isclose(lam, want_lam, atol=1e-9):
        if np.isclose(lam, _best(*second)):
            why = ("you chose λ on the second half, the very text you report on; choose on "
                   "positions [:half], report on [half:]")
        elif np.isclose(lam, _best(lstm_p, ngram_p)):
            why = ("you chose λ on all positions, so it has seen the half you report on; "
                   "choose on positions [:half] only")
        elif np.isclose(lam, 1 - want_lam):
            why = ("your λ weights the n-gram; in λ·lstm_p + (1 − λ)·ngram_p it weights the "
                   "LSTM")
        elif np.isclose(lam, float(LAMBDAS[np.argmax([_mix_bpc(*first, a) for a in LAMBDAS])])):
            why = ("that λ gives the MOST bits per character on the first half (np.argmax); "
                   "bits are a cost, so take the fewest")
        elif np.isclose(lam, _best(*first, score=_geometric_bpc)):
            why = ("you mixed the log-probabilities; mix the probabilities themselves, "
                   "λ·lstm_p + (1 − λ)·ngram_p, then take −log₂")
        else:
            why = "on the first half, the lowest bits per character belong to another λ"
        raise NotYet(f"{what}: you chose λ = {lam:g}, expected {want_lam:g}: {why}.")
    if not np.isclose(bpc, want_bpc, rtol=1e-9):
        if np.isclose(bpc, _mix_bpc(*first, want_lam), rtol=1e-9):
            why = ("that is its score on the first half, where λ was chosen; report the "
                   "second half")
        elif np.isclose(bpc, _mix_bpc(lstm_p, ngram_p, want_lam), rtol=1e-9):
            why = "that is its score on all positions; report the second half only"
        elif np.isclose(bpc, want_bpc * math.log(2), rtol=1e-9):
            why = "that is in nats: use np.log2"
        else:
            why = "compute −mean(log₂(λ·lstm_p + (1 − λ)·ngram_p)) over positions [half:]"
        raise NotYet(f"{what}: λ = {lam:g} is right, but you report {bpc:.6g} bits per "
                     f"character, expected {want_bpc:.6g}: {why}.")
    return want_bpc


@exercise("08.3", "tune the mixture honestly")
def _(tune_mixture, lstm_p, ngram_p) -> str:
    made_up = _made_up_halves()
    _check_mixture(*_tuned(tune_mixture, *made_up), *made_up, "on made-up probabilities")
    lstm_p, ngram_p = (np.asarray(a, dtype=np.float64) for a in (lstm_p, ngram_p))
    if lstm_p.shape != ngram_p.shape or lstm_p.ndim != 1 or len(lstm_p) < 2:
        raise NotYet(f"pass the notebook's lstm_p and ngram_p of section 6, two arrays of the "
                     f"same length; got shapes {lstm_p.shape} and {ngram_p.shape}.")
    lam, bpc = _tuned(tune_mixture, lstm_p, ngram_p)
    _check_mixture(lam, bpc, lstm_p, ngram_p, "on the notebook's probabilities")
    h = len(lstm_p) // 2
    second = (lstm_p[h:], ngram_p[h:])
    hindsight = _best(*second)
    lean = ("the n-gram" if lam < 0.5 else "the LSTM" if lam > 0.5
            else "neither model")
    return (f"λ = {lam:g}, chosen on the first {h:,} positions, scores {bpc:.4f} bits per "
            f"character on the other {len(lstm_p) - h:,}, and it leans toward {lean}; half and "
            "half scores "
            f"{_mix_bpc(*second, 0.5):.4f} there, and λ = {hindsight:g}, the best in hindsight, "
            f"{_mix_bpc(*second, hindsight):.4f}. Choosing on the text you report would flatter "
            "the score only slightly here, since one number cannot fit sixty thousand "
            "characters; a model with many settings tuned that way can fool you badly.")
