"""Every number INSTRUCTOR_GUIDE.md states about a notebook is one that notebook shows.

The guide's "Notebook by notebook" sections quote results ("the RNN ends near 0.84 of
the baseline"). A number typed into the guide drifts when the notebook changes; this
test reads each section's numbers and finds each in the text of its notebook as
executed (prose, code and every printed output), so a number the notebook no longer
computes fails here. Times come from benchmarks/notebook_times.json through the
generated plan, which tests/test_instructor_guide.py checks.
"""

import re

import binder
import pytest
from notebook_exercises import NOTEBOOKS

GUIDE = (binder.ROOT / "INSTRUCTOR_GUIDE.md").read_text()
SECTION = re.compile(r"^### (\d\d) · .*?(?=^### |^## |\Z)", re.M | re.S)
# A number worth checking: a decimal (0.48, 1e-7 aside) or a percentage (85%).
NUMBER = re.compile(r"(?<![\w.])(\d+\.\d+|\d+(?:\.\d+)?\s?%)(?![\w.])")


def sections():
    return {m[1]: m[0] for m in SECTION.finditer(GUIDE.split("## Notebook by notebook", 1)[1])}


def numbers(text):
    return {re.sub(r"\s", "", n) for n in NUMBER.findall(text)}


def test_every_notebook_has_a_section():
    assert sorted(sections()) == [p.name[:2] for p in NOTEBOOKS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name[:2])
def test_the_guide_quotes_only_numbers_its_notebook_shows(binder_runs, path):
    ran = binder_runs(path.name)
    shown = []
    for cell in ran.cells:
        shown.append(cell.source)
        if cell.cell_type == "code":
            shown.append(binder.text_output(cell))
    shown = numbers("\n".join(shown))
    quoted = numbers(sections()[path.name[:2]])
    missing = sorted(quoted - shown)
    assert not missing, (f"INSTRUCTOR_GUIDE.md's section {path.name[:2]} quotes {missing}, which "
                         f"{path.name} does not show: take the number from the notebook")
