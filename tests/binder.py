"""The Binder environment, rebuilt here: a fresh venv from environment.yml alone.

mybinder.org cannot be reached from CI, so the tests rebuild what repo2docker builds from
this repository: Python 3.11, the pip section of environment.yml, then postBuild, and
JupyterLab started through the ``start`` script. Notebooks executed in a kernel of that
venv can import only what a Binder user has: nothing from requirements-dev.txt (no
torch, no pytest), nothing installed by hand.

The venv lives in .binder-venv and is rebuilt whenever environment.yml, postBuild or
pyproject.toml change (CI always starts from a clean clone, so there it is always new).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
import yaml
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".binder-venv"
STAMP = VENV / ".built-from"
KERNEL = "binder-env"


def environment() -> dict:
    return yaml.safe_load((ROOT / "environment.yml").read_text())


def pip_section() -> list[str]:
    """The pip requirements of environment.yml, exactly as listed."""
    deps = environment()["dependencies"]
    return next(d["pip"] for d in deps if isinstance(d, dict) and "pip" in d)


def _fingerprint() -> str:
    files = ("environment.yml", "postBuild", "pyproject.toml", "lab/overrides.json",
             "lab/jupyter_server_config.json")
    return hashlib.sha256(b"".join((ROOT / f).read_bytes() for f in files)).hexdigest()


def build() -> Path:
    """Build (or reuse) the Binder venv; return its python."""
    python = VENV / "bin" / "python"
    if STAMP.exists() and STAMP.read_text() == _fingerprint() and python.exists():
        return python
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True)
    with tempfile.NamedTemporaryFile("w", suffix=".txt") as reqs:
        reqs.write("\n".join(pip_section()) + "\n")
        reqs.flush()
        _run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check",
              "-r", reqs.name])
    # repo2docker runs postBuild with the environment's bin first on PATH.
    env = {**os.environ, "PATH": f"{VENV / 'bin'}{os.pathsep}{os.environ['PATH']}"}
    env.pop("PYTHONPATH", None)
    _run(["bash", str(ROOT / "postBuild")], env=env)
    STAMP.write_text(_fingerprint())
    return python


def _run(argv, env=None):
    done = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"building the Binder venv: {' '.join(argv)} failed:\n"
                           f"{done.stdout[-3000:]}{done.stderr[-3000:]}")


def installed(python: Path) -> set[str]:
    """Normalized names of every distribution in the venv of ``python``."""
    code = ("import json, importlib.metadata as m; print(json.dumps(sorted({d.metadata['Name']"
            ".lower().replace('_', '-') for d in m.distributions()})))")
    out = subprocess.run([str(python), "-c", code], check=True, capture_output=True, text=True)
    return set(json.loads(out.stdout))


def kernel_manager(python: Path, spec_dir: Path) -> AsyncKernelManager:
    """A kernel of the Binder venv, launched through the repository's ``start`` script."""
    kernel_dir = spec_dir / KERNEL
    kernel_dir.mkdir(parents=True, exist_ok=True)
    spec = {"argv": [str(ROOT / "start"), str(python), "-m", "ipykernel_launcher",
                     "-f", "{connection_file}"],
            "display_name": "Python 3 (Binder environment)", "language": "python",
            # The start script sets the BLAS threads; clear what this process has so
            # the kernel shows what start does, not what ./course did.
            "env": {"OPENBLAS_NUM_THREADS": "", "OMP_NUM_THREADS": "", "PYTHONPATH": ""}}
    (kernel_dir / "kernel.json").write_text(json.dumps(spec))
    specs = KernelSpecManager(kernel_dirs=[str(spec_dir)], ensure_native_kernel=False)
    return AsyncKernelManager(kernel_name=KERNEL, kernel_spec_manager=specs)


def execute(path: Path, python: Path, spec_dir: Path, extra_cells=()) -> nbformat.NotebookNode:
    """Execute the notebook at ``path`` in the Binder venv, then ``extra_cells`` (sources).

    Raises nbclient's CellExecutionError, naming the cell, if any cell fails.
    """
    nb = nbformat.read(path, as_version=4)
    for source in extra_cells:
        nb.cells.append(nbformat.v4.new_code_cell(source))
    client = NotebookClient(nb, km=kernel_manager(python, spec_dir), timeout=600,
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    return nb


def text_output(cell) -> str:
    """Everything a code cell showed as plain text: streams, results, errors."""
    parts = []
    for output in cell.get("outputs", []):
        if output["output_type"] == "stream":
            parts.append(output["text"])
        elif output["output_type"] in ("execute_result", "display_data"):
            parts.append(output["data"].get("text/plain", ""))
        elif output["output_type"] == "error":
            parts.append(f"{output['ename']}: {output['evalue']}")
    return "".join(parts)
