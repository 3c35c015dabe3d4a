"""How long each notebook, and its slowest cell, takes to execute, and its kernel's memory.

    .venv/bin/python benchmarks/bench_notebooks.py                 # every notebook
    .venv/bin/python benchmarks/bench_notebooks.py notebooks/00_start_here.ipynb
    .venv/bin/python benchmarks/bench_notebooks.py --write         # every notebook, and
                                                                   # record the times

The course's targets: no cell a learner waits on for more than about 20 s on 2 cores,
the whole course in a few minutes, and no notebook's kernel above 500 MB. This script
measures them (with the kernel limited to 1 BLAS thread, as ./course runs it): after Run
All, the kernel reports its peak resident memory (getrusage's ru_maxrss: the most it ever
held in RAM, imports included) and the CPU time it used (user + system). It is a
benchmark to read, not a test.

With --write (every notebook only) it also records the figures in
benchmarks/notebook_times.json, with the date, Python version, CPU count and BLAS
threads they were taken with, and a fingerprint of each notebook's code cells;
benchmarks/workshop_plan.py reads that file to plan the instructor's day and
benchmarks/hub_sizing.py to size a JupyterHub (INSTRUCTOR_GUIDE.md);
tests/test_notebook_memory.py fails if a recorded peak reaches 500 MB or a notebook's
code changed since it was measured.
"""

from __future__ import annotations

import argparse
import hashlib
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
KERNEL_LIMIT_MB = 500
TIMES_JSON = ROOT / "benchmarks" / "notebook_times.json"

# Run in the kernel after the notebook's last cell (appended to the copy executed here,
# never to the file): what the kernel used, as one JSON line.
USAGE_CELL = """\
import json as _json, resource as _resource, sys as _sys
_usage = _resource.getrusage(_resource.RUSAGE_SELF)
_unit = 2**20 if _sys.platform == "darwin" else 2**10     # ru_maxrss: bytes on macOS, else KB
print(_json.dumps({"peak_rss_mb": _usage.ru_maxrss / _unit,
                   "cpu_s": _usage.ru_utime + _usage.ru_stime}))"""


def code_fingerprint(path: Path) -> str:
    """sha256 of a notebook's code cells, in order: changes when its code does, not its prose."""
    nb = nbformat.read(path, as_version=4)
    code = "\n\0".join(c.source for c in nb.cells if c.cell_type == "code")
    return hashlib.sha256(code.encode()).hexdigest()[:16]


def cell_times(path: Path) -> tuple[float, list[tuple[int, float, str]], dict]:
    """Execute a notebook; return (wall time, [(cell index, seconds, first line)],
    {"peak_rss_mb", "cpu_s"} of its kernel)."""
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(USAGE_CELL))
    client = NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    total = time.perf_counter() - start
    usage = json.loads(nb.cells.pop().outputs[0]["text"])
    rows = []
    for k, cell in enumerate(nb.cells):
        timing = cell.metadata.get("execution", {})
        if cell.cell_type != "code" or "iopub.execute_input" not in timing:
            continue
        began = _stamp(timing["iopub.execute_input"])
        ended = _stamp(timing["shell.execute_reply"])
        first = (cell.source.strip().splitlines() or [""])[0][:50]
        rows.append((k, ended - began, first))
    return total, rows, usage


def _stamp(text: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def write_times(measured: dict) -> None:
    """Record {notebook: {cells_s, wall_s, slowest_cell, peak_rss_mb, cpu_s, code_sha256}}
    and how it was measured."""
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
    grand, cpu, all_fit, measured = 0.0, 0.0, True, {}
    print(f"{'notebook':<34} {'total s':>8} {'CPU s':>6} {'peak MB':>8} {'slowest cell s':>15}"
          "  slowest cell")
    for path in paths:
        total, rows, usage = cell_times(path)
        k, secs, first = max(rows, key=lambda r: r[1]) if rows else (-1, 0.0, "")
        grand += total
        cpu += usage["cpu_s"]
        flag = "" if secs <= CELL_LIMIT_S else f"  OVER {CELL_LIMIT_S:.0f} s"
        if usage["peak_rss_mb"] >= KERNEL_LIMIT_MB:
            flag += f"  KERNEL OVER {KERNEL_LIMIT_MB} MB"
        all_fit &= not flag
        print(f"{path.name:<34} {total:>8.1f} {usage['cpu_s']:>6.1f} {usage['peak_rss_mb']:>8.0f}"
              f" {secs:>15.2f}  [{k}] {first}{flag}")
        measured[path.name] = {
            "cells_s": round(sum(r[1] for r in rows), 2),     # every code cell, added up
            "wall_s": round(total, 2),                          # with kernel start and stop
            "slowest_cell": {"index": k, "seconds": round(secs, 2), "first_line": first},
            "peak_rss_mb": round(usage["peak_rss_mb"], 1),    # the kernel's, imports included
            "cpu_s": round(usage["cpu_s"], 2),                  # the kernel's, user + system
            "code_sha256": code_fingerprint(path),              # what was measured
        }
    print(f"{'whole course':<34} {grand:>8.1f} {cpu:>6.1f}")
    if args.write:
        write_times(measured)
    sys.exit(0 if all_fit else 1)


if __name__ == "__main__":
    main()
