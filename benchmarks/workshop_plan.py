"""The workshop plan in INSTRUCTOR_GUIDE.md, computed, never typed.

    .venv/bin/python benchmarks/workshop_plan.py            # print the plans
    .venv/bin/python benchmarks/workshop_plan.py --write    # put them into the guide
    .venv/bin/python benchmarks/workshop_plan.py --check    # exit 1 if the guide is stale

Every notebook is cut into its sections (its "## " headings). A section whose heading ends
in "(bonus)" is optional: the one-day plan leaves it out, the two-day plan keeps it.
Each notebook's time in the room is estimated from the notebook as it is now and from
its measured run time (benchmarks/notebook_times.json, written by `bench_notebooks.py
--write`), with the assumptions below, stated once and printed under the tables:

    words of prose (no code, no displayed maths; not the exercises' tasks) / READING_WPM
    + CODE_CELL_MIN per code cell the learner reads (HIDDEN_CELL_MIN per collapsed one)
    + WIDGET_MIN per interactive widget + the notebook's measured run time
    + EXERCISE_MIN per exercise set in the room + DISCUSSION_MIN per notebook

rounded up to whole 5 minutes. The notebooks then fill the sessions in order, with the
pauses between them, from DAY_START; tests/test_instructor_guide.py checks that the
guide holds these tables, that the one-day core plan leaves MIN_SLACK minutes before
DAY_END (counted on the estimates themselves, before the rounding, which adds more), and
that the two-day plan fits its two days.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
TIMES_JSON = ROOT / "benchmarks" / "notebook_times.json"
GUIDE = ROOT / "INSTRUCTOR_GUIDE.md"
START, END = "<!-- plan:start -->", "<!-- plan:end -->"
WRITE_COMMAND = ".venv/bin/python benchmarks/workshop_plan.py --write"
MEASURE_COMMAND = ".venv/bin/python benchmarks/bench_notebooks.py --write"

# The assumptions, stated once; the guide prints them under the tables. Moderate ones:
# a room reads more slowly than one person alone, and talks.
READING_WPM = 180        # words a minute of prose, read in the room
CODE_CELL_MIN = 0.75     # to read a code cell, run it and look at what it printed or drew
HIDDEN_CELL_MIN = 0.25   # to glance at the ✓ lines of a collapsed cell of checks
WIDGET_MIN = 4.0         # to play with one interactive widget (its "What to notice" list)
EXERCISE_MIN = 9.0       # to predict, attempt, check and talk over one exercise
DISCUSSION_MIN = 5.0     # per notebook: the instructor's questions and the room's
DAY_START, DAY_END = "09:00", "17:00"
MIN_SLACK = 30           # minutes the one-day plan's estimates must leave before DAY_END

# Sessions: (name, notebook numbers), and the pause after each but the last of a day.
SESSIONS = [
    ("1 · Neurons and layers", ("00", "01", "02")),
    ("2 · The loop, and why it forgets", ("03", "04")),
    ("3 · The LSTM cell and its belt", ("05", "06")),
    ("4 · In practice", ("07", "08")),
]
PAUSES = [("Break", 15), ("Lunch", 45), ("Break", 15)]

# The two plans: which sections, how many exercises in the room (the rest are homework),
# the sessions of each day (a day of two sessions has lunch between them, of four the
# PAUSES), and the notebooks learners work through at home before the day (prework:
# notebook 00, with its setup check, so the room starts with every install working).
PLANS = {
    "one day": dict(bonus=False, in_room=1, prework=("00",), days=[SESSIONS]),
    "two days": dict(bonus=True, in_room=2, prework=(), days=[
        [("1 · Neurons and layers", ("00", "01", "02")),
         ("2 · The loop, and why it forgets", ("03", "04"))],
        [("3 · The LSTM cell, its belt, and when to use one", ("05", "06", "07")),
         ("4 · Real text", ("08",))]]),
}

WIDGET = re.compile(r"\bwidgets\.[A-Z]\w*(?:Explorer|Viewer|Replay)\(")
EXERCISE_TAG = re.compile(r"^exercise-(\d\d\.\d+)-")
BONUS = re.compile(r"\(bonus\)\s*$")
FENCE = re.compile(r"```.*?```", flags=re.S)
DISPLAY_MATH = re.compile(r"\$\$.*?\$\$", flags=re.S)


@dataclass
class Section:
    """One "## " section of a notebook (or the text before the first one)."""

    heading: str
    bonus: bool = False
    words: int = 0
    code_cells: int = 0
    hidden_cells: int = 0
    widgets: int = 0

    @property
    def minutes(self) -> float:
        if self.heading.startswith("Exercises"):
            return 0.0                   # reading the tasks is part of EXERCISE_MIN
        return (self.words / READING_WPM + self.code_cells * CODE_CELL_MIN
                + self.hidden_cells * HIDDEN_CELL_MIN + self.widgets * WIDGET_MIN)


@dataclass
class NotebookTime:
    name: str            # file name
    title: str           # "05 · The LSTM cell"
    run_s: float         # measured: every code cell, added up
    sections: list = field(default_factory=list)
    exercises: int = 0

    def parts(self, bonus: bool) -> list:
        return [s for s in self.sections if bonus or not s.bonus]

    def words(self, bonus: bool) -> int:
        """Prose read in the room (the exercises' tasks count as exercise time)."""
        return sum(s.words for s in self.parts(bonus) if s.minutes or not s.words)

    def cells(self, bonus: bool) -> tuple[int, int, int]:
        parts = self.parts(bonus)
        return (sum(s.code_cells for s in parts), sum(s.hidden_cells for s in parts),
                sum(s.widgets for s in parts))

    def in_room(self, in_room: int) -> int:
        return min(self.exercises, in_room)

    def estimate(self, bonus: bool, in_room: int) -> float:
        """Minutes in the room, as estimated, before rounding."""
        return (self.run_s / 60 + sum(s.minutes for s in self.parts(bonus))
                + self.in_room(in_room) * EXERCISE_MIN + DISCUSSION_MIN)

    def total_min(self, bonus: bool, in_room: int) -> int:
        """The estimate rounded up to whole 5 minutes: the timetable's slot."""
        return 5 * math.ceil(self.estimate(bonus, in_room) / 5)


def notebooks() -> list[Path]:
    return sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def prose_words(markdown: str) -> int:
    """Words a learner reads: no code blocks, no displayed maths; inline maths is a word."""
    text = DISPLAY_MATH.sub(" ", FENCE.sub(" ", markdown))
    return len(re.sub(r"\$[^$]*\$", " x ", text).split())


def count(path: Path) -> dict:
    """The title, the sections and the number of exercises of one notebook."""
    nb = nbformat.read(path, as_version=4)
    sections = [Section("(opening)")]
    tagged = set()
    for cell in nb.cells:
        numbers = {m[1] for t in cell.metadata.get("tags", []) if (m := EXERCISE_TAG.match(t))}
        if numbers:
            tagged |= numbers
            continue
        if cell.cell_type == "code":
            hidden = cell.metadata.get("jupyter", {}).get("source_hidden", False)
            sections[-1].hidden_cells += hidden
            sections[-1].code_cells += not hidden
            sections[-1].widgets += len(WIDGET.findall(cell.source))
            continue
        if cell.cell_type != "markdown":
            continue
        chunk = []
        for line in cell.source.splitlines():
            if line.startswith("## "):          # a heading may sit inside a cell
                sections[-1].words += prose_words("\n".join(chunk))
                chunk = []
                heading = line[3:].strip()
                sections.append(Section(heading, bonus=bool(BONUS.search(heading))))
            else:
                chunk.append(line)
        sections[-1].words += prose_words("\n".join(chunk))
    title = next(c.source.splitlines()[0].lstrip("# ").strip() for c in nb.cells
                 if c.cell_type == "markdown" and c.source.startswith("# "))
    return dict(title=title, sections=sections, exercises=len(tagged))


def load_times(path: Path = TIMES_JSON) -> dict:
    if not path.exists():
        sys.exit(f"{path.relative_to(ROOT)} is missing: run {MEASURE_COMMAND}")
    return json.loads(path.read_text())


def measure(times: dict) -> list[NotebookTime]:
    rows = []
    for path in notebooks():
        if path.name not in times["notebooks"]:
            raise KeyError(f"{path.name} has no measured time in "
                           f"{TIMES_JSON.relative_to(ROOT)}: run {MEASURE_COMMAND}")
        rows.append(NotebookTime(path.name, run_s=times["notebooks"][path.name]["cells_s"],
                                 **count(path)))
    return rows


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _minutes(clock: str) -> int:
    h, m = clock.split(":")
    return 60 * int(h) + int(m)


def pauses_for(n_sessions: int) -> list:
    """The pauses between the sessions of one day: PAUSES for four, lunch for two."""
    if n_sessions == len(PAUSES) + 1:
        return PAUSES
    return [("Lunch", 45)] * (n_sessions == 2)


def schedule(rows: list[NotebookTime], plan: str = "one day") -> list[list[dict]]:
    """Each day of a plan in order: one entry per notebook and per pause, with its
    start and end (minutes since midnight) and, for a notebook, its total."""
    spec = PLANS[plan]
    by_number = {r.name[:2]: r for r in rows}
    planned = [n for day in spec["days"] for _, numbers in day for n in numbers]
    missing = sorted(set(by_number) - set(planned))
    if missing:
        raise KeyError(f"notebooks {missing} are in no session of the {plan} plan: add them "
                       "to PLANS in benchmarks/workshop_plan.py")
    days = []
    for sessions in spec["days"]:
        day, t = [], _minutes(DAY_START)
        pauses = pauses_for(len(sessions))
        for k, (session, numbers) in enumerate(sessions):
            for n in (n for n in numbers if n not in spec["prework"]):
                row = by_number[n]
                total = row.total_min(spec["bonus"], spec["in_room"])
                day.append(dict(kind="notebook", session=session, row=row, start=t,
                                end=t + total))
                t += total
            if k < len(pauses):
                name, length = pauses[k]
                day.append(dict(kind="pause", name=name, start=t, end=t + length))
                t += length
        days.append(day)
    return days


def slack(day: list[dict], plan: str) -> float:
    """Minutes left before DAY_END by the estimates themselves (the rounding to 5 min
    of each notebook's slot leaves more)."""
    spec = PLANS[plan]
    used = sum(i["row"].estimate(spec["bonus"], spec["in_room"]) if i["kind"] == "notebook"
               else i["end"] - i["start"] for i in day)
    return _minutes(DAY_END) - _minutes(DAY_START) - used


def decisions(day: list[dict]) -> list[str]:
    """What to drop when the one-day plan runs late: at each pause, the exercises still
    to come in the next session, and the longest core section there to summarise."""
    spec, lines = PLANS["one day"], []
    for k, item in enumerate(day):
        if item["kind"] != "pause" or k + 1 >= len(day):
            continue
        ahead = []
        for later in day[k + 1:]:
            if later["kind"] == "pause":
                break
            ahead.append(later["row"])
        homework = [r for r in ahead if r.in_room(spec["in_room"])]
        saved = sum(r.in_room(spec["in_room"]) for r in homework) * EXERCISE_MIN
        row, section = max(((r, s) for r in ahead for s in r.parts(False)
                            if s.heading[:1].isdigit()), key=lambda rs: rs[1].minutes)
        lines.append(
            f"- **{item['name']} later than {_clock(item['start'] + 15)}** (15 minutes "
            f"behind): set the in-room exercise of {', '.join(r.title[:2] for r in homework)} "
            f"as homework (saves {saved:g} min); if still behind, present "
            f"{row.title[:2]} · {section.heading} "
            f"from its figure instead of reading it together (saves about "
            f"{section.minutes * 0.6:.0f} min).")
    return lines


def _row(item, spec, last_session):
    r = item["row"]
    session = item["session"] if item["session"] != last_session else ""
    code, hidden, widgets = r.cells(spec["bonus"])
    parts = f"{code} cells" + (f", {widgets} widget{'s' * (widgets != 1)}" if widgets else "")
    code_min = code * CODE_CELL_MIN + hidden * HIDDEN_CELL_MIN + widgets * WIDGET_MIN
    n = r.in_room(spec["in_room"])
    exercises = f"{n} of {r.exercises} × {EXERCISE_MIN:g} = {n * EXERCISE_MIN:g} min"
    words = r.words(spec["bonus"])
    span = f"{_clock(item['start'])}–{_clock(item['end'])}"
    return (f"| {session} | [{r.title}](notebooks/{r.name}) | {r.run_s:.0f} s "
            f"| {words / READING_WPM:.0f} min ({words:,} words) | {code_min:.0f} min ({parts}) "
            f"| {exercises} | {r.total_min(spec['bonus'], spec['in_room'])} min | {span} |")


def render_plan(rows: list[NotebookTime], plan: str) -> list[str]:
    spec = PLANS[plan]
    lines = []
    for d, day in enumerate(schedule(rows, plan)):
        if len(spec["days"]) > 1:
            lines += [f"**Day {d + 1}**", ""]
        lines += ["| Session | Notebook | Run (measured) | Read | Code cells, widgets "
                  "| Exercises in the room | Total | Time |",
                  "|---|---|---|---|---|---|---|---|"]
        last_session = None
        for item in day:
            if item["kind"] == "pause":
                lines.append(f"| | *{item['name']}* | | | | | {item['end'] - item['start']} "
                             f"min | {_clock(item['start'])}–{_clock(item['end'])} |")
                continue
            lines.append(_row(item, spec, last_session))
            last_session = item["session"]
        end = day[-1]["end"]
        taught = sum(i["end"] - i["start"] for i in day if i["kind"] == "notebook")
        lines += ["", f"Teaching time {taught // 60} h {taught % 60:02d} min; the last "
                      f"notebook ends at {_clock(end)}, {_minutes(DAY_END) - end} min before "
                      f"{DAY_END}; the estimates, before rounding each slot up to 5 min, "
                      f"leave {slack(day, plan):.0f} min.", ""]
    return lines


def render(times: dict) -> str:
    """Both plans as markdown, with the bonus sections, the decision points and the
    assumptions."""
    rows = measure(times)
    bonus = [f"{r.title[:2]} · {BONUS.sub('', s.heading).strip()} ({s.minutes:.0f} min)"
             for r in rows for s in r.sections if s.bonus]
    prework = [r for r in rows if r.name[:2] in PLANS["one day"]["prework"]]
    lines = ["#### One day: the core path", ""]
    links = ", ".join(f"[{r.title}](notebooks/{r.name})" for r in prework)
    lines += [f"Before the day, at home: {links} "
              f"(about {sum(r.total_min(False, 1) for r in prework)} min, its setup check "
              "included), so that every install is known to work when the room opens.", ""]
    lines += render_plan(rows, "one day")
    lines += ["Left for the two-day plan or for homework, the sections marked *(bonus)* in "
              "the notebooks: " + ("; ".join(bonus) if bonus else "none") + ".", "",
              "When the day runs late, decide at the pauses:", ""]
    lines += decisions(schedule(rows, "one day")[0])
    lines += ["", "#### Two days: every section", ""]
    lines += render_plan(rows, "two days")
    slowest = sorted(((e["slowest_cell"]["seconds"], name) for name, e in
                      times["notebooks"].items()), reverse=True)[:3]
    total_s = sum(e["cells_s"] for e in times["notebooks"].values())
    lines += [f"Running the code is the small part: the whole course executes in "
              f"{total_s / 60:.1f} min of cell time; the slowest cells are "
              + ", ".join(f"{seconds:.0f} s in {name[:2]}" for seconds, name in slowest)
              + " (each shows a progress bar).", ""]
    lines += [
        f"Assumed: prose read at {READING_WPM} words a minute (no code, no displayed "
        f"maths); {CODE_CELL_MIN:g} min per code cell a learner reads and "
        f"{HIDDEN_CELL_MIN:g} min per collapsed cell of checks; {WIDGET_MIN:g} min per "
        f"widget; {EXERCISE_MIN:g} min per exercise in the room (one a notebook in one day, "
        f"two in two days; the rest are homework); {DISCUSSION_MIN:g} min of discussion a "
        f"notebook; each notebook's slot rounded up to 5 min; the one-day plan's estimates "
        f"must leave at least {MIN_SLACK} min before {DAY_END}. Run times measured on "
        f"{times['date'][:10]} with "
        f"Python {times['python']}, {times['cpu_count']} CPUs, {times['blas_threads']} BLAS "
        "thread (`benchmarks/notebook_times.json`); Run All runs the bonus sections too, "
        "so their run time counts in both plans."]
    return "\n".join(lines)


def guide_with(text: str, table: str, start: str = START, end: str = END) -> str:
    """The guide's text with the block between the markers start and end replaced by
    table (benchmarks/hub_sizing.py uses it with its own markers)."""
    if text.count(start) != 1 or text.count(end) != 1:
        raise ValueError(f"the guide needs exactly one {start} and one {end}")
    head, rest = text.split(start)
    _, tail = rest.split(end)
    return f"{head}{start}\n{table}\n{end}{tail}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--write", action="store_true", help=f"update {GUIDE.name}")
    group.add_argument("--check", action="store_true", help=f"fail if {GUIDE.name} is stale")
    args = parser.parse_args()
    times = load_times()
    table = render(times)
    if not (args.write or args.check):
        print(table)
        return
    text = GUIDE.read_text()
    new = guide_with(text, table)
    if args.check:
        sys.exit(0 if new == text else f"{GUIDE.name}'s plan is stale: run {WRITE_COMMAND}")
    GUIDE.write_text(new)
    (day,) = schedule(measure(times), "one day")
    print(f"wrote the plans into {GUIDE.name}; the one-day core plan ends at "
          f"{_clock(day[-1]['end'])}, its estimates leave {slack(day, 'one day'):.0f} min")
    if slack(day, "one day") < MIN_SLACK:
        sys.exit(f"the one-day plan leaves less than {MIN_SLACK} min before {DAY_END}: "
                 "mark another section (bonus) in its notebook")

if __name__ == "__main__":
    main()
