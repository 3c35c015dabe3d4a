"""Notebook 02: decision regions of small MLPs, XOR learned, and fits by width (the
networks are trained by lstm_lib.mlp_training).

The notebook trains every network a widget can show when its cell runs; the widgets'
callbacks only swap precomputed arrays into artists that already exist.
"""

from __future__ import annotations

import ipywidgets as W
import numpy as np
from contourpy import contour_generator  # matplotlib's own contour engine
from matplotlib.collections import LineCollection

from .. import metrics, validate
from ..activations import sigmoid
from ..losses import sigmoid_cross_entropy
from ..mlp_training import ACTIVATION_CHOICES, fit_mlps
from .live import LiveWidget

PLANE = (-1.6, 1.6)            # the square of the plane the decision figures show


def plane_grid(n: int = 121, extent=PLANE):
    """An n × n grid over the square extent × extent: returns (points (n·n, 2), axis (n,)).

    Row r of the reshaped grid has second coordinate axis[r], column c first coordinate
    axis[c] (the layout imshow(origin="lower") expects).
    """
    axis = np.linspace(*extent, validate.positive_int("n", n))
    x1, x2 = np.meshgrid(axis, axis)
    return np.column_stack([x1.ravel(), x2.ravel()]), axis


def net_logits(net, n: int = 121, extent=PLANE) -> np.ndarray:
    """The net's output (a logit) at every point of plane_grid(n, extent), shape (n, n)."""
    points, _ = plane_grid(n, extent)
    return net.forward(points)[:, 0].reshape(n, n)


def boundary_segments(logits, extent=PLANE) -> list:
    """Where a logit grid crosses 0 (probability 1/2): a list of (m, 2) polylines."""
    logits = np.asarray(logits, dtype=np.float64)
    axis = np.linspace(*extent, logits.shape[0])
    lines = contour_generator(axis, axis, logits).lines(0.0)
    return [line for line in lines if len(line) > 1]


def explore_activation_depth(X, y, *, depths=(0, 1, 2, 3), widths=(2, 4, 8, 16),
                             activations=tuple(ACTIVATION_CHOICES), steps: int = 200,
                             lr: float = 0.05, seeds=(0,), n: int = 121) -> dict:
    """Train one classifier per (activation, depth, width) and seed; keep what the explorer draws.

    Returns {(activation, depth, width): {"logits": (n, n), "segments": [...],
    "accuracy": float, "loss": float, "accuracies": (S,), "nets": [S MLPs]}}. The drawn
    fields ("logits", "segments", "accuracy", "loss") belong to the first seed; "accuracies"
    holds every seed's, in the order of ``seeds``. With depth 0 (no hidden layer) neither the
    activation nor the width exists, so all of those keys share one trained neuron per seed.
    """
    seeds = list(seeds)
    atlas = {}
    single = None
    for act in activations:
        for depth in depths:
            for width in widths:
                if depth == 0 and single is not None:
                    atlas[act, depth, width] = single
                    continue
                nets, losses = fit_mlps(X, y, [width] * depth, seeds, activation=act,
                                        steps=steps, lr=lr)
                logits = net_logits(nets[0], n)
                entry = {"logits": logits, "segments": boundary_segments(logits),
                         "accuracy": metrics.accuracy(nets[0].forward(X), y),
                         "loss": float(losses[-1, 0]),
                         "accuracies": np.array([metrics.accuracy(net.forward(X), y)
                                                 for net in nets]),
                         "nets": nets}
                atlas[act, depth, width] = entry
                if depth == 0:
                    single = entry
    return atlas


def describe_regions(activation: str, depth: int, width: int, acc: float,
                     reached: tuple[int, int] | None = None) -> str:
    """The explorer's readout: the network in words and its training accuracy.

    ``reached`` = (k, S) adds that k of S training starts of the same network reach 95%.
    """
    score = f"training accuracy {100 * acc:.0f}%"
    if reached is not None:
        score += f" for this start; {reached[0]} of {reached[1]} starts reach 95%"
    if depth == 0:
        return (f"<b>no hidden layer</b>: one neuron, one straight line; {score} "
                f"(“{activation}” and {width} neurons per layer have no layer to act on)")
    layers = "1 hidden layer" if depth == 1 else f"{depth} hidden layers"
    note = "; with no squash the whole net is one straight line" if activation == "none" else ""
    return f"<b>{activation}, {layers} of {width} neurons</b>: {score}{note}"


