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


SERVER_CONFIG = json.loads((ROOT / "lab" / "jupyter_server_config.json").read_text())


def test_server_config_names_real_traits_of_jupyter_server():
    from jupyter_server.services.kernels.kernelmanager import MappingKernelManager

    for cls, values in SERVER_CONFIG.items():
        assert cls == "MappingKernelManager", cls
        traits = MappingKernelManager.class_traits(config=True)
        for name, value in values.items():
            assert name in traits, f"{cls} has no setting {name!r}"
            traits[name].validate(None, value)


def test_idle_kernels_are_culled_even_with_a_tab_open_and_closed_tabs_shut_theirs():
    """A learner who goes 00 -> 08 without shutting anything down holds only the kernels
    used in the last half hour (tests/browser/test_session_memory.py measures it)."""
    manager = SERVER_CONFIG["MappingKernelManager"]
    assert manager["cull_connected"] is True and manager["cull_busy"] is False
    assert 15 * 60 <= manager["cull_idle_timeout"] <= 60 * 60, "long enough to read a section"
    assert manager["cull_interval"] <= 120
    assert OVERRIDES["@jupyterlab/notebook-extension:tracker"] == {"kernelShutdown": True}


def test_course_and_postbuild_install_the_server_config_where_jupyter_server_reads_it():
    for script in ("course", "postBuild"):
        text = (ROOT / script).read_text()
        # (not jupyter_server_config.d/: Jupyter Server reads only extensions from there)
        assert "lab/jupyter_server_config.json" in text, script
        assert '"$prefix/etc/jupyter/jupyter_server_config.json"' in text, script
