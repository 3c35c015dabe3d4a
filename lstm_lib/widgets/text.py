"""Notebook 08: a character model's samples by temperature, its units as colour over
the text, and the statistics of its gates.

The compute lives in lstm_lib.charlm and lstm_lib.interpret; this module turns it into
pictures and explorers.
"""

from __future__ import annotations

import html

import ipywidgets as W
import matplotlib.pyplot as plt
import numpy as np

from .. import charlm, corpus, interpret, validate
from .live import LiveWidget

SHOWN = {"\n": "↵", " ": "␣", corpus.UNK: "UNK"}
"""How a character is written where it must be visible on its own (a bar's label)."""

FEATURE_NAMES = {"string": "inside a string literal", "comment": "inside a comment",
                 "depth": "bracket depth", "indent": "indentation",
                 "column": "position in the line", "prose": "inside a string or a comment"}
"""What each feature means, in words: corpus.FEATURES and the union "prose"."""

TEMPERATURE_RANGE = (0.1, 2.0)
PROMPT_CHARS = 200             # the explorer reads at most this many prompt characters
SAMPLE_CHARS = 300


def char_label(ch: str) -> str:
    """A character as a bar label: newline, space and UNK made visible."""
    return SHOWN.get(ch, ch)


def top_chars(probs, k: int = 12):
    """The k likeliest characters of a (V,) distribution, likeliest first:
    (labels [k], probabilities (k,))."""
    probs = np.asarray(probs, dtype=np.float64)
    order = np.argsort(-probs, kind="stable")[: validate.positive_int("k", k)]
    return [char_label(corpus.VOCAB[j]) for j in order], probs[order]


MAX_OPACITY = 0.55
"""The strongest background (|value| = vmax): light enough for black text to stay
readable (contrast above 7:1 for both colours)."""


def colour(value: float, vmax: float = 1.0) -> str:
    """A CSS background for one activation: red for positive, blue for negative, more
    opaque the larger |value| / vmax (clipped to 1, at most MAX_OPACITY); 0 is
    transparent."""
    strength = float(np.clip(abs(value) / vmax, 0.0, 1.0)) if vmax > 0 else 0.0
    rgb = "214, 39, 40" if value > 0 else "31, 119, 180"
    return f"rgba({rgb}, {MAX_OPACITY * strength:.2f})"


def coloured_text(text: str, values, *, vmax: float | None = None) -> str:
    """HTML: ``text`` in a monospace block, each character's background coloured by its
    value (values (len(text),)); vmax defaults to the largest |value|. Newlines break
    the line (and carry no colour)."""
    values = np.asarray(values, dtype=np.float64)
    if values.shape != (len(text),):
        raise ValueError(f"values: expected shape ({len(text)},), one per character, "
                         f"got {values.shape}")
    values = np.nan_to_num(values)
    if vmax is None:
        vmax = float(np.abs(values).max()) if len(values) else 1.0
    spans = []
    for ch, v in zip(text, values, strict=True):
        if ch == "\n":
            spans.append("\n")
        else:
            spans.append(f'<span style="background:{colour(v, vmax)}">{html.escape(ch)}</span>')
    return ('<pre style="font-size:12px; line-height:1.35; margin:0; white-space:pre; '
            f'overflow-x:auto">{"".join(spans)}</pre>')


def sample_html(prompt: str, sample: str) -> str:
    """The prompt (grey) and its continuation in one monospace block."""
    return ('<pre style="font-size:12px; line-height:1.35; margin:4px 0; white-space:pre; '
            f'overflow-x:auto"><span style="color:#999">{html.escape(prompt)}</span>'
            f'{html.escape(sample)}</pre>')


def describe_sample(temperature: float, labels, probs, sample: str) -> str:
    """The explorer's readout: the likeliest next character and what the sample holds."""
    lines = sample.count("\n")
    return (f"<b>temperature {temperature:.2f}</b>: the likeliest next character "
            f"<code>{html.escape(labels[0])}</code> gets {100 * probs[0]:.0f}%; "
            f"{len(sample)} characters sampled, {lines} line{'s' if lines != 1 else ''}")


