"""Notebook 02's widgets: their arithmetic against independent truth, and every control
at its extremes.

(How they look and respond in a real browser is tested under headless Chromium.)
"""

import warnings

import numpy as np
import pytest

import lstm_lib as ll
from lstm_lib import widgets


def test_two_rings_are_two_rings_and_repeatable():
    X, y = ll.mlp_training.two_rings(200, noise=0.0, seed=3)
    assert X.shape == (200, 2) and y.shape == (200,) and y.sum() == 100
    radius = np.hypot(X[:, 0], X[:, 1])
    assert np.allclose(radius[y == 1], 0.5) and np.allclose(radius[y == 0], 1.0)
    X2, y2 = ll.mlp_training.two_rings(200, noise=0.0, seed=3)
    assert np.array_equal(X, X2) and np.array_equal(y, y2)
    assert not np.array_equal(X, ll.mlp_training.two_rings(200, noise=0.0, seed=4)[0])


def test_no_line_separates_the_rings():
    # Independent of any training: try many lines; none gets far beyond chance.
    X, y = ll.mlp_training.two_rings(200, seed=0)
    rng = np.random.default_rng(0)
    best = 0.0
    for _ in range(2000):
        w, b = rng.normal(size=2), rng.uniform(-1.2, 1.2)
        side = X @ w + b > 0
        best = max(best, np.mean(side == (y == 1)), np.mean(side != (y == 1)))
    assert best < 0.7


def test_xor_points():
    X, y = ll.mlp_training.xor_points()
    assert np.array_equal(y, np.logical_xor(X[:, 0], X[:, 1]).astype(float))


def test_plane_grid_layout_matches_imshow_origin_lower():
    points, axis = widgets.layer.plane_grid(5, (-1.0, 1.0))
    assert points.shape == (25, 2) and np.allclose(axis, np.linspace(-1, 1, 5))
    grid = points.reshape(5, 5, 2)
    r, c = 1, 3
    assert np.allclose(grid[r, c], [axis[c], axis[r]])


class _Field:
    """A stand-in "net" whose output is a given function of the input."""

    def __init__(self, f):
        self.f = f

    def forward(self, x):
        return self.f(x)[:, None]


def test_boundary_of_a_line_and_a_circle():
    vertical = widgets.layer.boundary_segments(
        widgets.layer.net_logits(_Field(lambda p: p[:, 0] - 0.3)))
    assert vertical and all(np.allclose(seg[:, 0], 0.3) for seg in vertical)
    circle = widgets.layer.boundary_segments(
        widgets.layer.net_logits(_Field(lambda p: 0.25 - (p**2).sum(axis=1)), n=201))
    radius = np.hypot(*np.concatenate(circle).T)
    assert np.allclose(radius, 0.5, atol=5e-3)


def test_accuracy_counts_the_right_side():
    X = np.array([[1.0, 0.0], [-1.0, 0.0], [2.0, 0.0]])
    assert ll.metrics.accuracy(_Field(lambda p: p[:, 0]).forward(X), [1, 0, 0]) == \
        pytest.approx(2 / 3)


def test_fit_mlp_learns_xor_and_keeps_snapshots():
    X, y = ll.mlp_training.xor_points()
    net, history, snaps = ll.mlp_training.fit_mlp(X, y, [3], steps=400, lr=0.05, seed=0,
                                          snapshot_every=50)
    assert ll.metrics.accuracy(net.forward(X), y) == 1.0 and history["loss"][-1] < 0.05
    assert [k for k, _ in snaps] == list(range(0, 401, 50))
    fresh = ll.MLP([2, 3, 1], activation="tanh", seed=0)       # the same seed, untrained
    assert all(np.array_equal(snaps[0][1][k], fresh.params[k]) for k in fresh.params)
    assert all(np.array_equal(snaps[-1][1][k], net.params[k]) for k in net.params)


def test_without_a_squash_any_depth_is_an_affine_map():
    # An affine function has zero second differences along both axes of the grid.
    X, y = ll.mlp_training.two_rings(100, seed=1)
    net, _, _ = ll.mlp_training.fit_mlp(X, y, [16, 16, 16], activation="none", steps=50, seed=0)
    logits = widgets.layer.net_logits(net, 41)
    assert np.abs(np.diff(logits, 2, axis=0)).max() < 1e-9
    assert np.abs(np.diff(logits, 2, axis=1)).max() < 1e-9
    curved, _, _ = ll.mlp_training.fit_mlp(X, y, [16], activation="tanh", steps=50, seed=0)
    assert np.abs(np.diff(widgets.layer.net_logits(curved, 41), 2, axis=0)).max() > 1e-3


