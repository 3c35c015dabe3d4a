"""Find the exercises in a notebook: three tagged cells each.

    exercise-NN.k-attempt   code the learner fills in (a function, or a prediction)
    exercise-NN.k-check     code: exercises.check("NN.k", <the answer>)
    exercise-NN.k-solution  markdown: the reference solution in a folded <details> block,
                            as one ```python fence
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
TAG = re.compile(r"^exercise-(\d\d\.\d)-(attempt|check|solution)$")
FENCE = re.compile(r"```python\n(.*?)```", flags=re.S)


@dataclass(frozen=True)
class Exercise:
    notebook: str                  # file name, e.g. "05_lstm_cell.ipynb"
    number: str                    # "05.1"
    cells: dict                    # role -> cell index in the notebook

    def source(self, nb, role: str) -> str:
        return nb.cells[self.cells[role]].source

    def solution_code(self, nb) -> str:
        """The code in the solution cell's ```python fence ('' if there is none)."""
        fences = FENCE.findall(self.source(nb, "solution"))
        return fences[0] if len(fences) == 1 else ""


def read(path: Path):
    return nbformat.read(path, as_version=4)


def exercises_in(path: Path) -> list[Exercise]:
    """The exercises of one notebook, in the order they appear."""
    found: dict[str, dict] = {}
    for index, cell in enumerate(read(path).cells):
        for tag in cell.metadata.get("tags", []):
            match = TAG.match(tag)
            if match:
                roles = found.setdefault(match[1], {})
                assert match[2] not in roles, f"{path.name}: two cells tagged {tag}"
                roles[match[2]] = index
    return [Exercise(path.name, number, roles) for number, roles in
            sorted(found.items(), key=lambda item: min(item[1].values()))]


def all_exercises() -> list[Exercise]:
    return [ex for path in NOTEBOOKS for ex in exercises_in(path)]


def solved(notebook: Path, number: str | None = None, **given) -> dict:
    """Run the notebook's reference solutions (all of them, or only ``number``'s) as a
    learner would, in a namespace holding np, ll and ``given``; return what they define."""
    import numpy as np

    import lstm_lib as ll

    nb, names = read(notebook), {"np": np, "ll": ll, **given}
    for ex in exercises_in(notebook):
        if number in (None, ex.number):
            exec(ex.solution_code(nb), names)
    return names


def fails(number: str, *answer, match: str):
    """Assert that exercises.check(number, *answer) fails with a message matching ``match``."""
    import re

    from lstm_lib import exercises

    verdict = exercises.check(number, *answer)
    assert not verdict, repr(verdict)
    assert re.search(match, verdict.message), verdict.message
    return verdict
