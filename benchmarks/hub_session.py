"""A real JupyterHub on this machine: learners log in, pull the course with an
nbgitpuller link, and run a notebook at the same time.

    .venv/bin/python benchmarks/hub_session.py                # 3 learners, notebook 06
    .venv/bin/python benchmarks/hub_session.py --learners 5 --notebook 04_why_it_forgets.ipynb
    .venv/bin/python benchmarks/hub_session.py --write        # and record the figures

What it starts, all on 127.0.0.1 and stopped at the end: JupyterHub (this environment's)
with configurable-http-proxy (npm, installed on first use into CHP_CACHE), the
DummyAuthenticator (any name, one shared password) and the SimpleLocalProcessSpawner
(each learner's server is a process of this user, with its home in a temp folder; for
tests only: it gives learners no isolation). The course comes from a bare clone of this
repository's HEAD, served as a file:// git URL, exactly as a hub pulls it from GitHub.

Each learner: logs in through the hub's login form; opens the nbgitpuller link
(hub/user-redirect/git-pull?repo=...&branch=...&urlpath=...), whose page then calls the
puller's API, as a browser does, to clone the course into their home; then the notebook
runs there, every code cell in order, in a kernel started by the learner's own server
(REST and kernel websocket through the proxy), all learners at once. Meanwhile the
resident memory of every process of the hub is sampled. With --write the figures go to
benchmarks/hub_figures.json, which benchmarks/hub_sizing.py reads (INSTRUCTOR_GUIDE.md).
tests/test_hub.py runs the same, smaller, and checks it.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import json
import os
import platform
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, urlencode

import nbformat
import psutil
import requests
from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect

ROOT = Path(__file__).resolve().parents[1]
FIGURES_JSON = ROOT / "benchmarks" / "hub_figures.json"
CHP_VERSION = "5.3.0"          # configurable-http-proxy, from npm
CHP_CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / \
    "lstms-from-scratch" / f"configurable-http-proxy-{CHP_VERSION}"
PASSWORD = "workshop"
BRANCH = "workshop"
TARGET = "lstms-from-scratch"  # the folder the course lands in, in each learner's home
CELL_TIMEOUT_S = 600


def configurable_http_proxy() -> Path:
    """The proxy's executable, installed with npm into CHP_CACHE on first use."""
    exe = CHP_CACHE / "node_modules" / ".bin" / "configurable-http-proxy"
    if exe.exists():
        return exe
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm not found: JupyterHub's proxy, configurable-http-proxy, is an npm "
                           "package (Debian: apt-get install npm)")
    CHP_CACHE.mkdir(parents=True, exist_ok=True)
    subprocess.run([npm, "install", "--prefix", str(CHP_CACHE), "--no-audit", "--no-fund",
                    "--loglevel=error", f"configurable-http-proxy@{CHP_VERSION}"], check=True)
    return exe


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bare_clone(where: Path) -> str:
    """This repository's HEAD as branch BRANCH of a bare repository; its file:// URL."""
    bare = where / "course.git"
    subprocess.run(["git", "init", "-q", "--bare", str(bare)], check=True)
    subprocess.run(["git", "-C", str(ROOT), "push", "-q", str(bare), f"HEAD:refs/heads/{BRANCH}"],
                   check=True)
    return bare.as_uri()


def pull_link(hub_url: str, repo: str, notebook: str) -> str:
    """The nbgitpuller link a learner clicks: clone (or update) the course into their home,
    then open JupyterLab on `notebook`."""
    query = urlencode({"repo": repo, "branch": BRANCH, "targetpath": TARGET,
                       "urlpath": f"lab/tree/{TARGET}/notebooks/{notebook}"})
    return f"{hub_url}/hub/user-redirect/git-pull?{query}"


HUB_CONFIG = """\
c = get_config()  # noqa
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_api_port}"
c.ConfigurableHTTPProxy.command = [{chp!r}]
c.JupyterHub.db_url = "sqlite:///{dir}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "{dir}/cookie_secret"
c.JupyterHub.pid_file = "{dir}/jupyterhub.pid"
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = {password!r}
c.Authenticator.allow_all = True
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = "{dir}/home/{{username}}"
c.Spawner.cmd = [{singleuser!r}]
c.Spawner.args = ["--allow-root"]
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
c.Spawner.environment = {{"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}}
c.JupyterHub.services = [{{"name": "course-bench", "api_token": {token!r}}}]
c.JupyterHub.load_roles = [{{"name": "course-bench", "services": ["course-bench"],
                            "scopes": ["admin:users", "admin:servers", "access:servers"]}}]
"""


