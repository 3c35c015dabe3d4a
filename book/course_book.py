"""Sphinx extension for the course website (book/_config.yml loads it).

- Runs the notebooks with LSTM_COURSE_STATIC=1, so each widget shows a still picture,
  its readout and a Binder link instead of controls no web page can drive
  (lstm_lib/widgets/static.py).
- Folds the code of cells the notebooks fold (``"jupyter": {"source_hidden": true}``:
  the ll.check cells whose ✓ lines stay in view) by giving them MyST-NB's ``hide-input``
  tag as the book reads them; the notebooks on disk are not changed.
- Gives every figure its plain-text form as alt text: in the book build that text
  names what the figure shows (static.describe_figure), never "<Figure size ...>".
- Points each widget's Binder link at its own notebook, on the Binder of README's badge.
- Drops repeated inline scripts from each page: with Sphinx 7.4, sphinx-thebe's and
  sphinx-togglebutton's configuration lines come twice, and the second
  ``const THEBE_JS_URL`` is a script error in the browser.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

ROOT = Path(__file__).resolve().parents[1]
BINDER_HREF = "#ll-binder-launch"        # lstm_lib.widgets.static.BINDER_HREF
GENERIC_ALT = re.compile(r"^\s*<.*(Figure|object at).*>\s*$")


def binder_base() -> str:
    """The Binder launch URL of README's badge, up to the '?'."""
    match = re.search(r"\((https://mybinder\.org/v2/[^?)\s]+)", (ROOT / "README.md").read_text())
    if not match:
        raise RuntimeError("README.md has no Binder badge to take the launch URL from")
    return match[1]


def fold_hidden_sources(app, docname, source):
    """Tag the cells whose code the notebook folds with hide-input (the page keeps a
    'show code' toggle and shows the output)."""
    if not str(app.env.doc2path(docname)).endswith(".ipynb"):
        return
    notebook = json.loads(source[0])
    for cell in notebook["cells"]:
        if cell.get("metadata", {}).get("jupyter", {}).get("source_hidden"):
            tags = cell["metadata"].setdefault("tags", [])
            if "hide-input" not in tags:
                tags.append("hide-input")
    source[0] = json.dumps(notebook)


class FigureAltText(SphinxPostTransform):
    """alt = the output's text/plain, for every image in a notebook output; run before
    MyST-NB picks one MIME type per output (its SelectMimeType has priority 4)."""

    default_priority = 3

    def run(self, **kwargs):
        for bundle in self.document.findall(nodes.container):
            if bundle.get("nb_element") != "mime_bundle":
                continue
            by_type = {child.get("mime_type"): child for child in bundle.children}
            plain = by_type.get("text/plain")
            text = " ".join(plain.astext().split()) if plain is not None else ""
            for mime, child in by_type.items():
                if not (mime or "").startswith("image/"):
                    continue
                for image in child.findall(nodes.image):
                    if text and not GENERIC_ALT.match(text):
                        image["alt"] = text


class BinderLinks(SphinxPostTransform):
    """Each widget's "launch this notebook on Binder" link, aimed at this page's notebook."""

    default_priority = 900

    def run(self, **kwargs):
        docname = self.env.docname
        url = f"{self.app.config.course_binder_url}?urlpath=lab/tree/{docname}.ipynb"
        for raw in self.document.findall(nodes.raw):
            text = raw.astext()
            if BINDER_HREF in text:
                raw.replace_self(nodes.raw("", text.replace(BINDER_HREF, url),
                                           format=raw.get("format", "html")))


def unique_scripts(app, pagename, templatename, context, doctree):
    seen, unique = set(), []
    for script in context.get("script_files", []):
        key = (getattr(script, "filename", script) or "",     # None and "" alike
               str(sorted(getattr(script, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def setup(app):
    os.environ["LSTM_COURSE_STATIC"] = "1"       # read by the notebooks' kernels
    app.add_config_value("course_binder_url", binder_base(), "html")
    app.connect("source-read", fold_hidden_sources)
    app.add_post_transform(FigureAltText)
    app.add_post_transform(BinderLinks)
    app.connect("html-page-context", unique_scripts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
