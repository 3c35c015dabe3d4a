"""lstm_lib.events: the stream simulator against its documented process, and every
feature against a plain loop over time that computes its definition directly.

The loops here are the independent truth; the library computes the same numbers
without one.
"""

import numpy as np
import pytest

from lstm_lib import events as ev


def naive_rolling(x, w, stat):
    """stat over rows max(0, t − w + 1)..t, one step at a time."""
    out = np.empty_like(x)
    for t in range(len(x)):
        window = x[max(0, t - w + 1):t + 1]
        for v in range(x.shape[1]):
            col = window[:, v]
            if stat == "mean":
                out[t, v] = col.mean()
            elif stat == "std":
                out[t, v] = col.std()
            elif stat == "min":
                out[t, v] = col.min()
            elif stat == "max":
                out[t, v] = col.max()
            elif stat == "count":
                out[t, v] = col.sum()
            elif stat == "slope":
                out[t, v] = np.polyfit(np.arange(len(col)), col, 1)[0] if len(col) > 1 else 0.0
    return out


@pytest.fixture(scope="module")
def stream():
    return ev.simulate(3_000, order=0.5, seed=4)


def test_simulate_shapes_and_columns(stream):
    assert stream.x.shape == (3_000, len(ev.VARIABLES)) and len(stream) == 3_000
    assert stream.y.shape == stream.p.shape == (3_000,)
    events = stream.x[:, len(ev.CONTINUOUS):]
    assert set(np.unique(events)) <= {0.0, 1.0}
    assert set(np.unique(stream.y)) <= {0.0, 1.0}
    assert ((0 < stream.p) & (stream.p < 1)).all()
    assert np.array_equal(stream.column("Y"), stream.x[:, ev.VARIABLES.index("Y")])
    assert "3000 steps" in repr(stream)


def test_simulate_is_repeatable_and_seeded():
    a, b = ev.simulate(500, order=1.0, seed=3), ev.simulate(500, order=1.0, seed=3)
    assert np.array_equal(a.x, b.x) and np.array_equal(a.y, b.y)
    assert not np.array_equal(a.x, ev.simulate(500, order=1.0, seed=4).x)


def test_readings_are_unit_variance_ar1_and_events_fire_at_their_rates():
    s = ev.simulate(200_000, seed=0)
    for j, phi in enumerate(ev.PERSISTENCE):
        r = s.x[:, j]
        assert r.var() == pytest.approx(1.0, abs=0.1)
        assert np.corrcoef(r[:-1], r[1:])[0, 1] == pytest.approx(phi, abs=0.02)
    rates = s.x[:, len(ev.CONTINUOUS):].mean(axis=0)
    assert np.allclose(rates, ev.EVENT_RATE, atol=0.005)


@pytest.mark.parametrize("order", [0.0, 0.5, 1.0])
def test_positives_are_rare_and_follow_the_hazard(order):
    s = ev.simulate(100_000, order=order, seed=1)
    assert 0.02 < s.y.mean() < 0.04                      # a few percent, in every regime
    assert abs(s.y.mean() - s.p.mean()) < 0.003          # y ~ Bernoulli(p)


def test_hazard_a_matches_its_definition_step_by_step(stream):
    load, anomaly = stream.column("load"), stream.column("anomaly")
    expected = np.empty(len(stream))
    for t in range(len(stream)):
        load16 = load[max(0, t - ev.LOAD_WINDOW + 1):t + 1].mean()
        recent = anomaly[max(0, t - ev.SURGE_WINDOW + 1):t + 1].any()
        z = ev.A_BIAS + ev.A_LOAD * load16 + ev.A_SURGE * (recent and load16 > 0)
        expected[t] = 1 / (1 + np.exp(-z))
    assert np.allclose(ev.hazard_a(stream.x), expected)


def test_order_danger_matches_its_definition_step_by_step(stream):
    X, Y = stream.column("X") > 0, stream.column("Y") > 0
    expected = np.zeros(len(stream), dtype=bool)
    for t in range(len(stream)):
        for u in range(max(0, t - ev.M_DANGER + 1), t + 1):           # a recent Y ...
            if Y[u] and X[max(0, u - ev.K_ORDER):u].any():            # ... after an X
                expected[t] = True
    assert np.array_equal(ev.order_danger(stream.x), expected)
    assert np.allclose(ev.hazard_b(stream.x), np.where(expected, ev.B_HIGH, ev.B_LOW))


def test_x_then_y_is_dangerous_and_y_then_x_is_not():
    x = np.zeros((60, len(ev.VARIABLES)))
    X, Y = ev.VARIABLES.index("X"), ev.VARIABLES.index("Y")
    x[10, X], x[11, Y] = 1, 1                   # X, then Y: danger from the Y on
    x[40, Y], x[41, X] = 1, 1                   # Y, then X: the same counts, no danger
    danger = ev.order_danger(x)
    assert np.flatnonzero(danger).tolist() == list(range(11, 11 + ev.M_DANGER))


def test_the_knob_blends_the_two_hazards(stream):
    p = 0.5 * ev.hazard_a(stream.x) + 0.5 * ev.hazard_b(stream.x)
    assert np.allclose(stream.p, p)
    with pytest.raises(ValueError):
        ev.simulate(10, order=1.5)


@pytest.mark.parametrize("stat", ["mean", "std", "min", "max", "count", "slope"])
@pytest.mark.parametrize("w", [1, 2, 5, 13])
def test_rolling_matches_a_loop_over_time(stat, w, rng):
    x = rng.normal(size=(60, 3))
    x[:, 2] = rng.random(60) < 0.2                      # an event column too
    assert np.allclose(ev.rolling(x, w, stat), naive_rolling(x, w, stat), atol=1e-9)


