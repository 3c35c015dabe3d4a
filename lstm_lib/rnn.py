"""The first loop: a dense layer that reads its own previous output.

    h_t = tanh(W_x x_t + W_h h_{t-1} + b)

Stored as the maths writes it: one matrix W = [W_h | W_x] of shape (H, H + X) acting on
z_t = [h_{t-1}, x_t], columns for h first, exactly like the LSTM, so W_h = W[:, :H]
(H, H) and W_x = W[:, H:] (H, X); ``rnn.W_h`` and ``rnn.W_x`` are those two views. A
batch of states is a matrix of rows, so the code computes h_{t-1} @ W_hᵀ. The same W
and b serve every time step: that is weight sharing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import recurrent, validate
from .seeding import rng_from


@dataclass
class RNNTrace:
    """What forward recorded: xs (T, B, X), h0 (B, H), h (T, B, H); after backward,
    dh (T, B, H) = ∂L/∂h_t at every step and dh0 (B, H)."""

    xs: np.ndarray
    h0: np.ndarray
    h: np.ndarray
    dh: np.ndarray | None = None
    dh0: np.ndarray | None = None

    @property
    def h_prev(self) -> np.ndarray:
        """h_{t-1} for every step, (T, B, H)."""
        return np.concatenate([self.h0[None], self.h[:-1]])


class RNN:
    """A tanh RNN layer: ``RNN(input_size, hidden_size, *, seed=0, dtype=np.float64)``.

    Weights start uniform in ±1/√H (as in PyTorch), b at zero.
    """

    def __init__(self, input_size: int, hidden_size: int, *, seed=0, dtype=np.float64):
        self.input_size = validate.positive_int("input_size", input_size)
        self.hidden_size = validate.positive_int("hidden_size", hidden_size)
        dtype = validate.float_dtype("dtype", dtype)
        self.params = recurrent.init_weights(rng_from(seed), input_size, hidden_size, 1, dtype)
        self.grads = {k: np.zeros_like(v) for k, v in self.params.items()}
        self.trace: RNNTrace | None = None

    def __repr__(self):
        return (f"RNN(input_size={self.input_size}, hidden_size={self.hidden_size}, "
                f"dtype={self.params['W'].dtype}, params={self.n_params})")

    @property
    def n_params(self) -> int:
        """H·(H + X) + H, whatever the sequence length."""
        return sum(p.size for p in self.params.values())

    @property
    def W_h(self) -> np.ndarray:
        """The recurrent weights W[:, :H], (H, H): a view, so writing to it changes W."""
        return self.params["W"][:, : self.hidden_size]

    @property
    def W_x(self) -> np.ndarray:
        """The input weights W[:, H:], (H, X): a view, so writing to it changes W."""
        return self.params["W"][:, self.hidden_size :]

    def forward(self, xs, h0=None):
        """xs (T, B, X), h0 (B, H) or None -> (hs (T, B, H), h_T (B, H))."""
        W, b, H = self.params["W"], self.params["b"], self.hidden_size
        xs = recurrent.check_sequence(xs, self.input_size, W.dtype)
        T, B, _ = xs.shape
        h0 = recurrent.initial_state("h0", h0, B, H, W.dtype)

        h = recurrent.project_inputs(xs, W[:, H:], b)    # (T, B, H): W_x x_t + b, all steps
        W_h_T = np.ascontiguousarray(W[:, :H].T)         # (H, H): rows times W_hᵀ is W_h h
        Wh_h = np.empty((B, H), dtype=W.dtype)
        h_prev = h0
        for t in range(T):
            np.matmul(h_prev, W_h_T, out=Wh_h)
            h[t] += Wh_h
            np.tanh(h[t], out=h[t])
            h_prev = h[t]

        self.trace = RNNTrace(xs=xs, h0=h0, h=h)
        return h, h[-1]

    def backward(self, dhs):
        """dhs: ∂L/∂h_t from above, (T, B, H). Returns dxs (T, B, X); fills grads and
        ``self.trace.dh``."""
        tr = self.trace
        if tr is None:
            raise RuntimeError("backward: call forward first; there is no recorded sequence")
        W, H = self.params["W"], self.hidden_size
        dhs = recurrent.check_upstream("dhs", dhs, tr.h.shape, W.dtype)
        T, B, _ = dhs.shape

        slope = 1 - tr.h * tr.h                           # tanh' at every step
        da = np.empty_like(tr.h)                          # ∂L/∂(W z_t + b), (T, B, H)
        dh = np.empty_like(tr.h)
        dh_next = np.zeros((B, H), dtype=W.dtype)
        W_h = np.ascontiguousarray(W[:, :H])
        for t in reversed(range(T)):
            np.add(dhs[t], dh_next, out=dh[t])
            np.multiply(dh[t], slope[t], out=da[t])
            np.matmul(da[t], W_h, out=dh_next)            # times J_t = diag(tanh') W_h

        tr.dh, tr.dh0 = dh, dh_next
        return recurrent.fill_weight_grads(self.grads, tr.h_prev, tr.xs, da, W)
