"""The widgets' arithmetic, and that no slider position can break them.

(What the widgets look like and how they respond in a real browser is tested under
headless Chromium in the browser tests.)
"""

import warnings

import numpy as np
import pytest

from lstm_lib import widgets


def test_neuron_response_and_threshold():
    x = np.linspace(-3, 3, 7)
    assert np.allclose(widgets.neuron_response(2.0, -1.0, x), 1 / (1 + np.exp(-(2 * x - 1))))
    assert widgets.neuron_threshold(4.0, -2.0) == 0.5
    assert widgets.neuron_response(4.0, -2.0, 0.5) == 0.5
    assert widgets.neuron_threshold(0.0, 3.0) is None


def test_description_follows_the_sign_of_w():
    assert widgets.neuron.describe_neuron(4.0, -2.0).endswith("when x > 0.50")
    assert widgets.neuron.describe_neuron(-4.0, 2.0).endswith("when x < 0.50")
    assert widgets.neuron.describe_neuron(1.0, 0.0).endswith("when x > 0.00")     # never "-0.00"
    assert "ignores x" in widgets.neuron.describe_neuron(0.0, 1.0)
    assert "ignores x" in widgets.neuron.describe_neuron(5.55e-17, 1.0)  # slider float noise
    assert "off the plot" in widgets.neuron.describe_neuron(0.1, 10.0)


@pytest.mark.parametrize("w", [-10.0, -0.1, 0.0, 0.1, 10.0])
@pytest.mark.parametrize("b", [-10.0, 0.0, 10.0])
def test_explorer_survives_every_extreme(w, b):
    explorer = widgets.NeuronExplorer()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        explorer.w.value, explorer.b.value = w, b
    y = explorer._curve.get_ydata()
    assert np.isfinite(y).all() and ((y >= 0) & (y <= 1)).all()
    assert f"w = {w:.2f}, b = {b:.2f}" in explorer.readout.value


def test_explorer_rejects_out_of_range_start():
    with pytest.raises(ValueError, match=r"w: expected a number in \[-10, 10\], got 50"):
        widgets.NeuronExplorer(w=50)


class _FakeIpymplCanvas:
    """Just what the guard reads: ipympl's flag and a draw_idle that counts calls."""

    def __init__(self):
        self.syncing_data_url = True          # no page side yet
        self.draws = 0

    def draw_idle(self):
        self.draws += 1


def test_live_figures_draw_only_once_the_page_is_ready():
    from lstm_lib.widgets.live import _draw_once_the_page_is_ready
    canvas = _FakeIpymplCanvas()
    _draw_once_the_page_is_ready(canvas)
    canvas.draw_idle()                        # a widget's first redraw, or pyplot's
    assert canvas.draws == 0
    canvas.syncing_data_url = False           # the page said "initialized"
    canvas.draw_idle()
    assert canvas.draws == 1
