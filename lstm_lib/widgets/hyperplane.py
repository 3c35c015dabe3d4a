"""Notebook 01: a two-input neuron's boundary w·x + b = 0, the perceptron's replay, XOR."""

from __future__ import annotations

import ipywidgets as W
import matplotlib.pyplot as plt
import numpy as np

from .. import validate
from .live import LiveWidget

# A neuron on two inputs says yes (1) when z = w·x + b > 0 and no (0) otherwise. Its
# boundary w·x + b = 0 is a line in the plane. A plot box is (x_min, x_max, y_min, y_max).

HALF_PLANE_RGB = np.array([[0.84, 0.89, 0.95],    # says no: a light C0 (blue)
                           [0.98, 0.88, 0.78]])   # says yes: a light C1 (orange)


def _clean_weights(w) -> np.ndarray:
    """w as a float array of shape (2,), with |w_i| below 1e-12 (slider noise) set to 0."""
    w = validate.float_array("w", np.asarray(w, dtype=np.float64), (2,), letters="D")
    return np.where(np.abs(w) < 1e-12, 0.0, w)


def _labels(y, n: int) -> np.ndarray:
    y = np.asarray(y)
    if y.shape != (n,) or not np.isin(y, (0, 1)).all():
        raise ValueError(f"y: expected {n} labels in {{0, 1}}, got shape {y.shape}")
    return y.astype(int)


def plot_box(X, pad: float = 0.6) -> tuple[float, float, float, float]:
    """A square box around the points X (N, 2), with ``pad`` to spare on every side."""
    X = validate.float_array("X", X, (None, 2), letters="N2")
    lo, hi = X.min(axis=0), X.max(axis=0)
    center, half = (lo + hi) / 2, (hi - lo).max() / 2 + pad
    return (center[0] - half, center[0] + half, center[1] - half, center[1] + half)


def count_errors(w, b, X, y) -> int:
    """How many points of X (N, 2) the neuron [w·x + b > 0] labels unlike y (N,)."""
    w, b = _clean_weights(w), validate.finite_float("b", b)
    X = validate.float_array("X", X, (None, 2), letters="N2")
    return int(((X @ w + b > 0).astype(int) != _labels(y, len(X))).sum())


def boundary_segment(w, b, box) -> np.ndarray | None:
    """The piece of the line w·x + b = 0 inside ``box``, as its two end points (2, 2).

    None when w = (0, 0) (then there is no line) or when the line misses the box.
    """
    w, b = _clean_weights(w), validate.finite_float("b", b)
    if not w.any():
        return None
    norm = np.hypot(*w)
    p0 = -b * w / norm**2                   # the line's point closest to the origin
    d = np.array([-w[1], w[0]]) / norm      # a unit step along the line
    t_lo, t_hi = -np.inf, np.inf            # the line is p0 + t·d; clip t to the box
    for axis, (lo, hi) in enumerate((box[:2], box[2:])):
        if d[axis] == 0:                    # parallel to this pair of edges
            if not lo <= p0[axis] <= hi:
                return None
            continue
        t1, t2 = sorted(((lo - p0[axis]) / d[axis], (hi - p0[axis]) / d[axis]))
        t_lo, t_hi = max(t_lo, t1), min(t_hi, t2)
    if t_lo > t_hi:
        return None
    return np.array([p0 + t_lo * d, p0 + t_hi * d])


def normal_arrow(w, b, box, length: float = 0.18) -> tuple[np.ndarray, np.ndarray] | None:
    """Where to draw w as the boundary's normal: (base (2,), arrow (2,)), or None.

    The arrow starts at the middle of the visible boundary and points along w, into the
    yes side; it is ``length`` of the box's width long whatever |w| is.
    """
    segment = boundary_segment(w, b, box)
    if segment is None:
        return None
    w = _clean_weights(w)
    return segment.mean(axis=0), w / np.hypot(*w) * length * (box[1] - box[0])


def decision_grid(w, b, box, n: int = 200) -> np.ndarray:
    """The neuron's answer (0 or 1) at the centres of an n×n grid over ``box``.

    Row r is the r-th y from the bottom, column c the c-th x from the left, as
    ``imshow(..., origin="lower", extent=box)`` expects.
    """
    w, b = _clean_weights(w), validate.finite_float("b", b)
    n = validate.positive_int("n", n)
    xs = box[0] + (np.arange(n) + 0.5) * (box[1] - box[0]) / n
    ys = box[2] + (np.arange(n) + 0.5) * (box[3] - box[2]) / n
    return (w[0] * xs[None, :] + w[1] * ys[:, None] + b > 0).astype(float)


