"""Notebook 05: the LSTM cell drawn as wiring, and its three valves at work on one memory.

- draw_cell: the cell as a diagram: the belt c along the top, z = [h_{t-1}, x_t] at the
  bottom, the four small layers between them, h_t leaving at the bottom right
- valve_run: a hand-set cell with one memory slot (H = 1) reading a scripted sequence:
  a value to store, distractors (or silence), then a cue to read the memory out

Steps are counted from 1, as in notebook 03: step t reads x_t and writes c_t, h_t, and the
memory starts empty (c_0 = h_0 = 0). Every trace is an array, so step t is row t − 1.
- ValveExplorer: one slider per gate bias; live traces of f, i, o, c̃, c and h
"""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as W
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Circle, Ellipse, FancyBboxPatch

from .. import validate
from ..lstm import LSTM
from ..seeding import rng_from
from .live import LiveWidget

VALVE_T = 24                 # steps in the scripted sequence, t = 1 … 24
WRITE_STEP = 2               # the step t whose value the cell should store (row 1)
READ_STEP = 20               # the step t at which it should show what it stored (row 19)
PULSE = 1.0                  # the value presented at WRITE_STEP
FLAG_WEIGHT = 10.0           # a raised flag adds this to its gate's pre-activation
CONTENT_WEIGHT = 2.0         # the candidate is c̃ = tanh(2 · value)
DEFAULT_BIASES = {"b_f": 6.0, "b_i": -5.0, "b_o": -5.0}
"""The hand-set cell: f = σ(6) ≈ 0.998 at every step; i and o = σ(−5) ≈ 0.007 until
their flag adds 10, then σ(5) ≈ 0.993."""
BIAS_RANGE = (-15.0, 15.0)   # the explorer's sliders


def valve_inputs(*, distractors: bool = True, seed=0) -> np.ndarray:
    """The scripted sequence, xs (T, 3): row t − 1 is step t; columns value, write flag,
    read flag.

    The value is PULSE at WRITE_STEP, where the write flag is 1; at every other step it
    is a distractor drawn uniformly from [−1, 1] (or 0 when ``distractors`` is False).
    The read flag is 1 at READ_STEP only.
    """
    xs = np.zeros((VALVE_T, 3))
    if distractors:
        xs[:, 0] = rng_from(seed).uniform(-1.0, 1.0, VALVE_T)
    xs[WRITE_STEP - 1, :2] = PULSE, 1.0
    xs[READ_STEP - 1, 2] = 1.0
    return xs


def valve_cell(b_f: float, b_i: float, b_o: float) -> LSTM:
    """An LSTM(3, 1) with hand-set weights and the three gate biases given.

    W (4H, H + X) = (4, 4), rows f, i, c̃, o; columns h, value, write flag, read flag.
    Every weight is 0 except three: the write flag opens the input gate, the read flag
    opens the output gate (FLAG_WEIGHT each), and the value is the candidate's content
    (CONTENT_WEIGHT). The gates ignore h_{t-1}, so each one's behaviour stays readable.
    """
    b_f, b_i, b_o = (validate.finite_float(name, v) for name, v in
                     (("b_f", b_f), ("b_i", b_i), ("b_o", b_o)))
    cell = LSTM(3, 1, seed=0)
    W = cell.params["W"]
    W[:] = 0.0
    W[1, 2] = FLAG_WEIGHT        # input gate i <- write flag
    W[2, 1] = CONTENT_WEIGHT     # candidate c̃ <- value
    W[3, 3] = FLAG_WEIGHT        # output gate o <- read flag
    cell.params["b"][:] = b_f, b_i, 0.0, b_o
    return cell


