"""Checks for the exercises of notebook 04 · Why the loop forgets.

04.1  one step's Jacobian diag(1 − h_k²) W_h for a batch, against nudging the state
04.2  predict what three clipping thresholds do to the σ₁ = 2 run of section 4
04.3  predict what training on sentences whose nouns give no hint does, at 0 and 4
      attractors (the check trains that run)
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from .. import tasks
from ..jacobians import scale_to_spectral_norm
from ..losses import mse, sigmoid_cross_entropy
from ..rnn import RNN
from ..sequence_model import SequenceModel, accuracy, evaluate, fit
from . import NotYet, as_array, as_number, call, close, exercise, unfinished


def _jacobian_cases(h, W_h):
    """Likely wrong Jacobians (B, H, H), each with the sentence that names the mistake."""
    s = 1 - h * h                                           # tanh' at h_k, (B, H)
    rows, cols = s[:, :, None], s[:, None, :]
    return [
        (rows * W_h.T, "you used W_hᵀ where W_h belongs: unit i of h_k reads unit j of "
                       "h_{k-1} through W_h[i, j] (row i, column j, as in W_h h), so "
                       "∂h_k[i]/∂h_{k-1}[j] = (1 − h_k[i]²)·W_h[i, j]"),
        (W_h * cols, "the slopes scale the columns of your J; they belong to its rows. Row "
                     "i of J is unit i of h_k, and the slope 1 − h_k[i]² is that unit's"),
        (W_h.T * cols, "your J is transposed: J[b, i, j] must be ∂h_k[i]/∂h_{k-1}[j], row i "
                       "for the unit of h_k, column j for the unit of h_{k-1}"),
        (np.broadcast_to(W_h, rows.shape[:1] + W_h.shape),
         "the tanh's slope is missing: each row i of W_h must be scaled by 1 − h_k[i]²"),
        ((1 - np.tanh(h) ** 2)[:, :, None] * W_h,
         "you took tanh of h_k once more: h_k is already the tanh of the sum, so its slope "
         "is 1 − h_k², with no further tanh"),
        ((h * (1 - h))[:, :, None] * W_h, "h(1 − h) is the sigmoid's slope; tanh's is 1 − h²"),
        ((1 - h)[:, :, None] * W_h, "the slope is 1 − h_k², squared: you wrote 1 − h_k"),
        (-2 * h[:, :, None] * W_h, "−2h is the derivative of 1 − h², not of tanh; "
                                   "tanh's slope is 1 − h_k² itself"),
    ]


@exercise("04.1", "one step's Jacobian")
def _(step_jacobian) -> str:
    rng = np.random.default_rng(41)
    X, H, B, eps = 3, 4, 5, 1e-6
    rnn = RNN(X, H, seed=41)
    rnn.params["W"] *= 2                                    # slopes well away from 1
    rnn.params["b"][:] = rng.normal(scale=0.5, size=H)
    W_h = rnn.W_h.copy()
    xs = rng.normal(size=(1, B, X))
    h_prev = rng.uniform(-0.8, 0.8, size=(B, H))
    h = rnn.forward(xs, h0=h_prev)[1].copy()                # h_k, (B, H)
    measured = np.empty((B, H, H))                          # nudge h_{k-1}, coordinate j
    for j in range(H):
        e = np.zeros(H)
        e[j] = eps
        up, down = rnn.forward(xs, h0=h_prev + e)[1], rnn.forward(xs, h0=h_prev - e)[1]
        measured[:, :, j] = (up - down) / (2 * eps)

    got = as_array(call(step_jacobian, h.copy(), W_h.copy(), name="step_jacobian"),
                   "J", (B, H, H), "(B, H, H)")
    for candidate, sentence in _jacobian_cases(h, W_h):
        if np.allclose(got, candidate, rtol=1e-9, atol=1e-12):
            raise NotYet(sentence + ".")
    close(got, measured, "J", rtol=1e-6, atol=1e-8)
    return (f"all {B} Jacobians match nudging h_(k-1) one coordinate at a time and rerunning "
            "the step (to 1e-6). Each is W_h with row i scaled by the slope of unit i, a "
            "number between 0 and 1: that is all one step of BPTT does to the gradient.")


_CLIPS = (100, 1, 0.01)
_CLIP_STEPS, _CLIP_LR = 400, 0.1
_LABELS = {"above": "far above the baseline", "at": "about at the baseline",
           "below": "clearly below the baseline"}


@lru_cache(maxsize=1)                                       # the runs do not depend on the answer
def _clip_runs():
    """Section 4's σ₁ = 2 run, trained with each threshold: {c: (test MSE, history)}."""
    train, test = tasks.adding(2000, 10, seed=0), tasks.adding(1000, 10, seed=1)
    runs = {}
    for c in _CLIPS:
        model = SequenceModel(RNN(2, 32, seed=0), 1, seed=0)
        model.cell.W_h[...] = scale_to_spectral_norm(model.cell.W_h, 2.0)
        history = fit(model, train, mse, steps=_CLIP_STEPS, lr=_CLIP_LR, batch_size=64,
                      clip=c, optimizer="sgd", seed=0, progress=False)
        error = np.nan if history.diverged_at is not None else evaluate(model, test, mse)
        runs[c] = (error, history)
    return runs