def describe_hyperplane(w, b, X, y, box=None) -> str:
    """One sentence on what the neuron (w, b) does to the points X, y."""
    errors, n = count_errors(w, b, X, y), len(X)
    wrong = f"{errors} of {n} points misclassified"
    if not _clean_weights(w).any():
        answer = "yes" if b > 0 else "no"
        return f"w = (0, 0): there is no boundary; the neuron says {answer} to every point, {wrong}"
    if box is not None and boundary_segment(w, b, box) is None:
        return f"{wrong} (the boundary lies outside the plot)"
    return wrong


def _fmt(v: float) -> str:
    return f"{v + 0.0:.2f}"                 # + 0.0 turns −0.0 into 0.0


class _PlanePanel:
    """One axes showing labelled points, the two half-planes, the boundary and w."""

    def __init__(self, ax, X, y, box):
        self.ax, self.box = ax, box
        self.X, self.y = X, y
        self.shade = ax.imshow(HALF_PLANE_RGB[np.zeros((2, 2), int)], origin="lower",
                               extent=box, interpolation="nearest", zorder=0)
        size = 36 if len(X) > 10 else 120     # a few points (XOR) get bigger marks
        self.size = size
        ax.scatter(*X[y == 0].T, c="C0", marker="o", s=size, edgecolors="white", zorder=3)
        ax.scatter(*X[y == 1].T, c="C1", marker="^", s=1.3 * size, edgecolors="white",
                   zorder=3)
        self.wrong = ax.scatter([], [], s=4.5 * size, facecolors="none", edgecolors="0.1",
                                linewidths=1.2, zorder=4)
        (self.line,) = ax.plot([], [], color="k", lw=2.2, zorder=2)
        self.arrow = ax.quiver([0.0], [0.0], [1.0], [0.0], angles="xy", scale_units="xy",
                               scale=1, color="k", width=0.012, zorder=5)
        self.arrow_label = ax.text(0, 0, "w", fontsize=12, fontweight="bold", zorder=5,
                                   ha="center", va="center")
        self.note = ax.text(0.5, 0.03, "", transform=ax.transAxes, ha="center", va="bottom",
                            fontsize=11, zorder=6,
                            bbox={"facecolor": "white", "edgecolor": "0.6", "alpha": 0.9})
        ax.set(xlim=box[:2], ylim=box[2:], xlabel="$x_1$", ylabel="$x_2$", aspect="equal")
        ax.locator_params(nbins=5)

    def legend(self, extra=()):
        """A legend above the axes, for the points' marks plus any ``extra`` artists."""
        marks = [*self.ax.plot([], [], ls="", marker="o", color="C0", label="label 0"),
                 *self.ax.plot([], [], ls="", marker="^", color="C1", label="label 1"),
                 *self.ax.plot([], [], ls="", marker="o", mfc="none", mec="0.1", ms=11,
                               mew=1.2, label="misclassified"), *extra]
        self.ax.legend(handles=marks, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3,
                       fontsize=8, frameon=False, handletextpad=0.3, columnspacing=1.0)

    def show(self, w, b):
        """Move every artist to the neuron (w, b)."""
        self.shade.set_data(HALF_PLANE_RGB[decision_grid(w, b, self.box).astype(int)])
        wrong = (self.X @ _clean_weights(w) + b > 0).astype(int) != self.y
        self.wrong.set_offsets(self.X[wrong] if wrong.any() else np.empty((0, 2)))
        segment = boundary_segment(w, b, self.box)
        arrow = normal_arrow(w, b, self.box)
        self.line.set_visible(segment is not None)
        self.arrow.set_visible(arrow is not None)
        self.arrow_label.set_visible(arrow is not None)
        if segment is not None:
            self.line.set_data(segment[:, 0], segment[:, 1])
        if arrow is not None:
            base, vec = arrow
            self.arrow.set_offsets([base])
            self.arrow.set_UVC([vec[0]], [vec[1]])
            self.arrow_label.set_position(base + 1.3 * vec)
        if not _clean_weights(w).any():
            self.note.set_text(f"w = (0, 0): no boundary\nevery point gets {int(b > 0)}")
        elif segment is None:
            self.note.set_text("the boundary is outside the plot")
        self.note.set_visible(segment is None)


