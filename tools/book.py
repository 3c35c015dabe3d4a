"""Build the course website into _build/html/: what `./course book` runs.

Jupyter Book 1 runs every notebook (book/_config.yml: cached by jupyter-cache in
_build/.jupyter_cache, so a notebook runs again only when its code changes) and writes
one page per notebook, plus the README, the cheat sheet, the instructor guide and
CONTRIBUTING. The cache keys on the notebooks' code alone, so this script empties it
whenever lstm_lib, data/ or a requirements file changed since it was filled: a page
never shows outputs of code that is gone. Any warning fails the build (-W): an error in
a cell, a line of stderr, a broken cross-reference.

    python tools/book.py            build (the first run takes a few minutes)
    python tools/book.py --clean    empty _build/ first
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "_build"
CACHE = BUILD / ".jupyter_cache"
STAMP = BUILD / ".jupyter_cache.inputs"


def inputs_fingerprint() -> str:
    """sha256 over everything besides the notebooks' code that their outputs depend on."""
    files = sorted([*ROOT.glob("lstm_lib/**/*.py"), *ROOT.glob("requirements*.txt"),
                    *(p for p in (ROOT / "data").rglob("*") if p.is_file())])
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def main(argv: list[str]) -> int:
    if "--clean" in argv:
        shutil.rmtree(BUILD, ignore_errors=True)
    fingerprint = inputs_fingerprint()
    if CACHE.exists() and (not STAMP.exists() or STAMP.read_text() != fingerprint):
        print("[book] lstm_lib, data/ or the requirements changed: running every notebook "
              "afresh", file=sys.stderr)
        shutil.rmtree(CACHE)
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    start = time.perf_counter()
    status = subprocess.run(
        [str(jupyter_book), "build", ".", "--config", "book/_config.yml",
         "--toc", "book/_toc.yml", "-W", "--keep-going"], cwd=ROOT).returncode
    seconds = time.perf_counter() - start
    if status == 0:
        BUILD.mkdir(exist_ok=True)
        STAMP.write_text(fingerprint)
        print(f"[book] built in {seconds:.0f} s: open {BUILD / 'html' / 'index.html'}",
              file=sys.stderr)
    else:
        print(f"[book] the build failed after {seconds:.0f} s (see the warnings above)",
              file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