def _label(error, baseline):
    if not np.isfinite(error) or error > 2 * baseline:
        return "above"
    return "below" if error < 0.8 * baseline else "at"


def _read_prediction(prediction):
    if unfinished(prediction):
        raise NotYet("prediction is still `...`: write a dict such as {100: \"at\", 1: \"at\", "
                     "0.01: \"at\"}, one word per threshold, then run the cell again.")
    if not isinstance(prediction, dict):
        raise NotYet(f"prediction: expected a dict {{threshold: word}}, got "
                     f"{type(prediction).__name__} {prediction!r}.")
    missing = [c for c in _CLIPS if c not in prediction]
    if missing and any(isinstance(key, str) for key in prediction):
        raise NotYet("the thresholds are written as text (in quotes); write the keys as the "
                     "numbers 100, 1 and 0.01, e.g. {100: \"at\", 1: \"at\", 0.01: \"at\"}.")
    if missing:
        raise NotYet(f"prediction has no word for the threshold(s) {missing}: it needs one for "
                     f"each of {list(_CLIPS)}.")
    words = {}
    for c in _CLIPS:
        word = prediction[c]
        if unfinished(word):
            raise NotYet(f"the prediction for clip = {c} is still `...`: write one of "
                         "\"above\", \"at\" or \"below\".")
        word = str(word).strip().lower()
        if word not in _LABELS:
            raise NotYet(f"the prediction for clip = {c} is {prediction[c]!r}: write one of "
                         "\"above\", \"at\" or \"below\" (the baseline's MSE, 1/6).")
        words[c] = word
    return words


@exercise("04.2", "choose the clip")
def _(prediction) -> str:
    words = _read_prediction(prediction)
    baseline = tasks.ADDING_BASELINE_MSE
    runs = _clip_runs()
    first = float(runs[_CLIPS[0]][1]["grad_norm"][0])       # the same first gradient for all
    ratio = {c: runs[c][0] / baseline for c in _CLIPS}
    why = {
        100: (f"the first gradient norm is {first:.1f}, far below 100, so this clip does not "
              "act while the gradient grows; once it does, a step can still move the weights "
              f"by lr·c = {_CLIP_LR * 100:g}. " + (
                  "The loss ends in NaN" if not np.isfinite(ratio[100]) else
                  f"The test MSE ends {ratio[100]:.0f} times the baseline: no NaN this time, "
                  "but the run is wrecked")),
        1: (f"it cuts the first gradient, {first:.1f}, to 1, and every step to at most "
            f"lr·c = {_CLIP_LR:g}; the run learns: after {_CLIP_STEPS} steps its test MSE is "
            f"{ratio[1]:.2f} times the baseline"),
        0.01: (f"every step is cut to length lr·c = {_CLIP_LR * 0.01:g}, so {_CLIP_STEPS} "
               f"steps move the weights by at most {_CLIP_STEPS * _CLIP_LR * 0.01:g} in all: "
               f"too little to get anywhere, the test MSE is {ratio[0.01]:.2f} times the "
               "baseline"),
    }
    truth = {c: _label(runs[c][0], baseline) for c in _CLIPS}
    wrong = [c for c in _CLIPS if words[c] != truth[c]]
    if wrong:
        raise NotYet(" ".join(f"clip = {c}: you said {words[c]}, the run ends "
                              f"{_LABELS[truth[c]]} ({why[c]})." for c in wrong))
    return ("right for all three. A useful threshold is one the gradient norm actually "
            f"meets: well above the typical norm ({first:.1f} here) it only acts once the "
            "damage is done; far below it, every step is tiny. " + " ".join(
                f"clip = {c}: test MSE {ratio[c]:.3g} × baseline." for c in _CLIPS))


