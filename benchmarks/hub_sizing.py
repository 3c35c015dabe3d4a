"""The JupyterHub sizing table in INSTRUCTOR_GUIDE.md, computed from measurements.

    .venv/bin/python benchmarks/hub_sizing.py            # print the table
    .venv/bin/python benchmarks/hub_sizing.py --write    # put it into the guide
    .venv/bin/python benchmarks/hub_sizing.py --check    # exit 1 if the guide is stale

It reads each notebook's kernel peak and CPU seconds (benchmarks/notebook_times.json,
from `bench_notebooks.py --write`) and what a real hub used (benchmarks/hub_figures.json,
from `hub_session.py --write`: the hub, its proxy and each learner's JupyterLab server),
and sizes one machine for a room with the assumptions below, printed under the table:

memory = hub + proxy + learners x (their server + the KERNELS_HELD largest consecutive
         kernels of the course), x HEADROOM for the system, then whole GB
cores  = learners x the largest notebook's CPU seconds / RUN_ALL_WINDOW_S (the whole
         room runs the same notebook within that window), + HUB_CORES, then whole cores
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TIMES_JSON = ROOT / "benchmarks" / "notebook_times.json"
FIGURES_JSON = ROOT / "benchmarks" / "hub_figures.json"
SERVER_CONFIG = ROOT / "lab" / "jupyter_server_config.json"
GUIDE = ROOT / "INSTRUCTOR_GUIDE.md"
START, END = "<!-- sizing:start -->", "<!-- sizing:end -->"
WRITE_COMMAND = ".venv/bin/python benchmarks/hub_sizing.py --write"

ROOMS = (10, 30, 100)
KERNELS_HELD = 2          # the notebook in use and the one before it (see the guide)
RUN_ALL_WINDOW_S = 300    # the room presses Run All on one notebook within 5 minutes
HUB_CORES = 1             # the hub, the proxy and the learners' idle servers
HEADROOM = 1.25           # the system, page cache, git pulls, a spike
ONE_MACHINE_GB = 128      # past this, spread the room over several machines (Kubernetes)


def load() -> tuple[dict, dict]:
    return json.loads(TIMES_JSON.read_text()), json.loads(FIGURES_JSON.read_text())


def per_learner_mb(times: dict, figures: dict) -> tuple[float, list[str]]:
    """A learner's server plus the KERNELS_HELD consecutive notebooks whose kernels hold
    the most together; and those notebooks' names."""
    names = sorted(times["notebooks"])
    peaks = [times["notebooks"][n]["peak_rss_mb"] for n in names]
    k = max(range(len(names) - KERNELS_HELD + 1), key=lambda i: sum(peaks[i:i + KERNELS_HELD]))
    return max(figures["server_mb"]) + sum(peaks[k:k + KERNELS_HELD]), names[k:k + KERNELS_HELD]


def size(learners: int, times: dict, figures: dict) -> dict:
    learner_mb, _ = per_learner_mb(times, figures)
    memory_mb = (figures["hub_mb"] + figures["proxy_mb"] + learners * learner_mb) * HEADROOM
    cpu = max(e["cpu_s"] for e in times["notebooks"].values())
    cores = learners * cpu / RUN_ALL_WINDOW_S + HUB_CORES
    return {"learners": learners, "gb": math.ceil(memory_mb / 1024), "cores": math.ceil(cores)}


def render(times: dict, figures: dict) -> str:
    learner_mb, held = per_learner_mb(times, figures)
    heaviest = max(times["notebooks"], key=lambda n: times["notebooks"][n]["cpu_s"])
    cull_min = json.loads(SERVER_CONFIG.read_text())["MappingKernelManager"][
        "cull_idle_timeout"] / 60
    measured = times.get("memory_date", times["date"])
    lines = ["| Learners through the day | Memory | Cores | One machine? |", "|---|---|---|---|"]
    for learners in ROOMS:
        s = size(learners, times, figures)
        where = ("yes (TLJH)" if s["gb"] <= ONE_MACHINE_GB
                 else "no: Zero to JupyterHub on Kubernetes, several nodes")
        lines.append(f"| {learners} | {s['gb']} GB | {s['cores']} | {where} |")
    lines += ["", (
        f"How it is computed (`benchmarks/hub_sizing.py`): each learner holds their "
        f"JupyterLab server ({max(figures['server_mb'])} MB measured on a real hub) and "
        f"{KERNELS_HELD} kernels: the one in use and the one before it, since the course's "
        f"server settings shut a kernel down after {cull_min:.0f} minutes idle and every "
        f"slot of the day plan is longer than that. Counted at the two consecutive notebooks "
        f"that hold the most ({' and '.join(n[:2] for n in held)}: "
        f"{learner_mb:.0f} MB a learner), for every learner at once, since the room moves "
        f"together. Plus the hub ({figures['hub_mb']} MB) and its proxy "
        f"({figures['proxy_mb']} MB), and {HEADROOM - 1:.0%} headroom. Cores: the whole room "
        f"presses Run All on the heaviest notebook ({heaviest[:2]}, "
        f"{times['notebooks'][heaviest]['cpu_s']:.0f} CPU seconds) within "
        f"{RUN_ALL_WINDOW_S // 60} minutes, plus {HUB_CORES} for the hub; with fewer cores "
        f"Run All just takes longer. Kernel figures measured on {measured[:10]} "
        f"(`benchmarks/notebook_times.json`), the hub's on {figures['date'][:10]} with "
        f"{figures['learners']} learners running {figures['notebook'][:2]} at once on "
        f"{figures['cpu_count']} cores: {figures['concurrent_run_s']:.0f} s, peak "
        f"{figures['peak_total_mb']} MB for everything (`benchmarks/hub_figures.json`).")]
    return "\n".join(lines)


def guide_with(text: str, table: str) -> str:
    """The guide's text with the sizing table between its markers replaced by table."""
    return _workshop_plan().guide_with(text, table, START, END)


def _workshop_plan():
    """benchmarks/workshop_plan.py, which writes the day plan into the guide the same way."""
    if "workshop_plan" not in sys.modules:
        spec = importlib.util.spec_from_file_location("workshop_plan",
                                                      ROOT / "benchmarks" / "workshop_plan.py")
        sys.modules["workshop_plan"] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(sys.modules["workshop_plan"])
    return sys.modules["workshop_plan"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--write", action="store_true", help=f"update {GUIDE.name}")
    group.add_argument("--check", action="store_true", help=f"fail if {GUIDE.name} is stale")
    args = parser.parse_args()
    table = render(*load())
    if not (args.write or args.check):
        print(table)
        return
    text = GUIDE.read_text()
    new = guide_with(text, table)
    if args.check:
        sys.exit(0 if new == text else f"{GUIDE.name}'s sizing table is stale: run {WRITE_COMMAND}")
    GUIDE.write_text(new)
    print(f"wrote the sizing table into {GUIDE.name}")


if __name__ == "__main__":
    main()