class Hub:
    """A running JupyterHub; .url, .api(method, path), .stop()."""

    def __init__(self, where: Path):
        self.dir = where
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.token = secrets.token_hex(16)
        (where / "home").mkdir()
        config = where / "jupyterhub_config.py"
        config.write_text(HUB_CONFIG.format(
            port=self.port, hub_port=free_port(), proxy_api_port=free_port(),
            chp=str(configurable_http_proxy()), dir=where, password=PASSWORD,
            singleuser=str(Path(sys.executable).parent / "jupyterhub-singleuser"),
            token=self.token))
        self.log = open(where / "jupyterhub.log", "w")       # noqa: SIM115 (closed in stop)
        env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
        self.process = subprocess.Popen(
            [str(Path(sys.executable).parent / "jupyterhub"), "-f", str(config)],
            cwd=where, stdout=self.log, stderr=subprocess.STDOUT, env=env)
        self._wait(lambda: requests.get(f"{self.url}/hub/api/", timeout=2).ok, 90,
                   "JupyterHub did not answer")

    def _wait(self, ready, seconds, what):
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterHub exited: see {self.dir / 'jupyterhub.log'}")
            try:
                if ready():
                    return
            except (requests.ConnectionError, requests.Timeout):
                pass
            time.sleep(0.3)
        raise TimeoutError(f"{what} within {seconds} s; see {self.dir / 'jupyterhub.log'}")

    def api(self, method: str, path: str, **kwargs):
        response = requests.request(method, f"{self.url}/hub/api{path}", timeout=30,
                                    headers={"Authorization": f"token {self.token}"}, **kwargs)
        response.raise_for_status()
        return response.json() if response.content else None

    def wait_ready(self, name: str, seconds: float = 120):
        self._wait(lambda: self.api("GET", f"/users/{name}")["servers"].get("", {}).get("ready"),
                   seconds, f"{name}'s server was not ready")

    def processes(self) -> list[psutil.Process]:
        try:
            hub = psutil.Process(self.process.pid)
            return [hub, *hub.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def stop(self):
        for name in [u["name"] for u in self.api("GET", "/users")]:
            try:
                self.api("DELETE", f"/users/{name}/server")
            except requests.HTTPError:
                pass
        leftovers = self.processes()
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        for p in leftovers[1:]:                 # the proxy and any server left behind
            try:
                p.kill()
            except psutil.NoSuchProcess:
                pass
        self.log.close()


def role(p: psutil.Process) -> str:
    """hub, proxy, server:<user> or kernel:<user> (anything else: other)."""
    try:
        cmd = " ".join(p.cmdline())
        env_user = None
        if "jupyterhub-singleuser" in cmd or "ipykernel" in cmd:
            env_user = p.environ().get("JUPYTERHUB_USER") or p.environ().get("USER")
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return "gone"
    if "configurable-http-proxy" in cmd:
        return "proxy"
    if "jupyterhub-singleuser" in cmd:
        return f"server:{env_user}"
    if "ipykernel" in cmd:
        return f"kernel:{env_user}"
    if "jupyterhub" in cmd and "-f" in cmd:
        return "hub"
    return "other"


class Sampler(threading.Thread):
    """Samples the resident memory (MB) of every process of the hub, by role, every
    `every` seconds; .peak_total and .peak_by_role (each role's largest sample)."""

    def __init__(self, hub: Hub, every: float = 0.25):
        super().__init__(daemon=True)
        self.hub, self.every = hub, every
        self.peak_total, self.peak_by_role, self.samples = 0.0, {}, 0
        self._halt = threading.Event()

    def run(self):
        roles = {}
        while not self._halt.is_set():
            by_role = {}
            for p in self.hub.processes():
                try:
                    if p.pid not in roles or roles[p.pid] == "other":
                        roles[p.pid] = role(p)
                    rss = p.memory_info().rss / 2**20
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    continue
                by_role[roles[p.pid]] = by_role.get(roles[p.pid], 0.0) + rss
            self.peak_total = max(self.peak_total, sum(by_role.values()))
            for name, mb in by_role.items():
                self.peak_by_role[name] = max(self.peak_by_role.get(name, 0.0), mb)
            self.samples += 1
            self._halt.wait(self.every)

    def stop(self):
        self._halt.set()
        self.join()


def log_in(hub: Hub, name: str) -> requests.Session:
    """Log in through the hub's form, as a learner does; their server starts."""
    session = requests.Session()
    session.get(f"{hub.url}/hub/login", timeout=30).raise_for_status()
    response = session.post(f"{hub.url}/hub/login?next=", timeout=60,
                            data={"username": name, "password": PASSWORD,
                                  "_xsrf": session.cookies.get("_xsrf", "")})
    response.raise_for_status()
    if "jupyterhub-session-id" not in session.cookies and "jupyterhub-hub-login" not in \
            session.cookies:
        raise RuntimeError(f"{name} was not logged in: {response.url}")
    return session


def pull_course(hub: Hub, session: requests.Session, name: str, link: str) -> float:
    """Open the nbgitpuller link, then call the puller's API as its page does; returns
    the seconds the pull took. Raises if the puller reports an error."""
    start = time.perf_counter()
    page = session.get(link, timeout=60)
    page.raise_for_status()
    if "/git-pull" not in page.url:
        raise RuntimeError(f"{name}: the nbgitpuller link landed on {page.url}")
    api = page.url.split("/git-pull", 1)[0] + "/git-pull/api?" + page.url.split("?", 1)[1]
    events = session.get(api, timeout=300).text
    phases = [json.loads(line[6:]) for line in events.splitlines() if line.startswith("data: ")]
    if not phases or phases[-1].get("phase") != "finished":
        raise RuntimeError(f"{name}: nbgitpuller did not finish: {phases[-1:]}")
    return time.perf_counter() - start


async def run_notebook(hub: Hub, name: str, path: str) -> dict:
    """Every code cell of `path` (relative to the learner's home) in a kernel of their
    server, through the proxy; {"seconds", "cells", "errors"}."""
    headers = {"Authorization": f"token {hub.token}"}
    base = f"{hub.url}/user/{quote(name)}"
    created = requests.post(f"{base}/api/sessions", headers=headers, timeout=60,
                            json={"path": path, "type": "notebook", "name": "",
                                  "kernel": {"name": "python3"}})
    created.raise_for_status()
    kernel_id = created.json()["kernel"]["id"]
    home = hub.dir / "home" / name
    cells = [c.source for c in nbformat.read(home / path, as_version=4).cells
             if c.cell_type == "code"]
    ws = await websocket_connect(HTTPRequest(
        f"ws://127.0.0.1:{hub.port}/user/{quote(name)}/api/kernels/{kernel_id}/channels",
        headers=headers), max_message_size=256 * 2**20)
    session_id, errors = uuid.uuid4().hex, []
    start = time.perf_counter()
    try:
        for k, code in enumerate(cells):
            msg_id = uuid.uuid4().hex
            ws.write_message(json.dumps({
                "header": {"msg_id": msg_id, "session": session_id, "username": name,
                           "msg_type": "execute_request", "version": "5.3",
                           "date": datetime.now(UTC).isoformat()},
                "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
                "content": {"code": code, "silent": False, "store_history": True,
                            "user_expressions": {}, "allow_stdin": False,
                            "stop_on_error": True}}))
            while True:
                raw = await asyncio.wait_for(ws.read_message(), CELL_TIMEOUT_S)
                if raw is None:
                    raise RuntimeError(f"{name}: the kernel's websocket closed at cell {k}")
                if isinstance(raw, bytes):
                    continue
                msg = json.loads(raw)
                if msg.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                if msg["msg_type"] == "error":
                    errors.append(f"cell {k}: {msg['content']['ename']}: "
                                  f"{msg['content']['evalue']}"[:300])
                if msg["msg_type"] == "execute_reply":
                    break
            if errors:
                break
    finally:
        ws.close()
        requests.delete(f"{base}/api/sessions/{created.json()['id']}", headers=headers,
                        timeout=60)
    return {"seconds": time.perf_counter() - start, "cells": len(cells), "errors": errors}


async def _run_all(hub, names, path):
    return await asyncio.gather(*(run_notebook(hub, name, path) for name in names))


@contextmanager
def running_hub():
    with tempfile.TemporaryDirectory(prefix="course-hub-") as where:
        hub = Hub(Path(where))
        try:
            yield hub
        finally:
            hub.stop()



def _in_own_loop(coroutine):
    """asyncio.run(coroutine) in a thread of its own: the caller may already be inside an
    event loop (pytest with Playwright's sync API keeps one running), where asyncio.run
    refuses to start."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()

def workshop(learners: int = 3, notebook: str = "06_why_the_belt_remembers.ipynb") -> dict:
    """The whole scenario; returns what was measured (see --write's JSON)."""
    names = [f"learner{k + 1}" for k in range(learners)]
    with running_hub() as hub, tempfile.TemporaryDirectory(prefix="course-repo-") as repo_dir:
        repo = bare_clone(Path(repo_dir))
        sampler = Sampler(hub)
        sampler.start()
        try:
            start = time.perf_counter()
            sessions = {name: log_in(hub, name) for name in names}
            for name in names:
                hub.wait_ready(name)
            login_s = time.perf_counter() - start
            link = pull_link(hub.url, repo, notebook)
            pull_s = [pull_course(hub, sessions[name], name, link) for name in names]
            idle = dict(sampler.peak_by_role)           # servers up, no kernel yet
            start = time.perf_counter()
            runs = _in_own_loop(_run_all(hub, names, f"{TARGET}/notebooks/{notebook}"))
            run_s = time.perf_counter() - start
        finally:
            sampler.stop()
    peaks = sampler.peak_by_role
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "cpu_count": os.cpu_count(),
        "learners": learners,
        "notebook": notebook,
        "login_and_spawn_s": round(login_s, 1),
        "pull_s": [round(s, 1) for s in pull_s],
        "concurrent_run_s": round(run_s, 1),
        "runs": [{"learner": n, "seconds": round(r["seconds"], 1), "cells": r["cells"],
                  "errors": r["errors"]} for n, r in zip(names, runs, strict=True)],
        "peak_total_mb": round(sampler.peak_total),
        "hub_mb": round(peaks.get("hub", 0)),
        "proxy_mb": round(peaks.get("proxy", 0)),
        "server_idle_mb": [round(idle.get(f"server:{n}", 0)) for n in names],
        "server_mb": [round(peaks.get(f"server:{n}", 0)) for n in names],
        "kernel_mb": [round(peaks.get(f"kernel:{n}", 0)) for n in names],
        "samples": sampler.samples,
    }


def report(figures: dict) -> str:
    lines = [f"{figures['learners']} learners on one JupyterHub, {figures['cpu_count']} CPUs: "
             f"logged in and servers up in {figures['login_and_spawn_s']} s; course pulled "
             f"with nbgitpuller in {', '.join(f'{s} s' for s in figures['pull_s'])}",
             f"{figures['notebook']} run by all at once: {figures['concurrent_run_s']} s "
             f"(per learner {', '.join(str(r['seconds']) for r in figures['runs'])} s)",
             f"memory: peak total {figures['peak_total_mb']} MB; hub {figures['hub_mb']} MB, "
             f"proxy {figures['proxy_mb']} MB, each server {figures['server_mb']} MB, "
             f"each kernel {figures['kernel_mb']} MB"]
    for r in figures["runs"]:
        if r["errors"]:
            lines.append(f"{r['learner']} FAILED: {r['errors']}")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=3)
    parser.add_argument("--notebook", default="06_why_the_belt_remembers.ipynb")
    parser.add_argument("--write", action="store_true",
                        help=f"record the figures in {FIGURES_JSON.relative_to(ROOT)}")
    args = parser.parse_args()
    figures = workshop(args.learners, args.notebook)
    print(report(figures))
    failed = any(r["errors"] for r in figures["runs"])
    if args.write and not failed:
        figures["command"] = "benchmarks/hub_session.py --write"
        FIGURES_JSON.write_text(json.dumps(figures, indent=2) + "\n")
        print(f"wrote {FIGURES_JSON.relative_to(ROOT)}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
