"""The setup check's verdicts, one by one, on made-up machines (lstm_lib/checkup.py);
its browser side is driven in tests/browser/test_00_start_here.py."""

import pytest

from lstm_lib import checkup


@pytest.mark.parametrize("version, ok", [((3, 11), True), ((3, 13), True), ((3, 10), False),
                                         ((3, 14), False)])
def test_python_versions(version, ok):
    check = checkup.check_python(version)
    assert check.ok is ok
    assert ("install Python 3.11, 3.12 or 3.13" in str(check)) is not ok


def test_packages_are_compared_with_the_pins():
    pins = {"numpy": "2.4.6", "ipympl": "0.10.0"}
    fine = checkup.check_packages(pins, installed=lambda n: {"numpy": "2.4.6",
                                                              "ipympl": "0.10.0"}[n])
    assert fine.ok and "all 2" in fine.detail
    off = checkup.check_packages(pins, installed=lambda n: {"numpy": "1.26.0"}.get(n))
    assert not off.ok
    assert "numpy 1.26.0 (wants 2.4.6)" in off.detail and "ipympl missing" in off.detail
    assert "./course lab" in str(off)


def test_the_real_pins_are_read_from_requirements_txt():
    pins = checkup.pinned()
    assert pins["numpy"] and pins["jupyterlab"] and "-e" not in pins
    assert checkup.check_packages().ok, "this environment is the tested one"


@pytest.mark.parametrize("gb, ok", [(0.5, False), (2.5, True), (None, True)])
def test_memory(gb, ok, monkeypatch):
    if gb is None:                                   # a system that does not say
        monkeypatch.setattr(checkup, "available_memory_gb", lambda: None)
    check = checkup.check_memory(gb)
    assert check.ok is ok
    assert ("shut down the kernels" in str(check)) is not ok


def test_this_machine_reports_and_sums_up():
    checks = checkup.report()
    assert [c.name for c in checks] == ["Python", "packages", "memory", "lstm_lib"]
    assert checkup.summary(checks).startswith("ready")
    bad = checks[:1] + [checkup.Check("memory", False, "0.5 GB", "close programs")]
    assert checkup.summary(bad).startswith("1 of 2 checks failed")
    assert str(bad[1]) == "✗ memory: 0.5 GB — close programs"


def test_setup_check_widget_starts_waiting_and_follows_the_browser():
    from lstm_lib import widgets

    check = widgets.SetupCheck()
    assert "<td>Python</td><td>✓</td>" in check.environment.value
    # Under the tests' Agg backend figures are not live, and the check says so.
    assert check.stage == "not live" and "figures are not live" in check.readout.value
    check.stage = "waiting"                          # as under ipympl, until the browser talks
    check._browser_said(None, {"type": "initialized"}, [])
    assert check.stage == "shown" and "shows live figures" in check.readout.value
    check._browser_said(None, {"type": "draw"}, [])
    assert check.stage == "shown", "a draw before any slider move proves nothing"
    check.slider.value = 2.0
    check._browser_said(None, {"type": "draw"}, [])
    assert check.stage == "redrawn" and "ready for the course" in check.readout.value


def test_the_guides_email_quotes_what_the_setup_check_says():
    from pathlib import Path

    from lstm_lib.widgets import checkup as widget

    guide = (Path(__file__).resolve().parents[1] / "INSTRUCTOR_GUIDE.md").read_text()
    for quoted in ("your browser shows live figures", "this computer is ready"):
        assert f'"{quoted}"' in guide.replace("\n  > ", " ")
        assert any(quoted in text for text in widget.STAGES.values()), quoted
