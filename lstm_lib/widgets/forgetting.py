"""Notebook 04: why the simple loop forgets. Repeated factors, real Jacobian products,
and the figures of its training runs.

- PowerExplorer: a factor raised to the power k, for k = 0..n, on a log scale
- JacobianExplorer: ‖∂h_T/∂h_t‖ of a tanh RNN whose W_h has a chosen largest singular
  value σ₁, against the bound σ₁^(T−t) (lstm_lib.jacobians.jacobian_norm_curve)
- plot_training: loss and gradient norm per step of several ll.fit runs
- plot_agreement: agreement accuracy by attractors and by distance
  (lstm_lib.metrics.accuracy_by)
- plot_budget: many runs measured as they train, at several budgets
  (lstm_lib.metrics.budget_summary)
"""

from __future__ import annotations

import math

import ipywidgets as W
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MaxNLocator

from .. import validate
from ..jacobians import jacobian_norm_curve
from .live import LiveWidget

FLOAT64_MAX_LOG10 = math.log10(np.finfo(np.float64).max)          # ≈ 308.25
FLOAT64_MIN_LOG10 = math.log10(np.finfo(np.float64).smallest_subnormal)   # ≈ −323.3


def power_curve(factor: float, n: int):
    """factor^k for k = 0..n: returns k (n + 1,) ints and values (n + 1,) floats.

    Values beyond float64's range come back as inf (or 0) without a warning;
    ``describe_power`` says so in words.
    """
    factor = validate.positive_float("factor", factor)
    n = validate.positive_int("n", n)
    k = np.arange(n + 1)
    with np.errstate(over="ignore", under="ignore"):
        return k, np.power(factor, k.astype(np.float64))


def steps_to_leave(factor: float, ratio: float = 100.0) -> int | None:
    """How many multiplications by ``factor`` shrink a signal below 1/ratio of its size
    (factor < 1) or grow it beyond ratio times (factor > 1); None for factor 1."""
    factor = validate.positive_float("factor", factor)
    ratio = validate.positive_float("ratio", ratio)
    if factor == 1.0:
        return None
    return math.floor(math.log(ratio) / abs(math.log(factor))) + 1


def describe_power(factor: float, n: int) -> str:
    """The explorer's readout: factor^n in numbers, and how fast the factor compounds."""
    factor = validate.positive_float("factor", factor)
    n = validate.positive_int("n", n)
    log10_value = n * math.log10(factor)
    power = f"{factor:.2f}<sup>{n}</sup>"
    if log10_value > FLOAT64_MAX_LOG10:
        value = (f"about 10<sup>{log10_value:.0f}</sup>, beyond float64's largest "
                 f"number (about 1.8e308)")
    elif log10_value < FLOAT64_MIN_LOG10:
        value = f"about 10<sup>{log10_value:.0f}</sup>, below float64's smallest number"
    else:
        value = f"{factor**n:.3g}"
    k = steps_to_leave(factor)
    if k is None:
        pace = "a factor of exactly 1 keeps the signal as it is, forever"
    elif factor < 1:
        pace = f"the signal falls below 1% of its size after {k} steps"
    else:
        pace = f"the signal grows past 100 times its size after {k} steps"
    return f"<b>{power} = {value}</b> · {pace}"


class PowerExplorer(LiveWidget):
    """Sliders for a factor (0.5–1.5) and a number of steps n (1–500); the curve
    factor^k for k = 0..n on a log scale.

    Every setting stays inside float64: the extremes are 0.5^500 ≈ 3e-151 and
    1.5^500 ≈ 1.1e88. Attributes: ``factor``, ``n`` (sliders), ``readout``, ``fig``.
    """

    FACTOR_RANGE = (0.5, 1.5)
    N_RANGE = (1, 500)

    def __init__(self, factor: float = 0.9, n: int = 100):
        factor = validate.in_range("factor", factor, *self.FACTOR_RANGE)
        n = int(validate.in_range("n", validate.positive_int("n", n), *self.N_RANGE))
        style = {"description_width": "6em"}
        layout = W.Layout(width="420px")
        self.factor = W.FloatSlider(value=factor, min=self.FACTOR_RANGE[0],
                                    max=self.FACTOR_RANGE[1], step=0.01, description="factor",
                                    style=style, layout=layout, readout_format=".2f")
        self.n = W.IntSlider(value=n, min=self.N_RANGE[0], max=self.N_RANGE[1],
                             description="steps n", style=style, layout=layout)
        super().__init__("ll-power-explorer", figsize=(6.4, 3.2))
        ax = self._ax = self.fig.add_subplot()
        ax.set_yscale("log")
        ax.axhline(1.0, color="0.7", lw=0.8)
        (self._curve,) = ax.plot([0, 1], [1, 1], color="C0", lw=2)
        (self._end,) = ax.plot([1], [1], "o", color="C3", ms=6)
        ax.set(xlabel="steps k", ylabel="factor$^k$")
        ax.spines[["top", "right"]].set_visible(False)
        self._show([self.factor, self.n])

    def _update(self, _change=None):
        factor, n = self.factor.value, self.n.value
        k, values = power_curve(factor, n)
        self._curve.set_data(k, values)
        self._end.set_data([n], [values[-1]])
        low, high = min(values.min(), 1.0), max(values.max(), 1.0)
        self._ax.set_xlim(0, 1.03 * n)              # room for the end marker
        self._ax.set_ylim(low / 10, high * 10)
        self.readout.value = describe_power(factor, n)
        self._redraw()