class SampleExplorer(LiveWidget):
    """Type a prompt, set a temperature, pick a seed: the model continues the prompt.

    The bars show the model's distribution over the next character after the prompt at
    that temperature; below them, a continuation of ``n`` characters drawn with that
    seed. Attributes: ``temperature`` (slider), ``prompt`` (Text, read on Enter),
    ``seed`` (slider: another draw), ``text`` (HTML of the sample), ``readout``, ``fig``.
    """

    def __init__(self, model: charlm.CharLM, *, prompt: str = "def ", temperature: float = 0.7,
                 seed: int = 0, n: int = SAMPLE_CHARS, k: int = 12):
        self.model, self.n, self.k = model, validate.positive_int("n", n), k
        style = {"description_width": "9em"}
        self.temperature = W.FloatSlider(value=temperature, min=TEMPERATURE_RANGE[0],
                                         max=TEMPERATURE_RANGE[1], step=0.05,
                                         description="temperature", style=style,
                                         readout_format=".2f", layout=W.Layout(width="460px"))
        self.prompt = W.Text(value=prompt, description="prompt", continuous_update=False,
                             style=style, layout=W.Layout(width="460px"))
        self.seed = W.IntSlider(value=seed, min=0, max=9, description="resample (seed)",
                                style=style, layout=W.Layout(width="460px"))
        self.text = W.HTML()
        super().__init__("ll-sample-explorer", figsize=(6.4, 2.3))
        self._ax = self.fig.add_subplot()
        self._bars = self._ax.bar(np.arange(k), np.zeros(k), color="C0")
        self._ax.set(ylim=(0, 1), ylabel="probability", xticks=np.arange(k))
        self._ax.set_title("the next character after the prompt", fontsize=9)
        self._ax.spines[["top", "right"]].set_visible(False)
        self._show([self.temperature, self.prompt, self.seed],
                   rows=[self.temperature, self.prompt, self.seed, self.text])

    def _update(self, _change=None):
        prompt = self.prompt.value[-PROMPT_CHARS:]
        t = self.temperature.value
        labels, probs = top_chars(charlm.next_char_probs(self.model, prompt, temperature=t),
                                  self.k)
        for bar, p in zip(self._bars, probs, strict=True):
            bar.set_height(p)
        self._ax.set_xticks(np.arange(self.k), labels, fontfamily="monospace")
        sample = charlm.sample(self.model, prompt, self.n, temperature=t, seed=self.seed.value)
        self.text.value = sample_html(prompt, sample)
        self.readout.value = describe_sample(t, labels, probs, sample)
        self._redraw()


def describe_unit(name: str, unit: int, state: str, corr: float) -> str:
    """The cell viewer's readout: which unit, how closely it follows its feature, and
    which way."""
    way = ("it rises with the feature" if corr > 0 else
           "negative: it falls as the feature rises" if corr < 0 else "no linear relation")
    return (f"<b>{state} of unit {unit}</b>: correlation {corr:+.2f} with <i>{name}</i> "
            f"({way})")


class CellViewer(LiveWidget):
    """One unit's activation as colour over a passage of text, and as a curve beside the
    feature it follows.

    Inputs:
    - text: the passage's characters; states: {name: (N, H)}, e.g. h and tanh(c) after
      each of them, values in [−1, 1]; features: {name: (N,)}, e.g. bracket depth
    - units: {label: (feature name, state name, unit, corr)}: what the dropdown offers
    - window: characters shown at once; the ``start`` slider moves through the passage
    Attributes: ``unit`` (Dropdown), ``start`` (slider), ``text`` (HTML), ``readout``,
    ``fig``.
    """

    def __init__(self, text: str, states: dict, features, units: dict, *, window: int = 600):
        if not units:
            raise ValueError("units: expected at least one unit to show")
        self.passage, self.states, self.units = text, states, units
        self.features = {name: np.asarray(values, dtype=np.float64)
                         for name, values in features.items()}
        self.window = min(validate.positive_int("window", window), len(text))
        n_steps = max(len(text) - self.window, 0)
        style = {"description_width": "5em"}
        self.unit = W.Dropdown(options=list(units), description="unit", style=style,
                               layout=W.Layout(width="520px"))
        self.start = W.IntSlider(value=0, min=0, max=n_steps, step=max(self.window // 2, 1),
                                 description="passage", style=style,
                                 layout=W.Layout(width="520px"))
        self.text = W.HTML()
        super().__init__("ll-cell-viewer", figsize=(7.2, 2.2))
        self._ax = self.fig.add_subplot()
        x = np.arange(self.window)
        (self._activation,) = self._ax.plot(x, np.zeros(self.window), color="C3", lw=1.2,
                                            label="unit")
        (self._feature,) = self._ax.plot(x, np.zeros(self.window), color="0.45", lw=1.2,
                                         ls="--", label="feature (scaled to 0…1)")
        self._ax.set(xlim=(0, self.window - 1), ylim=(-1.1, 1.1),
                     xlabel="character in the window")
        self._ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), fontsize=8,
                        frameon=False, ncol=2, borderaxespad=0.2)
        self._ax.spines[["top", "right"]].set_visible(False)
        self._show([self.unit, self.start], rows=[self.unit, self.start, self.text])

    def _update(self, _change=None):
        feature, state, unit, corr = self.units[self.unit.value]
        s = self.start.value
        e = s + self.window
        values = np.clip(self.states[state][s:e, unit].astype(np.float64), -1.0, 1.0)
        column = self.features[feature][s:e]
        top = float(self.features[feature].max()) or 1.0
        self._activation.set_ydata(values)
        self._feature.set_ydata(column / top)
        self.text.value = coloured_text(self.passage[s:e], values, vmax=1.0)
        self.readout.value = describe_unit(FEATURE_NAMES[feature], unit, state, corr)
        self._redraw()


