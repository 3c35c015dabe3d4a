"""Notebook 06: why the belt remembers, in figures.

- the gradient highway (computed by lstm_lib.jacobians.gradient_highway): how far back
  ∂L/∂c_k reaches in a fresh LSTM, for each forget bias, beside ∂L/∂h_k in a tanh RNN
  (HighwayExplorer);
- drawing the spread of several seeds of a model (plot_spread);
- the gates of a trained agreement LSTM, word by word (lstm_lib.interpret.gate_traces),
  and the unit that carries the subject's number (GateViewer).

Everything a widget shows is computed before it opens; its callbacks only swap arrays
into artists that already exist.
"""

from __future__ import annotations

import html
from pathlib import Path

import ipywidgets as W
import numpy as np

from .. import tasks
from ..interpret import gate_traces
from ..lstm import LSTM
from ..sequence_model import SequenceModel
from .live import LiveWidget

DATA = Path(__file__).resolve().parents[2] / "data"
"""The repository's data/ folder, where the trained models notebook 06 opens are kept
(read them with ``lstm_lib.load_sequence_models``)."""

# --- the gradient highway --------------------------------------------------------------


def describe_highway(highway: dict, forget_bias: float) -> str:
    """The explorer's readout: how much of the gradient reaches step 1, by all roads and
    by the belt alone, and in the RNN; says so when the gradient grew on the way back."""
    T = len(highway["k"])
    lstm = float(highway["lstm"][forget_bias][0])
    belt = float(highway["belt"][forget_bias][0])
    grew = ": it <b>grew</b> on the way back" if lstm > 1 else ""
    return (f"<b>forget bias {forget_bias:g}</b> (mean f = "
            f"{highway['f_mean'][forget_bias]:.2f}): at step 1 the gradient is {lstm:.2g} "
            f"of its size at step {T}{grew} (belt alone {belt:.2g}, so all roads bring "
            f"{lstm / belt:.2g} times the belt's share; tanh RNN {highway['rnn'][0]:.2g})")


class HighwayExplorer(LiveWidget):
    """A forget-bias slider over ``gradient_highway(...)``'s curves, on a log axis.

    Attributes: ``forget_bias`` (SelectionSlider over the computed biases), ``readout``,
    ``fig``.
    """

    def __init__(self, highway: dict, *, forget_bias: float = 1.0):
        biases = sorted(highway["lstm"])
        if forget_bias not in highway["lstm"]:
            raise ValueError(f"forget_bias: expected one of the computed biases {biases}, "
                             f"got {forget_bias}")
        self.highway = highway
        self.forget_bias = W.SelectionSlider(
            options=[(f"{b:g}", b) for b in biases], value=forget_bias,
            description="forget bias b_f", style={"description_width": "8em"},
            layout=W.Layout(width="460px"))
        super().__init__("ll-highway-explorer", figsize=(7.2, 3.8))
        ax = self.fig.add_subplot()
        k = highway["k"]
        curves = [highway["rnn"], *highway["lstm"].values(), *highway["belt"].values()]
        low = min(float(c.min()) for c in curves)
        high = max(float(c.max()) for c in curves)
        ax.plot(k, highway["rnn"], color="C3", lw=2, label="tanh RNN: ‖∂L/∂h_k‖")
        (self._lstm,) = ax.plot(k, highway["lstm"][forget_bias], color="C0", lw=2.2,
                                label="LSTM, all roads: ‖∂L/∂c_k‖")
        (self._belt,) = ax.plot(k, highway["belt"][forget_bias], color="C0", lw=1.2,
                                ls="--", label="LSTM, the belt alone: f products")
        ax.axhline(1.0, color="0.75", lw=0.8, zorder=0)        # above this line: growth
        ax.set_yscale("log")
        ax.set(xlim=(k[0], k[-1]), ylim=(low / 10, high * 10), xlabel="step k",
               ylabel=f"size relative to step {k[-1]}")
        ax.spines[["top", "right"]].set_visible(False)
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3, fontsize=8,
                  frameon=False)
        self._show([self.forget_bias])

    def _update(self, _change=None):
        b = self.forget_bias.value
        self._lstm.set_ydata(self.highway["lstm"][b])
        self._belt.set_ydata(self.highway["belt"][b])
        self.readout.value = describe_highway(self.highway, b)
        self._redraw()


# --- several seeds, and their spread ---------------------------------------------------

def plot_spread(ax, x, values, *, label: str, color: str, marker: str = "o"):
    """Draw values (n_seeds, len(x)): the mean as a line, the min–max range as a band,
    and every seed as a faint dot."""
    values = np.asarray(values, dtype=np.float64)
    x = np.asarray(x)
    ax.fill_between(x, values.min(axis=0), values.max(axis=0), color=color, alpha=0.18,
                    lw=0)
    for row in values:
        ax.plot(x, row, ls="none", marker=marker, ms=3.5, color=color, alpha=0.45)
    ax.plot(x, values.mean(axis=0), color=color, lw=2, marker=marker, ms=5,
            label=f"{label} (mean of {len(values)} seeds; band: min to max)")


