"""Backpropagation through time, one Jacobian at a time: why a tanh RNN forgets.

The RNN's step, as the maths writes it (states are column vectors here):

    h_k = tanh(W_h h_{k-1} + W_x x_k + b),        W_h = rnn.W_h = W[:, :H], shape (H, H).

A small change δ in h_{k-1} changes the sum inside the tanh by W_h δ, and the tanh
passes each entry on times its slope 1 − h_k², so the step's Jacobian is

    J_k = ∂h_k/∂h_{k-1} = diag(1 − h_k²) · W_h                       (H, H)

and the chain rule sends a gradient from step T back to step t through T − t of them:

    ∂h_T/∂h_t = J_T · J_{T-1} ··· J_{t+1}.

Every tanh slope is at most 1, so ‖J_k‖ ≤ σ₁(W_h), the largest singular value of W_h,
and ‖∂h_T/∂h_t‖ ≤ σ₁^(T−t): below 1 the gradient must vanish (Pascanu, Mikolov &
Bengio, 2013). Above 1 it *may* explode, if the slopes stay near 1 and the product
keeps growing.

Steps are counted as in the article: h_0 is the initial state (``trace.h0``) and
h_k for k = 1..T is ``trace.h[k - 1]``.

Two measurements notebooks 04 and 06 draw: ``jacobian_norm_curve`` (‖∂h_T/∂h_t‖ of a
tanh RNN whose W_h has a chosen σ₁, against the bound) and ``gradient_highway`` (how
far back the gradient reaches in a fresh LSTM, by all roads and by the belt alone,
beside a tanh RNN).
"""

from __future__ import annotations

import numpy as np

from . import tasks, validate
from .lstm import LSTM
from .rnn import RNN
from .seeding import rng_from


def step_jacobians(rnn: RNN) -> np.ndarray:
    """J_k = ∂h_k/∂h_{k-1} = diag(1 − h_k²) · W_h for every step of ``rnn``'s last forward.

    Returns J (T, B, H, H): J[k - 1] is step k's Jacobian for each sequence of the batch;
    J[k - 1, b, i, j] = ∂h_k[b, i] / ∂h_{k-1}[b, j].
    """
    if not isinstance(rnn, RNN):
        raise TypeError(f"rnn: expected an lstm_lib RNN, got {type(rnn).__name__}")
    if rnn.trace is None:
        raise RuntimeError("step_jacobians: call rnn.forward(xs) first; there is no recorded "
                           "sequence to differentiate")
    slope = 1 - rnn.trace.h * rnn.trace.h                  # (T, B, H): tanh' at each step
    return slope[..., :, None] * rnn.W_h                   # row i of W_h scaled by slope i


def jacobian_products(J) -> np.ndarray:
    """From step Jacobians J (T, B, H, H), every ∂h_T/∂h_t for t = 0..T.

    Returns P (T + 1, B, H, H) with P[t] = J_T ··· J_{t+1} (true matrix products, taken
    from the end backwards) and P[T] = I. Raises OverflowError if a product leaves the
    float range.
    """
    J = validate.float_array("J", J, (None, None, None, None), letters="TBHH")
    T, B, H, H2 = J.shape
    if H != H2:
        raise ValueError(f"J: expected square Jacobians (T, B, H, H), got {J.shape}")
    P = np.empty((T + 1, B, H, H), dtype=J.dtype)
    P[T] = np.eye(H, dtype=J.dtype)
    with np.errstate(over="ignore", invalid="ignore"):
        for t in reversed(range(T)):
            np.matmul(P[t + 1], J[t], out=P[t])            # ∂h_T/∂h_t = ∂h_T/∂h_{t+1} · J_{t+1}
    if not np.isfinite(P).all():
        distance = T - int(np.flatnonzero(~np.isfinite(P).reshape(T + 1, -1).all(axis=1)).max())
        raise OverflowError(f"jacobian_products: the product left the float range "
                            f"{distance} steps back; use fewer steps or a smaller W_h")
    return P


def spectral_norm(A) -> np.ndarray:
    """The largest singular value of each matrix in A (..., M, N); returns shape (...)."""
    A = validate.float_array("A", A, (None,) * max(np.ndim(A), 2))
    return np.linalg.norm(A, ord=2, axis=(-2, -1))


def gradient_norms(rnn: RNN, at=None) -> np.ndarray:
    """‖∂h_T/∂h_t‖ (spectral norm) for t = 0..T of ``rnn``'s last forward: (T + 1, B).

    Entry t says by how much, at most, a unit change of h_t can move h_T; the
    gradient reaching h_t from a loss on h_T is that same product, transposed.

    at (B,) ints in [0, T), optional: sequence b is read at its step at[b] (zero-padded
    sentences of different lengths), so its end state is h_e with e = at[b] + 1; entry
    t is then ‖∂h_e/∂h_t‖ for t <= e, and 1 for t > e (later steps do not matter).
    """
    J = step_jacobians(rnn)                                # (T, B, H, H)
    if at is not None:
        T, B, H, _ = J.shape
        at = validate.read_steps("at", at, T, B)
        after = np.arange(1, T + 1)[:, None] > at + 1      # (T, B): J_k with k past the end
        J = J.copy()
        J[after] = np.eye(H)                               # identities leave the product alone
    return spectral_norm(jacobian_products(J))


