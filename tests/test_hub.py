"""A real JupyterHub serves the course to three learners at once.

benchmarks/hub_session.py starts JupyterHub with configurable-http-proxy (npm), the
dummy authenticator and a local-process spawner on 127.0.0.1; three learners log in
through the login form, pull the course into their homes with an nbgitpuller link to a
local clone, and run notebook 06 (the one that holds the most) at the same time, each in
a kernel of their own server. Marked ``hub``: the quick loop deselects it with
-m "not hub"; ./course test (and CI) runs it. About a minute and a half on 2 cores.
"""

import importlib.util
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("hub_session",
                                               ROOT / "benchmarks" / "hub_session.py")
hub_session = sys.modules["hub_session"] = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(hub_session)

pytestmark = pytest.mark.hub
NOTEBOOK = "06_why_the_belt_remembers.ipynb"
LEARNERS = 3


def test_three_learners_pull_the_course_and_run_a_notebook_at_once(capsys):
    figures = hub_session.workshop(LEARNERS, NOTEBOOK)
    report = hub_session.report(figures)
    (ROOT / "test-artifacts").mkdir(exist_ok=True)
    (ROOT / "test-artifacts" / "hub_session.txt").write_text(report + "\n")
    with capsys.disabled():
        print("\n" + report)
    code_cells = sum(c.cell_type == "code" for c in
                     nbformat.read(ROOT / "notebooks" / NOTEBOOK, as_version=4).cells)
    for run in figures["runs"]:
        assert not run["errors"], f"{run['learner']}: {run['errors']}"
        assert run["cells"] == code_cells, "the pulled notebook is the course's"
    assert all(mb > 0 for mb in figures["server_mb"] + figures["kernel_mb"]), (
        "every learner's server and kernel was seen running")
    assert max(figures["kernel_mb"]) < 500, "each learner's kernel stays under 500 MB"
    assert figures["concurrent_run_s"] < 300


def test_the_pull_link_names_the_repo_branch_and_notebook():
    link = hub_session.pull_link("https://hub.example.org", "https://github.com/o/r",
                                 "00_start_here.ipynb")
    assert link.startswith("https://hub.example.org/hub/user-redirect/git-pull?repo=")
    assert "branch=workshop" in link and "targetpath=lstms-from-scratch" in link
    assert "urlpath=lab%2Ftree%2Flstms-from-scratch%2Fnotebooks%2F00_start_here.ipynb" in link
