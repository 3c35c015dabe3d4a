"""Checks for the exercises of notebook 06 (why the belt remembers).

- 06.1  predict what is left of a stored value after 10 steps at forget bias −3, and at +3
- 06.2  ∂c_T/∂c_k along the belt, as a product of forget gates, against a nudged cell
- 06.3  the readout head's backward pass: where its gradient enters the cell
"""

from __future__ import annotations

import numpy as np

from ..gradcheck import numerical_gradient
from ..layers import Linear
from ..lstm import LSTM
from ..seeding import rng_from
from . import NotYet, as_array, as_number, call, close, exercise, known_mistake

# 06.1 -----------------------------------------------------------------------------------

STEPS = 10


def _left_after(forget_bias: float, steps: int = STEPS) -> float:
    """Run a one-slot cell whose forget gate rests at σ(forget_bias) and which writes
    nothing: the share of a stored 1 that is still in c after ``steps`` steps."""
    cell = LSTM(1, 1, seed=0)
    cell.params["W"][:] = 0.0                    # the gates read nothing: biases alone set them
    cell.params["b"][:] = forget_bias, 0.0, 0.0, 0.0     # c̃ = tanh(0) = 0: nothing is added
    _, (_, c_T) = cell.forward(np.zeros((steps, 1, 1)), c0=np.ones((1, 1)))
    return float(c_T[0, 0])


def _judge(answer: float, true: float, f: float, bias: str, factor: float) -> None:
    """NotYet unless ``answer`` is within ``factor`` of ``true``; names the mistake when
    it can."""
    if answer > 0 and abs(np.log(answer / true)) < np.log(factor):
        return
    shown = f"the true share is {true:.3g}"
    why = f"each step keeps σ({bias}) = {f:.4f} of what is there, so 10 steps keep {f:.4f}^10"
    if answer == 0:
        raise NotYet(f"at b_f = {bias}, 0 is not quite it: {why}, tiny but not 0 ({shown}). "
                     "Write the number.")
    if np.isclose(answer, f, rtol=0.05):
        raise NotYet(f"at b_f = {bias}, {answer:.3g} is what one step keeps; {why} ({shown}).")
    linear = 1 - STEPS * (1 - f)                 # "loses 1 − f every step", added up
    if linear > 0 and np.isclose(answer, linear, rtol=0.02):
        raise NotYet(f"at b_f = {bias}, {answer:.3g} subtracts the same loss every step; the "
                     f"shares multiply: {why} ({shown}).")
    if np.isclose(answer, (1 - f) ** STEPS, rtol=0.05):
        raise NotYet(f"at b_f = {bias}, {answer:.3g} uses 1 − σ({bias}); f is the share that "
                     f"is kept, not the share erased: {why} ({shown}).")
    raise NotYet(f"at b_f = {bias}, you predicted {answer:.3g}: {why} ({shown}).")


@exercise("06.1", "a forget bias of −3")
def _(left_at_minus_3, left_at_plus_3) -> str:
    low = as_number(left_at_minus_3, "left_at_minus_3", 0, 1)
    high = as_number(left_at_plus_3, "left_at_plus_3", 0, 1)
    true_low, true_high = _left_after(-3.0), _left_after(3.0)
    f_low, f_high = 1 / (1 + np.exp(3.0)), 1 / (1 + np.exp(-3.0))
    if np.isclose(low, true_high, rtol=0.1) and np.isclose(high, true_low, rtol=0.5):
        raise NotYet("the two answers are swapped: a bias of −3 gives a gate near 0, which "
                     "erases, and +3 a gate near 1, which keeps.")
    _judge(low, true_low, f_low, "−3", factor=10.0)       # tiny: the order of magnitude
    _judge(high, true_high, f_high, "+3", factor=1.1)
    return (f"a cell run for 10 steps keeps {true_low:.2g} of its memory at b_f = −3 and "
            f"{true_high:.2f} at b_f = +3. The same factors multiply the gradient on its way "
            "back along the belt: at −3 the highway is shut after a couple of steps.")


# 06.2 -----------------------------------------------------------------------------------

BELT_T, BELT_B, BELT_H, BELT_X = 8, 1, 3, 2


def _belt_case():
    """A cell whose gates read x only (W's columns for h are 0), so the belt is the only road
    from c_k to c_T; its forget gates f (T, H) over one sequence."""
    rng = rng_from(62)
    cell = LSTM(BELT_X, BELT_H, seed=62, forget_bias=2.0)
    cell.W_h[...] = 0.0
    xs = rng.normal(size=(BELT_T, BELT_B, BELT_X))
    cell.forward(xs)
    return cell, xs


def _nudged(cell, xs) -> np.ndarray:
    """∂c_T/∂c_k (T, H), slot by slot, by nudging c_k and running the rest of the
    sequence again: row k is the derivative for c_k, k = 0 … T − 1 (c_0: the start)."""
    tr = cell.trace
    c_all = np.concatenate([tr.c0[None], tr.c])          # c_0 … c_T, (T + 1, B, H)
    h_all = np.concatenate([tr.h0[None], tr.h])
    out = np.empty((BELT_T, BELT_H))
    for k in range(BELT_T):
        start = c_all[k].copy()                          # (1, H): perturbed in place

        def c_T(start=start, k=k):
            return np.sum(cell.forward(xs[k:], h_all[k], start)[1][1])

        out[k] = numerical_gradient(c_T, start)[0]       # diagonal: slot j moves slot j only
    cell.forward(xs)                                     # leave the full trace in place
    return out


