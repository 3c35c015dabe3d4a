"""Pins are exact, the installed versions are the pinned ones, and the README's commands
are the real ones. (environment.yml, Binder's copy of the pins: tests/test_binder.py.)"""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;#]+)$")


def pins(lines):
    """{normalized name: version} from requirement lines; fails on any unpinned one."""
    found = {}
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith(("-e", "-r")):
            continue
        match = PIN.match(line)
        assert match, f"not pinned exactly (name==version): {line!r}"
        found[match[1].lower().replace("_", "-")] = match[2]
    return found


def requirements(name):
    return pins((ROOT / name).read_text().splitlines())


def test_course_needs_are_pinned():
    course = requirements("requirements.txt")
    for name in ("numpy", "matplotlib", "ipywidgets", "jupyterlab", "ipympl", "scikit-learn",
                 "tqdm"):
        assert name in course, f"{name} missing from requirements.txt"
    assert "-e ." in (ROOT / "requirements.txt").read_text().splitlines()


def test_test_and_dev_requirements_extend_the_course_and_pin_torch():
    assert "-r requirements.txt" in (ROOT / "requirements-test.txt").read_text().splitlines()
    assert "-r requirements-test.txt" in (ROOT / "requirements-dev.txt").read_text().splitlines()
    test, dev = requirements("requirements-test.txt"), requirements("requirements-dev.txt")
    assert dev["torch"] == "2.13.0"
    for name in ("nbval", "pytest"):
        assert name in test
    for name in ("playwright", "ruff"):
        assert name in dev
    assert "-r requirements-book.txt" in (ROOT / "requirements-dev.txt").read_text().splitlines()
    assert "-r requirements.txt" in (ROOT / "requirements-book.txt").read_text().splitlines()
    book = requirements("requirements-book.txt")
    assert book["jupyter-book"].startswith("1."), "book/ is a Jupyter Book 1 (Sphinx) set-up"
    files = [set(requirements(f)) for f in ("requirements.txt", "requirements-test.txt",
                                            "requirements-book.txt", "requirements-dev.txt")]
    for i, a in enumerate(files):
        for b in files[i + 1:]:
            assert not (a & b), f"pinned twice: {a & b}"


def test_installed_versions_are_the_pinned_ones():
    """Every pin of the files this environment was built from (a venv made for another
    Python by COURSE_TEST_ALSO has requirements-test.txt only: no book, no torch)."""
    from importlib.metadata import PackageNotFoundError, version

    files = ["requirements.txt", "requirements-test.txt"]
    for package, file in (("jupyter-book", "requirements-book.txt"),
                          ("torch", "requirements-dev.txt")):
        try:
            version(package)
            files.append(file)
        except PackageNotFoundError:
            pass
    for name, pinned in {k: v for f in files for k, v in requirements(f).items()}.items():
        assert version(name).split("+")[0] == pinned, name


def test_lstm_lib_does_not_need_torch():
    code = "import sys, lstm_lib, lstm_lib.widgets; sys.exit('torch' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0


def test_binder_installs_lstm_lib():
    post_build = (ROOT / "postBuild").read_text()
    assert "pip install" in post_build and "-e ." in post_build
    assert (ROOT / "postBuild").stat().st_mode & 0o111, "postBuild must be executable"


def test_readme_gives_exactly_two_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```bash\n(.*?)```", readme, flags=re.S)
    commands = [line.split("#")[0].strip() for b in blocks for line in b.splitlines()
                if line.strip()]
    assert commands == ["./course lab", "./course test"]
    ci = (ROOT / ".ci" / "run").read_text()
    assert "./course test" in ci
