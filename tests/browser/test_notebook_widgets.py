"""Every notebook in a real browser: it runs, its claims are ticked, its exercise checks
show their verdicts, and every widget control it shows changes its view.

To cover a new notebook, add it to NOTEBOOKS; test_every_notebook_is_listed fails until
then. Per notebook, each control is changed once (drive.py says how) and its figure or
readout must change within drive.RESPONSE_TIMEOUT. The latency from each change to the
redrawn view is measured and printed at the end of the run (and written to
test-artifacts/widget_latency.txt and .md); it is reported, not asserted. In the same
run, test_bare_widget_floor measures the floor of this stack: a bare ipympl widget, a
slider that changes one line's data and calls draw_idle. The report puts each notebook's
median and 90th percentile beside it (record the table in benchmarks/widget_latency.md).
Screenshots of every cell output that holds controls, after all were driven, go to
test-artifacts/widgets/.
"""

from __future__ import annotations

import time
from pathlib import Path

import nbformat
import pytest
from drive import FLOOR, assert_all_responded, drive_controls
from harness import ARTIFACTS, ROOT, checked_claims, open_and_run, widget_errors
from notebook_exercises import exercises_in

NOTEBOOKS = [
    "notebooks/00_start_here.ipynb",
    "notebooks/01_one_neuron.ipynb",
    "notebooks/02_a_layer.ipynb",
    "notebooks/03_first_loop.ipynb",
    "notebooks/04_why_it_forgets.ipynb",
    "notebooks/05_lstm_cell.ipynb",
    "notebooks/06_why_the_belt_remembers.ipynb",
    "notebooks/07_when_to_reach_for_one.ipynb",
    "notebooks/08_real_text.ipynb",
]
SCREENSHOTS = ARTIFACTS / "widgets"

# The floor: the least a slider-driven ipympl figure costs on this stack, at the size the
# course's explorers start from (live_figure's 6 x 3.2 in).
BARE_WIDGET = """\
%matplotlib widget
import ipywidgets as W
import matplotlib.pyplot as plt
import numpy as np

x = np.linspace(0, 2 * np.pi, 200)
with plt.ioff():
    fig, ax = plt.subplots(figsize=(6, 3.2))
(line,) = ax.plot(x, np.sin(x))
ax.set_ylim(-1.1, 1.1)
fig.canvas.header_visible = fig.canvas.footer_visible = fig.canvas.toolbar_visible = False
slider = W.FloatSlider(value=1.0, min=0.5, max=5.0, step=0.1, description="frequency")


def update(change):
    line.set_ydata(np.sin(change["new"] * x))
    fig.canvas.draw_idle()


slider.observe(update, names="value")
W.VBox([slider, fig.canvas])
"""
FLOOR_SAMPLES = 15


def test_every_notebook_is_listed():
    on_disk = sorted(path.relative_to(ROOT).as_posix()
                     for path in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    missing = [path for path in on_disk if path not in NOTEBOOKS]
    assert not missing, (f"notebooks not in NOTEBOOKS of {Path(__file__).name}, so their "
                         f"widgets are untested: {missing}")
    gone = [path for path in NOTEBOOKS if not (ROOT / path).exists()]
    assert not gone, f"NOTEBOOKS lists notebooks that do not exist: {gone}"


def test_bare_widget_floor(page):
    """Not a check of the course: measures the floor its latencies are reported beside.
    Defined before the notebooks' test, so it runs first (unless the order is shuffled)."""
    path = ARTIFACTS / "bare_widget.ipynb"        # outside testpaths: nbval never runs it
    ARTIFACTS.mkdir(exist_ok=True)
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(BARE_WIDGET)])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}      # else JupyterLab asks
    nbformat.write(notebook, path)
    open_and_run(page, path.relative_to(ROOT).as_posix())
    results = drive_controls(page, FLOOR, slider_samples=FLOOR_SAMPLES)
    assert_all_responded(results)
    assert len(results[0].latencies_ms) == FLOOR_SAMPLES, results


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: Path(path).stem)
def test_notebook_runs_and_every_control_changes_its_view(page, notebook):
    committed = (ROOT / notebook).read_bytes()
    run = open_and_run(page, notebook)

    claims = checked_claims(notebook)
    ticked = {line[2:] for line in run.text.splitlines() if line.startswith("✓ ")}
    unticked = [claim for claim in claims if claim not in ticked]
    assert not unticked, f"{notebook}: claims not shown ticked: {unticked}"
    assert "ClaimFailed" not in run.text
    # Each untouched exercise shows its check's verdict, saying what to do.
    shown = [line.split(" (", 1)[0] for line in run.text.splitlines()
             if line.startswith("✗ Exercise ")]
    assert shown == [f"✗ Exercise {ex.number}" for ex in exercises_in(ROOT / notebook)], shown
    assert_every_figure_drawn(page, notebook)

    results = drive_controls(page, notebook, screenshots=SCREENSHOTS)
    assert_all_responded(results)
    assert not widget_errors(page), f"{notebook}: {widget_errors(page)}"
    assert not page.page_errors, f"{notebook}: errors in JupyterLab's page: {page.page_errors}"
    assert (ROOT / notebook).read_bytes() == committed, f"{notebook} was written to"


# Per live (ipympl) figure: its size on the page and how much of it is not white.
FIGURE_INK_JS = """(canvas) => {
    const {width, height} = canvas;
    if (!width || !height) return {width, height, ink: 0};
    const rgba = canvas.getContext("2d").getImageData(0, 0, width, height).data;
    let ink = 0;
    for (let p = 0; p < rgba.length; p += 4) {
        if (rgba[p + 3] > 0 && rgba[p] + rgba[p + 1] + rgba[p + 2] < 720) ink++;
    }
    return {width, height, ink: ink / (width * height)};
}"""


def assert_every_figure_drawn(page, notebook, timeout_s=15):
    """Every live figure shows a picture before any control is touched: a learner who
    runs the notebook sees each figure at once, not after first moving a slider."""
    # Each figure has two stacked canvases: the picture, then a transparent overlay.
    canvases = page.locator(
        ".jp-OutputArea-output .jupyter-matplotlib-canvas-div canvas:first-of-type")
    deadline = time.monotonic() + timeout_s
    while True:
        stats = [canvases.nth(k).evaluate(FIGURE_INK_JS) for k in range(canvases.count())]
        blank = [k for k, s in enumerate(stats) if s["width"] < 50 or s["ink"] < 0.005]
        if not blank or time.monotonic() > deadline:
            break
        page.wait_for_timeout(200)
    assert not blank, (f"{notebook}: live figures {blank} (of {len(stats)}) show no picture "
                       f"after Run All: {[stats[k] for k in blank]}")