def test_fit_mlp_rejects_an_unknown_loss():
    with pytest.raises(ValueError, match="loss: expected"):
        ll.mlp_training.fit_mlp(*ll.mlp_training.xor_points(), [2], loss="hinge", seed=0)


@pytest.fixture(scope="module")
def small_atlas():
    X, y = ll.mlp_training.two_rings(60, seed=0)
    atlas = widgets.explore_activation_depth(X, y, depths=(0, 1, 2), widths=(2, 4),
                                             steps=40, n=31)
    return X, y, atlas


@pytest.mark.parametrize("activation, hidden, loss", [("tanh", [3], "cross-entropy"),
                                                      ("ReLU", [4, 4, 4], "cross-entropy"),
                                                      ("sigmoid", [2, 3], "cross-entropy"),
                                                      ("none", [5], "cross-entropy"),
                                                      ("tanh", [4], "mse")])
def test_fit_together_trains_each_net_as_fit_mlp_trains_it_alone(activation, hidden, loss):
    # Independent truth: the one-net loop (MLP.forward/backward + optim.Adam), seed by seed.
    X, y = ll.mlp_training.two_rings(40, seed=1)
    target = X[:, 0] ** 2 if loss == "mse" else y
    seeds = [0, 3, 5]
    nets, losses = ll.mlp_training.fit_mlps(X, target, hidden, seeds, activation=activation,
                                    loss=loss, steps=60, lr=0.05)
    assert losses.shape == (60, 3)
    for s, seed in enumerate(seeds):
        alone, history, _ = ll.mlp_training.fit_mlp(X, target, hidden, activation=activation,
                                            loss=loss, steps=60, lr=0.05, seed=seed)
        for name in alone.params:
            assert np.allclose(nets[s].params[name], alone.params[name], rtol=1e-12,
                               atol=1e-12), name
        assert np.allclose(losses[:, s], history["loss"], rtol=1e-12, atol=1e-15)


def test_fit_together_rejects_nets_of_different_shapes():
    X, y = ll.mlp_training.xor_points()
    with pytest.raises(ValueError, match="one shape"):
        ll.mlp_training.fit_together([ll.MLP([2, 3, 1], seed=0), ll.MLP([2, 4, 1], seed=0)], X, y)
    with pytest.raises(ValueError, match="loss: expected"):
        ll.mlp_training.fit_together([ll.MLP([2, 3, 1], seed=0)], X, y, loss="hinge")


def test_atlas_keeps_every_seed(small_atlas):
    X, y, _ = small_atlas
    atlas = widgets.explore_activation_depth(X, y, depths=(1,), widths=(2,),
                                             activations=("tanh",), steps=20, seeds=[4, 0], n=11)
    entry = atlas["tanh", 1, 2]
    assert entry["accuracies"].shape == (2,) and len(entry["nets"]) == 2
    alone, _, _ = ll.mlp_training.fit_mlp(X, y, [2], activation="tanh", steps=20, lr=0.05, seed=0)
    assert entry["accuracies"][1] == ll.metrics.accuracy(alone.forward(X), y)
    assert entry["accuracy"] == entry["accuracies"][0]     # the drawn net is the first seed's
    explorer = widgets.ActivationDepthExplorer(X, y, atlas, activation="tanh", depth=1, width=2)
    assert "starts reach 95%" in explorer.readout.value


def test_atlas_covers_every_setting(small_atlas):
    _, _, atlas = small_atlas
    assert len(atlas) == 4 * 3 * 2
    assert len({id(v) for k, v in atlas.items() if k[1] == 0}) == 1    # one shared neuron
    for entry in atlas.values():
        assert entry["logits"].shape == (31, 31) and np.isfinite(entry["logits"]).all()
        assert 0.0 <= entry["accuracy"] <= 1.0


def test_describe_regions():
    assert widgets.layer.describe_regions("tanh", 2, 8, 0.97) == \
        "<b>tanh, 2 hidden layers of 8 neurons</b>: training accuracy 97%"
    assert widgets.layer.describe_regions("ReLU", 3, 4, 0.5, (7, 8)) == \
        "<b>ReLU, 3 hidden layers of 4 neurons</b>: training accuracy 50% for this start; " \
        "7 of 8 starts reach 95%"
    assert "1 hidden layer of 4" in widgets.layer.describe_regions("ReLU", 1, 4, 1.0)
    assert "straight line" in widgets.layer.describe_regions("none", 3, 16, 0.5)
    zero = widgets.layer.describe_regions("sigmoid", 0, 2, 0.52)
    assert "no hidden layer" in zero and "sigmoid" in zero and "2 neurons" in zero


