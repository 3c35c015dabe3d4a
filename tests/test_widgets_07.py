"""Notebook 07's baseline ladder and explorer: the metrics against hand computation,
the LSTM's scoring windows against a plain forward pass, the ladder's plumbing on a
small stream, and every control at its extremes.

(How the explorer looks and responds in a real browser is tested under headless Chromium.)
"""

import warnings

import numpy as np
import pytest

import lstm_lib as ll
from lstm_lib import events as ev
from lstm_lib import widgets
from lstm_lib.widgets import baselines as bl

TINY = ll.ladder.LSTMRecipe(hidden=4, length=12, stride=6, batch_size=8, rounds=2, updates=3,
                          burn_in=4)


def test_average_precision_by_hand():
    # ranking: 0.9 (pos), 0.8 (neg), 0.7 (pos), 0.1 (neg): precision 1 at recall ½, then
    # 2/3 at recall 1, so AP = ½·1 + ½·⅔
    y, score = np.array([1, 0, 1, 0]), np.array([0.9, 0.8, 0.7, 0.1])
    assert ll.metrics.average_precision(y, score) == pytest.approx(0.5 + 0.5 * 2 / 3)
    both = ll.metrics.average_precision(y, np.column_stack([score, -score]))
    assert both.shape == (2,) and both[0] == pytest.approx(0.5 + 0.5 * 2 / 3)
    assert both[1] == pytest.approx(ll.metrics.average_precision(y, -score))
    assert ll.metrics.average_precision(np.zeros(4), score) == 0.0      # no positive: the base rate


def test_fit_rule_finds_a_planted_column_and_its_sign(rng):
    y = (rng.random(400) < 0.1).astype(float)
    F = rng.normal(size=(400, 5))
    F[:, 3] -= 3 * y                                             # low values mark positives
    assert ll.ladder.fit_rule(F, y) == (3, -1.0)


def test_logistic_and_boosting_rank_a_planted_signal(rng):
    def draw(n):
        F = rng.normal(size=(n, 4))
        y = (rng.random(n) < ll.sigmoid(-3 + 2 * F[:, 0] * (F[:, 1] > 0))).astype(float)
        return F, y

    (F_tr, y_tr), (F_val, y_val), (F_te, y_te) = draw(3000), draw(1000), draw(2000)
    model = ll.ladder.fit_logistic(F_tr, y_tr, F_val, y_val)
    assert model[-1].C in ll.ladder.C_GRID
    assert ll.metrics.average_precision(y_te, model.predict_proba(F_te)[:, 1]) > 2 * y_te.mean()
    p, kept = ll.ladder.fit_boosting(F_tr, y_tr, F_val, y_val, F_te, max_iter=30, seed=0)
    assert p.shape == (2000,) and 1 <= kept <= 30 and ((0 < p) & (p < 1)).all()
    assert ll.metrics.average_precision(y_te, p) > 2 * y_te.mean()


def test_lstm_logits_read_each_step_after_its_burn_in(rng):
    model = ll.SequenceModel(ll.LSTM(3, 5, seed=1), 1, seed=1)
    x = rng.normal(size=(100, 3))
    start, stop, burn_in, length = 30, 77, 6, 16
    out = ll.ladder.lstm_logits(model, x, start, stop, burn_in, length)
    assert out.shape == (stop - start,)
    # independent truth: each step's logit from one forward pass over the window holding
    # it, the window starting where lstm_logits starts it
    score = length - burn_in
    firsts = np.minimum(np.arange(start, stop, score), stop - score)
    expected = {}
    for f in firsts:
        logits = model.forward(x[f - burn_in:f - burn_in + length, None])[:, 0, 0]
        for j in range(burn_in, length):
            expected[f - burn_in + j] = logits[j]       # a later window overwrites
    assert np.allclose(out, [expected[t] for t in range(start, stop)])
    with pytest.raises(ValueError, match="burn_in"):
        ll.ladder.lstm_logits(model, x, 3, 20, burn_in, length)


@pytest.fixture(scope="module")
def small_stream():
    return ev.simulate(ev.WARMUP + 600 + 300 + 600, order=1.0, seed=0)