@exercise("06.2", "the road back along the belt")
def _(belt_gradient) -> str:
    cell, xs = _belt_case()
    f = cell.trace.f[:, 0].copy()                        # (T, H): row t − 1 holds f_t
    got = as_array(call(belt_gradient, f.copy()), "belt_gradient(f)", (BELT_T, BELT_H),
                   "(T, H)")
    want = _nudged(cell, xs)
    if not np.allclose(got, want, rtol=1e-6, atol=1e-9):
        mistakes = [
            (np.cumprod(f, axis=0), "you multiplied the gates from step 1 onward; the road "
             "back starts at step T, so row k is f_{k+1} ⊙ … ⊙ f_T"),
            (np.cumprod(f[::-1], axis=0), "the right products, in reverse order: your row 0 "
             "is f_T, which belongs to c_{T-1}; row k is for c_k, so flip the rows back"),
            (np.concatenate([np.cumprod(f[::-1], axis=0)[::-1][1:], np.ones((1, BELT_H))]),
             "off by one step: c_k is multiplied by f_{k+1} first (the step that reads it), "
             "so row k includes f_{k+1}; the last row is f_T, not 1"),
            (np.broadcast_to(f.prod(axis=0), f.shape), "every row holds the product of all "
             "T gates; from c_k only the gates of steps k+1 … T lie ahead"),
            (np.cumsum(f[::-1], axis=0)[::-1], "the gates add up; along the belt they "
             "multiply: c_t = f_t ⊙ c_{t-1} + …"),
            (f, "row k should be the product of all the gates from step k+1 to T, not a "
             "single gate"),
        ]
        close(got, want, "∂c_T/∂c_k", mistakes, atol=1e-9)
    return (f"matches nudging c_k and rerunning the cell: with forget gates around "
            f"{f.mean():.2f}, {want[0].min():.2g} to {want[0].max():.2g} of a change in c_0 "
            "reaches c_T, a product of valve settings and nothing else.")


# 06.3 -----------------------------------------------------------------------------------

HEAD_T, HEAD_B, HEAD_H, HEAD_OUT = 6, 4, 5, 2
HEAD_AT = np.array([5, 2, 0, 3])                         # each sequence's read step


def _head_case():
    rng = rng_from(63)
    head = Linear(HEAD_H, HEAD_OUT, seed=63)
    head.params["b"][:] = rng.normal(size=HEAD_OUT)
    hs = rng.normal(size=(HEAD_T, HEAD_B, HEAD_H))
    dlogits = rng.normal(size=(HEAD_B, HEAD_OUT))         # ∂L/∂ŷ for each sequence
    return head, hs, dlogits


@exercise("06.3", "where the head's gradient enters")
def _(head_backward) -> str:
    head, hs, dlogits = _head_case()
    W_y = head.params["W"].copy()
    got = as_array(call(head_backward, dlogits.copy(), W_y.copy(), HEAD_AT.copy(), HEAD_T),
                   "dhs", (HEAD_T, HEAD_B, HEAD_H), "(T, B, H)")
    probe = hs.copy()
    rows = np.arange(HEAD_B)
    want = numerical_gradient(lambda: np.sum(dlogits * head.forward(probe[HEAD_AT, rows])),
                              probe)
    entry = dlogits @ W_y                                  # (B, H)
    if not np.allclose(got, want, rtol=1e-6, atol=1e-9):
        last = np.zeros_like(want)
        last[-1] = entry
        every = np.broadcast_to(entry, want.shape)
        unpaired = np.zeros_like(want)
        unpaired[HEAD_AT] = entry                          # dhs[at] = ...: no sequence index
        smeared = np.zeros_like(want)
        smeared[HEAD_AT] = entry[:, None, :]               # dhs[at[b]] = entry[b], in a loop
        read = got[HEAD_AT, rows]
        mistakes = [
            (np.zeros_like(want), "dhs is 0 everywhere: sequence b's read step at[b] should "
             "receive W_yᵀ ∂L/∂ŷ_b, that is dlogits[b] @ W_y"),
            (every, "every step received W_yᵀ ∂L/∂ŷ; the head reads each sequence once, at "
             "its step at[b], so every other step gets 0"),
            (last, "the gradient went to the last step of every sequence; sequence b is read "
             "at its own step at[b], and that is where it enters"),
            (unpaired, "each read step received the gradients of all B sequences: `dhs[at]` "
             "picks whole steps, so pair every step with its own sequence b as well"),
            (smeared, "step at[b] received sequence b's gradient in every sequence of the "
             "batch: `dhs[at[b]]` is the whole step, (B, H); write only sequence b's row of it"),
        ]
        known_mistake(got, mistakes)
        others = got.copy()
        others[HEAD_AT, rows] = 0.0
        if not np.any(read) and np.any(others):
            raise NotYet("nothing arrived at the read steps: sequence b is read at step at[b] "
                         "(0-based, like the first axis of dhs), and that row is where its "
                         "gradient belongs. Is your step off by one?")
        if np.allclose(read, entry) and np.any(others):
            raise NotYet("the read steps are right, but other steps received something too; "
                         "the head reads h only at the step at[b], so every other row of "
                         "dhs is 0 (the cell's backward carries the signal to earlier steps "
                         "later, through the belt and the gates).")
    close(got, want, "dhs")
    return ("matches the numerical gradient: each sequence's gradient enters at its read "
            "step, as W_yᵀ ∂L/∂ŷ, and nowhere else. Everything the gates learn starts "
            "from those few rows.")
