"""What each widget control costs in the kernel: its callback, then the drawing.

    .venv/bin/python benchmarks/widget_costs.py notebooks/06_why_the_belt_remembers.ipynb

Runs the notebook (nbclient, this venv's kernel), then, in the same kernel, changes
every widget control a few times, one step each, as the browser tests do. Per control it
times the callback (setting the value runs the observers), then, for every figure the
change left stale, what ipympl does before the browser sees anything: the Agg drawing
(``canvas.draw()``) and the PNG it sends (``canvas.get_diff_image()``). The browser
suite measures the whole round trip (tests/browser/test_notebook_widgets.py); this
says which part of it a widget's own code spends, and so what bounds it. Times are
the kernel's CPU time (time.process_time), so other load on the machine moves them less.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]

PROBE = r'''
import json as _json, statistics as _st, time as _time
import ipywidgets as _W
import matplotlib.pyplot as _plt
from matplotlib._pylab_helpers import Gcf as _Gcf

def _figures():
    import gc
    import matplotlib.figure
    return [o for o in gc.get_objects() if type(o) is matplotlib.figure.Figure]

def _controls():
    kinds = (_W.widgets.widget_int._Int, _W.widgets.widget_float._Float,
             _W.widgets.widget_selection._Selection, _W.Checkbox, _W.ToggleButton,
             _W.Text)
    seen = [w for w in list(_W.Widget.widgets.values()) if isinstance(w, kinds)
            and not isinstance(w, (_W.Play,)) and not getattr(w, "disabled", False)
            and w.comm is not None]
    return seen

def _next_value(w):
    if isinstance(w, _W.widgets.widget_selection._Selection):
        opts = list(w.options)
        if len(opts) < 2: return None
        k = w.index if w.index is not None else 0
        return ("index", (k + 1) % len(opts))
    if isinstance(w, (_W.Checkbox, _W.ToggleButton)):
        return ("value", not w.value)
    if isinstance(w, _W.Text):
        return ("value", w.value + "x")
    step = getattr(w, "step", 1) or 1
    v = w.value + step if w.value + step <= w.max else w.value - step
    return ("value", v)

from matplotlib.backends.backend_agg import FigureCanvasAgg as _Agg

def _render(f):
    """Agg drawing, then the PNG ipympl would send; (ms, ms). Stale figures only."""
    c = f.canvas
    t = _time.process_time(); _Agg.draw(c); t1 = _time.process_time()
    if hasattr(c, "get_diff_image"):
        c._png_is_old = True
        c.get_diff_image()
    return t1 - t, _time.process_time() - t1

for _f in _figures():       # as in the browser once the page side started: no data URL
    if hasattr(_f.canvas, "syncing_data_url"):
        _f.canvas.syncing_data_url = False
_out = []
for _w in _controls():
    _name = f"{type(_w).__name__} {getattr(_w, 'description', '')!r}"
    _cb, _draw, _png, _px = [], [], [], 0
    for _ in range(3):
        for _f in _figures():
            _render(_f)
        _nv = _next_value(_w)
        if _nv is None:
            break
        _t = _time.process_time(); setattr(_w, *_nv); _cb.append(_time.process_time() - _t)
        _d = _p = 0.0
        for _f in _figures():
            if _f.stale:
                _a, _b = _render(_f)
                _d, _p = _d + _a, _p + _b
                _px = max(_px, _f.canvas.get_width_height()[0] * _f.canvas.get_width_height()[1])
        _draw.append(_d); _png.append(_p)
    if _cb:
        _out.append([_name, 1e3 * _st.median(_cb), 1e3 * _st.median(_draw),
                     1e3 * _st.median(_png), _px])
print("@@" + _json.dumps(_out))
'''


def costs(notebook: Path) -> list:
    nb = nbformat.read(notebook, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(PROBE))
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(notebook.parent)}}).execute()
    for output in nb.cells[-1].outputs:
        if output.get("name") == "stdout" and "@@" in output["text"]:
            return json.loads(output["text"].split("@@", 1)[1])
    raise RuntimeError(f"{notebook}: the probe printed nothing: {nb.cells[-1].outputs}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    args = parser.parse_args()
    for notebook in args.notebooks:
        print(f"== {notebook.name}: median of 3 changes, ms (callback | Agg draw | diff PNG) "
              "and the largest redrawn figure's pixels")
        for name, cb, draw, png, px in costs(notebook.resolve()):
            print(f"  {name[:48]:<48} {cb:7.1f} {draw:7.1f} {png:7.1f}   {px:>8}")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
