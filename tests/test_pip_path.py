"""README's path for Macs and Windows, as far as Linux can test it: a fresh venv made with
nothing but `python -m venv` and `pip install -r requirements.txt`, on each supported
Python, runs JupyterLab and a notebook.

The Pythons to try come from COURSE_PIP_PATH (e.g. "3.11 3.12 3.13"): each build
downloads the course's wheels for that Python, so a local ./course test does not run it
unless asked. CI (.ci/run) asks for 3.12: ./course test itself builds 3.11 and 3.13 the
same way, with `python -m venv` and `pip install -r`, and runs everything there. Each
interpreter is found on PATH (python3.12) or in pyenv.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
VERSIONS = os.environ.get("COURSE_PIP_PATH", "").split()


def interpreter(version: str) -> str:
    """A python of exactly ``version``: on PATH, or in pyenv (whose shims on PATH only
    answer for the version pyenv has selected, so each candidate is asked)."""
    root = subprocess.run(["pyenv", "root"], capture_output=True, text=True).stdout.strip() \
        if shutil.which("pyenv") else ""
    candidates = [shutil.which(f"python{version}")]
    if root:
        candidates += sorted(glob.glob(f"{root}/versions/{version}.*/bin/python{version}"))
    ask = "import sys; print('%d.%d' % sys.version_info[:2])"
    for candidate in filter(None, candidates):
        asked = subprocess.run([candidate, "-c", ask], capture_output=True, text=True)
        if asked.stdout.strip() == version:
            return candidate
    raise AssertionError(f"COURSE_PIP_PATH asks for Python {version}: not on PATH, not in pyenv")


@pytest.mark.rebuild
@pytest.mark.skipif(not VERSIONS, reason="set COURSE_PIP_PATH='3.11 3.12 3.13' to run")
@pytest.mark.parametrize("version", VERSIONS or ["none"])
def test_the_pip_path_runs_the_course(tmp_path, version):
    venv = tmp_path / "venv"
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("VIRTUAL_ENV", "PYTHONPATH", "JUPYTER"))}

    def run(*argv, timeout=900):
        done = subprocess.run([str(a) for a in argv], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=timeout)
        assert done.returncode == 0, f"{' '.join(map(str, argv))}:\n{done.stderr[-3000:]}"
        return done.stdout

    # The README's commands, word for word but for the venv's location.
    run(interpreter(version), "-m", "venv", venv)
    run(venv / "bin" / "python", "-m", "pip", "install", "-q", "-r", "requirements.txt")
    assert run(venv / "bin" / "python", "-c",
               "import sys; print('%d.%d' % sys.version_info[:2])").strip() == version
    assert run(venv / "bin" / "jupyter", "lab", "--version").strip()
    out = tmp_path / "00.ipynb"
    run(venv / "bin" / "jupyter", "nbconvert", "--to", "notebook", "--execute",
        "--ExecutePreprocessor.kernel_name=python3", "--output", out,
        "notebooks/00_start_here.ipynb", timeout=600)
    assert "✓" in out.read_text(), "notebook 00 ran but printed no checked claim"
