"""Binder: the repository launches on mybinder.org into JupyterLab on notebook 00.

mybinder.org cannot be reached from CI, so its configuration is checked statically here,
and its environment is rebuilt locally (tests/binder.py): every notebook must run in a
kernel that has only what environment.yml and postBuild install.
"""

import os
import re
import subprocess
from urllib.parse import parse_qs, urlparse

import binder
import pytest
from notebook_exercises import NOTEBOOKS
from test_environment import pins, requirements

ROOT = binder.ROOT
BADGE = re.compile(r"\[!\[Binder\]\((?P<image>[^)]+)\)\]\((?P<link>[^)]+)\)")


def test_repo2docker_reads_the_configuration_at_the_root():
    # A binder/ or .binder/ folder would make repo2docker ignore the files at the root.
    # repo2docker picks the first build pack that detects its files; these come before
    # the conda one (environment.yml) or would change its Python (runtime.txt). With the
    # conda build pack, requirements.txt is not read: environment.yml repeats its pins.
    for shadow in ("binder", ".binder", "Dockerfile", "Project.toml", "REQUIRE", "default.nix",
                   "DESCRIPTION", "install.R", "runtime.txt"):
        assert not (ROOT / shadow).exists(), f"{shadow} would change what Binder builds"
    for script in ("postBuild", "start"):
        path = ROOT / script
        assert path.read_text().startswith("#!/bin/bash\n"), script
        assert os.access(path, os.X_OK), f"{script} must be executable"


def test_environment_yml_pins_python_3_11_and_repeats_requirements_txt():
    env = binder.environment()
    assert env["channels"] == ["conda-forge"]
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    assert sorted(conda) == ["pip", "python=3.11"] or (
        "pip" in conda and any(re.fullmatch(r"python=3\.11\.\d+", d) for d in conda)), conda
    assert pins(binder.pip_section()) == requirements("requirements.txt")


def test_binder_badge_opens_notebook_00_in_jupyterlab():
    match = BADGE.search((ROOT / "README.md").read_text())
    assert match, "README has no Binder badge"
    assert match["image"] == "https://mybinder.org/badge_logo.svg"
    link = urlparse(match["link"])
    assert (link.scheme, link.netloc) == ("https", "mybinder.org")
    assert re.fullmatch(r"/v2/gh/[\w.-]+/[\w.-]+/main", link.path), link.path
    urlpath = parse_qs(link.query)["urlpath"][0]
    assert urlpath.startswith("lab/tree/"), "the badge must open JupyterLab"
    target = ROOT / urlpath.removeprefix("lab/tree/")
    assert target.is_file() and target == NOTEBOOKS[0], target


def test_start_script_sets_one_blas_thread_and_runs_the_command():
    env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_NUM_THREADS",
                                                            "OMP_NUM_THREADS")}
    out = subprocess.run([str(ROOT / "start"), "sh", "-c",
                          "echo $OPENBLAS_NUM_THREADS $OMP_NUM_THREADS"],
                         env=env, capture_output=True, text=True, check=True).stdout
    assert out.split() == ["1", "1"]


def test_the_binder_environment_has_the_pins_and_no_test_tools(binder_python):
    names = binder.installed(binder_python)
    for name in pins(binder.pip_section()):
        assert name in names, name
    assert "lstm-lib" in names, "postBuild did not install lstm_lib"
    for dev_only in ("torch", "pytest", "nbval", "playwright", "ruff"):
        assert dev_only not in names, f"{dev_only} is not in environment.yml"
    code = "import importlib.metadata as m, lstm_lib; print(m.version('numpy'), lstm_lib.__file__)"
    out = subprocess.run([str(binder_python), "-c", code], capture_output=True, text=True,
                         check=True, cwd="/").stdout.split()
    assert out[0] == pins(binder.pip_section())["numpy"]
    assert out[1] == str(ROOT / "lstm_lib" / "__init__.py"), "lstm_lib must be the repo's own"
    prefix = binder_python.parent.parent        # the venv postBuild ran in
    installed = prefix / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    assert installed.read_text() == (ROOT / "lab" / "overrides.json").read_text(), (
        "postBuild did not install the course's JupyterLab settings")
    server = prefix / "etc" / "jupyter" / "jupyter_server_config.json"
    assert server.read_text() == (ROOT / "lab" / "jupyter_server_config.json").read_text(), (
        "postBuild did not install the course's Jupyter Server settings")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name[:2] for p in NOTEBOOKS])
def test_every_notebook_runs_in_the_binder_environment(binder_runs, path):
    # Raises, naming the cell, if any import or cell fails without the dev tools.
    ran = binder_runs(path.name)
    assert any(c.cell_type == "code" and c.outputs for c in ran.cells)
