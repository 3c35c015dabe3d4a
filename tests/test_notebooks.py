"""Notebooks are committed clean and listed everywhere a learner looks for them.

(Running them is nbval's job: pytest collects every notebook in notebooks/.)
"""

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def test_there_are_notebooks():
    assert NOTEBOOKS and NOTEBOOKS[0].name == "00_start_here.ipynb"


def test_notebooks_are_committed_without_outputs():
    for path in NOTEBOOKS:
        nb = json.loads(path.read_text())
        for k, cell in enumerate(nb["cells"]):
            if cell["cell_type"] == "code":
                assert not cell["outputs"] and cell["execution_count"] is None, (
                    f"{path.name} cell {k} has outputs; run ./course clean")


def test_notebooks_use_the_live_backend_and_the_library():
    for path in NOTEBOOKS:
        first_code = next(c for c in json.loads(path.read_text())["cells"]
                          if c["cell_type"] == "code")
        source = "".join(first_code["source"])
        assert "%matplotlib widget" in source and "import lstm_lib" in source, path.name


def map_titles(text):
    """{"00": "Start here", ...} from a markdown table with rows | NN | title | ... |."""
    rows = re.findall(r"^\| (\d\d) \| ([^|]+?) \|", text, flags=re.M)
    return {number: re.sub(r"\[(.*?)\]\(.*?\)", r"\1", title) for number, title in rows}


def start_here_text():
    nb = json.loads((ROOT / "notebooks" / "00_start_here.ipynb").read_text())
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


def test_readme_and_start_here_list_the_same_course():
    readme, start = map_titles((ROOT / "README.md").read_text()), map_titles(start_here_text())
    assert readme == start and list(readme) == [f"{k:02d}" for k in range(9)]


def test_every_notebook_is_linked_from_the_readme_and_the_map():
    readme = (ROOT / "README.md").read_text()
    start = start_here_text()
    for path in NOTEBOOKS:
        assert f"](notebooks/{path.name})" in readme, f"README does not link {path.name}"
        if path.name != "00_start_here.ipynb":
            assert f"]({path.name})" in start, f"00's map does not link {path.name}"
