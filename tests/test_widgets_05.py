"""Notebook 05's widgets: the valve cell against the gate equations worked out by hand,
its verdicts at every extreme, and the explorer at every corner of its controls.

(How they look and respond in a real browser is tested under headless Chromium.)
"""

import itertools
import math
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pytest

from lstm_lib import widgets

T, WRITE, READ = 24, widgets.WRITE_STEP, widgets.READ_STEP     # steps, counted from 1
W_ROW, R_ROW = WRITE - 1, READ - 1                               # their rows in every trace
LOW, HIGH = widgets.BIAS_RANGE


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def by_hand(xs, b_f, b_i, b_o):
    """The hand-set cell's equations, one scalar at a time with math.exp and math.tanh."""
    def sig(a):
        return 1.0 / (1.0 + math.exp(-a))

    c, out = 0.0, {k: [] for k in ("f", "i", "c_tilde", "o", "c", "h")}
    for value, write, read in xs:
        f, i = sig(b_f), sig(b_i + 10.0 * write)
        c_tilde, o = math.tanh(2.0 * value), sig(b_o + 10.0 * read)
        c = f * c + i * c_tilde
        for k, v in zip(out, (f, i, c_tilde, o, c, o * math.tanh(c)), strict=True):
            out[k].append(v)
    return {k: np.array(v) for k, v in out.items()}


def test_the_script():
    xs = widgets.valve_inputs()
    assert xs.shape == (T, 3)
    assert xs[W_ROW, 0] == 1.0 and np.flatnonzero(xs[:, 1]).tolist() == [W_ROW]
    assert np.flatnonzero(xs[:, 2]).tolist() == [R_ROW] and 1 < WRITE < READ < T
    others = np.delete(xs[:, 0], W_ROW)
    assert np.all(np.abs(others) <= 1) and np.count_nonzero(others) == T - 1
    assert np.array_equal(xs, widgets.valve_inputs())                       # seeded
    assert not np.array_equal(xs, widgets.valve_inputs(seed=1))
    quiet = widgets.valve_inputs(distractors=False)
    assert np.count_nonzero(quiet[:, 0]) == 1 and np.array_equal(quiet[:, 1:], xs[:, 1:])


def test_valve_cell_weights_are_where_the_docstring_says():
    cell = widgets.valve_cell(1.5, -2.0, 3.0)
    W, b = cell.params["W"], cell.params["b"]
    assert W.shape == (4, 4) and b.tolist() == [1.5, -2.0, 0.0, 3.0]
    expected = np.zeros((4, 4))
    expected[1, 2] = expected[3, 3] = 10.0      # i <- write flag, o <- read flag
    expected[2, 1] = 2.0                        # c̃ <- value
    assert np.array_equal(W, expected)


@pytest.mark.parametrize("biases", [(6.0, -5.0, -5.0), (2.0, 1.0, -1.0), (-3.0, -12.0, 4.0),
                                    (LOW, HIGH, LOW)])
@pytest.mark.parametrize("distractors", [True, False])
def test_valve_run_follows_the_equations(biases, distractors):
    run = widgets.valve_run(*biases, distractors=distractors)
    expected = by_hand(widgets.valve_inputs(distractors=distractors), *biases)
    for name, trace in expected.items():
        assert np.allclose(getattr(run, name), trace, rtol=1e-12, atol=1e-15), name
    assert run.written == pytest.approx(expected["i"][W_ROW] * expected["c_tilde"][W_ROW])
    assert run.c_read == pytest.approx(expected["c"][R_ROW], rel=1e-12, abs=1e-15)
    assert run.h_read == pytest.approx(expected["h"][R_ROW], rel=1e-12, abs=1e-15)


def test_kept_is_the_stored_values_share_of_the_memory():
    # In silence every other candidate is tanh(0) = 0, so the memory is the stored value alone.
    for b_f in (6.0, 3.0, 0.0):
        run = widgets.valve_run(b_f=b_f, distractors=False)
        assert run.kept == pytest.approx(run.c_read, rel=1e-12)
        f = 1 / (1 + math.exp(-b_f))
        assert run.kept == pytest.approx(run.written * f ** (READ - WRITE), rel=1e-12)


