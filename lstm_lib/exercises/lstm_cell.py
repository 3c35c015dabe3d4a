"""Checks for the exercises of notebook 05 (the LSTM cell).

- 05.1  one step of the cell from z = [h, x], with ll.LSTM's weight layout
- 05.2  the forget gate's backward pass: ∂L/∂(its pre-activation) from ∂L/∂c_t
- 05.3  predict the parameter count of ll.LSTM and of torch.nn.LSTM
"""

from __future__ import annotations

import numpy as np

from ..activations import sigmoid
from ..gradcheck import numerical_gradient
from ..lstm import LSTM
from ..seeding import rng_from
from . import NotYet, as_array, as_number, call, close, exercise, unfinished

# 05.1 -----------------------------------------------------------------------------------

B, H, X = 2, 3, 4          # H ≠ X, so a z built as [x, h] or a swapped block shows up


def _step_case():
    """A cell with nonzero biases and a step's inputs, all from a fixed seed."""
    rng = rng_from(51)
    cell = LSTM(X, H, seed=51)
    cell.params["b"][:] = rng.normal(scale=0.5, size=4 * H)
    x, h_prev, c_prev = rng.normal(size=(B, X)), rng.normal(scale=0.5, size=(B, H)), \
        rng.normal(size=(B, H))
    return cell, x, h_prev, c_prev


def _step_variants(W, b, x, h_prev, c_prev):
    """The likely mistakes, each as (h, c, what went wrong)."""
    def run(z, order=(0, 1, 2, 3), squash_c=np.tanh, show=np.tanh, bias=b):
        a = z @ W.T + bias
        blocks = np.split(a, 4, axis=1)
        f, i, c_tilde, o = (blocks[k] for k in order)
        f, i, o, c_tilde = sigmoid(f), sigmoid(i), sigmoid(o), squash_c(c_tilde)
        c = f * c_prev + i * c_tilde
        return o * show(c), c

    hx, xh = np.concatenate([h_prev, x], axis=1), np.concatenate([x, h_prev], axis=1)
    return [
        (*run(hx, order=(1, 0, 2, 3)), "the first two row blocks of W are swapped: ll.LSTM "
         "stores them in the order f, i, c̃, o (torch's order is i, f, g, o)"),
        (*run(hx, order=(0, 1, 3, 2)), "the candidate and the output gate are swapped: the "
         "blocks are f, i, c̃, o, so c̃ is the third block and o the fourth"),
        (*run(xh), "z is built as [x, h]; the columns of W read h_{t-1} first, then x_t, so "
         "z = [h_prev, x]"),
        (*run(hx, squash_c=sigmoid), "the candidate went through a sigmoid; it is "
         "tanh(W_c z + b_c), so that a write can lower a slot as well as raise it"),
        (*run(hx, show=lambda c: c), "h = o ⊙ c: the memory goes through tanh before the "
         "output gate, h = o ⊙ tanh(c)"),
        (*run(hx, bias=0.0), "the biases are missing: every pre-activation is z @ W.T + b, and "
         "the check's b is not 0"),
    ]


def _pair(result, label):
    if unfinished(result):
        raise NotYet(f"{label} returned {result!r}: replace the `...` with your code.")
    if not isinstance(result, tuple | list) or len(result) != 2:
        raise NotYet(f"{label} should return the pair (h, c), got {type(result).__name__} "
                     f"{str(result)[:60]}")
    return result


@exercise("05.1", "one step of the cell")
def _(lstm_step) -> str:
    cell, x, h_prev, c_prev = _step_case()
    W, b = cell.params["W"].copy(), cell.params["b"].copy()
    try:
        result = call(lstm_step, x, h_prev, c_prev, W, b)
    except NotYet as wrong:
        if " raised ValueError" in str(wrong):
            raise NotYet(f"{wrong}. W is (4H, H + X), one row per gate unit, and z holds one "
                         "sequence per row, so all four pre-activations are z @ W.T + b, "
                         "(B, H + X)·(H + X, 4H) -> (B, 4H).") from None
        raise
    h, c = _pair(result, "lstm_step")
    c = as_array(c, "c", (B, H), "(B, H)")
    h = as_array(h, "h", (B, H), "(B, H)")
    want = cell.step(x, h_prev, c_prev)
    if not (np.allclose(h, want.h) and np.allclose(c, want.c)):
        if np.allclose(h, want.c) and np.allclose(c, want.h):
            raise NotYet("h and c are swapped: return (h, c), h first.")
        for h_bad, c_bad, why in _step_variants(W, b, x, h_prev, c_prev):
            if np.allclose(h, h_bad) and np.allclose(c, c_bad):
                raise NotYet(why + ".")
    close(c, want.c, "c = f ⊙ c_prev + i ⊙ c̃")
    close(h, want.h, "h (c is right)")
    _, (h_T, c_T) = cell.forward(x[None], h_prev, c_prev)       # T = 1: the fast route
    close(np.stack([h, c]), np.stack([h_T, c_T]), "(h, c) against lstm.forward")
    return ("h and c match lstm.step and lstm.forward on the same weights: four layers "
            "reading one z = [h, x], erase then add, then reveal through tanh.")


