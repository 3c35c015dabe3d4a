"""Every notebook ends with 2-4 exercises, and every exercise check works both ways.

Static: each exercise is three cells in a row (attempt, check, folded reference
solution), numbered for its notebook, with a check registered in lstm_lib.exercises.
Executed (in the Binder venv, see conftest.binder_runs): the untouched attempt fails its
check with a sentence that says what to do, and the reference solution passes it.
The checks' own logic, with typical wrong answers, is tested in test_exercises_NN.py.
"""

import re

import numpy as np
import pytest
from binder import text_output
from notebook_exercises import NOTEBOOKS, all_exercises, exercises_in, read

from lstm_lib import exercises
from lstm_lib.exercises import NotYet

EXERCISES = all_exercises()
IDS = [ex.number for ex in EXERCISES]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name[:2] for p in NOTEBOOKS])
def test_every_notebook_ends_with_two_to_four_exercises(path):
    found = exercises_in(path)
    number = path.name[:2]
    assert 2 <= len(found) <= 4, f"{path.name} has {len(found)} exercises"
    assert [ex.number for ex in found] == [f"{number}.{k}" for k in range(1, len(found) + 1)]
    nb = read(path)
    heading = next((k for k, c in enumerate(nb.cells) if c.cell_type == "markdown"
                    and c.source.lstrip().startswith("## Exercises")), None)
    assert heading is not None, f"{path.name} has no '## Exercises' section"
    assert heading < min(found[0].cells.values())
    after = nb.cells[max(found[-1].cells.values()) + 1:]
    assert len(after) <= 1 and all(c.cell_type == "markdown" for c in after), (
        f"{path.name}: only a closing note may follow the last exercise")


@pytest.mark.parametrize("ex", EXERCISES, ids=IDS)
def test_an_exercise_is_attempt_then_check_then_folded_solution(ex):
    nb = read(next(p for p in NOTEBOOKS if p.name == ex.notebook))
    assert set(ex.cells) == {"attempt", "check", "solution"}, ex.cells
    a, c, s = ex.cells["attempt"], ex.cells["check"], ex.cells["solution"]
    assert (c, s) == (a + 1, a + 2), f"{ex.number}: attempt, check, solution must be adjacent"
    assert [nb.cells[k].cell_type for k in (a, c, s)] == ["code", "code", "markdown"]
    assert nb.cells[a - 1].cell_type == "markdown", f"{ex.number}: the task comes first"
    check = ex.source(nb, "check").strip()
    assert re.fullmatch(rf'exercises\.check\("{re.escape(ex.number)}"(, .+)?\)', check), check
    solution = ex.source(nb, "solution")
    assert "<details>" in solution and "<details open" not in solution
    folded = solution.split("<summary>Reference solution</summary>", 1)
    assert len(folded) == 2, f"{ex.number}: no <summary>Reference solution</summary>"
    assert ex.solution_code(nb) and "```python" in folded[1], (
        f"{ex.number}: the reference solution must be one ```python block inside <details>")
    assert "..." not in ex.solution_code(nb), f"{ex.number}: the reference solution is unfinished"


def test_every_check_is_used_by_exactly_one_exercise():
    assert sorted(IDS) == exercises.numbers()
    assert len(set(IDS)) == len(IDS)


def test_prose_names_exercises_by_their_full_number():
    # "exercise 04.3" anywhere in the course must exist; a bare "exercise 3" is ambiguous.
    for path in NOTEBOOKS:
        for cell in read(path).cells:
            if cell.cell_type != "markdown":
                continue
            for ref in re.findall(r"[Ee]xercises? (\d[\d.]*)", cell.source):
                assert ref.rstrip(".") in IDS, f"{path.name} refers to exercise {ref}"


def test_every_notebook_imports_the_checks_in_its_setup_cell():
    for path in NOTEBOOKS:
        setup = next(c.source for c in read(path).cells if c.cell_type == "code")
        assert re.search(r"^from lstm_lib import .*\bexercises\b", setup, flags=re.M), path.name


@pytest.mark.parametrize("ex", EXERCISES, ids=IDS)
def test_untouched_attempt_fails_with_a_helpful_message(binder_runs, ex):
    ran = binder_runs(ex.notebook)
    shown = text_output(ran.cells[ex.cells["check"]])
    assert shown.startswith(f"✗ Exercise {ex.number} ("), shown
    message = shown.split("not yet: ", 1)[1]
    assert len(message) > 30 and "Traceback" not in shown and " raised " not in message, shown


