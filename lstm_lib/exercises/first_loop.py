"""Checks for the exercises of notebook 03 · Wiring the first loop.

03.1  one step of the loop for a batch, in ll.RNN's layout; then unrolled over 6 steps
03.2  the longest sequence for which a flat dense layer is smaller than the RNN
03.3  switch the memory off (W_h = 0): which final states become equal?
"""

from __future__ import annotations

import numpy as np

from .. import vocab
from ..layers import Dense
from ..rnn import RNN, unroll
from . import NotYet, as_array, call, close, exercise, unfinished

_LAYOUT = ("ll.RNN stores W = [W_h | W_x], shape (H, H + X): W_h = W[:, :H] and "
           "W_x = W[:, H:]. States are rows of the batch, so W_x x_t for every row is "
           "x_t @ W_x.T, and the step is tanh(h_prev @ W[:, :H].T + x_t @ W[:, H:].T + b): "
           "(B, H)·(H, H) + (B, X)·(X, H) -> (B, H).")


def _step_cases(W, b, x, h_prev):
    """Likely wrong steps, each with the sentence that names the mistake."""
    H = W.shape[0]
    W_h, W_x, X = W[:, :H], W[:, H:], W.shape[1] - H
    right = x @ W_x.T + h_prev @ W_h.T + b
    cases = [
        (right, "the tanh is missing: h_t is squashed, tanh of the sum, so every entry "
                "stays between -1 and 1"),
        (np.tanh(right - b), "the bias b is missing"),
        (np.tanh(x @ W_x.T + b), "h_prev plays no part in your step: without the term "
                               "W_h h_{t-1} there is no loop, and no memory"),
        (np.tanh(x @ W[:, :X].T + h_prev @ W[:, X:].T + b),
         "you took W_x from the first X columns of W and W_h from the rest; it is the other "
         "way round, as in z = [h, x]. " + _LAYOUT),
        (np.tanh(x @ W_x.T + h_prev @ W_h + b),
         "you multiplied the rows of h_prev by W_h itself; with states as rows, W_h h_{t-1} "
         "for every row is h_prev @ W_h.T, that is h_prev @ W[:, :H].T"),
        (1 / (1 + np.exp(-right)), "you squashed with the sigmoid; the RNN cell uses tanh"),
        (np.maximum(0.0, right), "you squashed with ReLU; the RNN cell uses tanh"),
        (np.tanh(x @ W_x.T + h_prev + b),
         "h_prev enters your step without its weights: the loop multiplies it by W_h, "
         "h_prev @ W[:, :H].T"),
    ]
    return cases


@exercise("03.1", "one step of the loop, for a batch")
def _(rnn_step) -> str:
    rng = np.random.default_rng(31)
    X, H, B, T = 3, 5, 4, 6                                 # all different: shapes tell
    rnn = RNN(X, H, seed=31)
    rnn.params["W"] *= 3                                    # use more of tanh's range
    rnn.params["b"][:] = rng.normal(scale=0.5, size=H)      # a bias that shows
    W, b = rnn.params["W"].copy(), rnn.params["b"].copy()
    xs = rng.normal(size=(T, B, X))
    h0 = rng.uniform(-0.9, 0.9, size=(B, H))
    want_all, _ = rnn.forward(xs, h0=h0)                    # the library's own loop

    try:
        got = call(rnn_step, xs[0].copy(), h0.copy(), W.copy(), b.copy(), name="rnn_step")
    except NotYet as wrong:
        if " raised ValueError" in str(wrong):
            raise NotYet(f"{wrong}. {_LAYOUT}") from None
        raise
    got = as_array(got, "rnn_step's h_t", (B, H), "(B, H)")
    for candidate, sentence in _step_cases(W, b, xs[0], h0):
        if np.allclose(got, candidate, rtol=1e-9, atol=1e-12):
            raise NotYet(sentence.rstrip(".") + ".")
    close(got, want_all[0], "h_1 from your step", rtol=1e-9, atol=1e-12)

    h = h0
    for t in range(T):                                      # your step, unrolled
        h = as_array(call(rnn_step, xs[t].copy(), h.copy(), W.copy(), b.copy(),
                          name="rnn_step"), f"h_{t + 1}", (B, H), "(B, H)")
        if not np.allclose(h, want_all[t], rtol=1e-9, atol=1e-12):
            raise NotYet(f"one step is right, but unrolled from h_0 your states part from "
                         f"RNN.forward at step {t + 1}: does rnn_step change its inputs?")
    return (f"one step for a batch of {B} matches RNN.forward, and the same step unrolled "
            f"over {T} steps from a nonzero h_0 matches all {T} states to 1e-9: one W and one "
            "b serve every step.")


def _counts(X, H, T):
    """(parameters of RNN(X, H), parameters of Dense(T·X, H)), counted array by array."""
    rnn = sum(p.size for p in RNN(X, H, seed=0).params.values())
    flat = sum(p.size for p in Dense(T * X, H, seed=0).params.values())
    return rnn, flat


def _longest_cheaper(X, H):
    T = 0
    while _counts(X, H, T + 1)[1] < _counts(X, H, T + 1)[0]:
        T += 1
    return T


