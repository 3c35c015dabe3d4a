"""lab/overrides.json names real JupyterLab settings with valid values, and every way of
running the course installs it (./course here, postBuild on Binder: tests/test_binder.py;
what a learner sees at first launch: tests/browser/test_first_launch.py)."""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OVERRIDES = json.loads((ROOT / "lab" / "overrides.json").read_text())
SCHEMAS = Path(sys.prefix) / "share" / "jupyter" / "lab" / "schemas"


def test_every_override_is_a_setting_jupyterlab_defines_with_an_allowed_value():
    for plugin_id, values in OVERRIDES.items():
        package, plugin = plugin_id.split(":")
        schema = json.loads((SCHEMAS / package / f"{plugin}.json").read_text())
        for name, value in values.items():
            assert name in schema["properties"], f"{plugin_id} has no setting {name!r}"
            spec = schema["properties"][name]
            if "oneOf" in spec:
                assert value in [option["const"] for option in spec["oneOf"]], (plugin_id, name)
            else:
                assert {"boolean": bool, "string": str}[spec["type"]] is type(value), name


def test_the_news_question_and_the_update_check_are_off():
    notification = OVERRIDES["@jupyterlab/apputils-extension:notification"]
    assert notification == {"fetchNews": "false", "checkForUpdates": False}


def test_course_and_postbuild_install_it_where_jupyterlab_reads_overrides():
    target = "share/jupyter/lab/settings"
    for script in ("course", "postBuild"):
        text = (ROOT / script).read_text()
        assert target in text and "lab/overrides.json" in text, script
