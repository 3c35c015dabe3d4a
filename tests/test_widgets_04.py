"""Notebook 04's widgets: their arithmetic against closed forms and the Jacobian bound,
and every control at its extremes.

(How they look and respond in a real browser is tested under headless Chromium.)
"""

import math
import time
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pytest

import lstm_lib as ll
from lstm_lib import widgets


@pytest.fixture(autouse=True)
def no_open_figures():
    # Tests below turn warnings into errors; figures left open by earlier tests would
    # trip matplotlib's "more than 20 figures" warning.
    plt.close("all")
    yield
    plt.close("all")


def test_power_curve_matches_the_closed_form():
    k, values = widgets.power_curve(0.9, 100)
    assert np.array_equal(k, np.arange(101))
    assert np.allclose(values, np.exp(k * math.log(0.9)), rtol=1e-12)
    assert values[-1] == pytest.approx(2.656e-5, rel=1e-3)
    assert widgets.power_curve(1.1, 100)[1][-1] == pytest.approx(13780.6, rel=1e-4)


def test_power_curve_beyond_float64_is_quiet_and_described():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _, up = widgets.power_curve(1.5, 5000)
        _, down = widgets.power_curve(0.5, 5000)
        assert np.isinf(up[-1]) and down[-1] == 0.0
        assert "beyond float64's largest number" in widgets.forgetting.describe_power(1.5, 5000)
        assert "10<sup>880</sup>" in widgets.forgetting.describe_power(1.5, 5000)
        assert "below float64's smallest number" in widgets.forgetting.describe_power(0.5, 5000)


def test_steps_to_leave():
    assert widgets.steps_to_leave(0.9) == 44            # 0.9^43 ≈ 0.0108, 0.9^44 ≈ 0.0097
    assert 0.9**44 < 0.01 < 0.9**43
    assert widgets.steps_to_leave(1.1) == 49
    assert 1.1**49 > 100 > 1.1**48
    assert widgets.steps_to_leave(1.0) is None


def test_describe_power():
    assert widgets.forgetting.describe_power(0.9, 100).startswith(
        "<b>0.90<sup>100</sup> = 2.66e-05</b>")
    assert "after 44 steps" in widgets.forgetting.describe_power(0.9, 100)
    assert "100 times" in widgets.forgetting.describe_power(1.1, 100)
    assert "exactly 1" in widgets.forgetting.describe_power(1.0, 7)


def test_power_explorer_every_extreme():
    explorer = widgets.PowerExplorer(factor=0.9, n=100)
    seen = {explorer.readout.value}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for factor in (0.5, 1.0, 1.5):
            for n in (1, 500):
                explorer.factor.value = factor
                explorer.n.value = n
                y = np.asarray(explorer._curve.get_ydata())
                assert len(y) == n + 1 and np.isfinite(y).all() and (y > 0).all()
                low, high = explorer._ax.get_ylim()
                assert low <= y.min() and y.max() <= high
                seen.add(explorer.readout.value)
    assert len(seen) == 7
    with pytest.raises(ValueError, match="factor: expected a number in"):
        widgets.PowerExplorer(factor=2.0)


def test_jacobian_curve_obeys_the_bound_and_matches_lstm_lib():
    curve = ll.jacobians.jacobian_norm_curve(1.7, 0.3, hidden=8, steps=20, seed=3)
    assert curve["distance"].tolist() == list(range(21))
    assert curve["norms"][0] == pytest.approx(1.0)                 # ∂h_T/∂h_T = I
    assert np.all(curve["norms"] <= curve["bound"] * (1 + 1e-12))
    assert np.allclose(curve["bound"], 1.7 ** np.arange(21))
    # rebuild the same RNN by hand: the curve is gradient_norms read backwards
    rnn = ll.RNN(4, 8, seed=3)
    rnn.W_h[...] = ll.scale_to_spectral_norm(rnn.W_h, 1.7)
    rnn.forward(0.3 * np.random.default_rng(3).standard_normal((20, 1, 4)))
    assert np.allclose(curve["norms"], ll.gradient_norms(rnn)[::-1, 0])