@exercise("03.2", "when is the flat layer smaller?")
def _(longest_flat_cheaper) -> str:
    sizes = [(30, 64), (30, 8), (4, 32), (30, 60), (2, 33), (5, 3), (1, 1)]
    for X, H in sizes:
        got = call(longest_flat_cheaper, X, H, name="longest_flat_cheaper")
        if unfinished(got):
            raise NotYet("longest_flat_cheaper still returns `...`: replace the `...` with "
                         "a formula of X and H.")
        if isinstance(got, str | bool | np.bool_):
            raise NotYet(f"longest_flat_cheaper({X}, {H}) returned {type(got).__name__} "
                         f"{got!r}; expected a whole number of steps, such as 3 (a number, "
                         "not text in quotes or True/False).")
        try:
            value = float(got)
        except (TypeError, ValueError):
            raise NotYet(f"longest_flat_cheaper({X}, {H}) returned {type(got).__name__} "
                         f"{got!r}; expected a whole number of steps.") from None
        want = _longest_cheaper(X, H)
        if value == want:
            continue
        if not value.is_integer():
            raise NotYet(f"longest_flat_cheaper({X}, {H}) returned {value:g}, which is not a "
                         "whole number: T counts steps, so round to the largest whole T that "
                         "still satisfies the inequality.")
        T = int(value)
        rnn, flat = _counts(X, H, max(T, 1))
        if T < 1:
            raise NotYet(f"longest_flat_cheaper({X}, {H}) returned {T}, but even a sequence "
                         f"of one step fits: Dense({X}, {H}) has {_counts(X, H, 1)[1]} "
                         f"parameters, fewer than the RNN's {rnn}.")
        if flat == rnn:
            raise NotYet(f"for X = {X}, H = {H} you answered T = {T}, but there the flat layer "
                         f"has {flat} parameters, exactly as many as the RNN: 'fewer' is strict. "
                         "Check what your formula does when H is a multiple of X.")
        if flat > rnn:
            raise NotYet(f"for X = {X}, H = {H} you answered T = {T}, but at that length "
                         f"Dense({T * X}, {H}) already has {flat} parameters, more than the "
                         f"RNN's {rnn}; the longest length is T = {want}.")
        raise NotYet(f"for X = {X}, H = {H} you answered T = {T}, but the flat layer is also "
                     f"smaller at T = {T + 1} ({_counts(X, H, T + 1)[1]} parameters against "
                     f"the RNN's {rnn}). Did you round down where the inequality allows one "
                     "more step?")
    rnn, flat = _counts(30, 64, 3)
    return (f"the flat layer is smaller only up to T = ⌈H/X⌉: for X = 30 and H = 64 that is "
            f"3 words ({flat} against {rnn} parameters); from then on every extra word adds "
            f"X·H = {30 * 64} more to the flat layer and nothing to the RNN.")


def _amnesiac_final(sentence):
    amnesiac = RNN(len(vocab.TOY_VOCAB), 8, seed=0)
    amnesiac.params["W"] *= 3
    amnesiac.W_h[...] = 0                                    # W_h = 0: no loop
    return unroll(amnesiac, vocab.one_hot_words(vocab.tokenize(sentence)))[-1]


def _yes_no(value, what):
    if unfinished(value):
        raise NotYet(f"{what} is still {'`...`' if value is Ellipsis else 'None'}: write "
                     "True or False, then run the cell again.")
    if not isinstance(value, (bool, np.bool_)):
        raise NotYet(f"{what}: expected True or False, got {type(value).__name__} {value!r}.")
    return bool(value)


@exercise("03.3", "switch the memory off")
def _(same_bank, same_order) -> str:
    same_bank = _yes_no(same_bank, "same_bank")
    same_order = _yes_no(same_order, "same_order")
    bank_gap = float(np.abs(_amnesiac_final("she sat by the river bank")
                            - _amnesiac_final("he put money in the savings bank")).max())
    order_gap = float(np.abs(_amnesiac_final("dog bites man")
                             - _amnesiac_final("man bites dog")).max())
    swap_gap = float(np.abs(_amnesiac_final("dog bites man")
                            - _amnesiac_final("man bites man")).max())
    why = ("With W_h = 0 the step is h_t = tanh(W_x x_t + b): the state after a word is "
           "computed from that word alone, so the final state is a function of the last word.")
    if same_bank != (bank_gap == 0):
        raise NotYet(f"same_bank: the two final states are identical, not a single entry "
                     f"differs. {why} Both sentences end in bank." if bank_gap == 0 else
                     f"same_bank: the two final states differ by up to {bank_gap:.2f}.")
    if same_order != (order_gap == 0):
        raise NotYet(f"same_order: the final states differ by up to {order_gap:.2f}. {why} "
                     "dog bites man ends in man, man bites dog ends in dog, so they differ, "
                     "but only because their last words differ.")
    return (f"the amnesiac's final state is just its last word: both banks end in the same "
            f"state, and dog bites man ends exactly where man bites man does (difference "
            f"{swap_gap:.0f}). Without W_h the loop is the word-by-word network of section 1.")
