"""Shared helpers for the tests. Every random number here comes from a seeded Generator."""

import matplotlib
import numpy as np
import pytest

# Widgets built in tests draw off screen (the browser tests run notebooks in their own
# kernels, which use ipympl).
matplotlib.use("Agg")


REBUILDS = {"binder_python", "binder_runs"}


def pytest_collection_modifyitems(items):
    """Tests that rebuild an environment from scratch (the Binder venv, a wheelhouse) are
    marked ``rebuild``: ./course test runs them once, on the main Python."""
    for item in items:
        if REBUILDS & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.rebuild)


@pytest.fixture
def rng():
    return np.random.default_rng(1234)



@pytest.fixture(scope="session")
def binder_python():
    """The python of a fresh venv built as Binder builds the course (tests/binder.py)."""
    import binder

    return binder.build()


@pytest.fixture(scope="session")
def binder_runs(binder_python, tmp_path_factory):
    """run(notebook name) -> the notebook executed in the Binder venv, then, for each
    exercise, its reference solution and its check again (as two cells appended at
    the end). Each notebook is executed once per session; a failure is re-raised."""
    import binder
    from notebook_exercises import ROOT, exercises_in, read

    done = {}

    def run(name):
        if name not in done:
            path = ROOT / "notebooks" / name
            nb = read(path)
            extra = []
            for ex in exercises_in(path):
                extra += [ex.solution_code(nb), ex.source(nb, "check")]
            try:
                done[name] = binder.execute(path, binder_python,
                                            tmp_path_factory.mktemp("kernels"), extra)
            except Exception as error:       # every test of this notebook reports it
                done[name] = error
        if isinstance(done[name], Exception):
            raise done[name]
        return done[name]

    return run