def test_sigma_above_one_can_vanish_or_grow():
    saturated = ll.jacobians.jacobian_norm_curve(2.0, 3.0)
    quiet = ll.jacobians.jacobian_norm_curve(2.0, 0.0)
    assert saturated["norms"][-1] < 1e-3 and saturated["mean_slope"] < 0.8
    assert quiet["norms"][-1] > 1e3 and quiet["mean_slope"] == 1.0
    # with h stuck at 0 the product is exactly a power of W_hᵀ
    rnn = ll.RNN(4, 32, seed=0)
    W_h = ll.scale_to_spectral_norm(rnn.W_h, 2.0)
    assert quiet["norms"][-1] == pytest.approx(
        np.linalg.norm(np.linalg.matrix_power(W_h.T, 60), 2), rel=1e-9)


def test_describe_jacobians():
    curve = {"distance": np.arange(3), "norms": np.array([1.0, 0.1, 1e-5]),
             "bound": np.array([1.0, 2.0, 4.0]), "rho": 1.2, "mean_slope": 0.5}
    text = widgets.forgetting.describe_jacobians(2.0, 3.0, curve)
    assert text.startswith("<b>σ₁ = 2.00, inputs of size 3</b>: 2 steps back")
    assert "vanishes" in text and "1e-05" in text and "4" in text and "ρ (largest" in text
    curve["norms"][-1] = 1e4
    assert "explodes" in widgets.forgetting.describe_jacobians(2.0, 3.0, curve)
    curve["norms"][-1] = 1.0
    assert "neither" in widgets.forgetting.describe_jacobians(2.0, 3.0, curve)


def test_jacobian_explorer_every_extreme_and_fast():
    explorer = widgets.JacobianExplorer(sigma1=1.0, input_size=1.0)
    seen = {explorer.readout.value}
    slowest = 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for sigma1 in (0.5, 1.0, 3.0):
            for size in widgets.JacobianExplorer.INPUT_SIZES:
                explorer.sigma1.value = sigma1
                start = time.perf_counter()
                explorer.input_size.value = size
                slowest = max(slowest, time.perf_counter() - start)
                y = np.asarray(explorer._norms.get_ydata())
                assert np.isfinite(y).all() and (y > 0).all()
                low, high = explorer._ax.get_ylim()
                assert low <= y.min() and y.max() <= high
                seen.add(explorer.readout.value)
    assert len(seen) >= 3 * 6 - 1
    assert slowest < 0.05
    with pytest.raises(ValueError, match="input_size: expected one of"):
        widgets.JacobianExplorer(input_size=0.5)


def test_trailing_mean_against_a_loop():
    values = np.random.default_rng(0).normal(size=50)
    by_loop = [values[max(0, i - 6):i + 1].mean() for i in range(50)]
    assert np.allclose(widgets.forgetting.trailing_mean(values, 7), by_loop)
    assert np.allclose(widgets.forgetting.trailing_mean(values[:3], 7),
                       np.cumsum(values[:3]) / [1, 2, 3])


def _history(loss, grad_norm, diverged_at=None):
    history = ll.History({"loss": np.asarray(loss), "grad_norm": np.asarray(grad_norm)})
    history.diverged_at = diverged_at
    return history


def test_plot_training_survives_an_explosion_to_nan():
    exploded = _history(np.r_[np.logspace(0, 306, 299), np.nan],
                        np.r_[np.logspace(1, 154, 299), np.nan], diverged_at=299)
    steady = _history(np.geomspace(1.0, 0.03, 300), np.geomspace(10.0, 0.3, 300))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = widgets.plot_training({"steady": steady, "exploded": exploded}, baseline=1 / 6,
                                    clip=1.0, window=5)
        fig.canvas.draw()
    ax_loss, ax_grad = fig.axes
    notes = [t.get_text() for t in ax_loss.texts]
    assert notes == ["off the chart: NaN at step 299"]
    low, high = ax_loss.get_ylim()
    assert low < math.log10(0.03) and math.log10(1.0) < high < 3       # fits the steady run
    steady_line = ax_grad.lines[0]
    assert np.allclose(steady_line.get_ydata(),
                       widgets.forgetting.trailing_mean(np.log10(steady["grad_norm"]), 5))
    ticks = [t.get_text() for t in ax_grad.get_yticklabels()]
    assert ticks == ["$10^{-1}$", "$10^{0}$", "$10^{1}$"]     # whole decades, one below 0.3


