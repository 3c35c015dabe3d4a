"""The harness itself: a notebook whose cell raises must fail open_and_run, and say why."""

import shutil
import uuid

import nbformat
import pytest
from harness import ARTIFACTS, ROOT, open_and_run


def test_open_and_run_fails_naming_the_cell_that_raised(page):
    folder = ARTIFACTS / f"harness-{uuid.uuid4().hex[:8]}"    # under the server's root
    folder.mkdir(parents=True)
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("import lstm_lib as ll\nprint('before')"),
        nbformat.v4.new_code_cell('ll.check(1 > 2, "one is more than two")'),
        nbformat.v4.new_code_cell("print('after')"),
    ])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    nbformat.write(notebook, folder / "raises.ipynb")
    try:
        with pytest.raises(pytest.fail.Exception) as failure:
            open_and_run(page, (folder / "raises.ipynb").relative_to(ROOT).as_posix())
    finally:
        shutil.rmtree(folder)
    assert ("cell 1 raised ClaimFailed: claim no longer holds: one is more than two"
            in str(failure.value)), str(failure.value)
