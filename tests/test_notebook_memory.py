"""Every notebook's kernel stays under 500 MB after Run All, as measured by
benchmarks/bench_notebooks.py --write (benchmarks/notebook_times.json), and that
measurement is of the notebooks' code as it is now."""

import importlib.util
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("bench_notebooks",
                                               ROOT / "benchmarks" / "bench_notebooks.py")
bench = sys.modules["bench_notebooks"] = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)

MEASURE = ".venv/bin/python benchmarks/bench_notebooks.py --write"
RECORD = json.loads(bench.TIMES_JSON.read_text())
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def test_every_notebook_has_a_recorded_peak_and_cpu_time():
    assert set(RECORD["notebooks"]) == {p.name for p in NOTEBOOKS}, f"run {MEASURE}"
    for name, entry in RECORD["notebooks"].items():
        # a kernel with numpy, matplotlib and ipywidgets imported holds about 100 MB
        assert 50 < entry["peak_rss_mb"], name
        assert 0 < entry["cpu_s"], name


def test_no_kernel_reaches_500_mb():
    over = {name: e["peak_rss_mb"] for name, e in RECORD["notebooks"].items()
            if e["peak_rss_mb"] >= bench.KERNEL_LIMIT_MB}
    assert not over, (f"kernels at or over {bench.KERNEL_LIMIT_MB} MB after Run All: {over}. "
                      "Keep summaries, not traces or runs (see notebook 06's held_gates)")


def test_the_record_measured_the_code_as_it_is_now():
    """A notebook whose code cells changed since the measurement must be measured again
    (prose changes do not count; a change in lstm_lib is not detected here)."""
    stale = [p.name for p in NOTEBOOKS
             if RECORD["notebooks"][p.name]["code_sha256"] != bench.code_fingerprint(p)]
    assert not stale, f"code changed since its memory was measured: {stale}; run {MEASURE}"