# --- reading the gates of a trained agreement LSTM --------------------------------------

MAX_WORDS = 30               # the gate viewer shows at most this many words
VERBS_TO_PREDICT = ("were", "was")
PLURAL_NOUNS = {plural for _, plural in tasks.NOUNS}
SINGULAR_NOUNS = {singular for singular, _ in tasks.NOUNS}


def agreement_words(text: str) -> tuple[list, str]:
    """A typed sentence -> (the words the model can read, a note on what was changed).

    Lower-case; "." is its own word; the sentence is cut before "were"/"was" (the verb
    is what the model predicts); words outside ``tasks.AGREEMENT_VOCAB`` are left out,
    and of a longer sentence only the last MAX_WORDS words are kept (the verb comes at
    the end). The note is "" when nothing was changed.
    """
    raw = str(text).lower().replace(".", " . ").split()
    notes = []
    for k, word in enumerate(raw):
        if word in VERBS_TO_PREDICT:
            notes.append(f"cut before “{word}”: that is the word the model predicts")
            raw = raw[:k]
            break
    known = set(tasks.AGREEMENT_VOCAB)
    unknown = [word for word in raw if word not in known]
    words = [word for word in raw if word in known]
    if unknown:
        shown = ", ".join(f"“{html.escape(w)}”" for w in dict.fromkeys(unknown))
        notes.append(f"left out {shown}: not among the {len(known)} words the model knows")
    if len(words) > MAX_WORDS:
        notes.append(f"kept the last {MAX_WORDS} of {len(words)} words")
        words = words[-MAX_WORDS:]
    return words, "; ".join(notes)


def subject_index(words) -> int | None:
    """Where the subject is: the first noun after the last "." (or in the whole
    sentence, if it has no "."); None if there is no noun there."""
    start = max((k for k, w in enumerate(words) if w == "."), default=-1) + 1
    nouns = PLURAL_NOUNS | SINGULAR_NOUNS
    return next((k for k in range(start, len(words)) if words[k] in nouns), None)


GATE_PANELS = (("f", "f: forget gate", "Greens", 0.0, 1.0),
               ("i", "i: input gate", "Greens", 0.0, 1.0),
               ("c_tilde", r"$\tilde{c}$: candidate", "RdBu_r", -1.0, 1.0),
               ("o", "o: output gate", "Greens", 0.0, 1.0),
               ("c", "c: the belt", "RdBu_r", None, None),
               ("h", "h: hidden state", "RdBu_r", -1.0, 1.0))
"""(trace name, title, colormap, low, high) per heatmap; c's range follows the sentence."""


def describe_sentence(words, p_plural: float, note: str) -> str:
    """The viewer's readout: what the model predicts after the last word, and any note."""
    verb = "were" if p_plural > 0.5 else "was"
    sure = p_plural if p_plural > 0.5 else 1 - p_plural
    text = (f"after “{html.escape(' '.join(words[-3:]))}” the model predicts "
            f"<b>{verb}</b> (probability {sure:.2f})")
    return text + (f"<br><i>Note: {note}.</i>" if note else "")


