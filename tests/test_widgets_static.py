"""What a widget shows on the course website (lstm_lib/widgets/static.py), and that
nothing changes outside the book build. (The built site itself: tests/browser/test_site.py.)"""

import base64
import os
import re
import subprocess
import sys
from pathlib import Path

import matplotlib.pyplot as plt

from lstm_lib import widgets
from lstm_lib.widgets import static

ROOT = Path(__file__).resolve().parents[1]


def test_a_figure_is_described_by_its_own_words():
    fig, (a, b) = plt.subplots(1, 2)
    fig.suptitle("two views")
    a.plot([0, 1], label="loss")
    a.set(title="training", xlabel="step", ylabel="$L$")
    a.legend()
    b.text(0.5, 0.5, "ignored: the panel has a label")
    b.set_xlabel("seed")
    text = static.describe_figure(fig)
    assert text == "Figure: two views. training (x: step, y: L, lines: loss). x: seed", text
    plt.close(fig)


def test_a_diagram_is_named_by_its_labels_and_a_blank_figure_by_nothing():
    fig, ax = plt.subplots()
    ax.text(0, 0, "f")
    ax.text(1, 1, "c̃")
    ax.text(1, 0, "f")
    assert static.describe_figure(fig) == "Figure: a diagram labelled f, c̃"
    ax.texts[0].remove()
    ax.texts[0].remove()
    ax.texts[0].remove()
    assert static.describe_figure(fig) == ""
    plt.close(fig)


def test_a_widget_becomes_its_picture_readout_settings_and_binder_link():
    explorer = widgets.NeuronExplorer(w=2.0, b=-1.0)
    bundle = static.widget_bundle(explorer)
    page = bundle["text/html"]
    assert set(bundle) == {"text/html", "text/plain"}
    description = widgets.neuron.describe_neuron(2.0, -1.0)
    assert bundle["text/plain"] == "w = 2.00, b = -1.00: " + description
    png = base64.b64decode(re.search(r"data:image/png;base64,([^']+)'", page)[1])
    assert png.startswith(b"\x89PNG")
    alt = re.search(r"alt='([^']+)'", page)[1]
    assert alt.startswith("Figure: x: input x, y: output σ(w·x + b). w = 2.00, b = -1.00")
    assert "Shown at its default setting: w = 2.00, b = -1.00." in page
    assert f'href="{static.BINDER_HREF}"' in page and "interactive" in page
    plt.close(explorer.fig)


def test_outside_the_book_build_widgets_stay_live():
    assert not static.STATIC, "LSTM_COURSE_STATIC is set in the test environment"
    explorer = widgets.NeuronExplorer()
    assert "application/vnd.jupyter.widget-view+json" in explorer._repr_mimebundle_()
    plt.close(explorer.fig)


def test_in_the_book_build_a_widget_displays_as_its_picture():
    code = ("from lstm_lib import widgets; b = widgets.NeuronExplorer()._repr_mimebundle_(); "
            "print(sorted(b))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, env={**os.environ, "LSTM_COURSE_STATIC": "1"}, check=True)
    assert out.stdout.strip() == "['text/html', 'text/plain']"