@dataclass
class ValveRun:
    """One pass of the hand-set cell over the script; every trace is (T,), row t − 1 for
    step t.

    ``written`` is what step WRITE_STEP added to the memory, i·c̃ there; ``kept`` is what
    is left of it in c at READ_STEP, written × f over the steps after the write up to the
    read; ``c_read`` and ``h_read`` are the memory and the output at READ_STEP (c_read is
    kept plus whatever the other steps wrote).
    """

    biases: dict
    xs: np.ndarray               # (T, 3)
    f: np.ndarray
    i: np.ndarray
    c_tilde: np.ndarray
    o: np.ndarray
    c: np.ndarray
    h: np.ndarray

    @property
    def written(self) -> float:
        return float(self.i[WRITE_STEP - 1] * self.c_tilde[WRITE_STEP - 1])

    @property
    def kept(self) -> float:
        return self.written * float(np.prod(self.f[WRITE_STEP:READ_STEP]))   # steps write+1 … read

    @property
    def c_read(self) -> float:
        return float(self.c[READ_STEP - 1])

    @property
    def h_read(self) -> float:
        return float(self.h[READ_STEP - 1])

    def verdict(self) -> str:
        """What became of the pulse, in words."""
        c_tilde = self.c_tilde[WRITE_STEP - 1]
        if abs(self.written) < 0.1 * abs(c_tilde):
            return "the input gate stayed shut: the value was never written"
        if abs(self.kept) < 0.1 * abs(self.written):
            return "the forget gate wiped the memory before the cue"
        if abs(self.c_read - self.kept) > 0.5 * abs(self.kept):
            return "distractors written on top bury the stored value"
        faded = abs(self.kept) < 0.5 * abs(self.written)
        if self.o[READ_STEP - 1] < 0.1:
            return ("the memory is still there, but the output gate hides it (h ≈ 0)"
                    if not faded else "the memory faded, and the output gate hides the rest")
        if faded:
            return "the memory faded: every f below 1 shrinks it a little more"
        return "the value was kept and is shown at the cue"


def valve_run(b_f: float = DEFAULT_BIASES["b_f"], b_i: float = DEFAULT_BIASES["b_i"],
              b_o: float = DEFAULT_BIASES["b_o"], *, distractors: bool = True,
              seed=0) -> ValveRun:
    """Run ``valve_cell(b_f, b_i, b_o)`` over ``valve_inputs(...)``, from h0 = c0 = 0.

    Any finite biases are safe: the gates only saturate toward 0 or 1.
    """
    cell = valve_cell(b_f, b_i, b_o)
    xs = valve_inputs(distractors=distractors, seed=seed)
    cell.forward(xs[:, None, :])                          # (T, B=1, X=3)
    tr = cell.trace
    return ValveRun(biases={"b_f": b_f, "b_i": b_i, "b_o": b_o}, xs=xs,
                    **{name: getattr(tr, name)[:, 0, 0].copy()
                       for name in ("f", "i", "c_tilde", "o", "c", "h")})


def describe_valves(run: ValveRun) -> str:
    """The explorer's readout: the biases, what was written and kept, and the verdict."""
    def num(v, digits=2):                # with a true minus sign, as the sliders show it
        return f"{v:.{digits}f}".replace("-", "−")

    b = run.biases
    leak = np.delete(run.o, READ_STEP - 1).max()
    shown = "; the output gate is open at other steps too" if leak > 0.5 else ""
    return (f"<b>b<sub>f</sub> = {num(b['b_f'], 1)}, b<sub>i</sub> = {num(b['b_i'], 1)}, "
            f"b<sub>o</sub> = {num(b['b_o'], 1)}</b>: f = {num(run.f[0], 3)} at every step · "
            f"written at step {WRITE_STEP}: {num(run.written)} · at the cue (step {READ_STEP}) "
            f"c = {num(run.c_read)}, of which {num(run.kept)} is the stored value, "
            f"h = {num(run.h_read)} · <i>{run.verdict()}{shown}</i>")