@pytest.mark.parametrize("biases, verdict", [
    ({}, "kept and is shown"),
    ({"b_f": HIGH}, "kept and is shown"),
    ({"b_f": LOW}, "wiped"),
    ({"b_f": -3.0}, "wiped"),
    ({"b_f": 3.0}, "faded"),
    ({"b_i": LOW}, "never written"),
    ({"b_o": LOW}, "still there, but the output gate hides it"),
    ({"b_i": HIGH}, "distractors"),
    ({"b_f": 3.0, "b_o": LOW}, "faded, and the output gate hides"),
])
def test_verdicts(biases, verdict):
    assert verdict in widgets.valve_run(**biases).verdict()


def test_the_story_the_notebook_tells():
    as_set = widgets.valve_run()
    assert as_set.kept > 0.9 * as_set.written > 0.85 and as_set.h_read > 0.6
    assert np.abs(np.delete(as_set.h, R_ROW)).max() < 0.01
    assert widgets.valve_run(b_f=HIGH).c[-1] > 0.99 * as_set.written
    assert abs(widgets.valve_run(b_f=LOW).c[W_ROW + 1]) < 0.01              # step WRITE + 1
    assert np.abs(widgets.valve_run(b_i=LOW).c).max() < 0.01
    hidden = widgets.valve_run(b_o=LOW)
    assert hidden.c_read > 0.9 and abs(hidden.h_read) < 0.01


def test_describe_valves():
    text = widgets.cell.describe_valves(widgets.valve_run())
    assert "b<sub>f</sub> = 6.0" in text and "b<sub>i</sub> = −5.0" in text and "-" not in text
    h_read = by_hand(widgets.valve_inputs(), 6.0, -5.0, -5.0)["h"][R_ROW]
    assert "f = 0.998" in text and "written at step 2: 0.96" in text
    assert "(step 20) c = " in text and f"h = {h_read:.2f}" in text
    assert "open at other steps" not in text
    assert "open at other steps too" in widgets.cell.describe_valves(widgets.valve_run(b_o=HIGH))


def test_bad_biases_are_named():
    with pytest.raises(ValueError, match="b_f: expected a finite number"):
        widgets.valve_run(b_f=float("nan"))
    with pytest.raises(ValueError, match=r"b_o: expected a number in \[-15.0, 15.0\]"):
        widgets.ValveExplorer(b_o=20.0)


def test_explorer_counts_steps_from_1():
    explorer = widgets.ValveExplorer()
    for line in {**explorer._gates, **explorer._traces}.values():
        assert np.array_equal(line.get_xdata(), np.arange(1, T + 1))
    axes = explorer.fig.axes
    assert {t.get_text(): t.get_position()[0] for t in axes[0].texts} == {"write": WRITE,
                                                                          "read": READ}
    assert axes[-1].get_xlim()[0] < 1 and "counted from 1" in axes[-1].get_xlabel()


def test_explorer_every_control_at_every_extreme():
    explorer = widgets.ValveExplorer()
    seen = {explorer.readout.value}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for b_f, b_i, b_o, quiet in itertools.product((LOW, HIGH), (LOW, HIGH), (LOW, HIGH),
                                                      (False, True)):
            explorer.b_f.value, explorer.b_i.value, explorer.b_o.value = b_f, b_i, b_o
            explorer.distractors.value = not quiet
            run = widgets.valve_run(b_f, b_i, b_o, distractors=not quiet)
            for name, line in {**explorer._gates, **explorer._traces}.items():
                y = np.asarray(line.get_ydata())
                assert np.isfinite(y).all() and np.array_equal(y, getattr(run, name)), name
            low, high = explorer._ax_c.get_ylim()
            assert low <= run.c.min() and run.c.max() <= high
            segments = explorer._stems.get_segments()
            assert np.array_equal([seg[1][1] for seg in segments], run.xs[:, 0])
            assert [seg[0][0] for seg in segments] == list(range(1, T + 1))   # steps from 1
            seen.add(explorer.readout.value)
    assert len(seen) > 8


def test_draw_cell():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = widgets.draw_cell()
    texts = {t.get_text() for t in fig.axes[0].texts}
    assert {"σ", "tanh", "×", "+", "c$_{t-1}$", "c$_t$", "h$_{t-1}$", "h$_t$", "x$_t$"} <= texts
    assert sum(t == "σ" for t in (t.get_text() for t in fig.axes[0].texts)) == 3
