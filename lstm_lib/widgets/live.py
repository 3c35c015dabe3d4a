"""A figure that redraws in place inside a widget layout, fast enough to drag a slider.

Under ipympl, ``canvas.draw_idle()`` asks the browser to ask the kernel for a new
picture, and pyplot adds a second full redraw whenever an artist changes. Measured in
headless Chromium (tests/browser), that made a slider move take 100 to 160 ms to show.
``live_figure`` instead turns pyplot's automatic redraw off and redraws once, at once,
with ``canvas.draw()``: 30 to 40 ms. Dragging cannot pile up redraws, because
ipywidgets sends a slider's next value only after the kernel has finished with the
last one.
"""

from __future__ import annotations

import ipywidgets as W
import matplotlib.pyplot as plt
from IPython.display import clear_output, display


def live_figure(figsize=(6, 3.2)):
    """A new figure and a ``redraw()`` that refreshes it in place; plus the widget to show.

    Returns (fig, canvas_widget, redraw). Change artists, then call ``redraw()``.
    """
    with plt.ioff():                         # shown inside our layout, not on its own
        fig = plt.figure(figsize=figsize)
    canvas = fig.canvas
    if isinstance(canvas, W.DOMWidget):      # ipympl: the canvas is itself a widget
        canvas.header_visible = False
        canvas.footer_visible = False
        canvas.toolbar_visible = False
        canvas.resizable = False
        fig.stale_callback = None            # no automatic second redraw (see above)

        def redraw():
            # Until the browser shows the canvas (ipympl's syncing_data_url is True until
            # then), leave the first picture to it: drawn earlier, it would be lost.
            if getattr(canvas, "syncing_data_url", True):
                canvas.draw_idle()
            else:
                canvas.draw()

        return fig, canvas, redraw
    out = W.Output()                         # any other backend: redraw a picture

    def redraw():
        with out:
            clear_output(wait=True)
            display(fig)

    return fig, out, redraw
