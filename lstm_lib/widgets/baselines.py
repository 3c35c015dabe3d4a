"""Notebook 07: the figures of the baseline ladder and the explorer that shows them.

The ladder itself (its four models, how each is fit, chosen on validation and scored on
test by average precision) is described and computed in lstm_lib.ladder; this module
only draws its results.

The notebook computes every result the explorer can show; its controls only look them up.
"""

from __future__ import annotations

import ipywidgets as W
import matplotlib.pyplot as plt
import numpy as np

from .. import events, validate
from ..ladder import MODELS, LearningCurves
from .live import LiveWidget

LABELS = {"rule": "rule (one feature)", "logistic": "logistic regression",
          "boosting": "gradient-boosted trees", "lstm": "LSTM on the raw stream"}
COLORS = {"rule": "0.55", "logistic": "C0", "boosting": "C1", "lstm": "C3"}


# --- learning curves ----------------------------------------------------------------------


# --- the feature explosion ----------------------------------------------------------------


# --- figures ------------------------------------------------------------------------------

def plot_stream(stream, start: int = 0, length: int = 150, figsize=(9, 4.2)):
    """A stretch of a stream: the load and its 8-step mean, the event kinds that drive
    the two regimes (anomaly, X, Y) as ticks, and the true hazard with the positives
    that happened. Returns the figure."""
    stop = min(start + validate.positive_int("length", length), len(stream))
    t = np.arange(start, stop)
    fig, (ax_load, ax_ev, ax_p) = plt.subplots(3, 1, figsize=figsize, sharex=True,
                                               height_ratios=(1.2, 1, 1.2))
    load = stream.column("load")
    ax_load.plot(t, load[start:stop], color="0.6", lw=1, label="load")
    mean8 = events.rolling(load[:, None], events.LOAD_WINDOW, "mean")[start:stop, 0]
    ax_load.plot(t, mean8, color="C0", lw=1.8, label=f"mean of the last {events.LOAD_WINDOW}")
    ax_load.axhline(0, color="0.85", lw=0.8, zorder=0)
    ax_load.legend(loc="upper left", fontsize=7, frameon=False, ncol=2)
    ax_load.set_ylabel("load")
    kinds = ("anomaly", "X", "Y")
    for row, (name, color) in enumerate(zip(kinds, ("C4", "C2", "C1"), strict=True)):
        when = t[stream.column(name)[start:stop] > 0]
        ax_ev.vlines(when, row - 0.35, row + 0.35, color=color, lw=2)
    ax_ev.set(yticks=range(len(kinds)), yticklabels=kinds, ylim=(-0.7, len(kinds) - 0.3))
    ax_p.fill_between(t, stream.p[start:stop], step="mid", color="C3", alpha=0.25,
                      label="true hazard")
    hits = t[stream.y[start:stop] > 0]
    ax_p.plot(hits, stream.p[hits], "v", color="C3", ms=6, label="positive")
    ax_p.set(ylabel="hazard", xlabel="time step", ylim=(0, 1.05))
    ax_p.legend(loc="upper left", fontsize=7, frameon=False, ncol=2)
    for ax in (ax_load, ax_ev, ax_p):
        ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return fig


def _band(ax, sizes, values, color):
    """A model's curve: the mean over seeds, and a band from the lowest to the highest."""
    (line,) = ax.plot(sizes, values.mean(axis=1), "o-", color=color, lw=1.8, ms=4)
    band = ax.fill_between(sizes, values.min(axis=1), values.max(axis=1), color=color,
                           alpha=0.18, lw=0)
    return line, band


def _band_vertices(sizes, values) -> np.ndarray:
    """The outline of a band from min to max over seeds: (2S + 1, 2) closed polygon."""
    low, high = values.min(axis=1), values.max(axis=1)
    xs = np.concatenate([sizes, sizes[::-1], sizes[:1]])
    return np.column_stack([xs, np.concatenate([low, high[::-1], low[:1]])])


def _curve_axes(ax, curves: LearningCurves, title: str):
    ax.set_xscale("log")
    ax.set(xlabel="training time steps", ylabel="test average precision", title=title)
    ax.set_xticks(curves.sizes, [f"{n:,}" for n in curves.sizes])
    ax.xaxis.set_minor_locator(plt.NullLocator())
    ax.title.set_fontsize(10)
    ax.spines[["top", "right"]].set_visible(False)


