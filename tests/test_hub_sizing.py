"""The JupyterHub sizing table in INSTRUCTOR_GUIDE.md is the one benchmarks/hub_sizing.py
computes from the recorded measurements (notebook_times.json, hub_figures.json)."""

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("hub_sizing", ROOT / "benchmarks" / "hub_sizing.py")
sizing = sys.modules["hub_sizing"] = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sizing)


def test_guide_holds_the_computed_sizing_table():
    guide = sizing.GUIDE.read_text()
    assert guide == sizing.guide_with(guide, sizing.render(*sizing.load())), (
        f"INSTRUCTOR_GUIDE.md's sizing table is not what the measurements give: run "
        f"{sizing.WRITE_COMMAND}")


def test_hub_figures_are_a_successful_run_of_every_learner():
    _, figures = sizing.load()
    assert figures["learners"] >= 3 and len(figures["server_mb"]) == figures["learners"]
    assert all(not run["errors"] for run in figures["runs"])
    assert figures["hub_mb"] > 0 and figures["proxy_mb"] > 0 and min(figures["server_mb"]) > 0


def test_more_learners_need_more_and_each_learner_counts_a_server_and_two_kernels():
    times, figures = sizing.load()
    rooms = [sizing.size(n, times, figures) for n in sizing.ROOMS]
    for smaller, larger in zip(rooms, rooms[1:], strict=False):
        assert smaller["gb"] < larger["gb"] and smaller["cores"] <= larger["cores"]
    learner_mb, held = sizing.per_learner_mb(times, figures)
    peaks = sorted(e["peak_rss_mb"] for e in times["notebooks"].values())
    assert len(held) == sizing.KERNELS_HELD == 2
    assert max(figures["server_mb"]) + peaks[-1] <= learner_mb
    assert learner_mb <= max(figures["server_mb"]) + peaks[-1] + peaks[-2]
