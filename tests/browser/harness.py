"""A real JupyterLab server, and running a notebook in it from a Playwright page.

The fixtures that use this live in conftest.py; tests call ``open_and_run`` and
``checked_claims``.
"""

from __future__ import annotations

import ast
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"

SERVER_START_TIMEOUT = 60      # s, until /api/status answers
KERNEL_IDLE_TIMEOUT = 60       # s, from opening a notebook until its kernel is idle
RUN_ALL_TIMEOUT = 120          # s, for Run All Cells to finish

# JupyterLab user settings for the test server (the defaults otherwise): no autosave, so
# running a notebook in the browser never writes its outputs back into the repository;
# no news or update checks (no network, no pop-up); every cell kept in the DOM.
LAB_SETTINGS = {
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false",
                                                    "checkForUpdates": False},
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
}


# --- the server -------------------------------------------------------------------------

@dataclass
class JupyterServer:
    url: str
    token: str
    process: subprocess.Popen
    log: Path

    def api(self, method: str, path: str):
        request = urllib.request.Request(f"{self.url}{path}", method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def lab_url(self, notebook_path: str) -> str:
        """The notebook in a workspace of its own, so no tab from an earlier test reopens."""
        return (f"{self.url}/lab/workspaces/test-{uuid.uuid4().hex[:8]}/tree/{notebook_path}"
                f"?token={self.token}")

    def shutdown_kernels(self):
        for kernel in self.api("GET", "/api/kernels"):
            try:
                self.api("DELETE", f"/api/kernels/{kernel['id']}")
            except urllib.error.HTTPError:
                pass                         # gone already

    def log_tail(self, lines=40) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(home: Path, log: Path, settings: dict = LAB_SETTINGS,
                 extra_args: tuple = ()) -> JupyterServer:
    """JupyterLab from this venv, serving the repo; all its per-user state under home,
    with ``settings`` as the user's JupyterLab settings and ``extra_args`` on its
    command line."""
    for plugin, values in settings.items():
        path = home / "settings" / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    env = dict(os.environ)
    for name in ("JUPYTER_PATH", "JUPYTER_CONFIG_PATH", "JUPYTER_TOKEN", "MPLBACKEND"):
        env.pop(name, None)
    # Jupyter's per-user dirs (config, kernelspecs, lab extensions, runtime) and IPython's
    # profile (startup scripts) in the temp dir; the venv's own dirs stay visible.
    for name, sub in (("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_DATA_DIR", "data"),
                      ("JUPYTER_RUNTIME_DIR", "runtime"), ("IPYTHONDIR", "ipython")):
        env[name] = str(home / sub)
    port, token = free_port(), secrets.token_hex(16)
    args = [
        sys.executable, "-m", "jupyterlab", "--no-browser",
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={ROOT}",
        f"--LabApp.user_settings_dir={home / 'settings'}",
        f"--LabApp.workspaces_dir={home / 'workspaces'}",
        # Opening a notebook makes a checkpoint copy of it: not next to it in the repo.
        f"--FileCheckpoints.checkpoint_dir={home / 'checkpoints'}",
        # window.jupyterapp: lets the tests run JupyterLab's own commands and read the
        # notebook model, instead of finding menu entries by their text.
        "--LabApp.expose_app_in_browser=True",
        *extra_args,
    ]
    if os.geteuid() == 0:
        args.append("--allow-root")          # as root JupyterLab exits at once without it
    log.parent.mkdir(exist_ok=True)
    with open(log, "wb") as log_file:
        process = subprocess.Popen(args, cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                                   stdout=log_file, stderr=subprocess.STDOUT,
                                   start_new_session=True)    # a process group of its own
    server = JupyterServer(f"http://127.0.0.1:{port}", token, process, log)
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while True:
        if process.poll() is not None:
            pytest.fail(f"JupyterLab exited at start (code {process.returncode}); "
                        f"its log ({log}) ends:\n{server.log_tail()}", pytrace=False)
        try:
            server.api("GET", "/api/status")
            return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if time.monotonic() > deadline:
                stop_server(server)
                pytest.fail(f"JupyterLab did not answer on {server.url} within "
                            f"{SERVER_START_TIMEOUT} s; its log ({log}) ends:\n"
                            f"{server.log_tail()}", pytrace=False)
            time.sleep(0.2)


def stop_server(server: JupyterServer):
    # Kernels run in sessions of their own, outside the server's process group: shut
    # them down through the server first, then stop the server's whole group.
    if server.process.poll() is None:
        try:
            server.shutdown_kernels()
        except (OSError, urllib.error.URLError):
            pass
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(server.process.pid, sig)
        except ProcessLookupError:
            return
        try:
            server.process.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue


# --- running a notebook -----------------------------------------------------------------

@dataclass
class NotebookRun:
    path: str
    outputs: list[str] = field(default_factory=list)   # every output's text, in order

    @property
    def text(self) -> str:
        return "\n".join(self.outputs)


# The open notebook as JupyterLab's model sees it: the kernel's status, and each code
# cell's execution count and error outputs. Null until `path` is the current document.
NOTEBOOK_STATE_JS = """(path) => {
    const app = window.jupyterapp;
    const panel = app && app.shell.currentWidget;
    if (!panel || !panel.context || panel.context.path !== path || !panel.content) {
        return null;
    }
    const session = panel.sessionContext.session;
    const cells = panel.content.widgets.map((cell, index) => {
        const m = cell.model;
        if (m.type !== "code") return {index, type: m.type};
        return {
            index, type: "code", count: m.executionCount,
            source: m.sharedModel.getSource(),
            errors: m.outputs.toJSON().filter(o => o.output_type === "error")
                             .map(o => `${o.ename}: ${o.evalue}`),
        };
    });
    return {kernel: session && session.kernel ? session.kernel.status : null,
            ready: panel.sessionContext.isReady, cells};
}"""


def notebook_state(page, path):
    return page.evaluate(NOTEBOOK_STATE_JS, path)


def wait_for_state(page, path, predicate, timeout, failure):
    """Poll notebook_state until predicate(state) holds, or fail with `failure`."""
    deadline, state = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        state = notebook_state(page, path)
        if state is not None and predicate(state):
            return state
        page.wait_for_timeout(100)
    last = None if state is None else {"kernel": state["kernel"], "ready": state["ready"]}
    pytest.fail(f"{path}: {failure} within {timeout} s (last seen: {last})", pytrace=False)


def open_and_run(page, notebook_path: str) -> NotebookRun:
    """Open notebook_path (relative to the repo) in JupyterLab, run all cells, wait.

    Fails, naming the cell and its error, if any cell raised. Returns the outputs' text.
    The notebook on disk is not written: autosave is off on the test server.
    """
    server: JupyterServer = page.jupyter_server
    page.goto(server.lab_url(notebook_path))
    return run_open(page, notebook_path)


def run_open(page, notebook_path: str) -> NotebookRun:
    """Run all cells of notebook_path, open (or opening) in the page; as open_and_run."""
    page.wait_for_selector(".jp-Notebook >> visible=true", timeout=KERNEL_IDLE_TIMEOUT * 1000)
    wait_for_state(page, notebook_path, lambda s: s["ready"] and s["kernel"] == "idle",
                   KERNEL_IDLE_TIMEOUT, "the kernel did not start and go idle")

    # Run → Run All Cells, as JupyterLab's command. Its promise settles when every cell
    # has run: true, or false when a cell raised (the run stops at that cell).
    ran = page.evaluate(
        """(timeout) => Promise.race([
            window.jupyterapp.commands.execute("notebook:run-all-cells"),
            new Promise(resolve => setTimeout(() => resolve("timeout"), timeout)),
        ])""", RUN_ALL_TIMEOUT * 1000)
    if ran == "timeout":
        pytest.fail(f"{notebook_path}: Run All Cells did not finish within "
                    f"{RUN_ALL_TIMEOUT} s", pytrace=False)
    state = wait_for_state(page, notebook_path, lambda s: s["kernel"] == "idle",
                           KERNEL_IDLE_TIMEOUT, "the kernel did not go idle after Run All")

    errors = [f"cell {c['index']} raised {error}\n    {c['source'].splitlines()[0]} ..."
              for c in state["cells"] if c["type"] == "code" for error in c["errors"]]
    # And what the learner sees: a traceback rendered in any output.
    tracebacks = page.locator(
        '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]',
        has_text="Traceback")
    if errors or tracebacks.count():
        if tracebacks.count():
            tracebacks.first.scroll_into_view_if_needed()       # for the screenshot
        detail = errors or [tracebacks.first.text_content()[:2000]]
        pytest.fail(f"{notebook_path}: a cell raised an error:\n" + "\n".join(detail),
                    pytrace=False)
    not_run = [c["index"] for c in state["cells"] if c["type"] == "code" and not c["count"]]
    if ran is not True or not_run:
        pytest.fail(f"{notebook_path}: Run All Cells returned {ran!r}; code cells without "
                    f"an execution count: {not_run}", pytrace=False)
    page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle'] >> visible=true").wait_for()
    broken = widget_errors(page)
    if broken:
        pytest.fail(f"{notebook_path}: a widget failed to display: {broken}", pytrace=False)
    outputs = page.locator(".jp-Notebook .jp-OutputArea-output").all_text_contents()
    return NotebookRun(notebook_path, outputs)


def widget_errors(page) -> list[str]:
    """What ipywidgets shows instead of a widget it cannot display (none if all is well)."""
    errors = page.locator(".jupyter-widgets-error-widget, "
                          ".jupyter-widgets:text-matches('^Error displaying widget')")
    return [text.strip()[:300] for text in errors.all_text_contents()]


def checked_claims(notebook_path: str) -> list[str]:
    """The sentence of every ``ll.check(condition, "sentence")`` in the notebook's code."""
    nb = json.loads((ROOT / notebook_path).read_text())
    claims = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        python = "".join(line for line in source.splitlines(keepends=True)
                         if not line.lstrip().startswith(("%", "!")))     # IPython magics
        for node in ast.walk(ast.parse(python)):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "check" and len(node.args) == 2
                    and isinstance(node.args[1], ast.Constant)):
                claims.append(node.args[1].value)
    return claims
