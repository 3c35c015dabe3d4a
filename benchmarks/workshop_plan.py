"""The one-day workshop plan in INSTRUCTOR_GUIDE.md, computed, never typed.

    .venv/bin/python benchmarks/workshop_plan.py            # print the plan table
    .venv/bin/python benchmarks/workshop_plan.py --write    # put it into the guide
    .venv/bin/python benchmarks/workshop_plan.py --check    # exit 1 if the guide is stale

Each notebook's time in the room is its measured run time, taken only from
benchmarks/notebook_times.json (written by `bench_notebooks.py --write`), plus the time
to read and do it, estimated from the notebook as it is now:

    words of markdown / READING_WPM
    + CODE_CELL_MIN per code cell  + WIDGET_MIN per interactive widget
    + EXERCISE_MIN per exercise set in the room (the first EXERCISES_IN_ROOM of each
      notebook; the others are homework)

rounded up to whole 5 minutes. Cells that belong to an exercise (tagged exercise-NN.k-…)
count only through EXERCISE_MIN. The notebooks then fill the sessions below in order,
with the breaks between them, from DAY_START; tests/test_instructor_guide.py checks that
the table in the guide is this one and that the day ends by DAY_END.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
TIMES_JSON = ROOT / "benchmarks" / "notebook_times.json"
GUIDE = ROOT / "INSTRUCTOR_GUIDE.md"
START, END = "<!-- plan:start -->", "<!-- plan:end -->"
WRITE_COMMAND = ".venv/bin/python benchmarks/workshop_plan.py --write"
MEASURE_COMMAND = ".venv/bin/python benchmarks/bench_notebooks.py --write"

# The assumptions, stated once; the guide prints them under the table.
READING_WPM = 250        # words a minute: prose read in the room while the instructor
                         # talks through the equations
CODE_CELL_MIN = 0.5      # to read a code cell, run it and look at what it printed or drew
WIDGET_MIN = 3.0         # to play with one interactive widget (its "What to notice" list)
EXERCISE_MIN = 6.0       # to predict, attempt and check one exercise
EXERCISES_IN_ROOM = 2    # exercises set in the room per notebook; the rest are homework
DAY_START, DAY_END = "09:00", "17:00"

# Sessions: (name, notebook numbers), and the pause after each but the last.
SESSIONS = [
    ("1 · Neurons and layers", ("00", "01", "02")),
    ("2 · The loop, and why it forgets", ("03", "04")),
    ("3 · The LSTM cell and its belt", ("05", "06")),
    ("4 · In practice", ("07", "08")),
]
PAUSES = [("Break", 15), ("Lunch", 45), ("Break", 15)]

WIDGET = re.compile(r"\bwidgets\.[A-Z]\w*(?:Explorer|Viewer|Replay)\(")
EXERCISE_TAG = re.compile(r"^exercise-(\d\d\.\d+)-")


@dataclass
class NotebookTime:
    name: str            # file name
    title: str           # "05 · The LSTM cell"
    run_s: float         # measured: every code cell, added up
    words: int
    code_cells: int
    widgets: int
    exercises: int

    @property
    def read_min(self) -> float:
        return self.words / READING_WPM

    @property
    def code_min(self) -> float:
        return self.code_cells * CODE_CELL_MIN + self.widgets * WIDGET_MIN

    @property
    def in_room(self) -> int:
        return min(self.exercises, EXERCISES_IN_ROOM)

    @property
    def exercise_min(self) -> float:
        return self.in_room * EXERCISE_MIN

    @property
    def total_min(self) -> int:
        raw = self.run_s / 60 + self.read_min + self.code_min + self.exercise_min
        return 5 * math.ceil(raw / 5)


def notebooks() -> list[Path]:
    return sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def count(path: Path) -> dict:
    """Words of markdown, code cells, widgets and exercises of one notebook."""
    nb = nbformat.read(path, as_version=4)
    words = code_cells = widgets = 0
    tagged = set()
    for cell in nb.cells:
        numbers = {m[1] for t in cell.metadata.get("tags", []) if (m := EXERCISE_TAG.match(t))}
        if numbers:
            tagged |= numbers
            continue
        if cell.cell_type == "markdown":
            words += len(cell.source.split())
        elif cell.cell_type == "code":
            code_cells += 1
            widgets += len(WIDGET.findall(cell.source))
    title = next(c.source.splitlines()[0].lstrip("# ").strip() for c in nb.cells
                 if c.cell_type == "markdown" and c.source.startswith("# "))
    return dict(title=title, words=words, code_cells=code_cells, widgets=widgets,
                exercises=len(tagged))


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


def schedule(rows: list[NotebookTime]) -> list[dict]:
    """The day in order: one entry per notebook and per pause, with start and end."""
    by_number = {r.name[:2]: r for r in rows}
    planned = [n for _, numbers in SESSIONS for n in numbers]
    missing = sorted(set(by_number) - set(planned))
    if missing:
        raise KeyError(f"notebooks {missing} are in no session: add them to SESSIONS in "
                       "benchmarks/workshop_plan.py")
    day, t = [], _minutes(DAY_START)
    for k, (session, numbers) in enumerate(SESSIONS):
        for n in numbers:
            row = by_number[n]
            day.append(dict(kind="notebook", session=session, row=row, start=t,
                            end=t + row.total_min))
            t += row.total_min
        if k < len(PAUSES):
            name, length = PAUSES[k]
            day.append(dict(kind="pause", name=name, start=t, end=t + length))
            t += length
    return day


def render(times: dict) -> str:
    """The plan as a markdown table, with the assumptions and the measurement under it."""
    day = schedule(measure(times))
    lines = [
        "| Session | Notebook | Run (measured) | Read | Code cells, widgets | Exercises "
        "| Total | Time |",
        "|---|---|---|---|---|---|---|---|",
    ]
    last_session = None
    for item in day:
        span = f"{_clock(item['start'])}–{_clock(item['end'])}"
        if item["kind"] == "pause":
            lines.append(f"| | *{item['name']}* | | | | | {item['end'] - item['start']} min "
                         f"| {span} |")
            continue
        r = item["row"]
        session = item["session"] if item["session"] != last_session else ""
        last_session = item["session"]
        widgets = f", {r.widgets} widget{'s' * (r.widgets != 1)}" if r.widgets else ""
        exercises = (f"{r.in_room} of {r.exercises} × {EXERCISE_MIN:g} = "
                     f"{r.exercise_min:g} min" if r.exercises else "none")
        lines.append(
            f"| {session} | [{r.title}](notebooks/{r.name}) | {r.run_s:.0f} s "
            f"| {r.read_min:.0f} min ({r.words:,} words) "
            f"| {r.code_min:.0f} min ({r.code_cells} cells{widgets}) | {exercises} "
            f"| {r.total_min} min | {span} |")
    end = day[-1]["end"]
    slack = _minutes(DAY_END) - end
    taught = sum(i["end"] - i["start"] for i in day if i["kind"] == "notebook")
    lines += [
        "",
        f"Teaching time {taught // 60} h {taught % 60:02d} min; the last notebook ends at "
        f"{_clock(end)}, {slack} min before {DAY_END}. "
        f"Assumed: reading at {READING_WPM} words a minute, {CODE_CELL_MIN:g} min per code "
        f"cell, {WIDGET_MIN:g} min per widget, {EXERCISE_MIN:g} min per exercise, "
        f"the first {EXERCISES_IN_ROOM} exercises of each notebook in the room and the "
        "rest as homework; each notebook rounded up to 5 min. Run times measured on "
        f"{times['date'][:10]} with Python {times['python']}, {times['cpu_count']} CPUs, "
        f"{times['blas_threads']} BLAS thread (`benchmarks/notebook_times.json`).",
    ]
    return "\n".join(lines)


def plan_end(times: dict) -> str:
    return _clock(schedule(measure(times))[-1]["end"])


def guide_with(text: str, table: str) -> str:
    """The guide's text with the block between the markers replaced by table."""
    if text.count(START) != 1 or text.count(END) != 1:
        raise ValueError(f"the guide needs exactly one {START} and one {END}")
    head, rest = text.split(START)
    _, tail = rest.split(END)
    return f"{head}{START}\n{table}\n{END}{tail}"


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
    end = plan_end(times)
    print(f"wrote the plan into {GUIDE.name}; the day ends at {end}")
    if _minutes(end) > _minutes(DAY_END):
        sys.exit(f"the plan ends at {end}, after {DAY_END}: move a notebook's exercises to "
                 "homework in the guide, or change SESSIONS/PAUSES in this script")


if __name__ == "__main__":
    main()