class ValveExplorer(LiveWidget):
    """Three sliders, the biases b_f, b_i, b_o of the hand-set cell, and a distractors box;
    the inputs, the three valves, and c̃, c, h over the scripted sequence.

    Attributes: ``b_f``, ``b_i``, ``b_o`` (sliders), ``distractors`` (Checkbox),
    ``run`` (the ValveRun shown), ``readout``, ``fig``.
    """

    def __init__(self, b_f: float = DEFAULT_BIASES["b_f"], b_i: float = DEFAULT_BIASES["b_i"],
                 b_o: float = DEFAULT_BIASES["b_o"], *, distractors: bool = True):
        style = {"description_width": "8em"}

        def slider(name, value, description):
            return W.FloatSlider(value=validate.in_range(name, value, *BIAS_RANGE),
                                 min=BIAS_RANGE[0], max=BIAS_RANGE[1], step=0.5,
                                 description=description, style=style,
                                 layout=W.Layout(width="420px"), readout_format=".1f")

        self.b_f = slider("b_f", b_f, "forget bias b_f")
        self.b_i = slider("b_i", b_i, "input bias b_i")
        self.b_o = slider("b_o", b_o, "output bias b_o")
        self.distractors = W.Checkbox(value=bool(distractors),
                                      description="distractors between write and read",
                                      indent=False)
        super().__init__("ll-valve-explorer", figsize=(7.6, 5.4))
        run = self.run = valve_run(b_f, b_i, b_o, distractors=bool(distractors))
        ax_x, ax_g, ax_c = self.fig.subplots(3, 1, sharex=True,
                                             gridspec_kw={"height_ratios": [1, 1.3, 1.5]})
        t = np.arange(1, VALVE_T + 1)                     # steps counted from 1
        for ax in (ax_x, ax_g, ax_c):
            for step, color in ((WRITE_STEP, "C2"), (READ_STEP, "C4")):
                ax.axvspan(step - 0.4, step + 0.4, color=color, alpha=0.15, lw=0)
            ax.spines[["top", "right"]].set_visible(False)
            ax.grid(axis="y", color="0.92")
        ax_x.text(WRITE_STEP, 1.25, "write", color="C2", ha="center", fontsize=9)
        ax_x.text(READ_STEP, 1.25, "read", color="C4", ha="center", fontsize=9)
        self._stems = ax_x.vlines(t, 0, run.xs[:, 0], color="0.35", lw=2)
        ax_x.axhline(0, color="0.6", lw=0.8)
        ax_x.set(ylim=(-1.15, 1.15), yticks=[-1, 0, 1], ylabel="value x")

        self._gates = {}
        for k, (name, label, color) in enumerate((("f", "forget f", "C1"),
                                                  ("i", "input i", "C2"),
                                                  ("o", "output o", "C4"))):
            (self._gates[name],) = ax_g.plot(t, getattr(run, name), color=color, lw=2,
                                             marker=".")
            _key(ax_g, k, label, color=color, lw=2)
        ax_g.set(ylim=(-0.05, 1.05), yticks=[0, 0.5, 1], ylabel="valves")

        self._traces = {}
        for k, (name, label, style_) in enumerate((
                ("c_tilde", "candidate c̃", {"color": "0.55", "ls": ":", "lw": 1.5}),
                ("c", "memory c", {"color": "C0", "lw": 2.5}),
                ("h", "output h", {"color": "C3", "lw": 2}))):
            (self._traces[name],) = ax_c.plot(t, getattr(run, name), **style_)
            _key(ax_c, k, label, **style_)
        ax_c.axhline(0, color="0.6", lw=0.8)
        ax_c.set(xlabel="step t (counted from 1; the memory starts at c$_0$ = 0)",
                 ylabel="c̃, c, h", xlim=(0.4, VALVE_T + 0.6), xticks=[1, 5, 10, 15, 20, 24])
        for ax in (ax_x, ax_g):
            ax.tick_params(axis="x", bottom=False)
        self._ax_c = ax_c
        self._show([self.b_f, self.b_i, self.b_o, self.distractors])

    def _update(self, _change=None):
        run = self.run = valve_run(self.b_f.value, self.b_i.value, self.b_o.value,
                                   distractors=self.distractors.value)
        self._stems.set_segments([[(t, 0.0), (t, v)]
                                  for t, v in enumerate(run.xs[:, 0], start=1)])
        for name, line in self._gates.items():
            line.set_ydata(getattr(run, name))
        for name, line in self._traces.items():
            line.set_ydata(getattr(run, name))
        top = max(1.1, 1.1 * float(np.abs(run.c).max()))   # c can pile up past 1
        if top != self._ax_c.get_ylim()[1]:             # new limits mean new ticks: only then
            self._ax_c.set_ylim(-top, top)
        self.readout.value = describe_valves(run)
        self._redraw()


def _key(ax, k, label, **style):
    """Entry k of a legend drawn by hand right of the axes: a short line and its label.

    Plain lines and text redraw about twice as fast as a matplotlib Legend.
    """
    y = 0.9 - 0.2 * k
    ax.plot([1.02, 1.08], [y, y], transform=ax.transAxes, clip_on=False, **style)
    ax.text(1.1, y, label, transform=ax.transAxes, va="center", fontsize=8)


def _arrow(ax, start, end, color="0.3", lw=1.3):
    ax.annotate("", xy=end, xytext=start,
                arrowprops={"arrowstyle": "-|>", "color": color, "lw": lw,
                            "shrinkA": 0, "shrinkB": 0, "mutation_scale": 10})


def _node(ax, xy, symbol, color="0.2"):
    ax.add_patch(Circle(xy, 0.27, facecolor="white", edgecolor=color, lw=1.5, zorder=3))
    ax.text(*xy, symbol, ha="center", va="center", fontsize=13, zorder=4, color=color)


