"""Notebook 03: the first loop, h_t = tanh(W_x x_t + W_h h_{t-1} + b), unrolled in time.

Sentences become sequences of one-hot vectors over a small word list
(lstm_lib.vocab.TOY_VOCAB); ``lstm_lib.rnn.unroll`` runs a cell over one of them a step
at a time, and ``UnrollViewer`` shows each step: the word x_t, the state it reads
h_{t-1}, the state it writes h_t, and every state so far stacked as one heatmap.

Weights are stored as the maths writes them, one row per hidden unit: ll.RNN's W
(H, H + X) is [W_h | W_x], and ``unroll`` computes each step exactly as the equation
reads, with states as column vectors: W_x @ x_t + W_h @ h_{t-1} + b.
"""

from __future__ import annotations

import ipywidgets as W
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import FancyBboxPatch, Rectangle

from .. import validate
from ..rnn import unroll
from ..vocab import TOY_VOCAB, UNK, one_hot_words, tokenize
from .live import LiveWidget

TOY_SENTENCES = ("dog bites man", "man bites dog", "the cat saw the dog",
                 "the cats that the dog chased all day were tired",
                 "she sat by the river bank", "he put money in the savings bank")
"""The sentences the unroll viewer offers."""

MAX_WORDS = 16
"""The viewer reads at most this many words of a typed sentence."""

HEAT = {"cmap": plt.get_cmap("RdBu_r").with_extremes(bad="0.82"),   # masked: grey, not white
        "vmin": -1.0, "vmax": 1.0}                                 # tanh's range: blue −1, red +1


def describe_unroll_step(words, t: int, hs, *, vocab=TOY_VOCAB, n_typed: int | None = None) -> str:
    """The viewer's readout for step t (1-based) of a sentence of len(words) words.

    hs: (T, H) the states from ``unroll``; n_typed: how many words were typed, when the
    viewer read only the first len(words).
    """
    T = len(words)
    if T == 0:
        return "<b>no words to read</b>: type at least one word (or pick a sentence)"
    t = min(max(int(t), 1), T)
    change = float(np.linalg.norm(hs[t - 1] - (hs[t - 2] if t > 1 else 0.0)))
    layers = "1 tanh layer" if t == 1 else f"{t} tanh layers"
    text = (f"<b>step {t} of {T}: “{words[t - 1]}”</b> · h<sub>{t}</sub> has passed "
            f"through {layers} · it moved {change:.2f} from h<sub>{t - 1}</sub>")
    unknown = sum(word not in vocab for word in words)
    if unknown:
        text += f" · {unknown} word{'s' if unknown > 1 else ''} read as {UNK}"
    if n_typed is not None and n_typed > T:
        text += f" · only the first {T} of {n_typed} words are read"
    return text.replace("<unk>", "&lt;unk&gt;")


def row_label(word: str, vocab=TOY_VOCAB) -> str:
    """A word as the viewer labels its row: at most 10 characters, * if read as UNK."""
    shown = word if len(word) <= 10 else word[:9] + "…"
    return shown if word in vocab else shown + "*"


