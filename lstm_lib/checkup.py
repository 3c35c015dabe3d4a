"""Is this machine ready for the course? What a learner checks the week before.

    for item in ll.checkup.report():
        print(item)

Each ``Check`` says what was looked at, whether it is fine, and, when it is not, what to
do, in words a pre-workshop email can quote. The browser's side (do widgets render, does
a live figure redraw?) cannot be seen from here: ``widgets.SetupCheck`` shows that one,
at the top of notebook 00. ``./course check`` prints this report in a terminal.
"""

from __future__ import annotations

import os
import platform
import re
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

SUPPORTED_PYTHONS = ((3, 11), (3, 12), (3, 13))
MEMORY_NEEDED_GB = 2.0       # JupyterLab and a notebook's kernel, with room to spare
REQUIREMENTS = Path(__file__).resolve().parents[1] / "requirements.txt"
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;#]+)")


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    advice: str = ""

    def __str__(self):
        mark = "✓" if self.ok else "✗"
        return f"{mark} {self.name}: {self.detail}" + ("" if self.ok else f" — {self.advice}")


def check_python(version=None) -> Check:
    version = tuple(sys.version_info[:2] if version is None else version)
    shown = ".".join(map(str, version))
    supported = ", ".join(".".join(map(str, v)) for v in SUPPORTED_PYTHONS)
    return Check("Python", version in SUPPORTED_PYTHONS,
                 f"{shown} (the course runs on {supported})",
                 "install Python 3.11, 3.12 or 3.13 and start again with ./course lab "
                 "(or PYTHON=/path/to/python3.12 ./course lab)")


def pinned(path: Path = REQUIREMENTS) -> dict:
    """{name: version} of the exact pins in requirements.txt ({} if there is none)."""
    if not path.exists():
        return {}
    pins = {}
    for line in path.read_text().splitlines():
        match = PIN.match(line.split("#", 1)[0].strip())
        if match:
            pins[match[1]] = match[2]
    return pins


def check_packages(pins: dict | None = None, installed=None) -> Check:
    """Every pinned package is installed at its pinned version."""
    pins = pinned() if pins is None else pins
    if installed is None:
        def installed(name):
            try:
                return metadata.version(name)
            except metadata.PackageNotFoundError:
                return None
    wrong = []
    for name, want in pins.items():
        have = installed(name)
        if have is None or have.split("+")[0] != want:
            wrong.append(f"{name} {have or 'missing'} (wants {want})")
    if not pins:
        return Check("packages", False, "requirements.txt not found beside lstm_lib",
                     "run the course from its own folder, with ./course lab")
    return Check("packages", not wrong,
                 f"all {len(pins)} at the tested versions" if not wrong else ", ".join(wrong),
                 "let ./course lab install them (delete the .venv folder first if it is old), "
                 "or pip install -r requirements.txt")


def available_memory_gb() -> float | None:
    """Memory free for new programs, in GB: MemAvailable on Linux, else the machine's total
    where the system says it (macOS); None where neither is known."""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        match = re.search(r"^MemAvailable:\s+(\d+) kB", meminfo.read_text(), flags=re.M)
        if match:
            return int(match[1]) / 1024**2
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    except (AttributeError, ValueError, OSError):
        return None


def check_memory(gb: float | None = None) -> Check:
    gb = available_memory_gb() if gb is None else gb
    if gb is None:
        return Check("memory", True, "not measurable on this system; 2 GB free is plenty")
    return Check("memory", gb >= MEMORY_NEEDED_GB, f"{gb:.1f} GB free (the course needs "
                 f"about {MEMORY_NEEDED_GB:g})",
                 "close other programs; in JupyterLab, shut down the kernels of notebooks "
                 "you have finished (Kernel → Shut Down Kernel)")


def check_library() -> Check:
    import lstm_lib

    where = Path(lstm_lib.__file__).resolve().parent
    ours = where == Path(__file__).resolve().parent and (where.parent / "notebooks").is_dir()
    return Check("lstm_lib", ours, f"{lstm_lib.__version__} from {where}",
                 "another lstm_lib is installed; run the course with ./course lab from its "
                 "folder")


def report() -> list[Check]:
    """Every check that does not need a browser, in order."""
    return [check_python(), check_packages(), check_memory(), check_library()]


def summary(checks) -> str:
    failed = [c for c in checks if not c.ok]
    where = f"{platform.system()} {platform.machine()}, Python {platform.python_version()}"
    if not failed:
        return f"ready ({where}): now check the browser's side in notebook 00"
    return (f"{len(failed)} of {len(checks)} checks failed ({where}): do what each ✗ line says, "
            "then run the check again")


def main() -> int:
    """``python -m lstm_lib.checkup`` (what ``./course check`` runs): print the report."""
    checks = report()
    for item in checks:
        print(item)
    print(summary(checks))
    return 0 if all(c.ok for c in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
