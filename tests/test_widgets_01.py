"""Notebook 01's widgets: the hyperplane arithmetic, and that no control can break them.

Every expected value here is worked out independently: by hand, from the line's
equation, or by brute force over sample points.
"""

import itertools
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pytest

import lstm_lib as ll
from lstm_lib import widgets

BOX = (-2.0, 2.0, -1.0, 3.0)
XOR = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def blobs(seed=6):
    rng = np.random.default_rng(seed)
    X = np.vstack([rng.normal((0.6, 2.2), 0.5, (20, 2)), rng.normal((2.4, 0.8), 0.5, (20, 2))])
    return X, np.repeat([0, 1], 20)


def test_count_errors_by_hand():
    y = np.array([0, 1, 1, 0])
    assert widgets.count_errors((1.0, 1.0), -0.5, XOR, y) == 1           # only (1, 1) wrong
    assert widgets.count_errors((0.0, 0.0), 0.0, XOR, y) == 2            # says no to all
    assert widgets.count_errors((0.0, 0.0), 1.0, XOR, y) == 2            # says yes to all
    assert widgets.count_errors((1.0, 1.0), -1.5, XOR, [0, 0, 0, 1]) == 0  # AND
    slow = sum(int(x @ np.array([2.0, -1.0]) + 0.3 > 0) != t for x, t in zip(XOR, y, strict=True))
    assert widgets.count_errors((2.0, -1.0), 0.3, XOR, y) == slow


@pytest.mark.parametrize("w, b", [((1.0, 0.0), -0.5), ((0.0, 2.0), -1.0), ((1.0, -1.0), 0.5),
                                  ((-3.0, 0.2), 6.0), ((0.1, 3.0), -6.0), ((3.0, 3.0), 0.0)])
def test_boundary_segment_is_the_visible_part_of_the_line(w, b):
    segment = widgets.boundary_segment(w, b, BOX)
    # Brute force: many points along the line, keep those inside the box.
    w_ = np.array(w)
    p0 = -b * w_ / (w_ @ w_)
    d = np.array([-w_[1], w_[0]]) / np.linalg.norm(w_)
    pts = p0 + np.linspace(-50, 50, 400001)[:, None] * d
    inside = pts[(pts[:, 0] >= BOX[0]) & (pts[:, 0] <= BOX[1])
                 & (pts[:, 1] >= BOX[2]) & (pts[:, 1] <= BOX[3])]
    assert segment is not None and len(inside) > 0
    assert np.allclose(segment @ w_ + b, 0, atol=1e-9)                    # on the line
    ends = sorted(map(tuple, segment))
    assert np.allclose(ends, sorted(map(tuple, inside[[0, -1]])), atol=1e-3)


def test_a_line_that_misses_the_box_and_w_zero_have_no_segment():
    assert widgets.boundary_segment((1.0, 0.0), -5.0, BOX) is None       # x1 = 5
    assert widgets.boundary_segment((1.0, 1.0), 6.0, BOX) is None        # x1 + x2 = -6
    assert widgets.boundary_segment((0.0, 0.0), 1.0, BOX) is None
    assert widgets.boundary_segment((5.55e-17, 0.0), 0.0, BOX) is None   # slider float noise
    assert widgets.hyperplane.normal_arrow((0.0, 0.0), 0.0, BOX) is None


def test_vertical_and_horizontal_lines():
    assert np.allclose(sorted(map(tuple, widgets.boundary_segment((2.0, 0.0), -1.0, BOX))),
                       [(0.5, -1.0), (0.5, 3.0)])                        # x1 = 0.5
    assert np.allclose(sorted(map(tuple, widgets.boundary_segment((0.0, -1.0), 2.0, BOX))),
                       [(-2.0, 2.0), (2.0, 2.0)])                        # x2 = 2


def test_normal_arrow_is_perpendicular_and_points_to_the_yes_side():
    w, b = np.array([1.0, 2.0]), -1.0
    base, arrow = widgets.hyperplane.normal_arrow(w, b, BOX)
    segment = widgets.boundary_segment(w, b, BOX)
    assert abs(base @ w + b) < 1e-9                                      # starts on the line
    assert abs(arrow @ (segment[1] - segment[0])) < 1e-9                 # perpendicular
    assert (base + arrow) @ w + b > 0                                    # tip on the yes side
    assert np.isclose(np.linalg.norm(arrow), 0.18 * (BOX[1] - BOX[0]))


def test_decision_grid_matches_each_cell_centre():
    w, b, n = (1.5, -0.7), 0.4, 8
    grid = widgets.decision_grid(w, b, BOX, n)
    for r, c in itertools.product(range(n), range(n)):
        x1 = BOX[0] + (c + 0.5) * (BOX[1] - BOX[0]) / n
        x2 = BOX[2] + (r + 0.5) * (BOX[3] - BOX[2]) / n
        assert grid[r, c] == float(1.5 * x1 - 0.7 * x2 + 0.4 > 0)
    assert (widgets.decision_grid((0.0, 0.0), 0.5, BOX) == 1).all()      # yes everywhere
    assert (widgets.decision_grid((0.0, 0.0), 0.0, BOX) == 0).all()      # z = 0 says no