_NO_HINT = 0.5                                              # p_attractor of 04.3
_NO_HINT_KS = (0, 4)


@lru_cache(maxsize=1)
def _no_hint_accuracy():
    """Run 0 of section 6's recipe (300 steps), trained on sentences whose intervening
    nouns agree or not with equal odds: {k: accuracy with k attractors} for k = 0, 4."""
    train = tasks.agreement(2000, p_attractor=_NO_HINT, seed=1)
    model = SequenceModel(RNN(len(tasks.AGREEMENT_VOCAB), 16, seed=0), 1, seed=0)
    fit(model, train, sigmoid_cross_entropy, steps=300, lr=0.01, batch_size=32, seed=0,
        progress=False)
    return {k: accuracy(model, tasks.agreement(400, nouns=(4, 4), attractors=k,
                                                seed=100 + k)) for k in _NO_HINT_KS}


def _read_fractions(prediction):
    if unfinished(prediction):
        raise NotYet("prediction is still `...`: write a dict {0: ..., 4: ...} with the "
                     "fraction you expect right with 0 and with 4 attractors, then run the "
                     "cell again.")
    if not isinstance(prediction, dict):
        raise NotYet(f"prediction: expected a dict {{0: fraction, 4: fraction}}, got "
                     f"{type(prediction).__name__} {prediction!r}.")
    if any(isinstance(key, str) for key in prediction) and not all(
            k in prediction for k in _NO_HINT_KS):
        raise NotYet("the keys are written as text (in quotes); write them as the numbers "
                     "0 and 4, e.g. {0: 0.9, 4: 0.2}.")
    missing = [k for k in _NO_HINT_KS if k not in prediction]
    if missing:
        raise NotYet(f"prediction has no fraction for {missing} attractor(s): it needs "
                     "one for 0 and one for 4.")
    guesses = {}
    for k in _NO_HINT_KS:
        value = prediction[k]
        if unfinished(value):
            raise NotYet(f"the prediction for {k} attractors is still `...`: write a "
                         "fraction between 0 and 1.")
        if isinstance(value, int | float) and 2 <= value <= 100:
            raise NotYet(f"the prediction for {k} attractors, {value:g}, looks like a "
                         f"percentage: write the fraction, {value / 100:g} for {value:g}%.")
        guesses[k] = as_number(value, f"the prediction for {k} attractors", 0, 1)
    return guesses


@exercise("04.3", "take the hint away")
def _(prediction) -> str:
    guess = _read_fractions(prediction)
    right = _no_hint_accuracy()
    measured = (f"after 300 steps on such sentences run 0 gets {right[0]:.0%} right with "
                f"no attractor and {right[4]:.0%} with 4")
    at_chance = all(abs(right[k] - 0.5) < 0.15 for k in _NO_HINT_KS)
    lesson = ("Both at chance: the run learned nothing, not even the sentences without "
              "attractors that section 6's runs almost never missed. There the nouns just "
              "before the verb nearly always had the right number: an easy rule, right on "
              "most sentences, and 300 steps were enough to find it. Here that rule is "
              "worth nothing; the only clue left is the subject, many words back, whose "
              "signal arrives faint, and 300 steps are not enough to pick it up."
              if at_chance else
              "Compare with section 6's runs, trained on sentences whose nouns nearly "
              "always agree.")
    off = [k for k in _NO_HINT_KS if abs(guess[k] - right[k]) > 0.15]
    if not off:
        return (f"{measured} (you predicted {guess[0]:.0%} and {guess[4]:.0%}). {lesson}")
    if guess[0] > 0.8 and guess[4] > 0.8:
        why = ("you expected that, with no noun to lean on, the run learns to follow the "
               "subject")
    elif guess[0] > 0.8 and guess[4] < 0.35:
        why = ("you expected what section 6's runs did, right without attractors and "
               "wrong with them")
    else:
        why = "you predicted " + " and ".join(f"{guess[k]:.0%} with {k} attractors"
                                              for k in off)
    raise NotYet(f"{why}, but {measured}. {lesson}")
