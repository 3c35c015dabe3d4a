"""Notebook 00's setup check: does this browser show live figures, and redraw them?

The kernel cannot look at the screen, but ipympl's canvas reports back: "initialized"
when the browser has set the figure up, and "draw" each time the browser asks for the
picture that a change made (the picture follows at once).
``SetupCheck`` listens for both, so its readout turns from waiting, to "your browser
shows live figures", to "it redrew when you moved the slider". Under a backend that is
not live (no ``%matplotlib widget``, or a page that cannot draw widgets) it says so.
"""

from __future__ import annotations

import html

import ipywidgets as W
import numpy as np

from ..checkup import report, summary
from .live import LiveWidget

STAGES = {
    "not live": "✗ <b>figures are not live here.</b> Start the course with <code>./course "
                "lab</code> (or on Binder), keep <code>%matplotlib widget</code> in the "
                "first cell, and run the notebook again.",
    "waiting": "… waiting for your browser to show the figure below. If this line does not "
               "change within a few seconds, reload the page (<b>F5</b>) and run the cell "
               "again.",
    "shown": "✓ <b>your browser shows live figures.</b> Now drag the slider.",
    "redrawn": "✓ <b>the figure redrew when you moved the slider:</b> this computer is "
               "ready for the course.",
}


def environment_html(checks=None) -> str:
    """The checks that need no browser, one row each (check, ✓ or ✗, what was found and,
    for a ✗, what to do), then the summary, as HTML."""
    checks = report() if checks is None else checks
    rows = "".join(
        f"<tr><td>{html.escape(c.name)}</td><td>{'✓' if c.ok else '✗'}</td>"
        f"<td>{html.escape(c.detail)}{'' if c.ok else ': <b>' + html.escape(c.advice) + '</b>'}"
        "</td></tr>" for c in checks)
    return (f"<table style='text-align: left'>{rows}</table>"
            f"<i>{html.escape(summary(checks))}</i>")


class SetupCheck(LiveWidget):
    """The environment report, then a slider and a live figure whose readout follows
    what the browser reports: waiting → shown → redrawn."""

    # On the course website (static.py) there is no browser check to report.
    static_readout = ("A sine curve, drawn once: on this website the figure is a still "
                      "picture. In JupyterLab or on Binder this line follows your browser: "
                      "waiting, then live, then redrawn when you move the slider.")

    def __init__(self):
        super().__init__("lstm-setup-check", figsize=(4.2, 1.8))
        self.environment = W.HTML(environment_html())
        self.stage = "waiting" if isinstance(self.fig.canvas, W.DOMWidget) else "not live"
        self._moved = False
        self.slider = W.FloatSlider(value=1.0, min=0.5, max=3.0, step=0.25,
                                    description="frequency", continuous_update=True)
        ax = self.fig.add_subplot()
        self._x = np.linspace(0, 2 * np.pi, 200)
        (self._line,) = ax.plot(self._x, np.sin(self._x), lw=2)
        ax.set(ylim=(-1.1, 1.1), xticks=[], yticks=[])
        if self.stage == "waiting":
            self._canvas.on_msg(self._browser_said)
        self._show([self.slider], rows=[self.environment, self.slider])

    def _browser_said(self, _canvas, content, _buffers):
        kind = content.get("type")
        if kind == "initialized" and self.stage == "waiting":
            self._set("shown")
        elif kind == "draw" and self._moved:
            self._set("redrawn")

    def _set(self, stage: str):
        self.stage = stage
        self.readout.value = STAGES[stage]

    def _update(self, change=None):
        if change is not None:
            self._moved = True
        self._line.set_ydata(np.sin(self.slider.value * self._x))
        self.readout.value = STAGES[self.stage]
        self._redraw()