def test_plot_box_is_square_and_holds_every_point():
    X, _ = blobs()
    box = widgets.hyperplane.plot_box(X)
    assert np.isclose(box[1] - box[0], box[3] - box[2])
    assert (X[:, 0] > box[0]).all() and (X[:, 0] < box[1]).all()
    assert (X[:, 1] > box[2]).all() and (X[:, 1] < box[3]).all()


def test_descriptions():
    y = [0, 1, 1, 0]
    assert widgets.hyperplane.describe_hyperplane((1.0, 1.0), -0.5, XOR, y) == \
        "1 of 4 points misclassified"
    zero = widgets.hyperplane.describe_hyperplane((0.0, 0.0), 2.0, XOR, y)
    assert "no boundary" in zero and "says yes" in zero
    assert "says no" in widgets.hyperplane.describe_hyperplane((0.0, 0.0), -2.0, XOR, y)
    assert "outside the plot" in widgets.hyperplane.describe_hyperplane((1.0, 0.0), -5.0, XOR,
                                                                         y, BOX)


def test_line_search_finds_the_ceiling():
    xor = widgets.line_search(XOR, [0, 1, 1, 0])
    assert xor.errors.min() == 1                   # no line separates XOR; x1 + x2 = 0.5 errs once
    w, b, errors = xor.best
    assert errors == 1 and widgets.count_errors(w, b, XOR, [0, 1, 1, 0]) == 1
    assert widgets.line_search(XOR, [0, 0, 0, 1]).errors.min() == 0     # AND is separable
    # A horizontal or vertical line always splits XOR's corners 2 against 2.
    per_direction = xor.errors.min(axis=1)
    assert (per_direction[[0, 90, 180, 270]] == 2).all()
    X, y = blobs()
    search = widgets.line_search(X, y, n_angles=90, n_offsets=51)
    for a, o in [(0, 0), (17, 30), (89, 50)]:      # each entry is that line's error count
        w = (np.cos(search.angles[a]), np.sin(search.angles[a]))
        assert search.errors[a, o] == widgets.count_errors(w, search.offsets[o], X, y)


def quiet(assign):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assign()


@pytest.mark.parametrize("w1", [-3.0, 0.0, 3.0])
@pytest.mark.parametrize("w2", [-3.0, 0.0, 5.55e-17, 3.0])
@pytest.mark.parametrize("b", [-6.0, 0.0, 6.0])
def test_explorer_survives_every_extreme(w1, w2, b):
    X, y = blobs()
    explorer = widgets.HyperplaneExplorer(X, y)

    def move():
        explorer.w1.value, explorer.w2.value, explorer.b.value = w1, w2, b

    quiet(move)
    assert f"b = {b:.2f}" in explorer.readout.value
    assert f"{widgets.count_errors((w1, w2), b, X, y)} of 40 points" in explorer.readout.value
    panel = explorer._panel
    if w1 == 0 and abs(w2) < 1e-12:
        assert "no boundary" in explorer.readout.value
        assert not panel.line.get_visible() and panel.note.get_visible()
    shade = panel.shade.get_array()
    assert shade.shape == (200, 200, 3) and np.isfinite(shade).all()


def test_every_explorer_control_changes_the_readout():
    explorer = widgets.HyperplaneExplorer(XOR, [0, 1, 1, 0], w=(1.0, 1.0), b=-0.5)
    for slider in (explorer.w1, explorer.w2, explorer.b):
        before = explorer.readout.value
        slider.value = slider.value + 0.1
        assert explorer.readout.value != before


def test_explorer_rejects_out_of_range_start():
    with pytest.raises(ValueError, match=r"b: expected a number in \[-6.0, 6.0\], got 9"):
        widgets.HyperplaneExplorer(XOR, [0, 1, 1, 0], b=9.0)


def test_replay_follows_the_history():
    X, y = blobs()
    history = ll.Perceptron(2).fit(X, y, epochs=100, seed=0)
    replay = widgets.PerceptronReplay(X, y, history)
    assert replay.step.max == replay.play.max == len(history) - 1
    seen = set()
    for k in range(len(history)):
        quiet(lambda k=k: setattr(replay.step, "value", k))
        text = replay.readout.value
        assert text not in seen
        seen.add(text)
        assert f"{history[k].errors} of 40 points misclassified" in text
        ringed = replay._trigger.get_offsets()
        if k == 0:
            assert "the start" in text and len(ringed) == 0
        else:
            assert np.allclose(ringed, X[[history[k].index]])
            assert f"point #{history[k].index}" in text
            assert ("toward" if y[history[k].index] == 1 else "away from") in text
        assert np.allclose(replay._now.get_xydata(), [[k, history[k].errors]])


def test_describe_step_names_the_rule():
    X = XOR
    history = ll.Perceptron(2).fit(X, [0, 0, 0, 1], seed=0)
    assert widgets.hyperplane.describe_step(history, 0, X, [0, 0, 0, 1]).startswith(
        f"step 0 of {len(history) - 1}: the start, w = (0.00, 0.00), b = 0.00")
