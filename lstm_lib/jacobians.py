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
"""

from __future__ import annotations

import numpy as np

from . import validate
from .rnn import RNN


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