def describe_jacobians(sigma1: float, input_size: float, curve: dict) -> str:
    """The explorer's readout: how far back the gradient reaches, and the bound."""
    far = int(curve["distance"][-1])
    norm, bound = curve["norms"][-1], curve["bound"][-1]
    if norm < 1e-2:
        verdict = "vanishes"
    elif norm > 1e2:
        verdict = "explodes"
    else:
        verdict = "neither vanishes nor explodes (yet)"
    return (f"<b>σ₁ = {sigma1:.2f}, inputs of size {input_size:g}</b>: {far} steps back "
            f"the gradient is scaled by {norm:.2g} (the bound allows {bound:.2g}): it "
            f"{verdict} · mean tanh′ {curve['mean_slope']:.2f} · ρ (largest |eigenvalue| "
            f"of W<sub>h</sub>) {curve['rho']:.2f}")


class JacobianExplorer(LiveWidget):
    """A slider for σ₁, the largest singular value of W_h (0.5–3), and one for the size
    of the inputs; ‖∂h_T/∂h_t‖ against T − t from real Jacobian products, with the
    bound σ₁^(T−t).

    Each redraw runs the RNN and multiplies its Jacobians (a few milliseconds).
    Attributes: ``sigma1``, ``input_size`` (sliders), ``readout``, ``fig``, ``curve``
    (what is drawn, from ``jacobian_norm_curve``).
    """

    SIGMA_RANGE = (0.5, 3.0)
    INPUT_SIZES = (0.0, 0.01, 0.1, 0.3, 1.0, 3.0)

    def __init__(self, sigma1: float = 1.0, input_size: float = 1.0, *, hidden: int = 32,
                 steps: int = 60, seed=0):
        sigma1 = validate.in_range("sigma1", sigma1, *self.SIGMA_RANGE)
        if input_size not in self.INPUT_SIZES:
            raise ValueError(f"input_size: expected one of {self.INPUT_SIZES}, got {input_size}")
        self._settings = {"hidden": validate.positive_int("hidden", hidden),
                          "steps": validate.positive_int("steps", steps), "seed": seed}
        style = {"description_width": "7em"}
        layout = W.Layout(width="420px")
        self.sigma1 = W.FloatSlider(value=sigma1, min=self.SIGMA_RANGE[0],
                                    max=self.SIGMA_RANGE[1], step=0.05, description="σ₁ of W_h",
                                    style=style, layout=layout, readout_format=".2f")
        self.input_size = W.SelectionSlider(options=self.INPUT_SIZES, value=input_size,
                                            description="input size", style=style,
                                            layout=layout)
        super().__init__("ll-jacobian-explorer", figsize=(6.4, 3.4))
        ax = self._ax = self.fig.add_subplot()
        ax.set_yscale("log")
        ax.axhline(1.0, color="0.7", lw=0.8)
        distance = np.arange(steps + 1)
        (self._bound,) = ax.plot(distance, np.ones(steps + 1), color="0.45", ls="--", lw=1.3,
                                 label="bound σ₁$^{T-t}$")
        (self._norms,) = ax.plot(distance, np.ones(steps + 1), color="C0", lw=2.2,
                                 label="measured ‖∂h$_T$/∂h$_t$‖")
        ax.set(xlim=(0, steps), xlabel="steps back, T − t", ylabel="gradient scale")
        ax.spines[["top", "right"]].set_visible(False)
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, fontsize=8,
                  frameon=False)
        self._show([self.sigma1, self.input_size])

    def _update(self, _change=None):
        sigma1, size = self.sigma1.value, self.input_size.value
        self.curve = jacobian_norm_curve(sigma1, size, **self._settings)
        # a slope of exactly 0 (tanh saturated to ±1.0) would give a norm of 0: floor it
        norms = np.maximum(self.curve["norms"], np.finfo(np.float64).tiny)
        self._norms.set_ydata(norms)
        self._bound.set_ydata(self.curve["bound"])
        low = min(norms.min(), self.curve["bound"].min(), 1.0)
        high = max(norms.max(), self.curve["bound"].max(), 1.0)
        self._ax.set_ylim(low / 10, high * 10)
        self.readout.value = describe_jacobians(sigma1, size, self.curve)
        self._redraw()


