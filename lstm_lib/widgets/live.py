"""A figure that redraws in place inside a widget layout, and the explorer built on it."""

from __future__ import annotations

import ipywidgets as W
import matplotlib.pyplot as plt
from IPython.display import clear_output, display
from matplotlib.figure import Figure

from . import static


def live_figure(figsize=(6, 3.2)):
    """A new figure and a ``redraw()`` that refreshes it in place; plus the widget to show.

    Returns (fig, canvas_widget, redraw).
    """
    if static.STATIC:                        # the website: drawn once, as a picture
        return Figure(figsize=figsize), W.Output(), lambda: None
    with plt.ioff():                         # shown inside our layout, not on its own
        fig = plt.figure(figsize=figsize)
    canvas = fig.canvas
    if isinstance(canvas, W.DOMWidget):      # ipympl: the canvas is itself a widget
        canvas.header_visible = False
        canvas.footer_visible = False
        canvas.toolbar_visible = False
        canvas.resizable = False
        _draw_once_the_page_is_ready(canvas)
        return fig, canvas, canvas.draw_idle
    out = W.Output()                         # any other backend: redraw a picture

    def redraw():
        with out:
            clear_output(wait=True)
            display(fig)

    return fig, out, redraw


def _draw_once_the_page_is_ready(canvas):
    """Make an ipympl canvas ignore draw requests until its page side has started.

    Until the browser reports "initialized", ipympl 0.10 answers a draw by sending raw
    pixels where the browser expects a PNG: the image breaks and the canvas stays 0 x 0
    for good. A draw request can come from a widget's first redraw or from pyplot
    redrawing a stale figure after the cell; a widget that opens at the end of a long
    Run All, when its page side starts late, lost its figure in about a third of the
    browser runs this way. Nothing is lost by waiting: once started, the page asks for
    a full drawing itself (and with no page at all, nobody would see one).
    """
    draw_idle = canvas.draw_idle

    def draw_when_ready(*args, **kwargs):
        if not canvas.syncing_data_url:          # False once the page side said hello
            draw_idle(*args, **kwargs)

    canvas.draw_idle = draw_when_ready


class LiveWidget(W.VBox):
    """Controls, a one-sentence readout and a live figure, stacked: every explorer's base.

    A subclass calls ``super().__init__(css_class, figsize)``, draws on ``self.fig``,
    then calls ``self._show(controls)``. Its ``_update()`` reads the controls, changes
    artists, sets ``self.readout.value`` and calls ``self._redraw()``.
    """

    def __init__(self, css_class: str, figsize):
        # No VBox.__init__ here: the container opens in _show, already holding its children.
        # Opened empty and filled afterwards, it left ipympl's canvas unsized (0 x 0 pixels,
        # never drawn) in about half of the runs in JupyterLab.
        self._css_class = css_class              # how the browser tests find the widget
        self.readout = W.HTML()
        self.fig, self._canvas, self._redraw = live_figure(figsize)

    def _update(self, _change=None):
        raise NotImplementedError

    def _repr_mimebundle_(self, **kwargs):
        if static.STATIC:                    # the website: a still picture, see static.py
            return static.widget_bundle(self)
        return super()._repr_mimebundle_(**kwargs)

    def _show(self, controls, rows=None):
        """Stack ``rows`` (the controls, unless given) over the readout and the figure,
        redraw on every change of a control, and draw the first state."""
        self.fig.tight_layout()
        for control in controls:
            control.observe(self._update, names="value")
        super().__init__([*(controls if rows is None else rows), self.readout, self._canvas])
        self.add_class(self._css_class)
        self._update()
