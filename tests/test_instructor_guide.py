"""The plan in INSTRUCTOR_GUIDE.md is the one benchmarks/workshop_plan.py computes from the
measured times and the notebooks as they are now, and it fits the day."""

import importlib.util
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("workshop_plan",
                                               ROOT / "benchmarks" / "workshop_plan.py")
plan = sys.modules["workshop_plan"] = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(plan)


def test_guide_holds_the_rendered_plan():
    guide = plan.GUIDE.read_text()
    rendered = plan.guide_with(guide, plan.render(plan.load_times()))
    assert guide == rendered, (
        "INSTRUCTOR_GUIDE.md's plan is not what the notebooks and the measured times give: "
        f"run {plan.WRITE_COMMAND} (after changing a notebook's code, first "
        f"{plan.MEASURE_COMMAND})")


def test_times_cover_every_notebook():
    times = json.loads(plan.TIMES_JSON.read_text())
    for key in ("date", "python", "cpu_count", "blas_threads"):
        assert key in times, f"notebook_times.json lacks {key}"
    names = {p.name for p in plan.notebooks()}
    assert set(times["notebooks"]) == names, (
        f"notebook_times.json does not list exactly the notebooks: run {plan.MEASURE_COMMAND}")
    for entry in times["notebooks"].values():
        assert entry["cells_s"] > 0 and 0 < entry["slowest_cell"]["seconds"] <= entry["cells_s"]


def test_plan_fits_the_day():
    day = plan.schedule(plan.measure(plan.load_times()))
    assert day[0]["start"] == plan._minutes(plan.DAY_START)
    assert day[-1]["end"] <= plan._minutes(plan.DAY_END), (
        f"the plan ends at {plan._clock(day[-1]['end'])}, after {plan.DAY_END}")
    notebooks = [item["row"].name for item in day if item["kind"] == "notebook"]
    assert notebooks == [p.name for p in plan.notebooks()], "every notebook, once, in order"
    lunch = next(item for item in day if item["kind"] == "pause" and item["name"] == "Lunch")
    assert plan._minutes("11:45") <= lunch["start"] <= plan._minutes("13:30"), "lunch at lunchtime"
    for before, after in zip(day, day[1:], strict=False):
        assert before["end"] == after["start"]


def test_renderer_notices_a_prose_change():
    """A sentence added to a notebook changes the plan's word count (so a stale guide fails)."""
    times = plan.load_times()
    rows = plan.measure(times)
    longer = [plan.NotebookTime(**{**r.__dict__, "words": r.words + 2_000}) for r in rows[:1]]
    assert longer[0].total_min > rows[0].total_min