class UnrollViewer(LiveWidget):
    """Pick or type a sentence; step through the loop one word at a time.

    Left: the cell at step t, its input x_t (one-hot), the state it reads h_{t-1} and
    the state it writes h_t. Right: h_1 … h_T stacked, one row per word, rows after t
    greyed out (not computed yet). The cell is ``rnn`` (an ll.RNN with input_size =
    len(vocab)). The viewer opens at step ``t`` (clamped to the sentence's length); a
    newly picked or typed sentence opens at its last step, every row filled in.
    Attributes: ``sentence`` (Dropdown), ``text`` (Text, read on Enter), ``t``
    (IntSlider, its range follows the sentence), ``words``, ``hs`` (T, H), ``readout``,
    ``fig``.
    """

    def __init__(self, rnn, *, sentence: str = TOY_SENTENCES[0], t: int = 1,
                 sentences=TOY_SENTENCES, vocab=TOY_VOCAB, max_words: int = MAX_WORDS):
        if rnn.input_size != len(vocab):
            raise ValueError(f"rnn: expected input_size = len(vocab) = {len(vocab)}, "
                             f"got {rnn.input_size}")
        if sentence not in sentences:
            raise ValueError(f"sentence: expected one of {list(sentences)}, got {sentence!r}")
        self.rnn, self.vocab = rnn, tuple(vocab)
        self.max_words = validate.positive_int("max_words", max_words)
        first_step = validate.positive_int("t", t)
        H, V = rnn.hidden_size, len(vocab)
        style = {"description_width": "5em"}
        self.sentence = W.Dropdown(options=list(sentences), value=sentence,
                                   description="sentence", style=style,
                                   layout=W.Layout(width="430px"))
        self.text = W.Text(value=sentence, description="or type", style=style,
                           placeholder="your own sentence, then Enter",
                           continuous_update=False, layout=W.Layout(width="430px"))
        self.t = W.IntSlider(value=1, min=1, max=1, description="step t", style=style,
                             layout=W.Layout(width="430px"))
        self._busy = False

        super().__init__("ll-unroll-viewer", figsize=(8.4, 4.3))
        grid = self.fig.add_gridspec(3, 2, width_ratios=(1.15, 1))    # spacing: tight_layout
        self._ax_x, self._ax_prev, self._ax_h = (self.fig.add_subplot(grid[k, 0])
                                                 for k in range(3))
        self._ax_stack = self.fig.add_subplot(grid[:, 1])
        self._strip_x = self._ax_x.imshow(np.zeros((1, V)), aspect="auto", **HEAT)
        self._strip_prev = self._ax_prev.imshow(np.zeros((1, H)), aspect="auto", **HEAT)
        self._strip_h = self._ax_h.imshow(np.zeros((1, H)), aspect="auto", **HEAT)
        self._ax_x.set_xticks([])
        # the lit slot's word, written inside the strip beside it: one Text, moved about
        self._word = self._ax_x.text(0, 0, "", va="center", fontsize=9)
        for ax in (self._ax_x, self._ax_prev, self._ax_h):      # room for _update's titles
            ax.set_title("h$_{t}$", fontsize=9)
        self._ax_h.set_xticks(range(H), [str(k + 1) for k in range(H)], fontsize=7)
        self._ax_h.set_xlabel("hidden unit", fontsize=8)
        for ax in (self._ax_x, self._ax_prev, self._ax_h):
            ax.set_yticks([])
        self._ax_prev.set_xticks([])                 # the same units as the strip below
        self._stack = self._ax_stack.imshow(np.ma.masked_all((1, H)), aspect="auto", **HEAT)
        self._ax_stack.set_xticks(range(H), [str(k + 1) for k in range(H)], fontsize=7)
        self._ax_stack.set_xlabel("hidden unit  (red +1, white 0, blue −1, grey: not yet)",
                                  fontsize=8)
        self._now = Rectangle((-0.5, -0.5), H, 1, fill=False, edgecolor="k", lw=2)
        self._ax_stack.add_patch(self._now)
        self._read(sentence, first_step)
        # Room for the longest row label before LiveWidget lays the figure out once.
        self._ax_stack.set_yticks(range(len(self.words)), ["mmmmmmmmm…*"] * len(self.words),
                                  fontsize=8)
        self.sentence.observe(self._on_pick, names="value")
        self.text.observe(self._on_type, names="value")
        self._show([self.t], rows=[self.sentence, self.text, self.t])
        self._label_rows()
        self._redraw()

    def _on_pick(self, change):
        self.text.value = change["new"]              # _on_type reads it from there

    def _on_type(self, change):
        self._read(change["new"])
        self._update()

    def _read(self, text: str, t: int | None = None):
        """Tokenize and unroll a new sentence; fit the slider to its length and set it to
        step t (the last step when None)."""
        self._n_typed = len(tokenize(text))
        self.words = tokenize(text, self.max_words)
        self.hs = unroll(self.rnn, one_hot_words(self.words, self.vocab))
        T = len(self.words)
        self._busy = True                            # one redraw, after the slider is set
        try:
            self.t.max = max(T, 1)
            self.t.value = max(T, 1) if t is None else min(t, max(T, 1))
            self.t.disabled = T == 0
        finally:
            self._busy = False
        rows = max(T, 1)
        self._stack.set_extent((-0.5, self.rnn.hidden_size - 0.5, rows - 0.5, -0.5))
        self._ax_stack.set_ylim(rows - 0.5, -0.5)
        self._label_rows()

    def _label_rows(self):
        T = len(self.words)
        self._ax_stack.set_yticks(range(T), [row_label(w, self.vocab) for w in self.words],
                                  fontsize=8 if T <= 10 else 7)
        if T == 0:
            title = "no words yet"
        elif any(w not in self.vocab for w in self.words):
            title = f"h$_1$ … h$_t$, one row per word (* read as {UNK})"
        else:
            title = "h$_1$ … h$_t$, one row per word read"
        self._ax_stack.set_title(title, fontsize=9)

    def _update(self, _change=None):
        if self._busy:
            return
        T, H = len(self.words), self.rnn.hidden_size
        t = min(self.t.value, T)
        x_t = one_hot_words(self.words[t - 1:t], self.vocab)     # (1, V); (0, V) if T = 0
        if T == 0:
            self._strip_x.set_data(np.ma.masked_all((1, len(self.vocab))))
            self._strip_prev.set_data(np.ma.masked_all((1, H)))
            self._strip_h.set_data(np.ma.masked_all((1, H)))
            self._stack.set_data(np.ma.masked_all((1, H)))
            self._word.set_text("")
            self._now.set_visible(False)
        else:
            slot = int(np.argmax(x_t[0]))
            self._strip_x.set_data(x_t)
            on_left = slot > len(self.vocab) - 6            # near the right end: write leftwards
            self._word.set_x(slot - 0.9 if on_left else slot + 0.9)
            self._word.set_horizontalalignment("right" if on_left else "left")
            self._word.set_text(f"{self.vocab[slot]} →" if on_left else f"← {self.vocab[slot]}")
            h_prev = self.hs[t - 2] if t > 1 else np.zeros(H)
            self._strip_prev.set_data(h_prev[None])
            self._strip_h.set_data(self.hs[t - 1][None])
            shown = np.ma.masked_all((T, H))
            shown[:t] = self.hs[:t]
            self._stack.set_data(shown)
            self._now.set_y(t - 1.5)
            self._now.set_visible(True)
        now, before = (str(t), str(t - 1)) if T else ("t", "t-1")
        self._ax_x.set_title(f"x$_{{{now}}}$: the word, one-hot over {len(self.vocab)} slots",
                             fontsize=9)
        self._ax_prev.set_title(f"h$_{{{before}}}$: the summary so far", fontsize=9)
        self._ax_h.set_title(f"h$_{{{now}}}$ = tanh(W$_x$x$_{{{now}}}$ + "
                             f"W$_h$h$_{{{before}}}$ + b)", fontsize=9)
        self.readout.value = describe_unroll_step(self.words, t, self.hs, vocab=self.vocab,
                                                  n_typed=self._n_typed)
        self._redraw()