@pytest.mark.parametrize("ex", EXERCISES, ids=IDS)
def test_reference_solution_passes_its_check(binder_runs, ex):
    ran = binder_runs(ex.notebook)
    path = next(p for p in NOTEBOOKS if p.name == ex.notebook)
    # conftest.binder_runs appended (solution, check) for each exercise, in order.
    k = [e.number for e in exercises_in(path)].index(ex.number)
    at = len(read(path).cells) + 2 * k
    solution, recheck = ran.cells[at], ran.cells[at + 1]
    assert not any(o["output_type"] == "error" for o in solution.outputs)
    assert text_output(recheck).startswith(f"✓ Exercise {ex.number} ("), text_output(recheck)


# The machinery itself.

def test_a_verdict_shows_a_tick_or_a_cross_and_is_true_only_when_passed():
    good = exercises.Verdict("05.2", "the forget gate", True, "well done")
    bad = exercises.Verdict("05.2", "the forget gate", False, "df has the wrong sign")
    assert bool(good) and not bool(bad)
    assert repr(good) == "✓ Exercise 05.2 (the forget gate): well done"
    assert repr(bad) == "✗ Exercise 05.2 (the forget gate), not yet: df has the wrong sign"
    assert "&lt;" in exercises.Verdict("0", "t", False, "<b>")._repr_html_()


def test_check_rejects_an_unknown_number():
    with pytest.raises(KeyError, match="number: expected one of the exercises"):
        exercises.check("99.9", None)


def test_call_reports_missing_unfinished_and_broken_functions():
    def unwritten(x):
        raise NotImplementedError

    def broken(x):
        return x @ np.ones((5, 2))

    for answer, phrase in [(..., "no answer yet"), (None, "no answer yet"),
                           (3, "expected the function you wrote"),
                           (unwritten, "not written yet")]:
        with pytest.raises(NotYet, match=phrase):
            exercises.call(answer, np.ones(3))
    with pytest.raises(NotYet, match=r"calling broken raised ValueError: .* \(line \d+ of your"
                                     r" code: `return x @ np.ones\(\(5, 2\)\)`\)"):
        exercises.call(broken, np.ones(3))


def test_as_array_names_shape_transposition_and_nan():
    with pytest.raises(NotYet, match=r"df is still `...`"):
        exercises.as_array(..., "df", (3, 4))
    with pytest.raises(NotYet, match=r"has shape \(4, 3\), expected \(3, 4\) = \(B, H\)\. "
                                     r"Did you transpose"):
        exercises.as_array(np.zeros((4, 3)), "df", (3, 4), "(B, H)")
    with pytest.raises(NotYet, match="NaN"):
        exercises.as_array([np.nan, 1.0], "df", (2,))
    with pytest.raises(NotYet, match="expected an array of numbers"):
        exercises.as_array({"a": 1}, "df", (2,))
    assert exercises.as_array([[1, 2]], "df", (1, 2)).dtype == float


def test_as_number_and_close_say_what_is_off():
    with pytest.raises(NotYet, match="write your answer as a number"):
        exercises.as_number(None, "prediction")
    with pytest.raises(NotYet, match="between 0 and 1, got 2"):
        exercises.as_number(2, "prediction", 0, 1)
    with pytest.raises(NotYet, match="expected one number"):
        exercises.as_number([1, 2], "prediction")
    assert exercises.as_number(np.float32(0.5), "p", 0, 1) == 0.5
    want = np.array([1.0, -2.0, 3.0])
    exercises.close(want + 1e-12, want, "dz")
    with pytest.raises(NotYet, match="right size but the wrong sign"):
        exercises.close(-want, want, "dz")
    with pytest.raises(NotYet, match="dz is zero everywhere"):
        exercises.close(np.zeros(3), want, "dz")
    with pytest.raises(NotYet, match=r"off by up to 2 "):   # zero where it matters: no "0 times"
        exercises.close(np.array([0.0, 0.0, 1.0]), np.array([1.0, 2.0, 0.0]), "dz")
    with pytest.raises(NotYet, match="remove the quotes"):
        exercises.as_number("0.5", "prediction")
    with pytest.raises(NotYet, match="is 2 times the right answer"):
        exercises.close(2 * want, want, "dz")
    with pytest.raises(NotYet, match=r"off by up to 1 \(at index \(1,\): got -1, expected -2\)"):
        exercises.close(np.array([1.0, -1.0, 3.0]), want, "dz")