class GateViewer(LiveWidget):
    """The gates of a trained agreement LSTM, unit by unit and word by word.

    Pick a sentence from ``sentences`` or type one. Six heatmaps (units × words), one
    above the other so each word is one column through all of them, show f, i, c̃, o, c
    and h; the row of ``unit`` (the unit that carries the subject's number, from
    ``number_units``) is framed. Below, that unit's c and h, and the model's probability
    of "were", after each word. Attributes: ``sentence`` (Dropdown), ``text`` (Text),
    ``readout``, ``fig``.
    """

    def __init__(self, model: SequenceModel, sentences, *, unit: int):
        if not isinstance(model.cell, LSTM):
            raise TypeError(f"model: expected an LSTM SequenceModel, got {model.cell!r}")
        H = model.cell.hidden_size
        if not 0 <= unit < H:
            raise ValueError(f"unit: expected 0 <= unit < {H}, got {unit}")
        sentences = list(sentences)
        if not sentences:
            raise ValueError("sentences: expected at least one example sentence")
        self.model, self.unit = model, int(unit)
        wide = W.Layout(width="660px")
        self.sentence = W.Dropdown(options=sentences, value=sentences[0],
                                   description="sentence", layout=wide)
        self.text = W.Text(value=sentences[0], continuous_update=False,
                           description="or type one", placeholder="the cats that the dog saw",
                           layout=wide)
        super().__init__("ll-gate-viewer", figsize=(8.6, 6.3))
        grid = self.fig.add_gridspec(len(GATE_PANELS) + 2, 1,
                                     height_ratios=[1] * len(GATE_PANELS) + [1.6, 0.9])
        self._panels = {}
        first = None
        for k, (name, title, cmap, low, high) in enumerate(GATE_PANELS):
            ax = self.fig.add_subplot(grid[k], sharex=first)
            first = first or ax
            image = ax.imshow(np.zeros((H, 1)), aspect="auto", cmap=cmap,
                              vmin=-1 if low is None else low, vmax=1 if high is None else high,
                              interpolation="nearest")
            ax.set_yticks([self.unit], [f"unit {self.unit}"])
            # no x tick marks here: the words label the bottom panel, and each panel's
            # marks cost the redraw time (about a tenth of it) without adding anything
            ax.tick_params(labelsize=7, length=2, bottom=False, labelbottom=False)
            for y in (self.unit - 0.5, self.unit + 0.5):
                ax.axhline(y, color="k", lw=0.9)
            span = "" if low is None else f"\n{low:g} to {high:g}"
            label = ax.text(1.01, 0.5, title + span, transform=ax.transAxes, va="center",
                            fontsize=8)
            self._panels[name] = (ax, image, label)
        self._trace_ax = self.fig.add_subplot(grid[-2], sharex=first)
        self._p_ax = self.fig.add_subplot(grid[-1], sharex=first)
        ax = self._trace_ax
        ax.axhline(0, color="0.75", lw=0.8)
        (self._c_line,) = ax.plot([0], [0], color="C0", lw=2, marker="o", ms=3)
        (self._h_line,) = ax.plot([0], [0], color="C1", lw=1.5, marker="o", ms=3)
        ax.text(1.01, 0.5, f"unit {self.unit}:\nc (blue)\nh (orange)", transform=ax.transAxes,
                va="center", fontsize=8)
        ax.tick_params(labelsize=7, bottom=False, labelbottom=False)
        ax = self._p_ax
        ax.axhline(0.5, color="0.75", lw=0.8)
        (self._p_line,) = ax.plot([0], [0], color="0.3", lw=1.5, marker="o", ms=3)
        ax.set(ylim=(-0.05, 1.05), yticks=[0, 0.5, 1])
        ax.text(1.01, 0.5, "P(were)\nafter\neach word", transform=ax.transAxes, va="center",
                fontsize=8)
        ax.tick_params(labelsize=7)
        # a placeholder for the layout: the longest word the model knows must fit below
        ax.set_xticks([0], [max(tasks.AGREEMENT_VOCAB, key=len)], rotation=90, fontsize=8)
        self._show([self.sentence, self.text])

    def _update(self, change=None):
        if change is not None and change["owner"] is self.sentence:
            self.text.value = change["new"]          # the text box drives the view
            return
        words, note = agreement_words(self.text.value)
        if not words:
            self.readout.value = ("<i>Nothing to read: none of these words is among the "
                                  f"words the model knows. {note}.</i>" if note else
                                  "<i>Type a sentence, e.g. “the cats that the dog saw”.</i>")
            return
        traces = gate_traces(self.model, words)
        self._draw(words, traces)
        self.readout.value = describe_sentence(words, traces["p_plural"][-1], note)
        self._redraw()

    def _draw(self, words, traces):
        n = len(words)
        top = max(1.0, float(np.abs(traces["c"]).max()))
        for name, (_, image, label) in self._panels.items():
            image.set_data(traces[name])
            image.set_extent((-0.5, n - 0.5, traces[name].shape[0] - 0.5, -0.5))
            if name == "c":
                image.set_clim(-top, top)
                label.set_text(f"c: the belt\n−{top:.1f} to {top:.1f}")
        steps = np.arange(n)
        c, h = traces["c"][self.unit], traces["h"][self.unit]
        self._c_line.set_data(steps, c)
        self._h_line.set_data(steps, h)
        self._p_line.set_data(steps, traces["p_plural"])
        low, high = min(-1.0, float(c.min())), max(1.0, float(c.max()))
        self._trace_ax.set_ylim(low - 0.1 * (high - low), high + 0.1 * (high - low))
        ax = self._p_ax                              # shares x with every panel above
        ax.set_xlim(-0.5, n - 0.5)
        ax.set_xticks(range(n), words, rotation=90, fontsize=8)
        subject = subject_index(words)
        plural = subject is not None and words[subject] in PLURAL_NOUNS
        for k, tick in enumerate(ax.get_xticklabels()):
            # the subject in bold; nouns of the other number after it (attractors) in red
            attractor = (subject is not None and k > subject
                         and words[k] in (SINGULAR_NOUNS if plural else PLURAL_NOUNS))
            tick.set_fontweight("bold" if k == subject else "normal")
            tick.set_color("C3" if attractor else "black")