def trailing_mean(values, window: int) -> np.ndarray:
    """For each step, the mean of the last ``window`` values up to it (fewer at the
    start): (n,) -> (n,)."""
    values = np.asarray(values, dtype=np.float64)
    window = validate.positive_int("window", window)
    sums = np.cumsum(np.concatenate([[0.0], values]))
    ends = np.arange(1, len(values) + 1)
    starts = np.maximum(ends - window, 0)
    return (sums[ends] - sums[starts]) / (ends - starts)


def _decade_ticks(ax, low: float, high: float, *, most: int = 7) -> None:
    """Put ax's y ticks at whole decades in [low, high] (values are log₁₀), labelled
    10^k: at most ``most`` of them, and the range widened to hold at least two, and
    down to the decade below when more than a third of a decade would go unlabelled."""
    if math.ceil(low) - low > 1 / 3:
        low = math.floor(low)
    low, high = min(low, math.floor(high) - 1), max(high, math.ceil(low) + 1)
    decades = np.arange(math.ceil(low), math.floor(high) + 1)
    step = -(-len(decades) // most)                       # ceil: at most ``most`` ticks
    ax.set_ylim(low, high)
    ax.set_yticks(decades[::step], [f"$10^{{{d}}}$" for d in decades[::step]])


def plot_training(runs: dict, *, baseline: float | None = None, clip: float | None = None,
                  window: int = 25, figsize=(9, 3.5)):
    """Loss (left) and global gradient norm before clipping (right) per step, log scale.

    Inputs:
    - runs: {label: History from ll.fit}, one color per run. Each curve is the trailing
      mean of log₁₀ of the values over ``window`` steps (minibatch losses are noisy).
    - baseline: a loss level to draw dashed on the left (e.g. ADDING_BASELINE_MSE)
    - clip: the clipping threshold to draw dashed on the right
    The vertical range fits the runs that did not diverge; a run that diverged leaves
    through the top, where a note gives the step of its NaN. The axes show log₁₀ of
    each value with ticks labelled 10^k (matplotlib's log scale overflows, with
    warnings, on the values near 1e308 that an exploding run reaches). Returns the figure.
    """
    fig, (ax_loss, ax_grad) = plt.subplots(1, 2, figsize=figsize)
    for ax, key, level, name in ((ax_loss, "loss", baseline, "baseline"),
                                 (ax_grad, "grad_norm", clip, "clip threshold")):
        curves = []                                           # (history, color, label, log10)
        for k, (label, history) in enumerate(runs.items()):
            values = np.asarray(history[key], dtype=np.float64)
            usable = np.isfinite(values) & (values > 0)
            if not usable.all():
                values = values[:np.argmin(usable)]           # up to the first NaN or inf
            if len(values):
                curves.append((history, f"C{k}", label, trailing_mean(np.log10(values), window)))
        steady = [c[3] for c in curves if c[0].diverged_at is None] or [c[3] for c in curves]
        levels = [] if level is None else [math.log10(level)]
        low = min([c.min() for c in steady] + levels, default=0.0)
        high = max([c.max() for c in steady] + levels, default=1.0)
        top = high + max(0.15 * (high - low), 0.5)
        for history, color, label, smooth in curves:
            ax.plot(smooth, color=color, lw=1.6, label=label)
            if history.diverged_at is not None and smooth.max() > top:
                ax.annotate(f"off the chart: NaN at step {history.diverged_at}",
                            xy=(np.argmax(smooth > top), top), xytext=(6, -4),
                            textcoords="offset points", ha="left", va="top", fontsize=8,
                            color=color)
        if level is not None:
            ax.axhline(math.log10(level), color="0.4", ls="--", lw=1, label=name)
        _decade_ticks(ax, low - max(0.05 * (high - low), 0.2), top)
        ax.set(xlabel="training step",
               ylabel="loss" if key == "loss" else "gradient norm (before clipping)")
        ax.spines[["top", "right"]].set_visible(False)
    handles = ax_loss.get_legend_handles_labels()
    if clip is not None:                                  # the clip line lives on the right
        handles = [h + g[-1:] for h, g in zip(handles, ax_grad.get_legend_handles_labels(),
                                               strict=True)]
    n = len(handles[0])
    rows = 1 if n <= 5 else 2                             # a long legend takes two rows
    ncol = -(-n // rows)
    fig.legend(*handles, loc="upper center", ncol=ncol, fontsize=8, frameon=False)
    fig.tight_layout(rect=(0, 0, 1, 0.93 - 0.05 * rows))
    return fig


def plot_agreement(curves: dict, *, figsize=(9, 3.2)):
    """Agreement accuracy against the number of attractors (left) and the distance in
    words between subject and verb (right).

    curves: {label: {"attractors": {k: accuracy}, "distance": {d: accuracy}}}, one
    color per label. An accuracy may be one number or one per training run (a list):
    then each run is drawn faintly and their mean boldly. Chance (0.5) is dashed.
    Returns the figure.
    """
    fig, (ax_k, ax_d) = plt.subplots(1, 2, figsize=figsize)
    for k, (label, curve) in enumerate(curves.items()):
        for ax, key in ((ax_k, "attractors"), (ax_d, "distance")):
            xs = sorted(curve[key])
            ys = np.array([np.atleast_1d(curve[key][x]) for x in xs])    # (points, runs)
            if ys.shape[1] > 1:
                ax.plot(xs, ys, color=f"C{k}", lw=0.8, alpha=0.35)
            ax.plot(xs, ys.mean(axis=1), "o-", color=f"C{k}", lw=1.8, ms=5,
                    label=label if ys.shape[1] == 1 else f"{label} (mean of {ys.shape[1]} runs)")
    for ax, name in ((ax_k, "attractors (nouns of the other number in between)"),
                     (ax_d, "words between subject and verb")):
        ax.axhline(0.5, color="0.5", ls="--", lw=1)
        ax.set(ylim=(-0.03, 1.03), xlabel=name, ylabel="accuracy")
        ax.spines[["top", "right"]].set_visible(False)
    ax_k.set_xticks(sorted(next(iter(curves.values()))["attractors"]))
    ax_d.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax_k.text(ax_k.get_xlim()[1], 0.52, "chance", ha="right", va="bottom", fontsize=8,
              color="0.4")
    ax_k.legend(fontsize=8, frameon=False, loc="lower left")
    fig.tight_layout()
    return fig


def plot_budget(steps, curves: dict, *, budget: int | None = None,
                level: float | None = None, figsize=(9, 3.4)):
    """Accuracy against training steps, for several runs of several measurements.

    - steps (checkpoints,): when the runs were measured
    - curves: {label: accuracy (runs, checkpoints)}, one colour per label; each run is a
      faint line, their median a bold one
    - budget: a step count to mark with a vertical line; level: an accuracy to mark
    Chance (0.5) is dashed. Returns the figure.
    """
    steps = np.asarray(steps)
    fig, ax = plt.subplots(figsize=figsize)
    for k, (label, runs) in enumerate(curves.items()):
        runs = np.asarray(runs, dtype=np.float64)
        ax.plot(steps, runs.T, color=f"C{k}", lw=0.7, alpha=0.3)
        ax.plot(steps, np.median(runs, axis=0), color=f"C{k}", lw=2.2,
                label=f"{label} (median of {len(runs)} runs)")
    ax.axhline(0.5, color="0.5", ls="--", lw=1)
    ax.text(steps[-1], 0.52, "chance", ha="right", va="bottom", fontsize=8, color="0.4")
    if level is not None:
        ax.axhline(level, color="0.6", ls=":", lw=1)
    if budget is not None:
        ax.axvline(budget, color="0.3", ls=":", lw=1.2)
        ax.text(budget, 0.02, f" {budget} steps", ha="left", va="bottom", fontsize=8,
                color="0.3")
    ax.set(xlim=(0, steps[-1]), ylim=(-0.03, 1.03), xlabel="training steps",
           ylabel="accuracy")
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(fontsize=8, frameon=False, loc="lower right", bbox_to_anchor=(1, 0.06))
    fig.tight_layout()
    return fig