# 05.2 -----------------------------------------------------------------------------------

def _forget_case():
    rng = rng_from(52)
    dc = rng.normal(size=(B, H))                 # ∂L/∂c_t arriving from above
    c_prev = rng.normal(size=(B, H))
    a_f = rng.normal(scale=1.5, size=(B, H))     # W_f z_t + b_f
    written = rng.normal(scale=0.3, size=(B, H))  # i ⊙ c̃: does not depend on a_f
    return dc, c_prev, a_f, written


@exercise("05.2", "the forget gate's backward pass")
def _(forget_gate_backward) -> str:
    dc, c_prev, a_f, written = _forget_case()
    got = as_array(call(forget_gate_backward, dc.copy(), c_prev.copy(), a_f.copy()),
                   "da_f", (B, H), "(B, H)")
    probe = a_f.copy()
    want = numerical_gradient(lambda: np.sum(dc * (sigmoid(probe) * c_prev + written)), probe)
    f = sigmoid(a_f)
    mistakes = [
        (dc * c_prev, "you are missing the sigmoid's slope: multiply by f·(1 − f), with "
         "f = σ(a_f), to pass from ∂L/∂f to ∂L/∂a_f"),
        (dc * c_prev * f, "you multiplied by f, not by the sigmoid's slope f·(1 − f)"),
        (dc * c_prev * a_f * (1 - a_f), "the slope f·(1 − f) must use the gate's value "
         "f = σ(a_f), not the pre-activation a_f"),
        (dc * f * (1 - f), "c_{t-1} is missing: c_t = f ⊙ c_{t-1} + …, so ∂c_t/∂f = c_{t-1}"),
        (dc * f, "that is dc ⊙ f, the gradient passed back along the belt to c_{t-1}; the "
         "gradient on the forget gate's pre-activation is dc ⊙ c_{t-1} ⊙ f(1 − f)"),
        (dc * c_prev * (1 - f ** 2), "that slope, 1 − f², belongs to tanh; the forget gate "
         "is a sigmoid, whose slope is f·(1 − f)"),
        (dc * c_prev * (1 - f), "you multiplied by 1 − f only; the sigmoid's slope is the "
         "product f·(1 − f)"),
    ]
    close(got, want, "da_f", mistakes)
    return ("matches the numerical gradient to 1e-8: da_f = dc ⊙ c_{t-1} ⊙ f(1 − f). "
            "The forget gate learns only where something was stored (c_{t-1} ≠ 0), and "
            "hardly at all once it is saturated near 0 or 1.")


# 05.3 -----------------------------------------------------------------------------------

COUNT_X, COUNT_H = 30, 50


@exercise("05.3", "count the parameters")
def _(n_ours, n_torch) -> str:
    Xc, Hc = COUNT_X, COUNT_H
    ours = LSTM(Xc, Hc, seed=0).n_params                  # counted from the arrays themselves
    weights, biases = 4 * Hc * (Hc + Xc), 4 * Hc
    torch_count = ours + biases                   # torch.nn.LSTM adds a second bias vector
    got = as_number(n_ours, "n_ours", 0)
    wrong = {weights: "that counts the weights only: each of the four layers also has "
                      f"H = {Hc} biases",
             4 * Hc * Xc + biases: "the weights that read h_{t-1} are missing: each layer "
                                   "reads z = [h, x], H + X numbers, not X",
             Hc * (Hc + Xc) + Hc: "that is one layer, the RNN's count; the LSTM has four "
                                  "layers of that shape (f, i, c̃, o)",
             4 * Hc * Hc + biases: "the weights that read x_t are missing: each layer "
                                   "reads z = [h, x], H + X numbers, not H",
             4 * Xc * (Xc + Hc) + 4 * Xc: f"X and H are swapped: ll.LSTM({Xc}, {Hc}) reads "
                                          f"X = {Xc} inputs and has H = {Hc} slots, so each "
                                          f"layer has {Hc} outputs and {Hc} biases"}
    if got != ours:
        hint = wrong.get(got, f"each of the four layers maps H + X = {Hc + Xc} numbers to "
                              f"H = {Hc} and has H biases")
        raise NotYet(f"n_ours = {got:g} is not ll.LSTM({Xc}, {Hc}).n_params: {hint}.")
    got_t = as_number(n_torch, "n_torch", 0)
    if got_t == ours:
        raise NotYet(f"n_ours is right ({ours:,}), but n_torch is the same number: torch "
                     "keeps two bias vectors, bias_ih and bias_hh, each of length 4H.")
    if got_t != torch_count:
        raise NotYet(f"n_ours is right ({ours:,}); n_torch = {got_t:g} is not: the weights "
                     "are the same (weight_ih and weight_hh together), and torch keeps two "
                     "bias vectors of 4H each.")
    return (f"{ours:,} for ll.LSTM: {weights:,} weights and {biases} biases. torch's "
            f"{torch_count:,} adds {biases} biases that change nothing the cell can compute: "
            "only their sum b_ih + b_hh ever enters a gate.")
