"""Still pictures in place of live widgets, for the course website (``./course book``).

A web page has no kernel behind it, so a slider there could move but redraw nothing.
The book build (tools/book.py) runs the notebooks with ``LSTM_COURSE_STATIC=1``; then,
and only then:

- figures are drawn by the inline backend (still PNGs), whatever ``%matplotlib`` the
  notebook asked for, and each figure's plain-text form names what it shows (title,
  axes, legend) instead of ``<Figure size 640x480 with 1 Axes>``: the book uses it as
  the picture's alt text;
- every widget (``LiveWidget``) shows a picture of its figure at its default setting,
  its readout sentence, and a line saying that it is interactive in JupyterLab or on
  Binder, with a link that the book build points at this notebook on Binder;
- tqdm's notebook progress bars (a widget too, whose bar moves only in a live page)
  are left out.

Without the variable nothing here runs and the widgets are live as always.
"""

from __future__ import annotations

import base64
import html
import io
import os
import re

import ipywidgets as W

STATIC = os.environ.get("LSTM_COURSE_STATIC", "") not in ("", "0")

# The book build replaces this href with the Binder URL of the page's notebook.
BINDER_HREF = "#ll-binder-launch"
NOTE = ("This figure is interactive when the notebook runs: in JupyterLab, or "
        f'<a class="ll-binder-link" href="{BINDER_HREF}">launch this notebook on Binder</a> '
        "and move the controls.")


def plain_text(markup: str) -> str:
    """An HTML fragment's words, tags dropped and whitespace collapsed."""
    inline = re.sub(r"</?(b|i|em|strong|code|span|sub|sup|a)\b[^>]*>", "", markup)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", inline)).split())


def describe_figure(fig) -> str:
    """What a figure shows, in words, from its own titles, axis labels and legends (or,
    with none of those, the words drawn on it); "" if it has no words at all."""
    parts = []
    suptitle = getattr(fig, "_suptitle", None)
    if suptitle is not None and suptitle.get_text().strip():
        parts.append(suptitle.get_text().strip())
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        bits = []
        title = " ".join(t for t in (ax.get_title("left"), ax.get_title(),
                                     ax.get_title("right")) if t.strip())
        if title:
            bits.append(title)
        axes = [f"{name}: {label}" for name, label in (("x", ax.get_xlabel()),
                                                       ("y", ax.get_ylabel())) if label.strip()]
        if axes:
            bits.append(", ".join(axes))
        legend = ax.get_legend()
        if legend is not None:
            labels = [t.get_text() for t in legend.get_texts() if t.get_text().strip()]
            if labels:
                bits.append("lines: " + "; ".join(labels))
        if bits:
            parts.append(f"{bits[0]} ({', '.join(bits[1:])})" if len(bits) > 1 else bits[0])
    if not parts:                             # a diagram: name it by the words drawn on it
        words = [t.get_text().strip() for ax in fig.axes for t in ax.texts]
        words = list(dict.fromkeys(w for w in words if w))
        if not words:
            return ""
        parts = ["a diagram labelled " + ", ".join(words)]
    return "Figure: " + " ".join(". ".join(parts).replace("$", "").split())


def figure_png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, bbox_inches="tight")
    return buf.getvalue()


def _settings(widget) -> list[str]:
    """'name = value' for every labelled control in the widget, in display order."""
    found = []
    for child in widget.children:
        if isinstance(child, W.Box):
            found += _settings(child)
        elif isinstance(child, W.ValueWidget) and not isinstance(child, W.HTML | W.Label):
            name = child.description.strip()
            if not name:
                continue
            value = child.value
            if isinstance(child, W.Dropdown):
                value = child.label
            shown = (f"“{value}”" if isinstance(value, str) else f"{value:.2f}"
                     if isinstance(value, float) else str(value))
            found.append(f"{html.escape(name)} = {html.escape(shown)}")
    return found


def widget_bundle(widget) -> dict:
    """The MIME bundle a widget shows on the website: picture, readout, note, link."""
    readout = getattr(widget, "static_readout", None) or widget.readout.value
    texts = [child.value for child in widget.children
             if isinstance(child, W.HTML) and child is not widget.readout]
    png = base64.b64encode(figure_png(widget.fig)).decode("ascii")
    alt = ". ".join(filter(None, [describe_figure(widget.fig), plain_text(readout)]))
    settings = _settings(widget)
    shown_at = (f"<p class='ll-static-settings'><i>Shown at its default setting: "
                f"{', '.join(settings)}.</i></p>" if settings else "")
    body = "".join(f"<div class='ll-static-text'>{t}</div>" for t in texts)
    page = (f"<div class='ll-static-widget'>{shown_at}{body}"
            f"<div class='ll-static-readout'>{readout}</div>"
            f"<img src='data:image/png;base64,{png}' alt='{html.escape(alt, quote=True)}' "
            "style='max-width: 100%; height: auto'>"
            f"<p class='ll-static-note'>{NOTE}</p></div>")
    return {"text/html": page, "text/plain": plain_text(readout)}


def use_still_figures():
    """Inline (PNG) figures with descriptive plain text, in the running IPython kernel."""
    try:
        from IPython import get_ipython
    except ImportError:                       # pragma: no cover - IPython comes with the course
        return
    shell = get_ipython()
    if shell is None:
        return
    from matplotlib.figure import Figure

    shell.run_line_magic("matplotlib", "inline")
    shell.display_formatter.formatters["text/plain"].for_type(
        Figure, lambda fig, printer, _cycle: printer.text(describe_figure(fig) or repr(fig)))


def hide_progress_bars():
    """No tqdm notebook bars: displayed at 0 %, a page could never show them move."""
    from tqdm.notebook import TqdmHBox

    TqdmHBox._ipython_display_ = lambda self, **kwargs: None


if STATIC:
    use_still_figures()
    hide_progress_bars()