def test_accuracy_by_groups_right_answers():
    class Stub:                                    # says "plural" for the first 3 sequences
        def forward(self, xs, at):
            return np.array([[1.0], [1.0], [1.0], [-1.0], [-1.0]])

    batch = ll.tasks.AgreementBatch(xs=np.zeros((2, 5, 1)), y=np.array([[1.0], [0.0], [1.0],
                                    [0.0], [1.0]]), at=np.ones(5, dtype=int),
                                    attractors=np.array([0, 0, 1, 1, 1]),
                                    distance=np.array([3, 3, 3, 3, 9]))
    assert ll.metrics.accuracy_by(Stub(), batch, "attractors") == {0: 0.5, 1: pytest.approx(2 / 3)}
    assert ll.metrics.accuracy_by(Stub(), batch, "distance", min_count=2) == {3: 0.75}
    with pytest.raises(ValueError, match="no per-sequence field 'length'"):
        ll.metrics.accuracy_by(Stub(), batch, "length")


def test_plot_agreement_draws_what_it_is_given():
    curves = {"a": {"attractors": {0: 1.0, 1: 0.9, 2: 0.2}, "distance": {3: 0.9, 5: 1.0}},
              "b": {"attractors": {0: 1.0, 1: 1.0, 2: 1.0}, "distance": {3: 1.0, 5: 1.0}}}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = widgets.plot_agreement(curves)
    ax_k, ax_d = fig.axes
    assert list(ax_k.lines[0].get_ydata()) == [1.0, 0.9, 0.2]
    assert list(ax_d.lines[1].get_xdata()) == [3, 5]


def test_plot_agreement_draws_each_run_and_their_mean():
    curves = {"a": {"attractors": {0: [1.0, 1.0], 1: [0.8, 0.6]}, "distance": {3: [1.0, 0.9]}}}
    fig = widgets.plot_agreement(curves)
    ax_k = fig.axes[0]
    faint, mean = ax_k.lines[:2], ax_k.lines[2]
    assert [list(line.get_ydata()) for line in faint] == [[1.0, 0.8], [1.0, 0.6]]
    assert np.allclose(mean.get_ydata(), [1.0, 0.7])
    assert mean.get_label() == "a (mean of 2 runs)"


def test_plot_training_wraps_a_long_legend():
    runs = {f"run {k}": _history(np.geomspace(1.0, 0.1, 50), np.full(50, 2.0)) for k in range(5)}
    fig = widgets.plot_training(runs, baseline=0.5, clip=1.0)
    legend = fig.legends[0]
    assert len(legend.get_texts()) == 7 and legend._ncols == 4          # 5 runs + 2 levels


# --- many runs at several budgets (section 6) -------------------------------------------

def test_budget_summary_counts_by_hand():
    steps = np.array([100, 200, 300, 400])
    accuracy = np.array([[0.0, 0.95, 0.2, 0.99],      # reaches 0.9 at 200, falls to 0.2
                         [0.1, 0.50, 0.9, 0.95],      # reaches at 300 (>= counts), stays
                         [0.0, 0.00, 0.1, 0.40]])     # never
    summary = ll.metrics.budget_summary(accuracy, steps, (200, 400), level=0.9)
    assert summary["passed"] == {200: 1, 400: 2}
    assert summary["median"] == {200: 0.5, 400: 0.95}
    assert list(summary["first"]) == [200, 300, np.inf]
    assert list(summary["fell_back"]) == [True, False, False]
    # a dip that stays above chance is not a fall back
    dip = ll.metrics.budget_summary([[0.95, 0.6, 0.95]], [1, 2, 3], (3,), level=0.9)
    assert not dip["fell_back"][0] and dip["first"][0] == 1


def test_budget_summary_rejects_what_it_cannot_read():
    with pytest.raises(ValueError, match=r"expected shape \(runs, 3\)"):
        ll.metrics.budget_summary(np.zeros((2, 4)), [1, 2, 3], (1,))
    with pytest.raises(ValueError, match=r"budgets: \[5\] are not among the measured steps"):
        ll.metrics.budget_summary(np.zeros((2, 3)), [1, 2, 3], (2, 5))