def plot_correlations(corr: dict, names, *, top: int = 20, figsize=(9.6, 2.4)):
    """Per feature, the |correlation| of the ``top`` most correlated units, sorted: a
    unit that stands far above the rest is a unit that follows that feature.
    corr: {state: (F, H)}, every state's units ranked together; names: the F features'
    names. Returns the figure."""
    names = list(names)
    fig, axes = plt.subplots(1, len(names), figsize=figsize, sharey=True)
    for f, (ax, feature) in enumerate(zip(axes, names, strict=True)):
        values = np.sort(np.concatenate([np.abs(c[f]) for c in corr.values()]))[::-1][:top]
        ax.bar(np.arange(1, len(values) + 1), values, color="C0")
        ax.set_title(FEATURE_NAMES[feature], fontsize=9)
        ax.set(xlabel="rank", ylim=(0, 1))
        ax.spines[["top", "right"]].set_visible(False)
    axes[0].set_ylabel("|correlation|")
    fig.tight_layout()
    return fig


def plot_saturation(saturation: dict, *, figsize=(8, 2.8)):
    """One panel per gate (f, i, o): each dot is a unit, at the share of steps it was
    left-saturated (shut, < 0.1, across) and right-saturated (open, > 0.9, up), as in Karpathy,
    Johnson & Fei-Fei (2015). saturation: {gate: (left (H,), right (H,))}. Returns the
    figure."""
    names = {"f": "forget gate f", "i": "input gate i", "o": "output gate o"}
    fig, axes = plt.subplots(1, len(interpret.GATES), figsize=figsize, sharey=True)
    for ax, gate in zip(axes, interpret.GATES, strict=True):
        left, right = saturation[gate]
        ax.plot([0, 1], [1, 0], color="0.8", lw=1)           # left + right cannot exceed 1
        ax.scatter(left, right, s=10, alpha=0.6, color="C0", edgecolor="none")
        ax.set(xlim=(-0.02, 1.02), ylim=(-0.02, 1.02), aspect="equal",
               xlabel="share of steps shut (< 0.1)")
        ax.set_title(names[gate], fontsize=9)
    axes[0].set_ylabel("share open (> 0.9)")
    fig.tight_layout()
    return fig


def plot_learning(history, *, val=None, figsize=(6.4, 2.6)):
    """Training loss per step (thin) and its 20-step mean, in bits per character; ``val``
    = (steps, bpc) draws validation points (unjoined: nothing was measured between them).
    Returns the figure."""
    loss = np.asarray(history["loss"], dtype=np.float64)
    fig, ax = plt.subplots(figsize=figsize)
    ax.plot(loss, color="C0", lw=0.6, alpha=0.4)
    kernel = min(20, len(loss))
    ax.plot(np.arange(kernel - 1, len(loss)), np.convolve(loss, np.ones(kernel) / kernel,
                                                           mode="valid"),
            color="C0", lw=1.8, label="training (20-step mean)")
    if val is not None:
        ax.plot(*val, "o", color="C3", label="validation")
    ax.set(xlabel="training step", ylabel="bits per character")
    ax.legend(frameon=False, fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return fig
