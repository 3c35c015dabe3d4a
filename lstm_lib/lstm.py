"""The LSTM cell, following the article line by line.

At every step t the cell reads one vector, z_t = [h_{t-1}, x_t], and four small
layers read it:

    f_t       = σ(W_f z_t + b_f)         forget gate: what to keep of c_{t-1}
    i_t       = σ(W_i z_t + b_i)         input gate: how much of c̃_t to write
    c̃_t       = tanh(W_c z_t + b_c)      candidate: what could be written
    o_t       = σ(W_o z_t + b_o)         output gate: what of the memory to show
    c_t       = f_t ⊙ c_{t-1} + i_t ⊙ c̃_t   erase, then add
    h_t       = o_t ⊙ tanh(c_t)

Layout (the contract later notebooks rely on), the same as every layer of lstm_lib:
a weight matrix is stored as the maths writes it, one row per output.
- ``params["W"]`` has shape (4H, H + X): four row blocks, in this order W_f, W_i, W_c,
  W_o, each (H, H + X); its columns read z = [h, x], h first, so ``lstm.W_h`` =
  W[:, :H] (4H, H) and ``lstm.W_x`` = W[:, H:] (4H, X). ``params["b"]`` is (4H,),
  b_f, b_i, b_c, b_o.
- a batch of vectors is a matrix of rows, so W_f z_t is computed as ``z @ W_f.T``.
- sequences are time-major: xs is (T, B, X), hs is (T, B, H).
- after ``forward``, ``lstm.trace`` holds every step's f, i, c_tilde, o, c and h,
  each (T, B, H); after ``backward`` it also holds dh and dc, the full gradients
  ∂L/∂h_t and ∂L/∂c_t at every step.

``LSTM(..., forget_gate=False)`` is the cell before Gers, Schmidhuber & Cummins (2000)
added the forget gate: f_t = 1 at every step, so c_t = c_{t-1} + i_t ⊙ c̃_t. The f block
of W and b stays in place (the layout above does not change) but is never read, and its
gradient is 0.

Notebooks that want to watch one step happen should call ``step``, which is the
equations above written out plainly for one time step, and ``step_backward``, its
backward pass written the same way (CS231n's ``lstm_step_backward``, in the article's
symbols). ``forward``/``backward`` compute the same numbers for a whole sequence,
arranged for speed: equal up to rounding, about 1e-15 in float64 and 1e-6 in float32
(tests/test_lstm.py runs both).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import recurrent, validate
from .activations import sigmoid
from .seeding import rng_from


@dataclass
class LSTMStep:
    """One step of the cell, every intermediate by its name in the equations; each (B, H)."""

    z: np.ndarray  # (B, H + X)
    c_prev: np.ndarray
    f: np.ndarray
    i: np.ndarray
    c_tilde: np.ndarray
    o: np.ndarray
    c: np.ndarray
    h: np.ndarray


@dataclass
class LSTMStepGrads:
    """One step's backward pass (``LSTM.step_backward``), named after what each is the
    gradient of: da_f, da_i, da_c, da_o (B, H) are ∂L/∂ of the four pre-activations
    W_f z + b_f, ...; dW (4H, H + X) and db (4H,) this step's share of the weights'
    gradient; dh_prev, dc_prev (B, H) and dx (B, X) what flows to the step before."""

    da_f: np.ndarray
    da_i: np.ndarray
    da_c: np.ndarray
    da_o: np.ndarray
    dW: np.ndarray
    db: np.ndarray
    dh_prev: np.ndarray
    dc_prev: np.ndarray
    dx: np.ndarray


@dataclass
class LSTMTrace:
    """What forward recorded for a sequence (and backward needs), all time-major.

    - xs (T, B, X); h0, c0 (B, H)
    - gates (T, B, 4H): f, i, c̃, o side by side; read them as .f, .i, .c_tilde, .o
    - c, tanh_c, h (T, B, H)
    - after backward: dh, dc (T, B, H) = ∂L/∂h_t and ∂L/∂c_t; dh0, dc0 (B, H)
    """

    xs: np.ndarray
    h0: np.ndarray
    c0: np.ndarray
    gates: np.ndarray
    c: np.ndarray
    tanh_c: np.ndarray
    h: np.ndarray
    dh: np.ndarray | None = None
    dc: np.ndarray | None = None
    dh0: np.ndarray | None = None
    dc0: np.ndarray | None = None

    @property
    def H(self) -> int:
        return self.c.shape[-1]

    @property
    def f(self) -> np.ndarray:
        return self.gates[..., : self.H]

    @property
    def i(self) -> np.ndarray:
        return self.gates[..., self.H : 2 * self.H]

    @property
    def c_tilde(self) -> np.ndarray:
        return self.gates[..., 2 * self.H : 3 * self.H]

    @property
    def o(self) -> np.ndarray:
        return self.gates[..., 3 * self.H :]

    @property
    def c_prev(self) -> np.ndarray:
        """c_{t-1} for every step, (T, B, H): c0 followed by c_0 .. c_{T-2}."""
        return np.concatenate([self.c0[None], self.c[:-1]])

    @property
    def h_prev(self) -> np.ndarray:
        """h_{t-1} for every step, (T, B, H)."""
        return np.concatenate([self.h0[None], self.h[:-1]])


class LSTM:
    """An LSTM layer: X inputs, H memory slots, trained with full backprop through time.

    ``LSTM(input_size, hidden_size, *, seed, forget_bias=1.0, forget_gate=True,
    dtype=np.float64)``

    Weights start uniform in ±1/√H (as in PyTorch); biases start at 0 except the
    forget gate's, which start at ``forget_bias``: σ(1) ≈ 0.73, so a fresh cell
    leans toward keeping its memory (Gers et al. 2000; Jozefowicz et al. 2015).
    With ``forget_gate=False`` the gate is fixed at f_t = 1 (the 1997 cell's belt).
    """

    def __init__(self, input_size: int, hidden_size: int, *, seed, forget_bias: float = 1.0,
                 forget_gate: bool = True, dtype=np.float64):
        self.input_size = validate.positive_int("input_size", input_size)
        self.hidden_size = H = validate.positive_int("hidden_size", hidden_size)
        self.forget_bias = validate.finite_float("forget_bias", forget_bias)
        if not isinstance(forget_gate, bool | np.bool_):
            raise TypeError(f"forget_gate: expected True or False, got {forget_gate!r}")
        self.forget_gate = bool(forget_gate)
        dtype = validate.float_dtype("dtype", dtype)
        self.params = recurrent.init_weights(rng_from(seed), input_size, H, 4, dtype)
        self.params["b"][:H] = self.forget_bias
        self.grads = {k: np.zeros_like(v) for k, v in self.params.items()}
        self.trace: LSTMTrace | None = None
        # sigmoid(a) = (1 + tanh(a/2)) / 2, so every gate is s·tanh(s·a) + (1 − s) with
        # s = 1/2 for the three valves and s = 1 for the candidate. Scaling W_h and the
        # input projection by s lets one tanh call compute all four gates per step.
        s = np.full(4 * H, 0.5, dtype=dtype)
        s[2 * H : 3 * H] = 1.0
        self._s = s

    def __repr__(self):
        gate = "" if self.forget_gate else "forget_gate=False, "
        return (f"LSTM(input_size={self.input_size}, hidden_size={self.hidden_size}, {gate}"
                f"dtype={self.params['W'].dtype}, params={self.n_params})")

    @property
    def n_params(self) -> int:
        """4·H·(H + X) + 4·H (with forget_gate=False a quarter of them are never used)."""
        return sum(p.size for p in self.params.values())

    @property
    def W_h(self) -> np.ndarray:
        """The four gates' weights on h_{t-1}, W[:, :H], (4H, H): a view into W."""
        return self.params["W"][:, : self.hidden_size]

    @property
    def W_x(self) -> np.ndarray:
        """The four gates' weights on x_t, W[:, H:], (4H, X): a view into W."""
        return self.params["W"][:, self.hidden_size :]

    def step(self, x, h_prev, c_prev) -> LSTMStep:
        """One time step, written as the equations: x (B, X), h_prev and c_prev (B, H)."""
        W, b, H = self.params["W"], self.params["b"], self.hidden_size
        x = validate.float_array("x", x, (None, self.input_size), letters="BX", dtype=W.dtype)
        h_prev = recurrent.initial_state("h_prev", h_prev, len(x), H, W.dtype)
        c_prev = recurrent.initial_state("c_prev", c_prev, len(x), H, W.dtype)
        z = np.concatenate([h_prev, x], axis=1)          # (B, H + X)
        W_f, W_i, W_c, W_o = np.split(W, 4)              # each (H, H + X)
        b_f, b_i, b_c, b_o = np.split(b, 4)
        f = sigmoid(z @ W_f.T + b_f) if self.forget_gate else np.ones_like(h_prev)
        i = sigmoid(z @ W_i.T + b_i)
        c_tilde = np.tanh(z @ W_c.T + b_c)
        o = sigmoid(z @ W_o.T + b_o)
        c = f * c_prev + i * c_tilde
        h = o * np.tanh(c)
        return LSTMStep(z=z, c_prev=c_prev, f=f, i=i, c_tilde=c_tilde, o=o, c=c, h=h)

    def step_backward(self, step: LSTMStep, dh, dc) -> LSTMStepGrads:
        """The backward pass of one ``step``, written as the chain rule reads.

        Inputs:
        - step: what ``step`` returned
        - dh: ∂L/∂h_t (B, H), everything that reaches h_t: the loss at t and step t+1
        - dc: ∂L/∂c_t (B, H) arriving along the belt from step t+1 (zeros at the end)
        Running it from the last step back to the first, handing dh_prev (plus the loss
        at t−1) and dc_prev on, and summing dW and db, is backpropagation through time.
        """
        W, H = self.params["W"], self.hidden_size
        dh = validate.float_array("dh", dh, step.h.shape, letters="BH", dtype=W.dtype)
        dc = validate.float_array("dc", dc, step.c.shape, letters="BH", dtype=W.dtype)
        tanh_c = np.tanh(step.c)
        dc = dc + dh * step.o * (1 - tanh_c**2)           # h = o ⊙ tanh(c): c_t's total
        do = dh * tanh_c
        df = dc * step.c_prev                             # c = f ⊙ c_prev + i ⊙ c̃
        di = dc * step.c_tilde
        dc_tilde = dc * step.i
        dc_prev = dc * step.f                             # the belt: ∂c_t/∂c_{t−1} = f_t
        da_f = df * step.f * (1 - step.f) if self.forget_gate else np.zeros_like(df)
        da_i = di * step.i * (1 - step.i)                 # σ' = σ(1 − σ)
        da_c = dc_tilde * (1 - step.c_tilde**2)           # tanh' = 1 − tanh²
        da_o = do * step.o * (1 - step.o)
        da = np.concatenate([da_f, da_i, da_c, da_o], axis=1)   # (B, 4H), blocks f, i, c̃, o
        dW = da.T @ step.z                                # (4H, H + X): dW = Σ_t da_tᵀ z_t
        db = da.sum(axis=0)
        dz = da @ W                                       # (B, H + X): back through W z
        return LSTMStepGrads(da_f=da_f, da_i=da_i, da_c=da_c, da_o=da_o, dW=dW, db=db,
                             dh_prev=dz[:, :H], dc_prev=dc_prev, dx=dz[:, H:])

    def forward(self, xs, h0=None, c0=None):
        """Run the cell over a whole sequence.

        Inputs:
        - xs: (T, B, X), time-major
        - h0, c0: (B, H) starting states; zeros when None
        Returns (hs, (h_T, c_T)): hs (T, B, H) and the final states, each (B, H).
        Records every step in ``self.trace``. The trace keeps its own copies of xs, h0
        and c0, and everything in it, the returned arrays included, is read-only, so
        nothing done to them can change what ``backward`` computes; write
        ``np.array(hs)`` for a copy you may change.
        """
        W, b, H = self.params["W"], self.params["b"], self.hidden_size
        dtype = W.dtype
        xs = recurrent.check_sequence(xs, self.input_size, dtype)
        T, B, _ = xs.shape
        h0 = recurrent.initial_state("h0", h0, B, H, dtype)
        c0 = recurrent.initial_state("c0", c0, B, H, dtype)
        s = self._s

        # Project the x half of W z_t for all steps at once (pre-scaled by s, see
        # __init__); the loop then turns each step's slice into that step's gates in
        # place, so `gates` ends up holding f, i, c̃, o side by side, (T, B, 4H).
        gates = recurrent.project_inputs(xs, W[:, H:] * s[:, None], b * s)
        W_h_T = (W[:, :H] * s[:, None]).T.copy()          # (H, 4H): the h half, pre-scaled
        offset = 1 - s
        c = np.empty((T, B, H), dtype=dtype)
        tanh_c = np.empty_like(c)
        h = np.empty_like(c)
        Wh_h = np.empty((B, 4 * H), dtype=dtype)
        i_c_tilde = np.empty((B, H), dtype=dtype)

        h_prev, c_prev = h0, c0
        # Iterating over zipped arrays hands out each step's slices, views into gates,
        # c, tanh_c and h: cheaper than indexing and slicing them one by one, which
        # counts at batch 1, where the number of numpy calls per step sets the time.
        blocks = (gates[..., k * H : (k + 1) * H] for k in range(4))    # f, i, c̃, o
        steps = zip(gates, *blocks, c, tanh_c, h, strict=True)
        for g, f, i, c_tilde, o, c_t, tanh_c_t, h_t in steps:
            np.dot(h_prev, W_h_T, out=Wh_h)               # np.dot: half matmul's call cost
            g += Wh_h
            np.tanh(g, out=g)                             # all four gates in one call
            g *= s
            g += offset
            if not self.forget_gate:
                f[...] = 1.0                              # no gate: the belt keeps everything
            np.multiply(f, c_prev, out=c_t)               # erase ...
            np.multiply(i, c_tilde, out=i_c_tilde)
            c_t += i_c_tilde                              # ... then add
            np.tanh(c_t, out=tanh_c_t)
            np.multiply(o, tanh_c_t, out=h_t)
            h_prev, c_prev = h_t, c_t

        recurrent.frozen(gates, c, tanh_c, h)
        self.trace = LSTMTrace(xs=xs, h0=h0, c0=c0, gates=gates, c=c, tanh_c=tanh_c, h=h)
        return h, (h[-1], c[-1])                          # read-only views of the trace

    def backward(self, dhs):
        """Backpropagate through time.

        Inputs:
        - dhs: ∂L/∂h_t coming from above (e.g. a readout head) at every step, (T, B, H);
          zeros at steps the loss does not read
        Returns dxs (T, B, X). Fills ``self.grads`` and ``self.trace.dh``/``.dc``.
        """
        tr = self.trace
        if tr is None:
            raise RuntimeError("backward: call forward first; there is no recorded sequence")
        W, H = self.params["W"], self.hidden_size
        dhs = recurrent.check_upstream("dhs", dhs, tr.h.shape, W.dtype)
        T, B, _ = dhs.shape

        # Local slopes for every step at once, outside the loop.
        slope = np.subtract(1, tr.gates)                  # σ' = σ(1 − σ) for f, i, o
        slope *= tr.gates                                 # (in place: no second big temporary)
        # (a fixed f = 1 gets slope 1·(1 − 1) = 0: its unused weights get no gradient)
        slope_c = slope[..., 2 * H : 3 * H]              # c̃'s block of it, a view
        np.multiply(tr.c_tilde, tr.c_tilde, out=slope_c)
        np.subtract(1, slope_c, out=slope_c)              # tanh' = 1 − tanh² for c̃
        dtanh_c = tr.tanh_c * tr.tanh_c
        np.subtract(1, dtanh_c, out=dtanh_c)
        # What ∂L/∂c_t multiplies to reach f, i and c̃ (c = f ⊙ c_prev + i ⊙ c̃): c_prev,
        # c̃ and i, copied side by side as (T, B, 3, H), so that one call per step forms
        # all three (the same products in the same order as step_backward: equal bits).
        partners = np.empty((T, B, 3, H), dtype=W.dtype)
        partners[:, :, 0], partners[:, :, 1], partners[:, :, 2] = tr.c_prev, tr.c_tilde, tr.i

        da = np.empty_like(tr.gates)                      # ∂L/∂(W z_t + b), (T, B, 4H)
        dh = np.empty_like(tr.h)
        dc = np.empty_like(tr.c)
        dh_next = np.zeros((B, H), dtype=W.dtype)         # from step t+1 through h_t
        dc_next = np.zeros((B, H), dtype=W.dtype)         # from step t+1 along the belt
        W_h = np.ascontiguousarray(W[:, :H])              # (4H, H); contiguous is ~1.5x faster
        da4 = da.reshape(T, B, 4, H)                      # gate block k of step t: da4[t, :, k]

        # Iterating over zipped arrays hands out each step's slices: cheaper than
        # indexing them one by one, which counts at batch 1, where calls dominate.
        steps = zip(dhs[::-1], dh[::-1], dc[::-1], da[::-1], da4[::-1], partners[::-1],
                    slope[::-1], tr.o[::-1], tr.f[::-1], tr.tanh_c[::-1], dtanh_c[::-1],
                    strict=True)
        for dhs_t, dh_t, dc_t, d, d4, partners_t, slope_t, o_t, f_t, tanh_c_t, dtanh_c_t in steps:
            np.add(dhs_t, dh_next, out=dh_t)              # h_t feeds the loss and step t+1
            np.multiply(dh_t, o_t, out=dc_t)              # h = o·tanh(c)
            dc_t *= dtanh_c_t
            dc_t += dc_next                               # c_t also feeds c_{t+1}
            np.multiply(dc_t[:, None, :], partners_t, out=d4[:, :3])   # ∂/∂f, ∂/∂i, ∂/∂c̃
            np.multiply(dh_t, tanh_c_t, out=d4[:, 3])     # ∂/∂o
            d *= slope_t                                  # through the squashes
            np.multiply(dc_t, f_t, out=dc_next)           # ∂c_t/∂c_{t-1} = f_t
            np.dot(d, W_h, out=dh_next)                   # back into h_{t-1} via z

        tr.dh, tr.dc, tr.dh0, tr.dc0 = recurrent.frozen(dh, dc, dh_next, dc_next)
        # dW = Σ_t da_tᵀ z_t and db = Σ_t da_t, summed over all steps in one product each
        return recurrent.fill_weight_grads(self.grads, tr.h_prev, tr.xs, da, W)


GATES = ("f", "i", "c_tilde", "o")


def forward_pinned(cell: LSTM, xs, *, gate: str, unit: int, value: float,
                   where=None) -> LSTMTrace:
    """Run ``cell`` over a sequence with one gate of one slot held at a fixed value: an
    ablation, to ask what that gate does there.

    Inputs:
    - cell: an LSTM; xs: (T, B, X), time-major; the run starts from h_0 = c_0 = 0
    - gate: "f", "i", "c_tilde" or "o"; unit: the slot j, 0 ≤ j < H
    - value: what the gate is held at (0 shuts an input gate; 1 keeps a whole slot)
    - where: (T, B) bools, the steps and sequences at which it is held; None: everywhere
    Returns the run's LSTMTrace (f, i, c_tilde, o, c, h, each (T, B, H)). Every step is
    ``cell.step``, with that one gate replaced before c_t and h_t are formed, so the
    change reaches the later steps through c and h like any other. ``cell.trace`` is
    left as it was.
    """
    W, H = cell.params["W"], cell.hidden_size
    xs = recurrent.check_sequence(xs, cell.input_size, W.dtype)
    T, B, _ = xs.shape
    if gate not in GATES:
        raise ValueError(f"gate: expected one of {GATES}, got {gate!r}")
    if isinstance(unit, bool) or not isinstance(unit, int | np.integer) or not 0 <= unit < H:
        raise ValueError(f"unit: expected an int from 0 to {H - 1}, got {unit!r}")
    value = validate.finite_float("value", value)
    where = np.ones((T, B), dtype=bool) if where is None else np.asarray(where)
    if where.shape != (T, B) or where.dtype != bool:
        raise ValueError(f"where: expected bools of shape (T, B) = ({T}, {B}), got "
                         f"{where.dtype} {where.shape}")
    h = c = np.zeros((B, H), dtype=W.dtype)
    gates, cs, hs = [], [], []
    for t in range(T):
        step = cell.step(xs[t], h, c)
        g = {name: getattr(step, name).copy() for name in GATES}     # each (B, H)
        g[gate][where[t], unit] = value
        c = g["f"] * step.c_prev + g["i"] * g["c_tilde"]             # erase, then add
        h = g["o"] * np.tanh(c)
        gates.append(np.concatenate([g[name] for name in GATES], axis=1))
        cs.append(c)
        hs.append(h)
    c = np.stack(cs)
    zeros = np.zeros((B, H), dtype=W.dtype)
    return LSTMTrace(xs=xs, h0=zeros, c0=zeros, gates=np.stack(gates), c=c, tanh_c=np.tanh(c),
                     h=np.stack(hs))
