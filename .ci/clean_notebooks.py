"""Strip outputs, execution counts and noisy metadata from notebooks, in place.

Usage: python .ci/clean_notebooks.py notebooks/

Notebooks are committed clean so diffs show prose and code, and so a learner's first
run is the one that draws every figure. tests/test_notebooks.py enforces it.
"""

import sys
from pathlib import Path

import nbformat

KEEP_METADATA = {"kernelspec", "language_info"}


def clean(nb):
    """Return True if the notebook changed."""
    before = nbformat.writes(nb)
    nb.metadata = {k: v for k, v in nb.metadata.items() if k in KEEP_METADATA}
    nb.metadata.get("language_info", {}).pop("version", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.pop("collapsed", None)
        cell.metadata.pop("scrolled", None)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return nbformat.writes(nb) != before


def main(paths):
    files = []
    for p in map(Path, paths or ["notebooks"]):
        files += sorted(p.rglob("*.ipynb")) if p.is_dir() else [p]
    for path in files:
        if ".ipynb_checkpoints" in path.parts:
            continue
        nb = nbformat.read(path, as_version=4)
        if clean(nb):
            nbformat.write(nb, path)
            print(f"cleaned {path}")


if __name__ == "__main__":
    main(sys.argv[1:])
