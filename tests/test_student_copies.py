"""./course student DIR: the notebooks without reference solutions still run, and their
checks still answer (tools/student_copies.py)."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from notebook_exercises import NOTEBOOKS, exercises_in, read

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("student_copies",
                                               ROOT / "tools" / "student_copies.py")
student = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(student)


@pytest.fixture(scope="module")
def copies(tmp_path_factory):
    dest = tmp_path_factory.mktemp("student")
    done = subprocess.run([str(ROOT / "course"), "student", str(dest)], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    return dest


def test_every_notebook_is_copied_without_its_solutions_but_with_its_hints(copies):
    assert sorted(p.name for p in copies.glob("*.ipynb")) == [p.name for p in NOTEBOOKS]
    for path in NOTEBOOKS:
        original, copy = read(path), nbformat.read(copies / path.name, as_version=4)
        text = "\n".join(c.source for c in copy.cells)
        assert "<summary>Reference solution</summary>" not in text
        for ex in exercises_in(path):
            assert ex.solution_code(original).strip() not in text, ex.number
            solution = next(c for c in copy.cells if f"exercise-{ex.number}-solution"
                            in c.metadata.get("tags", []))
            assert student.REMOVED in solution.source
            if "<summary>Hint</summary>" in ex.source(original, "solution"):
                assert "<summary>Hint</summary>" in solution.source, ex.number
        # Everything else is the notebook itself: the attempts and checks unchanged.
        kept = [c for c in copy.cells if not any(t.endswith("-solution")
                                                 for t in c.metadata.get("tags", []))]
        assert [c.source for c in kept[2:]] == [
            c.source for c in original.cells[1:]
            if not any(t.endswith("-solution") for t in c.metadata.get("tags", []))]
        assert kept[1].source == student.NOTE
        assert all(not c.get("outputs") for c in copy.cells if c.cell_type == "code")


def test_a_solution_cell_without_its_block_is_refused():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# T"),
                                         nbformat.v4.new_markdown_cell("no solution here")])
    nb.cells[1].metadata["tags"] = ["exercise-01.1-solution"]
    with pytest.raises(ValueError, match="0 reference solution blocks"):
        student.without_solutions(nb)


# Every copy is made by the same code and checked above, cell by cell, against its
# original; running three under nbval (the quick ones, from both ends of the course)
# shows the copies still execute, without a fourth and fifth full run of the course.
RUN = ("00_start_here.ipynb", "01_one_neuron.ipynb", "05_lstm_cell.ipynb")


@pytest.mark.rebuild
def test_the_copies_run_under_nbval(copies):
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "--nbval-lax",
                           "--nbval-current-env", "-p", "no:cacheprovider", "-o", "addopts=",
                           *(str(copies / name) for name in RUN)], cwd=copies, env=env,
                          capture_output=True, text=True, timeout=1500)
    assert done.returncode == 0, done.stdout[-3000:]
    assert " passed" in done.stdout and "failed" not in done.stdout
