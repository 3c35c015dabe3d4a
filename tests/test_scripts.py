"""The shell scripts a learner runs work where learners are: on macOS's bash 3.2, and in a
checkout made by Git for Windows (which would turn LF into CRLF without .gitattributes)."""

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = ["course", "start", "postBuild", ".ci/run"]

# What bash 3.2 (macOS's /bin/bash) lacks or breaks on, with the fix to use instead.
BASH4_ONLY = {
    r"\bmapfile\b|\breadarray\b": "mapfile/readarray (bash 4): read lines with while read",
    r"\bdeclare\s+-A\b|\blocal\s+-A\b": "associative arrays (bash 4)",
    r"\$\{\w+(,,|\^\^|,|\^)\}": "case conversion ${x,,} (bash 4): use tr",
    r"\$\{\w+@[QEPAa]\}": "${x@Q} transformations (bash 4.4)",
    r"&>>": "&>> (bash 4): use >>file 2>&1",
    r"\|&": "|& (bash 4): use 2>&1 |",
    r"\bcoproc\b": "coproc (bash 4)",
    r"\$EPOCHSECONDS|\$EPOCHREALTIME|\$SRANDOM": "bash 5 variables",
    r"\bwait\s+-n\b": "wait -n (bash 4.3)",
}
# "${arr[@]}" of an empty array is an unbound-variable error under set -u before bash
# 4.4: an array that may be empty is expanded as ${arr[@]+"${arr[@]}"}.
EMPTY_SAFE = re.compile(r'\$\{(\w+)\[@\]\+"\$\{\1\[@\]\}"\}')
ARRAY_USE = re.compile(r'"\$\{(\w+)\[@\]\}"')


def code_lines(path):
    for number, line in enumerate((ROOT / path).read_text().splitlines(), 1):
        stripped = line.lstrip()
        if stripped and not stripped.startswith("#"):
            yield number, line


@pytest.mark.parametrize("script", SCRIPTS)
def test_scripts_keep_to_what_bash_3_2_runs(script):
    for number, line in code_lines(script):
        for pattern, why in BASH4_ONLY.items():
            assert not re.search(pattern, line), f"{script}:{number}: {why}: {line.strip()}"


def test_arrays_that_may_be_empty_are_expanded_safely():
    """The one array of ./course that can be empty, PIP_SOURCE, is only ever expanded in
    the guarded form; arrays that always hold something may use the plain form."""
    text = (ROOT / "course").read_text()
    assert re.search(r"^PIP_SOURCE=\(\)$", text, flags=re.M)
    plain = {m[1] for _, line in code_lines("course") for m in ARRAY_USE.finditer(
        EMPTY_SAFE.sub("", line))}
    assert "PIP_SOURCE" not in plain, "PIP_SOURCE may be empty: expand it guarded"
    assert EMPTY_SAFE.search(text), "the guarded expansion of PIP_SOURCE is gone"


@pytest.mark.parametrize("script", SCRIPTS)
def test_scripts_check_out_with_lf_line_endings(script):
    eol = subprocess.run(["git", "check-attr", "eol", script], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout
    assert eol.strip().endswith("eol: lf"), eol
    assert b"\r\n" not in (ROOT / script).read_bytes()
    assert (ROOT / script).read_text().startswith(("#!/usr/bin/env bash", "#!/bin/bash"))


def test_notebooks_check_out_with_lf_and_the_corpus_byte_for_byte():
    out = subprocess.run(["git", "check-attr", "eol", "text", "--",
                          "notebooks/00_start_here.ipynb", "data/stdlib_corpus/csv.py"],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert "notebooks/00_start_here.ipynb: eol: lf" in out
    assert "data/stdlib_corpus/csv.py: text: unset" in out
    assert "data/stdlib_corpus/csv.py: eol: unset" in out