class HyperplaneExplorer(LiveWidget):
    """Sliders w1, w2 and b over two classes of points, and the boundary they draw.

    Live: the boundary w·x + b = 0, the weight vector w drawn as its normal (pointing
    into the yes side), the yes/no half-planes shaded, misclassified points ringed.
    Attributes: ``w1``, ``w2``, ``b`` (sliders), ``readout`` (HTML), ``fig``.
    """

    W_RANGE = (-3.0, 3.0)
    B_RANGE = (-6.0, 6.0)

    def __init__(self, X, y, w=(1.0, 1.0), b: float = 0.0):
        X = validate.float_array("X", X, (None, 2), letters="N2")
        self.X, self.y = X, _labels(y, len(X))
        w = _clean_weights(w)
        w1 = validate.in_range("w1", w[0], *self.W_RANGE)
        w2 = validate.in_range("w2", w[1], *self.W_RANGE)
        b = validate.in_range("b", b, *self.B_RANGE)
        style, layout = {"description_width": "2em"}, W.Layout(width="360px")

        def slider(name, value, bounds):
            return W.FloatSlider(value=value, min=bounds[0], max=bounds[1], step=0.1,
                                 description=name, style=style, layout=layout,
                                 continuous_update=True)

        self.w1 = slider("w1", w1, self.W_RANGE)
        self.w2 = slider("w2", w2, self.W_RANGE)
        self.b = slider("b", b, self.B_RANGE)
        super().__init__("ll-hyperplane-explorer", figsize=(5, 5))
        self.box = plot_box(X)
        self._panel = _PlanePanel(self.fig.add_subplot(), X, self.y, self.box)
        self._panel.legend()
        self._show([self.w1, self.w2, self.b])

    def _update(self, _change=None):
        w, b = (self.w1.value, self.w2.value), self.b.value
        self._panel.show(w, b)
        self.readout.value = (f"<b>w = ({_fmt(w[0])}, {_fmt(w[1])}), b = {_fmt(b)}</b>: "
                              + describe_hyperplane(w, b, self.X, self.y, self.box))
        self._redraw()


def describe_step(history, k: int, X, y) -> str:
    """One sentence on step k of a perceptron's history (a list of PerceptronStep)."""
    step, last, n = history[k], len(history) - 1, len(X)
    w = f"w = ({_fmt(step.w[0])}, {_fmt(step.w[1])}), b = {_fmt(step.b)}"
    wrong = f"{step.errors} of {n} points misclassified"
    if step.index is None:
        return f"step {k} of {last}: the start, {w}. No boundary yet; {wrong}"
    label = int(y[step.index])
    way = "toward" if label == 1 else "away from"
    return (f"step {k} of {last}: point #{step.index} (label {label}) was on the wrong side, "
            f"so w moved {way} it. Now {w}; {wrong}")


