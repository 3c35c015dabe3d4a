"""`./course wheelhouse` builds a wheelhouse from which the course installs with no index.

Builds a wheelhouse with the course script (pip download, served from pip's cache after
the first run), then makes a copy of the course's install files and runs
`WHEELHOUSE=DIR ./course lab --version` there: a fresh .venv, pip upgraded and
requirements.txt installed with --no-index --find-links (any attempt to reach the
network goes to a dead proxy), and JupyterLab started just far enough to print its
version. Finally lstm_lib, ipympl and jupyterlab must import in that venv.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NO_NETWORK = "http://127.0.0.1:9"        # nothing listens on the discard port


@pytest.mark.rebuild
def test_course_installs_from_a_wheelhouse_alone(tmp_path):
    wheels = tmp_path / "wheels"
    built = subprocess.run([str(ROOT / "course"), "wheelhouse", str(wheels)],
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr[-3000:]
    names = [p.name.lower() for p in wheels.glob("*.whl")]
    for needed in ("numpy-", "jupyterlab-", "ipympl-", "setuptools-", "pip-"):
        assert any(n.startswith(needed) for n in names), f"no {needed}* wheel in the wheelhouse"

    course = tmp_path / "course"
    course.mkdir()
    for name in ("course", "requirements.txt", "requirements-test.txt", "requirements-book.txt",
                 "requirements-dev.txt", "pyproject.toml", "README.md", "LICENSE",
                 "lab/overrides.json"):
        (course / name).parent.mkdir(exist_ok=True)
        shutil.copy2(ROOT / name, course / name)
    shutil.copytree(ROOT / "lstm_lib", course / "lstm_lib",
                    ignore=shutil.ignore_patterns("__pycache__"))
    (course / "notebooks").mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "VIRTUAL_ENV"))}
    env |= {"WHEELHOUSE": str(wheels), "PYTHON": sys._base_executable,
            "http_proxy": NO_NETWORK, "https_proxy": NO_NETWORK,
            "HTTP_PROXY": NO_NETWORK, "HTTPS_PROXY": NO_NETWORK,
            "PIP_CONFIG_FILE": os.devnull, "PIP_NO_CACHE_DIR": "1"}
    lab = subprocess.run([str(course / "course"), "lab", "--version"], cwd=course, env=env,
                         capture_output=True, text=True, timeout=900)
    assert lab.returncode == 0, lab.stderr[-3000:]
    assert "from " + str(wheels) + " only" in lab.stderr, lab.stderr[-3000:]

    python = course / ".venv" / "bin" / "python"
    code = ("import lstm_lib, ipympl, jupyterlab, numpy; "
            "print(lstm_lib.__file__, jupyterlab.__version__, numpy.__version__)")
    ran = subprocess.run([str(python), "-c", code], capture_output=True, text=True, env=env,
                         cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr[-3000:]
    lstm_file, jlab, numpy = ran.stdout.split()
    assert Path(lstm_file).is_relative_to(course), "lstm_lib is the copy, installed editable"
    pins = dict(line.split("#")[0].strip().split("==") for line in
                (ROOT / "requirements.txt").read_text().splitlines() if "==" in line)
    assert (jlab, numpy) == (pins["jupyterlab"], pins["numpy"])