def test_plot_budget_draws_every_run_and_the_median():
    steps = np.array([50, 100, 150])
    runs = np.array([[0.1, 0.5, 1.0], [0.0, 0.9, 0.9], [0.2, 0.2, 0.8]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = widgets.plot_budget(steps, {"a": runs, "b": 1 - runs}, budget=100, level=0.9)
    ax = fig.axes[0]
    curves = [line for line in ax.lines if len(line.get_xdata()) == 3]
    assert len(curves) == 2 * (3 + 1)                 # per label: each run, then the median
    assert np.allclose(curves[3].get_ydata(), [0.1, 0.5, 0.9])
    assert curves[3].get_label() == "a (median of 3 runs)"
    assert np.allclose(curves[7].get_ydata(), [0.9, 0.5, 0.1])
    assert any("100 steps" in t.get_text() for t in ax.texts)


def _script(name):
    """A script from data/ as a module, leaving the environment as it was."""
    import importlib.util
    import os
    from unittest import mock

    spec = importlib.util.spec_from_file_location(name, widgets.DATA / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    with mock.patch.dict(os.environ):
        spec.loader.exec_module(module)
    return module


def test_shipped_agreement_study_is_what_its_script_trains():
    script = _script("train_agreement_rnn")
    with np.load(script.OUT) as saved:
        steps, accuracy, far, loss = (saved[k] for k in ("steps", "accuracy", "far", "loss"))
        assert list(saved["seeds"]) == list(script.SEEDS)
    runs, points = len(script.SEEDS), script.STEPS // script.EVERY
    assert np.array_equal(steps, np.arange(1, points + 1) * script.EVERY)
    assert accuracy.shape == (runs, points, 5) and far.shape == (runs, points)
    assert loss.shape == (runs, script.STEPS)
    # The first 300 steps, rerun: before training turns chaotic they match to the digit.
    acc, held, history = script.train(0, steps=300)
    assert np.allclose(acc, accuracy[0, :6], atol=0.01) and np.allclose(held, far[0, :6], atol=0.01)
    assert np.allclose(history["loss"], loss[0, :300], rtol=1e-5, atol=1e-7)


def test_shipped_long_adding_runs_are_what_their_script_trains():
    script = _script("train_adding_rnn")
    with np.load(script.OUT) as saved:
        saved = dict(saved)
    points = script.STEPS // script.EVERY
    assert np.array_equal(saved["steps"], np.arange(1, points + 1) * script.EVERY)
    assert list(saved["seeds"]) == list(script.SEEDS)
    for recipe in script.RECIPES:
        assert saved[f"mse_{recipe}"].shape == saved[f"spread_{recipe}"].shape == (3, points)
        assert saved[f"loss_{recipe}"].shape == (3, script.STEPS)
        # The first steps of seed 1, rerun, and one measurement, against the file. The
        # clipped SGD run with σ₁ = 2 is chaotic: a change of 1e-14 in its weights grows
        # to ~1e-8 of the loss by step 25 and ~10% by step 100, so on another CPU (whose
        # BLAS rounds differently) only its first steps can be compared. Adam's runs stay
        # within ~1e-6 for the whole EVERY steps.
        mse, spread, history = script.train(recipe, 1, steps=script.EVERY, every=script.EVERY)
        calm = recipe == "adam"
        n = script.EVERY if calm else 20
        assert np.allclose(history["loss"][:n], saved[f"loss_{recipe}"][1, :n], rtol=1e-5)
        if calm:
            assert mse[0] == pytest.approx(saved[f"mse_{recipe}"][1, 0], rel=1e-5)
            assert spread[0] == pytest.approx(saved[f"spread_{recipe}"][1, 0], rel=1e-5)
    # the "sgd" recipe is section 4's: W_h rescaled to σ₁ = 2
    model = script.model_for(0, 2.0)
    assert np.linalg.svd(model.cell.W_h, compute_uv=False)[0] == pytest.approx(2.0)
