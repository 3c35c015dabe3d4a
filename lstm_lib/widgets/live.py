"""A figure that redraws in place inside a widget layout."""

from __future__ import annotations

import ipywidgets as W
import matplotlib.pyplot as plt
from IPython.display import clear_output, display


def live_figure(figsize=(6, 3.2)):
    """A new figure and a ``redraw()`` that refreshes it in place; plus the widget to show.

    Returns (fig, canvas_widget, redraw).
    """
    with plt.ioff():                         # shown inside our layout, not on its own
        fig = plt.figure(figsize=figsize)
    canvas = fig.canvas
    if isinstance(canvas, W.DOMWidget):      # ipympl: the canvas is itself a widget
        canvas.header_visible = False
        canvas.footer_visible = False
        canvas.toolbar_visible = False
        canvas.resizable = False
        return fig, canvas, canvas.draw_idle
    out = W.Output()                         # any other backend: redraw a picture

    def redraw():
        with out:
            clear_output(wait=True)
            display(fig)

    return fig, out, redraw
