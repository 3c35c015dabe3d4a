"""The harness itself: a notebook whose cell raises must fail open_and_run, and say why;
the widget driver must change every kind of control, and fail one wired to nothing."""

import shutil
import uuid

import nbformat
import pytest
from drive import SLIDER_SAMPLES, assert_all_responded, drive_controls
from harness import ARTIFACTS, ROOT, open_and_run


def test_open_and_run_fails_naming_the_cell_that_raised(page):
    folder = ARTIFACTS / f"harness-{uuid.uuid4().hex[:8]}"    # under the server's root
    folder.mkdir(parents=True)
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("import lstm_lib as ll\nprint('before')"),
        nbformat.v4.new_code_cell('ll.check(1 > 2, "one is more than two")'),
        nbformat.v4.new_code_cell("print('after')"),
    ])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    nbformat.write(notebook, folder / "raises.ipynb")
    try:
        with pytest.raises(pytest.fail.Exception) as failure:
            open_and_run(page, (folder / "raises.ipynb").relative_to(ROOT).as_posix())
    finally:
        shutil.rmtree(folder)
    assert ("cell 1 raised ClaimFailed: claim no longer holds: one is more than two"
            in str(failure.value)), str(failure.value)


CONTROLS_CELL = '''\
%matplotlib widget
import ipywidgets as W
import matplotlib.pyplot as plt
import numpy as np

with plt.ioff():
    fig, ax = plt.subplots(figsize=(4, 2.5))
fig.canvas.header_visible = fig.canvas.footer_visible = fig.canvas.toolbar_visible = False
x = np.linspace(0, 6, 200)
(line,) = ax.plot(x, np.sin(x))
shape = W.Dropdown(options=["sin", "cos"], description="shape")
k = W.ToggleButtons(options=["1", "2", "3"], description="k")
n = W.IntSlider(1, 0, 10, description="n")
grid = W.Checkbox(False, description="grid")
play = W.Play(value=0, min=0, max=20, interval=50)
t = W.IntSlider(0, 0, 20, description="t")
W.jslink((play, "value"), (t, "value"))
more = W.Button(description="n + 1")
more.on_click(lambda _: setattr(n, "value", n.value + 1))
dead = W.FloatSlider(0.5, min=0, max=1, step=0.1, description="dead")   # wired to nothing

def update(_=None):
    f = np.sin if shape.value == "sin" else np.cos
    line.set_ydata(f(int(k.value) * x + n.value + t.value / 3))
    ax.grid(grid.value)
    fig.canvas.draw_idle()

for control in (shape, k, n, grid, t):
    control.observe(update, names="value")
update()
W.VBox([shape, k, n, grid, W.HBox([play, t]), more, dead, fig.canvas])
'''

READOUT_CELL = '''\
m = W.IntSlider(3, 0, 10, description="m")
square = W.HTML()
def show(_=None):
    square.value = f"m² = {m.value ** 2}"
m.observe(show, names="value")
show()
W.VBox([m, square])
'''


def test_the_widget_driver_changes_every_kind_of_control_and_fails_a_dead_one(page):
    """drive_controls finds each kind of control, sees figures and readouts answer, and
    assert_all_responded fails for the slider that is wired to nothing."""
    folder = ARTIFACTS / f"harness-{uuid.uuid4().hex[:8]}"
    folder.mkdir(parents=True)
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(CONTROLS_CELL),
                                               nbformat.v4.new_code_cell(READOUT_CELL)])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    path = (folder / "controls.ipynb").relative_to(ROOT).as_posix()
    nbformat.write(notebook, ROOT / path)
    try:
        open_and_run(page, path)
        results = drive_controls(page, path, timeout=3, record=False,
                                 screenshots=ARTIFACTS / "widgets")
    finally:
        shutil.rmtree(folder)
    by_name = {r.name: r for r in results}
    report = "\n".join(f"{r.label}: responded={r.responded} via={r.via} "
                       f"{r.latencies_ms} skipped={r.skipped!r} [{r.detail}]" for r in results)
    assert [(r.kind, r.name) for r in results] == [
        ("dropdown", "shape"), ("toggle-buttons", "k"), ("slider", "n"),
        ("checkbox", "grid"), ("play", "Play"), ("slider", "t"), ("slider", "dead"),
        ("slider", "m"), ("button", "n + 1"),
    ], report
    assert not any(r.skipped for r in results), report
    for name in ("shape", "k", "n", "grid", "Play", "t", "n + 1"):
        assert by_name[name].responded and by_name[name].via == "figure", report
        assert all(0 < ms < 3000 for ms in by_name[name].latencies_ms), report
    assert by_name["m"].responded and by_name["m"].via == "readout", report
    assert len(by_name["n"].latencies_ms) == SLIDER_SAMPLES, report
    assert not by_name["dead"].responded, report

    with pytest.raises(pytest.fail.Exception) as failure:
        assert_all_responded(results)
    message = str(failure.value)
    assert 'slider "dead" (cell 1): pressed ArrowRight on its handle' in message, message
    assert message.count("\n  ") == 1, message          # and no other control is named
