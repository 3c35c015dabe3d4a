"""The first loop: a dense layer that reads its own previous output.

    h_t = tanh(W_x x_t + W_h h_{t-1} + b)

Stored as the maths writes it: one matrix W = [W_h | W_x] of shape (H, H + X) acting on
z_t = [h_{t-1}, x_t], columns for h first, exactly like the LSTM, so W_h = W[:, :H]
(H, H) and W_x = W[:, H:] (H, X); ``rnn.W_h`` and ``rnn.W_x`` are those two views. A
batch of states is a matrix of rows, so the code computes h_{t-1} @ W_hᵀ. The same W
and b serve every time step: that is weight sharing.

``step`` and ``step_backward`` are one step and its backward pass, written plainly;
``forward`` and ``backward`` compute the same numbers for a whole sequence, arranged
for speed (equal up to rounding: tests/test_gradients.py runs both).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import recurrent, validate
from .seeding import rng_from


@dataclass
class RNNStep:
    """One step: z = [h_{t-1}, x_t] (B, H + X) and h_t = tanh(W z + b) (B, H)."""

    z: np.ndarray
    h: np.ndarray


@dataclass
class RNNStepGrads:
    """One step's backward pass: da = ∂L/∂(W z + b) (B, H); this step's share dW (H, H + X)
    and db (H,); dh_prev (B, H) and dx (B, X), what flows to the step before."""

    da: np.ndarray
    dW: np.ndarray
    db: np.ndarray
    dh_prev: np.ndarray
    dx: np.ndarray


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
    """A tanh RNN layer: ``RNN(input_size, hidden_size, *, seed, dtype=np.float64)``.

    Weights start uniform in ±1/√H (as in PyTorch), b at zero.
    """

    def __init__(self, input_size: int, hidden_size: int, *, seed, dtype=np.float64):
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

    def step(self, x, h_prev) -> RNNStep:
        """One time step, written as the equation: x (B, X), h_prev (B, H) or None."""
        W, b, H = self.params["W"], self.params["b"], self.hidden_size
        x = validate.float_array("x", x, (None, self.input_size), letters="BX", dtype=W.dtype)
        h_prev = recurrent.initial_state("h_prev", h_prev, len(x), H, W.dtype)
        z = np.concatenate([h_prev, x], axis=1)          # (B, H + X)
        return RNNStep(z=z, h=np.tanh(z @ W.T + b))      # W z + b for every row

    def step_backward(self, step: RNNStep, dh) -> RNNStepGrads:
        """The backward pass of one ``step``: dh = ∂L/∂h_t (B, H), everything that reaches
        h_t (the loss at t, and step t+1 through dh_prev)."""
        W, H = self.params["W"], self.hidden_size
        dh = validate.float_array("dh", dh, step.h.shape, letters="BH", dtype=W.dtype)
        da = dh * (1 - step.h**2)                         # through tanh: tanh' = 1 − h²
        dz = da @ W                                       # (B, H + X): back through W z
        return RNNStepGrads(da=da, dW=da.T @ step.z, db=da.sum(axis=0),   # dW = Σ_t da_tᵀ z_t
                            dh_prev=dz[:, :H], dx=dz[:, H:])

    def forward(self, xs, h0=None):
        """xs (T, B, X), h0 (B, H) or None -> (hs (T, B, H), h_T (B, H)).

        The trace keeps its own copies of xs and h0; it and the returned arrays are
        read-only (``np.array(hs)`` gives a copy you may change), so nothing done to
        them can change what ``backward`` computes.
        """
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

        self.trace = RNNTrace(xs=xs, h0=h0, h=recurrent.frozen(h))
        return h, h[-1]                                   # read-only views of the trace

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

        tr.dh, tr.dh0 = recurrent.frozen(dh, dh_next)
        return recurrent.fill_weight_grads(self.grads, tr.h_prev, tr.xs, da, W)


def unroll(rnn, xs, h0=None) -> np.ndarray:
    """Run ``rnn``'s cell over one sequence, one step at a time.

    Inputs:
    - rnn: an ll.RNN; its W (H, H + X) is [W_h | W_x], W_h (H, H) and W_x (H, X)
    - xs: (T, X), one input per step; T = 0 is allowed
    - h0: (H,) the state before the first step, zeros when None
    Returns hs (T, H), hs[t - 1] = h_t = tanh(W_x x_t + W_h h_{t-1} + b).
    """
    W_h, W_x, b, H = rnn.W_h, rnn.W_x, rnn.params["b"], rnn.hidden_size
    xs = validate.float_array("xs", xs, (None, rnn.input_size), letters="TX")
    h = np.zeros(H) if h0 is None else validate.float_array("h0", h0, (H,), letters="H")
    hs = np.zeros((len(xs), H))
    for t, x_t in enumerate(xs):
        h = np.tanh(W_x @ x_t + W_h @ h + b)            # one vector at a time: W @ x
        hs[t] = h
    return hs
