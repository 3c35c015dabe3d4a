"""A learner goes 00 -> 08 in one JupyterLab without shutting anything down: every
notebook opened in a new tab of the same page, Run All in each, no tab closed. The
server and its kernels stay under 2 GB in total (Binder gives 1-2 GB).

What keeps them there is the course's Jupyter Server setting (lab/jupyter_server_config.json,
installed by ./course): a kernel idle for 30 minutes is shut down even with its tab open.
Thirty minutes is shorter than a learner spends in a notebook in the room (the day plan's
slots), so a learner holds the kernel they are working in and the one or two before it.
The test cannot wait half an hour a notebook: it scales the timeout down to CULL_S
seconds, about the time Run All takes here, so that, as in the room, a notebook's kernel
is culled while the learner works in the next ones. It prints the measured peak, and
what the nine kernels would hold together if none were culled.
"""

from __future__ import annotations

import json
import threading

import harness
import psutil
import pytest

pytestmark = pytest.mark.browser

BUDGET_MB = 2048
CULL_S = 20                   # the shipped 1800 s, scaled to the test's pace
NOTEBOOKS = sorted(p.relative_to(harness.ROOT).as_posix()
                   for p in (harness.ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


class Memory(threading.Thread):
    """Resident memory of the server and each of its kernels, sampled every 0.25 s."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak_total, self.peak_server, self.kernels = pid, 0.0, 0.0, {}
        self.halt = threading.Event()

    def run(self):
        while not self.halt.is_set():
            try:
                server = psutil.Process(self.pid)
                children = server.children(recursive=True)
                mine = server.memory_info().rss / 2**20
            except psutil.NoSuchProcess:
                return
            total = mine
            for child in children:
                try:
                    mb = child.memory_info().rss / 2**20
                except psutil.NoSuchProcess:
                    continue
                total += mb
                self.kernels[child.pid] = max(self.kernels.get(child.pid, 0.0), mb)
            self.peak_server = max(self.peak_server, mine)
            self.peak_total = max(self.peak_total, total)
            self.halt.wait(0.25)


@pytest.fixture
def session_server(tmp_path):
    server = harness.start_server(
        tmp_path, log=harness.ARTIFACTS / "jupyterlab-session-memory.log",
        extra_args=(f"--MappingKernelManager.cull_idle_timeout={CULL_S}",
                    "--MappingKernelManager.cull_interval=5"))
    yield server
    harness.stop_server(server)


def test_the_whole_course_in_one_session_stays_under_2_gb(browser, session_server, capsys,
                                                         monkeypatch):
    # This test measures memory, not speed (the widget tests time the notebooks): give a
    # busy machine time to finish 07.
    monkeypatch.setattr(harness, "RUN_ALL_TIMEOUT", 600)
    shipped = json.loads((harness.ROOT / "lab" / "jupyter_server_config.json").read_text())
    assert shipped["MappingKernelManager"]["cull_connected"], "culling must reach open tabs"
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(60_000)
    page = context.new_page()
    page.jupyter_server = session_server
    memory = Memory(session_server.process.pid)
    memory.start()
    alive = []
    try:
        page.goto(session_server.lab_url(NOTEBOOKS[0]))
        for k, path in enumerate(NOTEBOOKS):
            if k:                          # a new tab in the same JupyterLab; none closed
                page.evaluate("(path) => window.jupyterapp.commands.execute("
                              "'docmanager:open', {path}).then(() => true)", path)
            harness.run_open(page, path)
            alive.append(len(session_server.api("GET", "/api/kernels")))
    finally:
        memory.halt.set()
        memory.join()
        page.screenshot(path=harness.ARTIFACTS / "session_memory.png")
        context.close()
    kernels = sorted(memory.kernels.values(), reverse=True)
    report = (f"00 -> 08 in one JupyterLab, no tab closed, idle kernels culled after {CULL_S} s "
              f"(shipped: {shipped['MappingKernelManager']['cull_idle_timeout']} s): "
              f"peak {memory.peak_total:.0f} MB in total (budget {BUDGET_MB}); server "
              f"{memory.peak_server:.0f} MB; kernels alive after each notebook {alive}; "
              f"the {len(kernels)} kernels' peaks {[round(mb) for mb in kernels]} MB, together "
              f"{sum(kernels) + memory.peak_server:.0f} MB with the server if none were culled")
    harness.ARTIFACTS.mkdir(exist_ok=True)
    (harness.ARTIFACTS / "session_memory.txt").write_text(report + "\n")
    with capsys.disabled():
        print("\n" + report)
    assert len(kernels) >= len(NOTEBOOKS), "every notebook ran in a kernel of its own"
    assert memory.peak_total < BUDGET_MB, report
    assert max(alive) < len(NOTEBOOKS), "idle kernels were culled with their tabs open"