def draw_unrolled(words, hs, *, figsize=None):
    """The loop drawn out in time: one tanh box per word, each handing h_t to the next.

    Above box t sits h_t as a column of colored cells (H of them); below it, the word
    x_t. words: T strings; hs: (T, H) from ``unroll``. Returns the figure.
    """
    T = len(words)
    if T == 0:
        raise ValueError("words: expected at least one word to draw")
    hs = validate.float_array("hs", hs, (T, None), letters="TH")
    H = hs.shape[1]
    fig, ax = plt.subplots(figsize=figsize or (max(6.0, 0.8 * T + 1.2), 3.4))
    top = 0.9 + 0.16 * H                                     # where the state columns end
    tilt = 30 if max(len(word) for word in words) > 6 else 0    # long words would overlap
    for t in range(T):
        ax.add_patch(FancyBboxPatch((t - 0.28, -0.22), 0.56, 0.44,
                                    boxstyle="round,pad=0.02", facecolor="#fde9b6",
                                    edgecolor="0.3"))
        ax.text(t, 0, "tanh", ha="center", va="center", fontsize=9)
        ax.annotate("", xy=(t, -0.24), xytext=(t, -0.62),
                    arrowprops={"arrowstyle": "->", "color": "0.3"})
        ax.text(t + 0.05, -0.45, "W$_x$", ha="left", va="center", fontsize=7, color="0.3")
        ax.text(t - 0.5, 0.05, "W$_h$", ha="center", va="bottom", fontsize=7, color="C3")
        ax.text(t, -0.72, words[t], ha="center", va="top", fontsize=9, rotation=tilt)
        ax.annotate("", xy=(t, 0.86), xytext=(t, 0.24),
                    arrowprops={"arrowstyle": "->", "color": "0.3"})
        ax.imshow(hs[t][:, None], extent=(t - 0.12, t + 0.12, 0.9, top), **HEAT)
        ax.text(t, top + 0.08, f"h$_{{{t + 1}}}$", ha="center", va="bottom", fontsize=9)
        if t < T - 1:                                        # h_t, handed to the next box
            ax.annotate("", xy=(t + 0.69, 0), xytext=(t + 0.31, 0),
                        arrowprops={"arrowstyle": "->", "color": "C3", "lw": 1.5})
    ax.annotate("", xy=(-0.30, 0), xytext=(-0.85, 0),
                arrowprops={"arrowstyle": "->", "color": "C3", "lw": 1.5})
    ax.text(-0.9, 0, "h$_0$ = 0", ha="right", va="center", fontsize=8, color="C3")
    bar = fig.colorbar(ax.images[0], cax=ax.inset_axes([1.01, 0.45, 0.012, 0.45]))
    bar.ax.tick_params(labelsize=7)
    ax.set(xlim=(-1.6, T - 0.4), ylim=(-1.35 if tilt else -1.05, top + 0.45), aspect="auto")
    ax.axis("off")
    ax.set_title(f"the same W$_x$, W$_h$, b in all {T} boxes · "
                 f"h$_{{{T}}}$ is {T} tanh layers away from the first word",
                 fontsize=10)
    fig.tight_layout()
    return fig
