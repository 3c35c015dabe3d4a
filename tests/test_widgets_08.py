"""Notebook 08's widgets: their arithmetic against independent truth, and every control
at its extremes.

(How they look and respond in a real browser is tested under headless Chromium.)
"""

import html
import re
import time
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pytest

import lstm_lib as ll
from lstm_lib import charlm, corpus, widgets

V = len(corpus.VOCAB)


@pytest.fixture(scope="module")
def model():
    return charlm.CharLM(16, seed=0)


def test_char_labels_make_invisible_characters_visible():
    assert widgets.text.char_label("\n") == "↵" and widgets.text.char_label(" ") == "␣"
    assert widgets.text.char_label(corpus.UNK) == "UNK" and widgets.text.char_label("a") == "a"


def test_top_chars_are_the_likeliest_in_order():
    p = np.zeros(V)
    p[corpus.VOCAB.index("e")], p[corpus.VOCAB.index(" ")], p[1] = 0.5, 0.3, 0.2
    labels, probs = widgets.text.top_chars(p, 3)
    assert labels == ["e", "␣", "↵"] and np.allclose(probs, [0.5, 0.3, 0.2])


def test_colour_by_sign_and_strength():
    assert widgets.text.colour(0.0) == "rgba(31, 119, 180, 0.00)"
    assert widgets.text.colour(1.0) == "rgba(214, 39, 40, 0.55)"
    assert widgets.text.colour(-0.5) == "rgba(31, 119, 180, 0.28)"
    assert widgets.text.colour(7.0, vmax=2.0) == widgets.text.colour(1.0)            # clipped
    assert widgets.text.colour(1.0, vmax=0.0).endswith("0.00)")


def _luminance(rgb):
    """WCAG relative luminance of an sRGB colour given as three 0-255 numbers."""
    c = np.asarray(rgb, dtype=np.float64) / 255
    linear = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return float(linear @ [0.2126, 0.7152, 0.0722])


def test_black_text_stays_readable_on_the_strongest_colours():
    for value in (-1.0, 1.0):
        *rgb, alpha = (float(v) for v in re.findall(r"[\d.]+", widgets.text.colour(value)))
        on_white = alpha * np.array(rgb) + (1 - alpha) * 255
        contrast = (_luminance(on_white) + 0.05) / 0.05                  # against black
        assert contrast > 7, (value, contrast)                           # WCAG AAA


def test_unit_readout_says_which_way_the_unit_moves():
    assert "falls as the feature rises" in widgets.text.describe_unit("indentation", 3, "h", -0.6)
    assert "rises with the feature" in widgets.text.describe_unit("indentation", 3, "h", 0.6)


def test_coloured_text_keeps_every_character_in_order():
    text = 'if a < b:\n    s = "x&y"'
    values = np.linspace(-1, 1, len(text))
    out = widgets.text.coloured_text(text, values)
    spans = re.findall(r'<span style="background:([^"]+)">(.*?)</span>', out)
    assert len(spans) == len(text) - 1                                    # one newline
    assert "".join(html.unescape(ch) for _, ch in spans) == text.replace("\n", "")
    assert spans[0][0] == widgets.text.colour(-1.0) and spans[-1][0] == widgets.text.colour(1.0)
    assert "&lt;" in out and "&amp;" in out
    with pytest.raises(ValueError, match="one per character"):
        widgets.text.coloured_text("abc", [1.0, 2.0])
    assert "nan" not in widgets.text.coloured_text("ab", [np.nan, 1.0])


def test_best_units_pick_the_largest_magnitude():
    F, H = len(corpus.FEATURES), 4
    corr = {"h": np.zeros((F, H)), "tanh(c)": np.zeros((F, H))}
    corr["h"][0, 2] = -0.8
    corr["tanh(c)"][0, 1] = 0.7
    corr["tanh(c)"][3, 3] = 0.4
    best = ll.interpret.best_units(corr, corpus.FEATURES)
    assert list(best) == list(corpus.FEATURES)
    assert best["string"] == ("h", 2, -0.8) and best["indent"] == ("tanh(c)", 3, 0.4)


def test_sample_explorer_every_control_at_its_extremes(model):
    explorer = widgets.SampleExplorer(model, prompt="def ", temperature=0.7, n=60)
    first = explorer.text.value
    assert "def " in first and explorer.readout.value.startswith("<b>temperature 0.70</b>")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for t in widgets.text.TEMPERATURE_RANGE:
            explorer.temperature.value = t
            heights = [bar.get_height() for bar in explorer._bars]
            assert np.all(np.isfinite(heights)) and heights == sorted(heights, reverse=True)
        explorer.seed.value = explorer.seed.max
        for prompt in ("", "é" * 500, "class Foo(object):\n    "):
            start = time.perf_counter()
            explorer.prompt.value = prompt
            assert time.perf_counter() - start < 1.0
            assert len(html.unescape(re.sub("<[^>]+>", "", explorer.text.value))) \
                == len(prompt[-widgets.text.PROMPT_CHARS:]) + 60
    plt.close("all")


def test_cell_viewer_shows_the_chosen_unit(model):
    text = corpus.load()
    passage = text.val_text[:900]
    features = dict(zip(corpus.FEATURES, text.val_features[:900].T, strict=True))
    states = ll.interpret.read_states(model, text.val[:900], streams=1)
    shown = {"h": states.h, "tanh(c)": np.tanh(states.c)}
    units = {"string: h 3": ("string", "h", 3, 0.5), "column: c 5": ("column", "tanh(c)", 5, -0.2)}
    viewer = widgets.CellViewer(passage, shown, features, units, window=300)
    assert viewer.start.max == 600 and viewer.start.step == 150
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for label in units:
            for start in (0, 600):
                viewer.unit.value = label
                viewer.start.value = start
                feature, state, unit, _ = units[label]
                assert np.allclose(viewer._activation.get_ydata(),
                                   shown[state][start: start + 300, unit])
                column = features[feature]
                top = column.max() or 1.0
                assert np.allclose(viewer._feature.get_ydata(),
                                   column[start: start + 300] / top)
                assert f"unit {unit}" in viewer.readout.value
    with pytest.raises(ValueError, match="units"):
        widgets.CellViewer(passage, shown, features, {})
    plt.close("all")


def test_static_figures_draw_every_unit():
    H = 6
    rng = np.random.default_rng(0)
    saturation = {g: (rng.uniform(0, 0.5, H), rng.uniform(0, 0.5, H)) for g in ll.interpret.GATES}
    fig = widgets.plot_saturation(saturation)
    assert len(fig.axes) == 3
    for ax, g in zip(fig.axes, ll.interpret.GATES, strict=True):
        assert np.allclose(ax.collections[0].get_offsets(), np.column_stack(saturation[g]))
    corr = {"h": rng.uniform(-1, 1, (len(corpus.FEATURES), H))}
    fig = widgets.plot_correlations(corr, corpus.FEATURES, top=4)
    assert len(fig.axes) == len(corpus.FEATURES)
    heights = [p.get_height() for p in fig.axes[0].patches]
    assert np.allclose(heights, np.sort(np.abs(corr["h"][0]))[::-1][:4])
    fig = widgets.plot_learning({"loss": np.linspace(6, 2, 50)}, val=([25, 50], [3.0, 2.5]))
    assert len(fig.axes[0].lines) == 3
    plt.close("all")