def draw_cell(*, figsize=(8.2, 4.7)):
    """The LSTM cell as wiring: z feeds four small layers, the belt c runs along the top.

    Returns the figure.
    """
    belt, wire = "#c77c02", "0.3"
    fig, ax = plt.subplots(figsize=figsize)
    ax.plot([0.9, 11.0], [6, 6], color=belt, lw=4, solid_capstyle="butt", zorder=1)
    _arrow(ax, (10.9, 6), (11.3, 6), color=belt, lw=4)
    ax.text(0.8, 6, "c$_{t-1}$", ha="right", va="center", fontsize=12, color=belt)
    ax.text(11.45, 6, "c$_t$", ha="left", va="center", fontsize=12, color=belt)
    ax.text(6.0, 6.55, "the belt: long-term memory, only multiplied by f and added to",
            ha="center", fontsize=9, color=belt)

    # z = [h_{t-1}, x_t], the one input every small layer reads
    ax.add_patch(FancyBboxPatch((1.25, 1.25), 1.55, 0.7, boxstyle="round,pad=0.05",
                                facecolor="#e8eef7", edgecolor=wire))
    ax.text(2.025, 1.6, "z$_t$ = [h$_{t-1}$, x$_t$]", ha="center", va="center", fontsize=9)
    ax.plot([0.6, 0.9, 0.9], [0.5, 0.5, 1.6], color="C3", lw=1.8)
    _arrow(ax, (0.9, 1.6), (1.18, 1.6), color="C3", lw=1.8)
    ax.text(0.55, 0.5, "h$_{t-1}$", ha="right", va="center", fontsize=12, color="C3")
    _arrow(ax, (2.025, 0.1), (2.025, 1.18))
    ax.text(2.125, 0.25, "x$_t$", ha="left", va="center", fontsize=12)
    ax.plot([2.87, 8.3], [1.6, 1.6], color=wire, lw=1.3)

    # the four small layers, each σ(W z + b) or tanh(W z + b)
    gates = ((3.5, "σ", "f$_t$ forget"), (5.1, "σ", "i$_t$ input"),
             (6.7, "tanh", "c̃$_t$ candidate"), (8.3, "σ", "o$_t$ output"))
    for x, squash, name in gates:
        _arrow(ax, (x, 1.6), (x, 2.55))
        ax.add_patch(FancyBboxPatch((x - 0.45, 2.6), 0.9, 0.8, boxstyle="round,pad=0.04",
                                    facecolor="#fde9b6", edgecolor=wire, zorder=2))
        ax.text(x, 3.0, squash, ha="center", va="center", fontsize=12, zorder=3)
        ax.text(x, 2.35, name, ha="center", va="top", fontsize=8, color="0.25",
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5})

    # erase: f ⊙ c_{t-1}
    _arrow(ax, (3.5, 3.45), (3.5, 5.7))
    _node(ax, (3.5, 6), "×")
    ax.text(3.65, 5.2, "erase\nf ⊙ c$_{t-1}$", ha="left", va="center", fontsize=8,
            color="0.25")
    # write: i ⊙ c̃, added to the belt
    _node(ax, (5.9, 4.6), "×")
    _arrow(ax, (5.1, 3.45), (5.72, 4.38))
    _arrow(ax, (6.7, 3.45), (6.08, 4.38))
    _arrow(ax, (5.9, 4.9), (5.9, 5.7))
    _node(ax, (5.9, 6), "+")
    ax.text(6.05, 5.2, "add\ni ⊙ c̃", ha="left", va="center", fontsize=8, color="0.25")
    # reveal: h_t = o ⊙ tanh(c_t)
    ax.plot([9.8, 9.8], [6, 5.15], color=belt, lw=1.8)
    ax.add_patch(Ellipse((9.8, 4.75), 0.95, 0.6, facecolor="#fde9b6", edgecolor=wire))
    ax.text(9.8, 4.75, "tanh", ha="center", va="center", fontsize=10)
    _arrow(ax, (9.8, 4.44), (9.8, 3.3))
    _arrow(ax, (8.76, 3.0), (9.52, 3.0))
    _node(ax, (9.8, 3.0), "×")
    ax.text(9.95, 3.75, "reveal\nh = o ⊙ tanh(c)", ha="left", va="center", fontsize=8,
            color="0.25")
    ax.plot([9.8, 9.8, 11.0], [2.72, 0.5, 0.5], color="C3", lw=1.8)
    _arrow(ax, (10.9, 0.5), (11.3, 0.5), color="C3", lw=1.8)
    ax.text(11.45, 0.5, "h$_t$", ha="left", va="center", fontsize=12, color="C3")
    ax.text(10.6, 0.1, "output, and next step's h$_{t-1}$", ha="center", va="top",
            fontsize=8, color="C3")

    ax.set(xlim=(-0.2, 12.4), ylim=(-0.35, 6.9), aspect="equal")
    ax.axis("off")
    fig.tight_layout()
    return fig