def test_explorer_every_control_at_every_extreme(small_atlas):
    X, y, atlas = small_atlas
    explorer = widgets.ActivationDepthExplorer(X, y, atlas, activation="tanh", depth=1,
                                               width=4)
    seen = {explorer.readout.value}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for act in ("none", "sigmoid", "tanh", "ReLU"):
            for depth in (0, 2):
                for width in (2, 4):
                    explorer.activation.value = act
                    explorer.depth.value = depth
                    explorer.width.value = width
                    image = np.asarray(explorer._image.get_array())
                    assert np.isfinite(image).all() and (0 <= image).all() and (image <= 1).all()
                    seen.add(explorer.readout.value)
    assert len(seen) == 4 * 2 * 2 + 1      # every setting reads differently


def test_explorer_rejects_an_untrained_start(small_atlas):
    X, y, atlas = small_atlas
    with pytest.raises(ValueError, match="start: expected one of the trained settings"):
        widgets.ActivationDepthExplorer(X, y, atlas, depth=3)


def test_neuron_line_lies_on_the_line():
    for w, b in (([1.0, 2.0], -0.5), ([3.0, 0.1], 0.2), ([0.0, -1.0], 0.4), ([2.0, 0.0], 1.0)):
        pts = widgets.layer.neuron_line(np.array(w), b, (-1.0, 1.0))
        assert pts.shape == (2, 2) and np.allclose(pts @ np.array(w) + b, 0)
    assert widgets.layer.neuron_line(np.zeros(2), 1.0) is None


def test_xor_viewer_scrubs_through_training():
    X, y = ll.mlp_training.xor_points()
    net, history, snaps = ll.mlp_training.fit_mlp(X, y, [3], steps=400, lr=0.05, seed=0,
                                          snapshot_every=50)
    before = {k: p.copy() for k, p in net.params.items()}
    viewer = widgets.XorTrainingViewer(X, y, net, history, snaps)
    assert all(np.array_equal(before[k], net.params[k]) for k in before)  # net untouched
    assert viewer.step.min == 0 and viewer.step.max == 400 and viewer.step.step == 50
    assert "4 of 4" in viewer.readout.value
    # snapshot k holds the weights after k updates; history["loss"][k] was measured then
    for k in (0, 50, 350):
        assert viewer.frames[k]["loss"] == pytest.approx(history["loss"][k], rel=1e-12)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        viewer.step.value = 0
    assert "before training" in viewer.readout.value
    assert sum(line.get_visible() for line in viewer._lines) == 3


def test_fit_widths_parts_add_up_and_errors_are_measured():
    fits = widgets.fit_widths(np.sin, [1, 2, 3], steps=200, n_points=50)
    for width, r in fits.items():
        assert r["parts"].shape == (width, 50)
        assert np.allclose(r["parts"].sum(axis=0) + r["bias"], r["fit"])
        assert r["mse"] == pytest.approx(np.mean((r["fit"] - np.sin(r["x"]))**2))
        assert r["max_error"] == pytest.approx(np.abs(r["fit"] - np.sin(r["x"])).max())
    assert fits[3]["mse"] < fits[1]["mse"]


def test_fit_widths_keeps_every_seeds_errors():
    fits = widgets.fit_widths(np.sin, [2, 3], steps=100, n_points=30, seeds=[0, 7])
    for width, r in fits.items():
        assert r["mses"].shape == (2,) and r["max_errors"].shape == (2,)
        assert r["mses"][0] == pytest.approx(r["mse"]) and r["max_errors"][0] == r["max_error"]
        other, _, _ = ll.mlp_training.fit_mlp(r["x"][:, None], np.sin(r["x"]), [width], loss="mse",
                                      steps=100, lr=0.02, seed=7)
        error = other.forward(r["x"][:, None])[:, 0] - np.sin(r["x"])
        assert r["mses"][1] == pytest.approx(np.mean(error**2), rel=1e-9)


def test_width_explorer_extremes_and_parts():
    fits = widgets.fit_widths(np.sin, range(1, 5), steps=100, n_points=40)
    explorer = widgets.WidthFitExplorer(fits)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for width in (4, 1, 3):
            explorer.width.value = width
            assert sum(line.get_visible() for line in explorer._parts) == width
            assert np.allclose(explorer._fit.get_ydata(), fits[width]["fit"])
            assert explorer.readout.value.startswith(
                f"<b>{width} neuron{'s' if width > 1 else ''}</b>")
    with pytest.raises(ValueError, match="consecutive widths"):
        widgets.WidthFitExplorer({1: fits[1], 3: fits[3]})