def _scatter_two_classes(ax, X, y):
    for label, color in ((0, "C0"), (1, "C3")):
        pts = X[np.asarray(y) == label]
        ax.scatter(pts[:, 0], pts[:, 1], s=14, color=color, edgecolor="white",
                   linewidth=0.5, zorder=3)


class ActivationDepthExplorer(LiveWidget):
    """Choose an activation, a depth and a width; see the regions that network learned.

    ``atlas`` comes from ``explore_activation_depth(X, y, ...)`` (trained in the
    notebook's cell, so the controls only look results up); the figure shows its first
    seed's network, and the readout counts the seeds that reach 95%. Attributes: ``activation``
    (ToggleButtons), ``depth`` and ``width`` (sliders), ``readout``, ``fig``.
    """

    def __init__(self, X, y, atlas: dict, *, activation: str = "tanh", depth: int = 2,
                 width: int = 8):
        acts = list(dict.fromkeys(k[0] for k in atlas))
        depths = sorted({k[1] for k in atlas})
        widths = sorted({k[2] for k in atlas})
        if (activation, depth, width) not in atlas:
            raise ValueError(f"start: expected one of the trained settings, got "
                             f"{(activation, depth, width)}")
        style = {"description_width": "9em"}
        self.activation = W.ToggleButtons(options=acts, value=activation,
                                          description="activation", style=style)
        self.depth = W.IntSlider(value=depth, min=depths[0], max=depths[-1],
                                 description="hidden layers", style=style,
                                 layout=W.Layout(width="380px"))
        self.width = W.SelectionSlider(options=widths, value=width,
                                       description="neurons per layer", style=style,
                                       layout=W.Layout(width="380px"))
        self.atlas = atlas
        super().__init__("ll-activation-depth-explorer", figsize=(4.6, 4.4))
        ax = self.fig.add_subplot()
        first = atlas[activation, depth, width]
        self._image = ax.imshow(sigmoid(first["logits"]), origin="lower", extent=PLANE * 2,
                                cmap="RdBu_r", vmin=0, vmax=1, alpha=0.55,
                                interpolation="bilinear")
        self._boundary = LineCollection(first["segments"], colors="k", linewidths=2)
        ax.add_collection(self._boundary)
        _scatter_two_classes(ax, X, y)
        ax.set(xlim=PLANE, ylim=PLANE, xlabel="x₁", ylabel="x₂", aspect="equal",
               title="red: says inner ring · blue: outer · black: 50/50")
        ax.title.set_fontsize(9)
        self._show([self.activation, self.depth, self.width])

    def _update(self, _change=None):
        act, depth, width = self.activation.value, self.depth.value, self.width.value
        entry = self.atlas[act, depth, width]
        self._image.set_data(sigmoid(entry["logits"]))
        self._boundary.set_segments(entry["segments"])
        accuracies = entry.get("accuracies")
        reached = None if accuracies is None or len(accuracies) < 2 else \
            (int(np.sum(np.asarray(accuracies) >= 0.95)), len(accuracies))
        self.readout.value = describe_regions(act, depth, width, entry["accuracy"], reached)
        self._redraw()


def neuron_line(w, b, extent=PLANE):
    """Two points on the line w·x + b = 0 spanning the square extent², or None if w ≈ 0."""
    w1, w2 = (float(v) for v in w)
    b = float(b)
    span = np.array(extent, dtype=np.float64)
    if max(abs(w1), abs(w2)) < 1e-12:
        return None
    if abs(w2) >= abs(w1):                   # mostly horizontal: x₂ as a function of x₁
        return np.column_stack([span, -(b + w1 * span) / w2])
    return np.column_stack([-(b + w2 * span) / w1, span])


