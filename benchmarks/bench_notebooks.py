"""How long each notebook, and its slowest cell, takes to execute.

    .venv/bin/python benchmarks/bench_notebooks.py                 # every notebook
    .venv/bin/python benchmarks/bench_notebooks.py notebooks/00_start_here.ipynb
    .venv/bin/python benchmarks/bench_notebooks.py --write         # every notebook, and
                                                                   # record the times

The course's speed targets: no cell a learner waits on for more than about 20 s on
2 cores, and the whole course in a few minutes. This script measures them (with the
kernel limited to 1 BLAS thread, as ./course runs it); it is a benchmark to read, not a test.

With --write (every notebook only) it also records the times in
benchmarks/notebook_times.json, with the date, Python version, CPU count and BLAS
threads they were taken with; benchmarks/workshop_plan.py reads that file to plan the
instructor's day (INSTRUCTOR_GUIDE.md).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
CELL_LIMIT_S = 20.0
TIMES_JSON = ROOT / "benchmarks" / "notebook_times.json"


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


def write_times(measured: dict) -> None:
    """Record {notebook: {cells_s, wall_s, slowest_cell}} and how it was measured."""
    from datetime import UTC, datetime

    record = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "cpu_count": os.cpu_count(),
        "blas_threads": int(os.environ["OPENBLAS_NUM_THREADS"]),
        "command": "benchmarks/bench_notebooks.py --write",
        "notebooks": measured,
    }
    TIMES_JSON.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {TIMES_JSON.relative_to(ROOT)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--write", action="store_true",
                        help=f"record the times in {TIMES_JSON.relative_to(ROOT)}")
    args = parser.parse_args()
    if args.write and args.paths:
        parser.error("--write times every notebook; give no paths")
    paths = args.paths or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    os.environ.update(OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")    # as ./course sets
    grand, all_fast, measured = 0.0, True, {}
    print(f"{'notebook':<34} {'total s':>8} {'slowest cell s':>15}  slowest cell")
    for path in paths:
        total, rows = cell_times(path)
        k, secs, first = max(rows, key=lambda r: r[1]) if rows else (-1, 0.0, "")
        grand += total
        flag = "" if secs <= CELL_LIMIT_S else f"  OVER {CELL_LIMIT_S:.0f} s"
        all_fast &= secs <= CELL_LIMIT_S
        print(f"{path.name:<34} {total:>8.1f} {secs:>15.2f}  [{k}] {first}{flag}")
        measured[path.name] = {
            "cells_s": round(sum(r[1] for r in rows), 2),     # every code cell, added up
            "wall_s": round(total, 2),                          # with kernel start and stop
            "slowest_cell": {"index": k, "seconds": round(secs, 2), "first_line": first},
        }
    print(f"{'whole course':<34} {grand:>8.1f}")
    if args.write:
        write_times(measured)
    sys.exit(0 if all_fast else 1)


if __name__ == "__main__":
    main()