def test_climb_ladder_scores_every_rung(small_stream):
    r = ll.ladder.climb_ladder(small_stream, 600, n_val=300, n_test=600, recipe=TINY, seed=0)
    train, _, test = ev.time_splits(600, 300, 600, T=len(small_stream))
    assert r["positives"] == small_stream.y[train].sum()
    assert r["base rate"] == pytest.approx(small_stream.y[test].mean())
    for m in ll.ladder.MODELS:
        assert 0.0 <= r[m].ap <= 1.0 and r[m].detail
    assert r["rule"].log_loss is None
    assert all(r[m].log_loss > 0 for m in ("logistic", "boosting", "lstm"))
    assert "trees" in r["boosting"].detail and "C = " in r["logistic"].detail


def test_fit_lstm_keeps_the_best_round(small_stream):
    train, val, _ = ev.time_splits(600, 300, 600, T=len(small_stream))
    x = small_stream.x
    model, best = ll.ladder.fit_lstm(x, small_stream.y, train, val, TINY, seed=0)
    again = ll.metrics.average_precision(small_stream.y[val], ll.ladder.lstm_logits(
        model, x, val.start, val.stop, TINY.burn_in, TINY.length))
    assert again == pytest.approx(best)


def test_fit_lstm_ignores_the_labels_of_the_burn_in_steps(small_stream):
    # pieces that do not overlap (stride = length): the first burn_in steps of each are
    # never scored, so labels there cannot change the model; labels elsewhere do
    recipe = ll.ladder.LSTMRecipe(hidden=4, length=12, stride=12, batch_size=8, rounds=1,
                                updates=4, burn_in=4)
    train, val, _ = ev.time_splits(600, 300, 600, T=len(small_stream))
    offset = (np.arange(len(small_stream)) - train.start) % recipe.length

    def trained(y):
        model, _ = ll.ladder.fit_lstm(small_stream.x, y, train, val, recipe, seed=0)
        return model.layers[0].params["W"].copy()

    y = small_stream.y
    base = trained(y)
    flipped = y.copy()
    burn = (offset < recipe.burn_in) & (np.arange(len(y)) < train.stop)
    flipped[burn] = 1 - flipped[burn]
    assert np.array_equal(trained(flipped), base)
    scored = (offset == recipe.burn_in) & (np.arange(len(y)) < train.stop)
    flipped = y.copy()
    flipped[scored] = 1 - flipped[scored]
    assert not np.allclose(trained(flipped), base)


def test_learning_curves_with_noisy_labels_keep_the_test_labels():
    args = dict(seeds=(0,), n_val=200, n_test=400, recipe=TINY, progress=False)
    clean = ll.ladder.learning_curves(1.0, (400,), **args)
    noisy = ll.ladder.learning_curves(1.0, (400,), mislabel=0.5, **args)
    assert noisy.base_rate == pytest.approx(clean.base_rate)      # scored on the true labels
    assert noisy.oracle == pytest.approx(clean.oracle)
    assert not np.allclose(noisy.ap["logistic"], clean.ap["logistic"])


def test_learning_curves_share_streams_through_n_history():
    args = dict(seeds=(0,), n_val=200, n_test=400, recipe=TINY, progress=False)
    both = ll.ladder.learning_curves(1.0, (200, 400), **args)
    one = ll.ladder.learning_curves(1.0, (200,), n_history=400, **args)
    assert one.oracle == pytest.approx(both.oracle)               # the same stream ...
    assert one.ap["logistic"][0] == pytest.approx(both.ap["logistic"][0])   # ... and split
    with pytest.raises(ValueError, match="n_history"):
        ll.ladder.learning_curves(1.0, (400,), n_history=200, **args)


def test_learning_curves_shapes_and_best():
    curves = ll.ladder.learning_curves(1.0, (400, 200), seeds=(0, 1), n_val=200, n_test=400,
                                     recipe=TINY, progress=False)
    assert list(curves.sizes) == [200, 400] and curves.seeds == (0, 1)
    for m in ll.ladder.MODELS:
        assert curves.ap[m].shape == (2, 2) and np.isfinite(curves.ap[m]).all()
    assert (curves.positives[1] >= curves.positives[0]).all()   # the larger set holds the smaller
    assert curves.best(400) in ll.ladder.MODELS and curves.label == "order = 1"
    assert np.allclose(curves.mean("lstm"), curves.ap["lstm"].mean(axis=1))