def plot_curves(curves_list, figsize=(9.6, 3.8)):
    """Learning curves side by side, one panel per LearningCurves: each model's mean
    test average precision with its min–max band over seeds, the ceiling (true hazard,
    dashed) and the base rate (dotted). Returns the figure."""
    fig, axes = plt.subplots(1, len(curves_list), figsize=figsize, sharey=True,
                             squeeze=False)
    for ax, curves in zip(axes[0], curves_list, strict=True):
        for m in MODELS:
            line, _ = _band(ax, curves.sizes, curves.ap[m], COLORS[m])
            line.set_label(LABELS[m])
        ax.axhline(curves.oracle.mean(), color="k", ls="--", lw=1, label="true hazard")
        ax.axhline(curves.base_rate.mean(), color="k", ls=":", lw=1, label="base rate")
        _curve_axes(ax, curves, curves.label)
    axes[0, 0].set_ylim(0, None)
    handles, labels = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=3, fontsize=8, frameon=False)
    fig.tight_layout(rect=(0, 0.14, 1, 1))
    return fig


def plot_explosion(result: dict, figsize=(9, 3.4)):
    """Train and test average precision against the number of features (left, mean and
    min–max band over seeds), and the shuffled-label control beside the real labels at
    the largest table (right). Returns the figure."""
    fig, (ax, ax_ctrl) = plt.subplots(1, 2, figsize=figsize, width_ratios=(1.6, 1))
    counts = result["counts"]
    for key, color in (("train", "C0"), ("test", "C3")):
        line, _ = _band(ax, counts, result[key], color)
        line.set_label(f"{key} rows")
    ax.axhline(result["base rate"].mean(), color="k", ls=":", lw=1, label="base rate")
    ax.set_xscale("log")
    ax.set_xticks(counts, [str(c) for c in counts])
    ax.xaxis.set_minor_locator(plt.NullLocator())
    ax.set(xlabel="number of features", ylabel="average precision", ylim=(0, 1.05),
           title="logistic regression, one fixed C")
    ax.legend(fontsize=8, frameon=False, loc="center left")
    pairs = ((result["train"][-1], result["test"][-1]),
             (result["shuffled train"], result["shuffled test"]))
    for k, (train, test) in enumerate(pairs):
        ax_ctrl.bar([3 * k, 3 * k + 1], [train.mean(), test.mean()], color=["C0", "C3"],
                    width=0.8)
        for x, values in ((3 * k, train), (3 * k + 1, test)):
            ax_ctrl.plot(np.full(len(values), x), values, "k.", ms=4)
    ax_ctrl.set_xticks([0.5, 3.5], ["real labels", "shuffled labels"])
    ax_ctrl.set(ylim=(0, 1.05), title=f"{counts[-1]} features: train (blue), test (red)")
    for a in (ax, ax_ctrl):
        a.title.set_fontsize(10)
        a.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return fig


# --- the explorer -------------------------------------------------------------------------

def describe_ladder(curves: LearningCurves, size: int) -> str:
    """The explorer's readout: the regime, the training size, every model's mean test
    average precision there (best first), the ceiling and the base rate."""
    k = list(curves.sizes).index(size)
    ranked = sorted(MODELS, key=lambda m: -curves.ap[m][k].mean())
    scores = " · ".join(f"{LABELS[m]} {curves.ap[m][k].mean():.2f}" for m in ranked)
    return (f"<b>{curves.label}, {size:,} training time steps</b> (about "
            f"{curves.positives[k].mean():.0f} failures to learn from): {scores}<br>"
            f"ceiling (true hazard) {curves.oracle.mean():.2f} · base rate "
            f"{curves.base_rate.mean():.3f} · best here: <b>{LABELS[ranked[0]]}</b>")


