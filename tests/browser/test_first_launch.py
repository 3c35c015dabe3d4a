"""The first thing a learner sees: JupyterLab opened as `./course lab` opens it.

No per-user settings here (unlike the other browser tests): what keeps JupyterLab's news
question away is the course's lab/overrides.json, installed into the environment by
./course (and by postBuild on Binder).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import harness
import pytest

pytestmark = pytest.mark.browser

NOTEBOOK = "notebooks/00_start_here.ipynb"
QUIET = 8          # s to wait after the notebook opened, for a pop-up that should not come


def test_overrides_are_installed_in_this_environment():
    installed = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    assert installed.exists(), f"{installed} is missing: ./course installs it"
    assert json.loads(installed.read_text()) == json.loads(
        (harness.ROOT / "lab" / "overrides.json").read_text())


@pytest.fixture
def plain_server(tmp_path):
    """JupyterLab with no user settings but autosave off (the notebook stays clean)."""
    server = harness.start_server(
        tmp_path, log=harness.ARTIFACTS / "jupyterlab-first-launch.log",
        settings={"@jupyterlab/docmanager-extension/plugin": {"autosave": False}})
    yield server
    harness.stop_server(server)


def test_first_launch_opens_notebook_00_in_its_folder_without_a_news_popup(browser,
                                                                          plain_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        # ./course lab passes notebooks/00_start_here.ipynb to jupyter lab, which opens this.
        page.goto(f"{plain_server.url}/lab/tree/{NOTEBOOK}?token={plain_server.token}")
        page.wait_for_function(
            "(path) => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
            " return !!(w && w.context && w.context.path === path); }", arg=NOTEBOOK,
            timeout=60_000)
        time.sleep(QUIET)
        harness.ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=harness.ARTIFACTS / "first-launch.png")
        toasts = page.locator(".Toastify__toast").all_inner_texts()
        assert not [t for t in toasts if "news" in t.lower()], toasts
        crumbs = page.locator(".jp-FileBrowser .jp-BreadCrumbs").inner_text()
        assert "notebooks" in crumbs, f"the file browser shows {crumbs!r}, not notebooks/"
    finally:
        context.close()