def test_rolling_slope_is_exact_on_a_line_far_from_the_origin():
    t = np.arange(20_000, dtype=float)[:, None]
    assert np.allclose(ev.rolling(3.0 - 0.25 * t, 30, "slope")[1:], -0.25, atol=1e-6)


def test_rolling_rejects_an_unknown_statistic():
    with pytest.raises(ValueError, match="stat: expected"):
        ev.rolling(np.zeros((5, 1)), 2, "median")


def test_lagged_and_time_since_match_loops(rng):
    x = (rng.random((80, 2)) < 0.1).astype(float)
    for k in (0, 1, 3):
        expected = np.array([x[max(t - k, 0)] for t in range(80)])
        assert np.array_equal(ev.lagged(x, k), expected)
    cap = 15
    expected = np.empty_like(x)
    for t in range(80):
        for v in range(2):
            fired = np.flatnonzero(x[:t + 1, v])
            expected[t, v] = min(t - fired[-1], cap) if len(fired) else cap
    assert np.array_equal(ev.time_since(x, cap), expected)


def test_feature_tables_have_their_documented_columns(stream):
    F, names = ev.standard_features(stream.x)
    assert F.shape == (len(stream), 60) and len(names) == len(set(names)) == 60
    for name in ("load", "load lag 1", "load mean 16", "load slope 8", "X count 8",
                 "anomaly since"):
        assert name in names
    F400, names400 = ev.exploded_features(stream.x)
    assert F400.shape == (len(stream), 10 * 8 * 5) and len(set(names400)) == 400
    assert np.allclose(F400[:, names400.index("vibration max 12")],
                       naive_rolling(stream.x, 12, "max")[:, ev.VARIABLES.index("vibration")])


@pytest.mark.parametrize("build", [ev.standard_features, ev.exploded_features])
@pytest.mark.parametrize("t", [0, 1, 49, 1_234])
def test_no_feature_reads_the_future(stream, build, t):
    changed = stream.x.copy()
    changed[t + 1:] = ev.simulate(len(stream), seed=77).x[t + 1:]     # another future
    before, _ = build(stream.x)
    after, _ = build(changed)
    assert np.array_equal(before[:t + 1], after[:t + 1])
    assert not np.array_equal(before[t + 1:], after[t + 1:])          # the change is seen later


def test_build_features_checks_the_shape():
    with pytest.raises(ValueError, match="x: expected"):
        ev.build_features(np.zeros((10, 3)))


def test_time_splits_are_ordered_and_sized():
    train, val, test = ev.time_splits(1_000, 300, 600)
    assert (train.stop - train.start, val.stop - val.start, test.stop - test.start) == \
        (1_000, 300, 600)
    assert train.start == ev.WARMUP and train.stop == val.start and val.stop == test.start
    train, val, test = ev.time_splits(100, 0, 50, T=1_000)
    assert test == slice(950, 1_000) and val == slice(950, 950) and train == slice(850, 950)
    with pytest.raises(ValueError, match="cannot hold"):
        ev.time_splits(1_000, 300, 600, T=1_500)
    with pytest.raises(ValueError, match="n_val"):
        ev.time_splits(10, -1, 10)


def test_chunks_cut_overlapping_pieces_to_the_end(rng):
    x, y = rng.normal(size=(50, 3)), (rng.random(50) < 0.3).astype(float)
    batch = ev.chunks(x, y, 20, 8)
    starts = [0, 8, 16, 24, 30]                          # 30: the piece that ends at step 49
    assert batch.xs.shape == (20, len(starts), 3) and batch.y.shape == (20, len(starts), 1)
    for b, s in enumerate(starts):
        assert np.array_equal(batch.xs[:, b], x[s:s + 20])
        assert np.array_equal(batch.y[:, b, 0], y[s:s + 20])
    assert batch.at is None
    with pytest.raises(ValueError, match="at least"):
        ev.chunks(x[:10], y[:10], 20, 8)


def test_mislabel_moves_a_share_of_the_positives_before_stop():
    y = (np.random.default_rng(3).random(2_000) < 0.05).astype(float)
    stop = 1_500
    noisy = ev.mislabel(y, 0.4, stop, seed=1)
    before = np.flatnonzero(y[:stop])
    k = int(round(0.4 * len(before)))
    kept = np.intersect1d(before, np.flatnonzero(noisy[:stop]))
    assert noisy.sum() == y.sum()                              # as many positives as before
    assert len(kept) == len(before) - k                        # k of them left their step ...
    assert len(np.setdiff1d(np.flatnonzero(noisy[:stop]), before)) == k   # ... for k new ones
    assert np.array_equal(noisy[stop:], y[stop:])              # nothing from stop on moves
    assert np.array_equal(noisy, ev.mislabel(y, 0.4, stop, seed=1))       # seeded
    assert not np.array_equal(noisy, ev.mislabel(y, 0.4, stop, seed=2))
    assert np.array_equal(ev.mislabel(y, 0.0, stop), y)
    assert np.array_equal(y, (np.random.default_rng(3).random(2_000) < 0.05))   # y untouched
    with pytest.raises(ValueError, match="stop"):
        ev.mislabel(y, 0.4, 2_001)
    with pytest.raises(ValueError, match="fraction"):
        ev.mislabel(y, 1.5, stop)