class XorTrainingViewer(LiveWidget):
    """Scrub through training: XOR's decision regions, the hidden neurons' lines, the loss.

    Inputs come from ``fit_mlp(X, y, [k], snapshot_every=...)``: the net (its shape
    is reused), the history and the snapshots. Attributes: ``step`` (slider over the
    snapshots' step numbers), ``readout``, ``fig``, and ``frames``: for each snapshot's
    step, what it shows ("logits", "segments", "lines") and its "loss" and "right"
    (how many points it gets right).
    """

    EXTENT = (-0.5, 1.5)

    def __init__(self, X, y, net, history, snapshots):
        if not snapshots:
            raise ValueError("snapshots: expected at least one (fit_mlp(..., snapshot_every=k))")
        self.X, self.y, self.net = np.asarray(X), np.asarray(y), net
        self.frames = {}
        saved = {name: p.copy() for name, p in net.params.items()}
        for k, params in snapshots:          # everything the slider can show, drawn once
            for name, p in params.items():
                net.params[name][...] = p
            logits = net_logits(net, 101, self.EXTENT)
            W1, b1 = net.params["0.W"].copy(), net.params["0.b"].copy()
            out = net.forward(self.X)
            self.frames[k] = {
                "logits": logits, "segments": boundary_segments(logits, self.EXTENT),
                "lines": [neuron_line(W1[j], b1[j], self.EXTENT) for j in range(len(b1))],
                "right": int(np.sum((out[:, 0] > 0) == (self.y > 0.5))),
                "loss": sigmoid_cross_entropy(out, self.y[:, None])[0],
            }
        for name, p in saved.items():
            net.params[name][...] = p
        steps = sorted(self.frames)
        self.loss = np.asarray(history["loss"])
        every = steps[1] - steps[0] if len(steps) > 1 else 1
        self.step = W.IntSlider(value=steps[-1], min=steps[0], max=steps[-1], step=every,
                                description="training step", style={"description_width": "8em"},
                                layout=W.Layout(width="420px"))
        super().__init__("ll-xor-training-viewer", figsize=(8.4, 3.7))
        ax, ax_loss = self.fig.subplots(1, 2)
        last = self.frames[steps[-1]]
        self._image = ax.imshow(sigmoid(last["logits"]), origin="lower", extent=self.EXTENT * 2,
                                cmap="RdBu_r", vmin=0, vmax=1, alpha=0.55,
                                interpolation="bilinear")
        self._boundary = LineCollection(last["segments"], colors="k", linewidths=2.5,
                                        label="50/50 boundary")
        ax.add_collection(self._boundary)
        colors = ("C2", "C4", "C1", "C6", "C8", "C9")      # not the classes' C0 and C3
        self._lines = [ax.plot([], [], ls="--", lw=1.5, color=colors[j % len(colors)],
                               label=f"hidden neuron {j + 1}")[0]
                       for j in range(len(last["lines"]))]
        for label, color, marker in ((0, "C0", "o"), (1, "C3", "s")):
            pts = self.X[self.y == label]
            ax.scatter(pts[:, 0], pts[:, 1], s=90, color=color, marker=marker,
                       edgecolor="k", zorder=3)
        ax.set(xlim=self.EXTENT, ylim=self.EXTENT, xlabel="x₁", ylabel="x₂", aspect="equal")
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), fontsize=7, ncol=2,
                  frameon=False)
        # history["loss"][k] was measured after k updates, like snapshot k
        ax_loss.semilogy(np.arange(len(self.loss)), self.loss, color="C0")
        self._marker = ax_loss.axvline(steps[-1], color="C3", ls="--")
        ax_loss.set(xlabel="training step", ylabel="loss (cross-entropy)", title="loss")
        ax_loss.spines[["top", "right"]].set_visible(False)
        for a in (ax, ax_loss):
            a.title.set_fontsize(10)
        self._show([self.step])

    def _update(self, _change=None):
        k = self.step.value
        frame = self.frames[k]
        self._image.set_data(sigmoid(frame["logits"]))
        self._boundary.set_segments(frame["segments"])
        for line, pts in zip(self._lines, frame["lines"], strict=True):
            line.set_visible(pts is not None)
            if pts is not None:
                line.set_data(pts[:, 0], pts[:, 1])
        self._marker.set_xdata([k, k])
        when = "before training" if k == 0 else f"after {k} steps"
        self.readout.value = (f"<b>{when}</b>: loss {frame['loss']:.3f}, "
                              f"{frame['right']} of {len(self.y)} XOR points right")
        self._redraw()


