"""Notebook 00: one neuron's response σ(w·x + b) to one input, and its explorer."""

from __future__ import annotations

import ipywidgets as W
import numpy as np

from .. import validate
from ..activations import sigmoid
from .live import LiveWidget


def neuron_response(w: float, b: float, x) -> np.ndarray:
    """σ(w·x + b) for a one-input neuron; x any shape, returns the same shape."""
    w = validate.finite_float("w", w)
    b = validate.finite_float("b", b)
    return sigmoid(w * np.asarray(x, dtype=np.float64) + b)


def neuron_threshold(w: float, b: float) -> float | None:
    """The input where σ(w·x + b) = 1/2, i.e. x = −b/w; None when w is 0 (no crossing).

    |w| below 1e-12 counts as 0, so float noise from a slider cannot put the threshold
    at x = 1e16.
    """
    w = validate.finite_float("w", w)
    b = validate.finite_float("b", b)
    return None if abs(w) < 1e-12 else -b / w + 0.0       # + 0.0 turns −0.0 into 0.0


def describe_neuron(w: float, b: float, x_range=(-6.0, 6.0)) -> str:
    """One sentence on where this neuron says yes, as the explorer shows it."""
    x0 = neuron_threshold(w, b)
    if x0 is None:
        return f"w = 0: the output ignores x and stays at σ(b) = {float(sigmoid(b)):.3f}"
    side = ">" if w > 0 else "<"
    off = "" if x_range[0] <= x0 <= x_range[1] else " (off the plot)"
    return f"the neuron says yes (output above 0.5) when x {side} {x0:.2f}{off}"


class NeuronExplorer(LiveWidget):
    """Two sliders, w and b, and the curve σ(w·x + b) they shape.

    Attributes: ``w`` and ``b`` (the sliders), ``readout`` (an HTML sentence naming
    the threshold), ``fig``.
    """

    X_RANGE = (-6.0, 6.0)

    def __init__(self, w: float = 1.0, b: float = 0.0):
        w = validate.in_range("w", w, -10, 10)
        b = validate.in_range("b", b, -10, 10)
        style = {"description_width": "2em"}
        layout = W.Layout(width="360px")
        self.w = W.FloatSlider(value=w, min=-10, max=10, step=0.1, description="w",
                               style=style, layout=layout, continuous_update=True)
        self.b = W.FloatSlider(value=b, min=-10, max=10, step=0.1, description="b",
                               style=style, layout=layout, continuous_update=True)
        super().__init__("ll-neuron-explorer", figsize=(6, 3))
        ax = self.fig.add_subplot()
        self._x = np.linspace(*self.X_RANGE, 400)
        (self._curve,) = ax.plot(self._x, neuron_response(w, b, self._x), lw=2.5, color="C0")
        self._marker = ax.axvline(0, color="C3", ls="--", lw=1.2)
        ax.axhline(0.5, color="0.7", lw=0.8)
        ax.set(xlim=self.X_RANGE, ylim=(-0.05, 1.05), xlabel="input x",
               ylabel="output σ(w·x + b)")
        ax.spines[["top", "right"]].set_visible(False)
        self._show([self.w, self.b])

    def _update(self, _change=None):
        w, b = self.w.value, self.b.value
        self._curve.set_ydata(neuron_response(w, b, self._x))
        x0 = neuron_threshold(w, b)
        visible = x0 is not None and self.X_RANGE[0] <= x0 <= self.X_RANGE[1]
        self._marker.set_visible(visible)
        if visible:
            self._marker.set_xdata([x0, x0])
        self.readout.value = f"<b>w = {w:.2f}, b = {b:.2f}</b>: {describe_neuron(w, b)}"
        self._redraw()