def test_feature_explosion_shapes_and_control():
    out = ll.ladder.feature_explosion((10, 400), n_train=400, n_test=500, seeds=(0,),
                                    progress=False)
    assert out["train"].shape == out["test"].shape == (2, 1)
    assert out["shuffled train"].shape == (1,) and out["positives"][0] > 0
    assert out["train"][1, 0] > out["train"][0, 0]     # 400 columns fit training better
    with pytest.raises(ValueError, match="at most 400"):
        ll.ladder.feature_explosion((500,), n_train=200, n_test=200, seeds=(0,), progress=False)


def fake_curves(label, order, sizes=(100, 1_000, 10_000), seeds=(0, 1, 2), seed=0):
    rng = np.random.default_rng(seed)
    S, B = len(sizes), len(seeds)
    return ll.ladder.LearningCurves(
        order=order, label=label, sizes=np.array(sizes), seeds=seeds,
        ap={m: rng.uniform(0.0, 1.0, (S, B)) for m in ll.ladder.MODELS},
        positives=rng.integers(1, 300, (S, B)), base_rate=np.full(B, 0.03),
        oracle=rng.uniform(0.3, 0.6, B))


def test_describe_ladder_ranks_the_models():
    c = fake_curves("A", 0.0)
    c.ap = {m: np.full((3, 3), v)
            for m, v in zip(ll.ladder.MODELS, (0.1, 0.4, 0.3, 0.2), strict=True)}
    text = widgets.baselines.describe_ladder(c, 1_000)
    assert text.startswith("<b>A, 1,000 training time steps</b>")
    order = [text.index(bl.LABELS[m]) for m in ("logistic", "boosting", "lstm", "rule")]
    assert order == sorted(order) and text.endswith(f"<b>{bl.LABELS['logistic']}</b>")


def test_explorer_every_control_at_every_extreme():
    curves = {name: fake_curves(name, o, seed=k)
              for k, (name, o) in enumerate((("A", 0.0), ("half", 0.5), ("B", 1.0)))}
    explorer = widgets.BaselineExplorer(curves, regime="half", size=1_000)
    seen = {explorer.readout.value}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name, c in curves.items():
            for size in (100, 10_000, 1_000):
                explorer.regime.value = name
                explorer.size.value = size
                k = list(c.sizes).index(size)
                heights = [bar.get_height() for bar in explorer._bars]
                assert np.allclose(heights, [c.ap[m][k].mean() for m in ll.ladder.MODELS])
                assert np.allclose(explorer._curves["lstm"][0].get_ydata(), c.mean("lstm"))
                assert np.isfinite(explorer._dots.get_ydata()).all()
                seen.add(explorer.readout.value)
    assert len(seen) == 9                               # every setting reads differently


def test_explorer_rejects_mismatched_curves_and_bad_starts():
    a = fake_curves("A", 0.0)
    with pytest.raises(ValueError, match="other sizes or seeds"):
        widgets.BaselineExplorer({"A": a, "B": fake_curves("B", 1.0, sizes=(100, 200, 300))})
    with pytest.raises(ValueError, match="start"):
        widgets.BaselineExplorer({"A": a}, size=123)
    with pytest.raises(ValueError, match="at least one"):
        widgets.BaselineExplorer({})


def test_figures_draw_without_warnings(small_stream):
    c = fake_curves("A", 0.0)
    explosion = {"counts": np.array([10, 50, 400]), "train": np.full((3, 2), 0.5),
                 "test": np.full((3, 2), 0.2), "shuffled train": np.full(2, 0.9),
                 "shuffled test": np.full(2, 0.03), "base rate": np.full(2, 0.03)}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for fig in (widgets.plot_stream(small_stream, start=100, length=80),
                    widgets.plot_curves([c, fake_curves("B", 1.0, seed=1)]),
                    widgets.plot_explosion(explosion)):
            fig.canvas.draw()
