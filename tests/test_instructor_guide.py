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


def test_assumptions_are_moderate_not_squeezed():
    """The day fits because sections are marked bonus, not because the room is assumed to
    read fast or skip the talking (the instructor review's moderate figures)."""
    assert plan.READING_WPM <= 180 and plan.CODE_CELL_MIN >= 0.75 and plan.WIDGET_MIN >= 4
    assert plan.EXERCISE_MIN >= 9 and plan.DISCUSSION_MIN >= 5 and plan.MIN_SLACK >= 30
    assert plan.PLANS["one day"]["in_room"] >= 1


def _check_day(day):
    assert day[0]["start"] == plan._minutes(plan.DAY_START)
    assert day[-1]["end"] <= plan._minutes(plan.DAY_END), (
        f"the plan ends at {plan._clock(day[-1]['end'])}, after {plan.DAY_END}")
    for before, after in zip(day, day[1:], strict=False):
        assert before["end"] == after["start"]
    lunch = next(item for item in day if item["kind"] == "pause" and item["name"] == "Lunch")
    assert plan._minutes("11:45") <= lunch["start"] <= plan._minutes("13:30"), "lunch at lunchtime"


def test_the_one_day_core_plan_fits_with_real_slack():
    rows = plan.measure(plan.load_times())
    (day,) = plan.schedule(rows, "one day")
    _check_day(day)
    left = plan.slack(day, "one day")
    assert left >= plan.MIN_SLACK, (
        f"the one-day core plan's estimates leave {left:.0f} min before {plan.DAY_END}, less "
        f"than {plan.MIN_SLACK}: mark another section (bonus), or cut the notebook")
    taught = [item["row"].name[:2] for item in day if item["kind"] == "notebook"]
    prework = list(plan.PLANS["one day"]["prework"])
    assert prework + taught == [p.name[:2] for p in plan.notebooks()], "each notebook, once"


def test_the_two_day_plan_holds_every_section_and_fits_its_days():
    rows = plan.measure(plan.load_times())
    days = plan.schedule(rows, "two days")
    for day in days:
        _check_day(day)
    taught = [item["row"].name[:2] for day in days for item in day if item["kind"] == "notebook"]
    assert taught == [p.name[:2] for p in plan.notebooks()]
    assert plan.PLANS["two days"]["bonus"] and not plan.PLANS["two days"]["prework"]


def test_bonus_sections_are_marked_on_their_headings_and_leave_a_core():
    for path in plan.notebooks():
        sections = plan.count(path)["sections"]
        text = path.read_text()
        assert text.count("(bonus)") == sum(s.bonus for s in sections), (
            f"{path.name}: write (bonus) only at the end of a '## ' heading")
        core = [s for s in sections if not s.bonus and s.heading[:1].isdigit()]
        numbered = [s for s in sections if s.heading[:1].isdigit()]
        assert not numbered or len(core) >= len(numbered) / 2, (
            f"{path.name}: most numbered sections should stay in the core path")
        if any(s.widgets for s in sections):
            assert any(s.widgets for s in sections if not s.bonus), (
                f"{path.name}: its widgets are all in bonus sections")


def test_decision_points_name_what_to_drop():
    (day,) = plan.schedule(plan.measure(plan.load_times()), "one day")
    points = plan.decisions(day)
    assert len(points) == sum(item["kind"] == "pause" for item in day)
    assert all("homework" in p and "saves" in p for p in points)


def test_renderer_notices_a_prose_change():
    """A sentence added to a notebook changes the plan's estimate (so a stale guide fails)."""
    rows = plan.measure(plan.load_times())
    first = rows[1]
    longer = plan.NotebookTime(first.name, first.title, first.run_s,
                               [plan.Section(**{**first.sections[1].__dict__,
                                                "words": first.sections[1].words + 2_000})]
                               + first.sections[2:] + first.sections[:1], first.exercises)
    assert longer.total_min(False, 1) > first.total_min(False, 1)


def test_prose_words_skip_code_and_displayed_maths():
    assert plan.prose_words("two words\n```python\nx = 1\n```\n$$a + b$$ and $x$") == 4