class BaselineExplorer(LiveWidget):
    """Pick a regime and a training size; see the four models' learning curves (left)
    and their scores at that size (right, bars = mean over seeds, dots = each seed).

    ``curves``: {regime name: LearningCurves}, all with the same sizes and seeds,
    computed in the notebook; the controls only look results up. Attributes:
    ``regime`` (ToggleButtons), ``size`` (SelectionSlider), ``readout``, ``fig``.
    """

    def __init__(self, curves: dict, *, regime: str | None = None, size: int | None = None):
        if not curves:
            raise ValueError("curves: expected at least one regime's LearningCurves")
        first = next(iter(curves.values()))
        for name, c in curves.items():
            if not (np.array_equal(c.sizes, first.sizes) and c.seeds == first.seeds):
                raise ValueError(f"curves: {name!r} has other sizes or seeds than the first")
        regime = regime if regime is not None else next(iter(curves))
        size = size if size is not None else int(first.sizes[-1])
        if regime not in curves or size not in first.sizes:
            raise ValueError(f"start: expected a regime in {list(curves)} and a size in "
                             f"{list(first.sizes)}, got {regime!r} and {size}")
        self.curves = curves
        style = {"description_width": "8em"}
        self.regime = W.ToggleButtons(options=list(curves), value=regime,
                                      description="regime", style=style)
        self.size = W.SelectionSlider(options=[int(n) for n in first.sizes], value=size,
                                      description="training set", style=style,
                                      layout=W.Layout(width="480px"))
        super().__init__("ll-baseline-explorer", figsize=(8.4, 4.2))
        ax, ax_bar = self.fig.subplots(1, 2, width_ratios=(1.5, 1))
        self._ax = ax
        self._curves = {}
        for m in MODELS:
            line, band = _band(ax, first.sizes, first.ap[m], COLORS[m])
            line.set_label(LABELS[m])
            self._curves[m] = (line, band)
        self._oracle = ax.axhline(0, color="k", ls="--", lw=1, label="true hazard")
        self._base = ax.axhline(0, color="k", ls=":", lw=1, label="base rate")
        self._marker = ax.axvline(size, color="0.3", lw=1)
        _curve_axes(ax, first, first.label)       # a title now, so the layout leaves room
        ax.legend(fontsize=8, frameon=False, loc="upper center", ncol=3,
                  bbox_to_anchor=(0.6, -0.2))
        n_seeds = len(first.seeds)
        self._bars = ax_bar.bar(range(len(MODELS)), np.zeros(len(MODELS)),
                                color=[COLORS[m] for m in MODELS], width=0.7)
        (self._dots,) = ax_bar.plot(np.repeat(np.arange(len(MODELS)), n_seeds),
                                    np.zeros(len(MODELS) * n_seeds), "k.", ms=5)
        self._bar_oracle = ax_bar.axhline(0, color="k", ls="--", lw=1)
        ax_bar.set_xticks(range(len(MODELS)), ["rule", "logistic", "trees", "LSTM"])
        ax_bar.set(ylabel="test average precision", title="at every size")
        ax_bar.title.set_fontsize(10)
        ax_bar.spines[["top", "right"]].set_visible(False)
        self._ax_bar = ax_bar
        top = max(max(c.ap[m].max() for m in MODELS) for c in curves.values())
        top = max(top, max(c.oracle.mean() for c in curves.values()))
        for a in (ax, ax_bar):
            a.set_ylim(0, 1.1 * top)
        self._show([self.regime, self.size])

    def _update(self, _change=None):
        curves, size = self.curves[self.regime.value], self.size.value
        k = list(curves.sizes).index(size)
        for m in MODELS:
            line, band = self._curves[m]
            line.set_ydata(curves.mean(m))
            band.set_verts([_band_vertices(curves.sizes, curves.ap[m])])
            self._bars[MODELS.index(m)].set_height(curves.ap[m][k].mean())
        self._dots.set_ydata(np.concatenate([curves.ap[m][k] for m in MODELS]))
        for artist in (self._oracle, self._bar_oracle):
            artist.set_ydata([curves.oracle.mean()] * 2)
        self._base.set_ydata([curves.base_rate.mean()] * 2)
        self._marker.set_xdata([size, size])
        self._ax.set_title(curves.label, fontsize=10)
        self._ax_bar.set_title(f"at {size:,} training time steps", fontsize=10)
        self.readout.value = describe_ladder(curves, size)
        self._redraw()