def scale_to_spectral_norm(W_h, sigma1: float) -> np.ndarray:
    """W_h (M, N) rescaled so its largest singular value is ``sigma1``; a new array.

    Scaling a matrix scales every singular value by the same factor, so the others
    keep their ratios to the largest.
    """
    W_h = validate.float_array("W_h", W_h, (None, None), letters="HH")
    sigma1 = validate.positive_float("sigma1", sigma1)
    current = float(spectral_norm(W_h))
    if current == 0.0:
        raise ValueError("W_h: all zeros, so no scaling can give it a largest singular "
                         f"value of {sigma1}")
    return W_h * (sigma1 / current)


def jacobian_norm_curve(sigma1: float, input_size: float, *, hidden: int = 32,
                        n_inputs: int = 4, steps: int = 60, seed=0) -> dict:
    """Run a tanh RNN whose W_h has largest singular value ``sigma1`` and measure how
    strongly its last state depends on each earlier one.

    The RNN is ``RNN(n_inputs, hidden, seed=seed)`` with W_h rescaled; it starts at
    h_0 = 0 and reads ``steps`` inputs drawn from N(0, input_size²) (the same draws for
    every input_size, only scaled). Returns {"distance" (steps + 1,): T − t,
    "norms" (steps + 1,): ‖∂h_T/∂h_t‖ (true matrix products), "bound": σ₁^(T−t),
    "rho": largest |eigenvalue| of W_h, "mean_slope": mean tanh' over the run}.
    """
    sigma1 = validate.positive_float("sigma1", sigma1)
    input_size = validate.in_range("input_size", input_size, 0.0, 100.0)
    steps = validate.positive_int("steps", steps)
    rnn = RNN(n_inputs, hidden, seed=seed)
    rnn.W_h[...] = scale_to_spectral_norm(rnn.W_h, sigma1)
    xs = input_size * rng_from(seed).standard_normal((steps, 1, n_inputs))
    hs, _ = rnn.forward(xs)
    distance = np.arange(steps + 1)
    return {"distance": distance,
            "norms": gradient_norms(rnn)[::-1, 0],                # index t -> index T − t
            "bound": sigma1 ** distance.astype(np.float64),
            "rho": float(np.abs(np.linalg.eigvals(rnn.W_h)).max()),
            "mean_slope": float(np.mean(1 - hs * hs))}


TINY = 1e-300                # floor for curves drawn on a log axis (never 0)


def gradient_highway(forget_biases, *, T: int = 100, hidden_size: int = 32, n: int = 16,
                     seed=0) -> dict:
    """How far back the gradient of a loss at the last step reaches, at initialization.

    A fresh ``LSTM(2, hidden_size, forget_bias=b)`` for each b in ``forget_biases`` and a
    fresh ``RNN(2, hidden_size)``, all with weights seeded by ``seed``, read the same n
    sequences of the adding problem (``tasks.adding(n, T, seed=seed)``). The loss reads
    the last step only: L = w·h_T for a fixed random unit vector w.

    Returns a dict:
    - "k" (T,): steps 1..T
    - "rnn" (T,): ‖∂L/∂h_k‖ of the RNN
    - "lstm" {b: (T,)}: ‖∂L/∂c_k‖ of the LSTM
    - "belt" {b: (T,)}: the belt's route alone, ‖∂L/∂c_T ⊙ f_T ⊙ ··· ⊙ f_{k+1}‖
    - "f_mean" {b: float}: the mean forget gate over all steps, units and sequences
    Each curve is the mean over the n sequences, divided by its value at k = T, and kept
    within [1e-300, 1e300] so a log axis can draw it.
    """
    T, H, n = (validate.positive_int(name, v) for name, v in
               (("T", T), ("hidden_size", hidden_size), ("n", n)))
    xs = tasks.adding(n, max(T, 2), seed=seed).xs[:T]             # (T, n, 2)
    w = rng_from(seed).normal(size=H)
    w /= np.linalg.norm(w)
    upstream = np.zeros((T, n, H))
    upstream[-1] = w                                              # ∂L/∂h_T = w

    def relative(norms):                                          # norms (T, n)
        curve = norms.mean(axis=1)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            ratio = curve / curve[-1]     # a cell saturated at step T can leave 0 there
        return np.clip(np.nan_to_num(ratio, nan=TINY), TINY, 1 / TINY)

    rnn = RNN(2, H, seed=seed)
    rnn.forward(xs)
    rnn.backward(upstream)
    out = {"k": np.arange(1, T + 1), "rnn": relative(np.linalg.norm(rnn.trace.dh, axis=2)),
           "lstm": {}, "belt": {}, "f_mean": {}}
    for b in forget_biases:
        b = validate.finite_float("forget_bias", b)
        lstm = LSTM(2, H, seed=seed, forget_bias=b)
        lstm.forward(xs)
        lstm.backward(upstream)
        tr = lstm.trace
        with np.errstate(under="ignore"):
            # keep[t] = f_{t+2} ⊙ ... ⊙ f_T (trace index t is step t + 1): what the belt
            # alone multiplies ∂L/∂c_T by on its way back to step t + 1.
            keep = np.ones_like(tr.f)
            keep[:-1] = np.cumprod(tr.f[:0:-1], axis=0)[::-1]
            belt = np.linalg.norm(tr.dc[-1] * keep, axis=2)
        out["lstm"][b] = relative(np.linalg.norm(tr.dc, axis=2))
        out["belt"][b] = relative(belt)
        out["f_mean"][b] = float(tr.f.mean())
    return out