def fit_widths(f, widths, *, x_range=(-np.pi, np.pi), n_points: int = 100,
               activation: str = "tanh", steps: int = 1500, lr: float = 0.02,
               seeds=(0,)) -> dict:
    """Fit y = f(x) with one hidden layer of each width, from every seed; keep what the
    explorer draws.

    Returns {width: {"x": (n_points,), "target", "fit": (n_points,), "parts": (width,
    n_points), "bias": float, "mse": float, "max_error": float, "mses": (S,),
    "max_errors": (S,)}}. Every field but the last two belongs to the first seed;
    ``parts[j]`` is its hidden neuron j's contribution v_j·g(w_j x + b_j), so fit =
    Σ_j parts[j] + bias. "mses" and "max_errors" hold every seed's, in the order of ``seeds``.
    """
    x = np.linspace(*x_range, validate.positive_int("n_points", n_points))
    target = np.asarray(f(x), dtype=np.float64)
    seeds = list(seeds)
    results = {}
    for width in widths:
        nets, _ = fit_mlps(x[:, None], target, [width], seeds, activation=activation,
                           loss="mse", steps=steps, lr=lr)
        errors = np.array([net.forward(x[:, None])[:, 0] - target for net in nets])
        net = nets[0]
        fit = net.forward(x[:, None])[:, 0]
        hidden = net.layers[0].y                     # (n_points, width): g(w_j x + b_j)
        v, bias = net.params["1.W"][0], float(net.params["1.b"][0])
        results[width] = {"x": x, "target": target, "fit": fit, "parts": (hidden * v).T,
                          "bias": bias, "mse": float(np.mean(errors[0] ** 2)),
                          "max_error": float(np.max(np.abs(errors[0]))),
                          "mses": np.mean(errors**2, axis=1),
                          "max_errors": np.max(np.abs(errors), axis=1)}
    return results


class WidthFitExplorer(LiveWidget):
    """One slider, the number of hidden neurons; the fit they reach and each one's share.

    ``fits`` comes from ``fit_widths(f, widths)``, with consecutive widths. Attributes:
    ``width`` (slider), ``readout``, ``fig``.
    """

    def __init__(self, fits: dict, *, width: int | None = None):
        widths = sorted(fits)
        if widths != list(range(widths[0], widths[-1] + 1)):
            raise ValueError(f"fits: expected consecutive widths, got {widths}")
        width = widths[0] if width is None else width
        if width not in fits:
            raise ValueError(f"width: expected one of {widths}, got {width}")
        self.fits = fits
        self.width = W.IntSlider(value=width, min=widths[0], max=widths[-1],
                                 description="hidden neurons", style={"description_width": "8em"},
                                 layout=W.Layout(width="420px"))
        super().__init__("ll-width-fit-explorer", figsize=(7, 3.6))
        ax = self.fig.add_subplot()
        first = fits[widths[0]]
        x = first["x"]
        top = max(np.abs(r["parts"]).max() for r in fits.values())
        lim = min(max(1.5, 1.1 * float(top)), 4.0)
        ax.plot(x, first["target"], color="0.75", lw=5, label="target")
        self._parts = [ax.plot(x, np.zeros_like(x), color="C1", lw=1, alpha=0.6,
                               label="one neuron's share" if j == 0 else None)[0]
                       for j in range(widths[-1])]
        (self._fit,) = ax.plot(x, first["fit"], color="C0", lw=2.2, label="network output")
        ax.set(xlim=(x[0], x[-1]), ylim=(-lim, lim), xlabel="input x", ylabel="output")
        ax.spines[["top", "right"]].set_visible(False)
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3, fontsize=8,
                  frameon=False)
        self._show([self.width])

    def _update(self, _change=None):
        width = self.width.value
        r = self.fits[width]
        self._fit.set_ydata(r["fit"])
        for j, line in enumerate(self._parts):
            line.set_visible(j < width)
            if j < width:
                line.set_ydata(r["parts"][j])
        neurons = "1 neuron" if width == 1 else f"{width} neurons"
        self.readout.value = (f"<b>{neurons}</b>: mean squared error {r['mse']:.2g}, "
                              f"largest gap {r['max_error']:.2f}")
        self._redraw()
