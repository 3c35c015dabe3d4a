"""Copies of the notebooks without the exercises' reference solutions, for a graded or
timed workshop. What `./course student DIR` runs.

    .venv/bin/python tools/student_copies.py DIR

Each notebook's exercises keep their task, attempt cell, check cell and hint; the folded
"Reference solution" block of every solution cell is replaced by a line saying it is not
in this copy, and a note under the title says the same. Nothing else changes, so every
check still runs: an untouched attempt is told what to do, as in the full notebooks.
The copies are written clean (no outputs), one file per notebook, into DIR.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
SOLUTION_TAG = re.compile(r"^exercise-\d\d\.\d+-solution$")
SOLUTION_BLOCK = re.compile(r"<details><summary>Reference solution</summary>.*?</details>",
                            flags=re.S)
REMOVED = ("*The reference solution is not in this copy of the notebook: ask your "
           "instructor.*")
NOTE = ("**A workshop copy.** The exercises at the end keep their hints and their checks, "
        "which say what is right or what is still off; their reference solutions are not "
        "included.")


def without_solutions(nb):
    """The notebook with every reference solution replaced, and the note added under the
    title; raises ValueError if a solution cell holds no solution block."""
    for cell in nb.cells:
        if any(SOLUTION_TAG.match(tag) for tag in cell.metadata.get("tags", [])):
            source, found = SOLUTION_BLOCK.subn(REMOVED, cell.source)
            if found != 1:
                raise ValueError(f"a solution cell holds {found} reference solution blocks, "
                                 "expected 1")
            cell.source = source
    nb.cells.insert(1, nbformat.v4.new_markdown_cell(NOTE))
    return nb


def write_copies(dest: Path, notebooks=None) -> list[Path]:
    notebooks = notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for path in notebooks:
        nb = without_solutions(nbformat.read(path, as_version=4))
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
        out = dest / path.name
        nbformat.write(nb, out)
        written.append(out)
    return written


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", type=Path, help="folder to write the copies into")
    args = parser.parse_args()
    if args.dest.resolve() == (ROOT / "notebooks").resolve():
        sys.exit("student_copies: write the copies somewhere else than notebooks/")
    for path in write_copies(args.dest):
        print(path)


if __name__ == "__main__":
    main()
