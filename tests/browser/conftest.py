"""Fixtures for tests that drive the notebooks in a real JupyterLab in headless Chromium.

  jupyter_server  one JupyterLab per test session (harness.start_server): this venv's,
                  on a free local port with a random token; its settings, workspaces and
                  Jupyter's per-user dirs in a temp dir, so the user's own setup stays out
  browser         Chromium (/usr/bin/chromium, or $CHROMIUM) driven by Playwright
  page            a fresh browser context and page at 1280x900 for each test; when the
                  test ends a screenshot goes to test-artifacts/<test>.png
                  (<test>-FAILED.png if it failed). Pass it to harness.open_and_run.

Every test in this folder is marked ``browser``: deselect them with -m "not browser".
Nothing here skips. Without Chromium the tests fail, saying how to install it.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import drive
import harness
import pytest
from playwright.sync_api import expect, sync_playwright

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",       # containers often give /dev/shm only 64 MB
]
VIEWPORT = {"width": 1280, "height": 900}
HERE = Path(__file__).parent


def pytest_collection_modifyitems(items):
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on its item, so the page fixture can tell a failed test."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def pytest_terminal_summary(terminalreporter):
    """After a run that drove widgets: their latencies, and where the screenshots are."""
    if not drive.RESULTS:
        return
    report = drive.latency_report()
    harness.ARTIFACTS.mkdir(exist_ok=True)
    (harness.ARTIFACTS / "widget_latency.txt").write_text(report + "\n")
    # The table alone, as markdown, to copy into benchmarks/widget_latency.md.
    (harness.ARTIFACTS / "widget_latency.md").write_text(drive.latency_table() + "\n")
    terminalreporter.write_sep("=", "widget response latency: change to redrawn view, per "
                               "notebook beside a bare ipympl widget (goal: median <= "
                               f"{drive.LATENCY_TARGET}x the bare widget's; not asserted)")
    terminalreporter.write_line(report)
    terminalreporter.write_line(f"screenshots: {harness.ARTIFACTS}/ "
                                f"(widgets after driving: {harness.ARTIFACTS / 'widgets'}/)")


@pytest.fixture(scope="session")
def jupyter_server(tmp_path_factory):
    server = harness.start_server(tmp_path_factory.mktemp("jupyterlab"),
                                  log=harness.ARTIFACTS / "jupyterlab.log")
    yield server
    harness.stop_server(server)


@pytest.fixture(scope="session")
def browser():
    if not (shutil.which(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}, and the browser tests need it. Install it "
            "(Debian/Ubuntu: apt-get install chromium; ./course test does that for you), "
            "or set CHROMIUM to a Chromium binary, or deselect these tests with "
            "-m 'not browser'.", pytrace=False)
    with sync_playwright() as playwright:
        # launch() starts Chromium on a fresh temporary profile and deletes it afterwards.
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, jupyter_server, request):
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
    context.set_default_timeout(30_000)
    expect.set_options(timeout=15_000)       # a widget's round trip to the kernel, on a busy CI
    page = context.new_page()
    page.jupyter_server = jupyter_server
    page.page_errors = []                    # uncaught exceptions in JupyterLab's page
    page.on("pageerror", lambda error: page.page_errors.append(str(error)))
    yield page
    report = getattr(request.node, "report_call", None)
    failed = report is not None and report.failed
    name = re.sub(r"[^\w.-]+", "_", request.node.name)
    try:
        harness.ARTIFACTS.mkdir(exist_ok=True)
        (harness.ARTIFACTS / f"{name}{'' if failed else '-FAILED'}.png").unlink(missing_ok=True)
        page.screenshot(path=harness.ARTIFACTS / f"{name}{'-FAILED' if failed else ''}.png")
    finally:
        context.close()
        jupyter_server.shutdown_kernels()