class PerceptronReplay(LiveWidget):
    """Replay a perceptron's updates: a step slider (and Play) over ``history``.

    Left: the boundary after update k (dashed grey: before it), the point that triggered
    the update ringed in red. Right: misclassified points after every update.
    Attributes: ``step`` (IntSlider), ``play`` (Play, linked to ``step``), ``readout``.
    """

    def __init__(self, X, y, history, interval: int = 700):
        X = validate.float_array("X", X, (None, 2), letters="N2")
        self.X, self.y, self.history = X, _labels(y, len(X)), list(history)
        if not self.history:
            raise ValueError("history: expected at least the starting state, got nothing")
        last = len(self.history) - 1
        self.play = W.Play(value=0, min=0, max=last, step=1, interval=interval,
                           description="play")
        self.step = W.IntSlider(value=0, min=0, max=last, description="step",
                                style={"description_width": "3em"},
                                layout=W.Layout(width="420px"))
        W.jslink((self.play, "value"), (self.step, "value"))
        super().__init__("ll-perceptron-replay", figsize=(9, 4.4))
        ax, ax_err = self.fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1.1]})
        self.box = plot_box(X)
        self._panel = _PlanePanel(ax, X, self.y, self.box)
        (self._before,) = ax.plot([], [], color="0.45", lw=1.5, ls="--", zorder=2,
                                  label="boundary before the update")
        self._trigger = ax.scatter([], [], s=8 * self._panel.size, facecolors="none",
                                   edgecolors="C3", linewidths=3, zorder=6)
        self._panel.legend([self._before, *ax.plot([], [], ls="", marker="o", mfc="none",
                                                   mec="C3", ms=11, mew=2.5,
                                                   label="point that caused the update")])
        errors = [s.errors for s in self.history]
        ax_err.plot(range(last + 1), errors, color="0.3", marker="o", ms=3, lw=1.2)
        (self._now,) = ax_err.plot([0], [errors[0]], "o", color="C3", ms=10, zorder=3)
        self._cursor = ax_err.axvline(0, color="C3", lw=1, alpha=0.6)
        ax_err.set(xlabel="update step", ylabel="points misclassified",
                   xlim=(-0.5, max(last, 1) + 0.5), ylim=(-0.5, max(errors) + 1))
        ax_err.xaxis.set_major_locator(plt.MaxNLocator(integer=True))
        ax_err.yaxis.set_major_locator(plt.MaxNLocator(integer=True))
        ax_err.spines[["top", "right"]].set_visible(False)
        self._show([self.step], rows=[W.HBox([self.play, self.step])])

    def _update(self, _change=None):
        k = self.step.value
        now = self.history[k]
        self._panel.show(now.w, now.b)
        before = boundary_segment(self.history[k - 1].w, self.history[k - 1].b, self.box) \
            if k > 0 else None
        self._before.set_visible(before is not None)
        if before is not None:
            self._before.set_data(before[:, 0], before[:, 1])
        self._trigger.set_offsets(self.X[[now.index]] if now.index is not None
                                  else np.empty((0, 2)))
        self._now.set_data([k], [now.errors])
        self._cursor.set_xdata([k, k])
        self.readout.value = f"<b>{describe_step(self.history, k, self.X, self.y)}</b>"
        self._redraw()


class LineSearch:
    """Every line tried by ``line_search`` and how many points each gets wrong.

    - angles: direction of w for each row, radians, shape (A,); w = (cos, sin)
    - offsets: the bias b for each column, shape (O,)
    - errors: misclassified points for each (angle, offset), int array (A, O)
    """

    def __init__(self, angles, offsets, errors):
        self.angles, self.offsets, self.errors = angles, offsets, errors

    def __repr__(self):
        a, o = self.errors.shape
        return f"LineSearch({a} angles × {o} offsets, fewest errors {self.errors.min()})"

    @property
    def best(self) -> tuple[np.ndarray, float, int]:
        """(w, b, errors) of a line with the fewest errors."""
        a, o = np.unravel_index(np.argmin(self.errors), self.errors.shape)
        w = _clean_weights([np.cos(self.angles[a]), np.sin(self.angles[a])])
        return w, float(self.offsets[o]), int(self.errors[a, o])


def line_search(X, y, n_angles: int = 360, n_offsets: int = 401) -> LineSearch:
    """Try n_angles × n_offsets lines w·x + b = 0 with |w| = 1 and count each one's errors.

    The angles go once round the circle, so both sides of every line get to say yes; the
    offsets span every line that passes near the points.
    """
    X = validate.float_array("X", X, (None, 2), letters="N2")
    y = _labels(y, len(X))
    n_angles = validate.positive_int("n_angles", n_angles)
    n_offsets = validate.positive_int("n_offsets", n_offsets)
    angles = np.arange(n_angles) * 2 * np.pi / n_angles
    reach = np.hypot(X[:, 0], X[:, 1]).max() + 1.0
    offsets = np.linspace(-reach, reach, n_offsets)
    w = np.stack([np.cos(angles), np.sin(angles)], axis=1)          # (A, 2)
    w[np.abs(w) < 1e-12] = 0.0      # cos 90° is 6e-17, not 0: keep ties at z = 0 exact
    along = (X @ w.T).T                                              # (A, N): w·x per line
    errors = np.empty((n_angles, n_offsets), dtype=int)
    for a in range(0, n_angles, 16):      # 16 directions at a time: memory stays small
        z = along[a:a + 16, None, :] + offsets[None, :, None]       # (16, O, N)
        errors[a:a + 16] = ((z > 0).astype(int) != y).sum(axis=2)
    return LineSearch(angles, offsets, errors)
