"""How long each notebook, and its slowest cell, takes to execute.

    .venv/bin/python benchmarks/bench_notebooks.py                 # every notebook
    .venv/bin/python benchmarks/bench_notebooks.py notebooks/00_start_here.ipynb

The course's speed targets: no cell a learner waits on for more than about 20 s on
2 cores, and the whole course in a few minutes. This script measures them (with the
kernel limited to 1 BLAS thread, as ./course runs it); it is a benchmark to read, not a test.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
CELL_LIMIT_S = 20.0


def cell_times(path: Path) -> tuple[float, list[tuple[int, float, str]]]:
    """Execute a notebook; return (wall time, [(cell index, seconds, first line)])."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    total = time.perf_counter() - start
    rows = []
    for k, cell in enumerate(nb.cells):
        timing = cell.metadata.get("execution", {})
        if cell.cell_type != "code" or "iopub.execute_input" not in timing:
            continue
        began = _stamp(timing["iopub.execute_input"])
        ended = _stamp(timing["shell.execute_reply"])
        first = (cell.source.strip().splitlines() or [""])[0][:50]
        rows.append((k, ended - began, first))
    return total, rows


def _stamp(text: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path)
    args = parser.parse_args()
    paths = args.paths or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    os.environ.update(OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")    # as ./course sets
    grand, all_fast = 0.0, True
    print(f"{'notebook':<34} {'total s':>8} {'slowest cell s':>15}  slowest cell")
    for path in paths:
        total, rows = cell_times(path)
        k, secs, first = max(rows, key=lambda r: r[1]) if rows else (-1, 0.0, "")
        grand += total
        flag = "" if secs <= CELL_LIMIT_S else f"  OVER {CELL_LIMIT_S:.0f} s"
        all_fast &= secs <= CELL_LIMIT_S
        print(f"{path.name:<34} {total:>8.1f} {secs:>15.2f}  [{k}] {first}{flag}")
    print(f"{'whole course':<34} {grand:>8.1f}")
    sys.exit(0 if all_fast else 1)


if __name__ == "__main__":
    main()
