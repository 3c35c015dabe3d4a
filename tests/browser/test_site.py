"""The course website (`./course book`, tools/book.py): it builds from the clone, and in
Chromium every page loads, every image loads and says what it shows, no internal link is
broken, no traceback or stderr reaches the reader, every notebook page has its figures,
every widget is a still picture with its readout and a Binder link to its notebook,
solutions stay folded, and search finds the course.

The site is built once per session (notebook runs cached in _build/.jupyter_cache, so a
second session rebuilds in seconds) and served from a local HTTP server; requests that
leave it (the README's Binder badge) are blocked, so the tests need no network.
Screenshots: test-artifacts/site/.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlparse

import harness
import pytest
from conftest import VIEWPORT

ROOT = Path(__file__).resolve().parents[2]
HTML = ROOT / "_build" / "html"
SHOTS = harness.ARTIFACTS / "site"
NOTEBOOKS = sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
PAGES = ["README", *(f"notebooks/{n}" for n in NOTEBOOKS), "CHEATSHEET",
         "INSTRUCTOR_GUIDE", "CONTRIBUTING"]
BINDER = re.search(r"\((https://mybinder\.org/v2/[^?)\s]+)",
                   (ROOT / "README.md").read_text())[1]
GENERIC_ALT = re.compile(r"^$|^<.*>$|Figure size|a figure without titles|^(image|figure|png)$",
                         re.I)

# What a page shows: images, links, outputs, static widgets, folded solutions.
SURVEY = """() => {
  const imgs = [...document.querySelectorAll('img')].map(img => ({
    src: img.currentSrc || img.src, alt: img.getAttribute('alt'), ok: img.complete &&
    img.naturalWidth > 0, output: !!img.closest('.cell_output'),
    widget: !!img.closest('.ll-static-widget')}));
  const links = [...document.querySelectorAll('a[href]')].map(a => a.href);
  const text = (document.querySelector('article') || document.body).innerText;
  const widgets = [...document.querySelectorAll('.ll-static-widget')].map(w => ({
    img: !!w.querySelector('img'), readout: (w.querySelector('.ll-static-readout') || {}).innerText,
    binder: [...w.querySelectorAll('a.ll-binder-link')].map(a => a.href)}));
  const details = [...document.querySelectorAll('details')].map(d => ({
    summary: (d.querySelector('summary') || {}).innerText, open: d.open}));
  return {imgs, links, text, widgets, details,
    stderr: document.querySelectorAll('.stderr, .traceback, .output.error').length,
    foldedCode: document.querySelectorAll('.cell.tag_hide-input details:not([open])').length,
    liveWidgets: document.querySelectorAll(
      'script[type="application/vnd.jupyter.widget-view+json"]').length,
    prev: (document.querySelector('a.left-prev') || {}).href || null,
    next: (document.querySelector('a.right-next') || {}).href || null,
    title: document.title};
}"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def site():
    """Build the site once (tools/book.py, as `./course book` does), then serve it."""
    start = time.perf_counter()
    build = subprocess.run([sys.executable, str(ROOT / "tools" / "book.py")], cwd=ROOT,
                           capture_output=True, text=True)
    seconds = time.perf_counter() - start
    harness.ARTIFACTS.mkdir(exist_ok=True)
    (harness.ARTIFACTS / "site-build.log").write_text(build.stdout + build.stderr)
    assert build.returncode == 0, (
        f"the site build failed after {seconds:.0f} s:\n{(build.stdout + build.stderr)[-6000:]}")
    print(f"\nsite built in {seconds:.0f} s")
    handler = functools.partial(_Quiet, directory=str(HTML))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="session")
def surveys(site, browser):
    """Every page, loaded once in Chromium: what SURVEY found, plus console errors."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
    context.route(re.compile(r"^(?!http://127\.0\.0\.1:)[a-z]+://.*"),
                  lambda route: route.abort())            # nothing from outside
    found = {}
    try:
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        for name in PAGES:
            errors.clear()
            response = page.goto(f"{site}{name}.html", wait_until="load")
            page.wait_for_function(
                "[...document.images].every(img => img.complete)", timeout=30_000)
            data = page.evaluate(SURVEY)
            data["status"] = response.status
            data["errors"] = list(errors)
            found[name] = data
            page.screenshot(path=SHOTS / f"{name.replace('/', '_')}.png")
        # a widget as the page shows it, and a folded solution
        page.goto(f"{site}notebooks/{NOTEBOOKS[1]}.html", wait_until="load")
        widget = page.locator(".ll-static-widget").first
        widget.scroll_into_view_if_needed()
        widget.screenshot(path=SHOTS / "static_widget.png")
        solution = page.locator("details").first        # folded, under its check's output
        solution.scroll_into_view_if_needed()
        page.mouse.wheel(0, -400)
        page.wait_for_timeout(300)
        page.screenshot(path=SHOTS / "exercise.png")
        page.goto(f"{site}notebooks/{NOTEBOOKS[4]}.html", wait_until="load")
        page.locator(".cell.tag_hide-input").first.scroll_into_view_if_needed()
        page.screenshot(path=SHOTS / "folded_check.png")
        yield found
    finally:
        context.close()


def test_every_page_loads_without_script_errors(surveys):
    for name, data in surveys.items():
        assert data["status"] == 200, name
        assert not data["errors"], f"{name}: script errors {data['errors']}"
        assert "LSTMs from scratch" in data["title"], name


def test_every_image_loads_and_says_what_it_shows(surveys):
    for name, data in surveys.items():
        for img in data["imgs"]:
            local = img["src"].startswith(("http://127.0.0.1", "data:"))
            if local:
                assert img["ok"], f"{name}: image did not load: {img['src'][:80]}"
            else:   # blocked here; only the README's Binder badge may come from outside
                assert "mybinder.org/badge" in img["src"], f"{name}: {img['src']}"
            assert img["alt"] is not None and not GENERIC_ALT.search(img["alt"].strip()), (
                f"{name}: image without a real alt text: {img['alt']!r} {img['src'][:80]}")


def test_every_notebook_page_has_its_figures(surveys):
    counts = {}
    for notebook in NOTEBOOKS:
        data = surveys[f"notebooks/{notebook}"]
        counts[notebook] = sum(img["output"] for img in data["imgs"])
        assert counts[notebook] > 0, f"{notebook}: no figure on its page"
        assert "Figure size" not in data["text"], notebook
    print("\nfigures per notebook page:", counts)


def test_no_traceback_or_stderr_reaches_the_reader(surveys):
    for name, data in surveys.items():
        assert data["stderr"] == 0, f"{name}: a stderr or error output is shown"
        for marker in ("Traceback (most recent call last)", "Error Traceback",
                       "RuntimeWarning", "DeprecationWarning", "UserWarning"):
            assert marker not in data["text"], f"{name}: {marker!r} on the page"


def test_no_internal_link_is_broken(surveys, site):
    texts = {}
    broken = []
    for name, data in surveys.items():
        for href in data["links"]:
            url, fragment = urldefrag(href)
            if not url.startswith(site):
                continue
            path = HTML / unquote(urlparse(url).path).lstrip("/")
            if path.is_dir():
                path = path / "index.html"
            if not path.is_file():
                broken.append(f"{name} -> {href}")
                continue
            if fragment and path.suffix == ".html":
                text = texts.setdefault(path, path.read_text(errors="replace"))
                if f'id="{unquote(fragment)}"' not in text:
                    broken.append(f"{name} -> {href} (no such anchor)")
    assert not broken, "broken internal links:\n" + "\n".join(sorted(set(broken)))


def test_notebooks_are_pages_in_course_order_with_previous_and_next(surveys, site):
    order = [f"notebooks/{n}" for n in NOTEBOOKS]
    for before, after in zip(order, order[1:], strict=False):
        assert surveys[before]["next"] == urljoin(site, f"{after}.html"), before
        assert surveys[after]["prev"] == urljoin(site, f"{before}.html"), after


def test_widgets_are_still_pictures_with_a_binder_link_to_their_notebook(surveys):
    seen = {}
    for notebook in NOTEBOOKS:
        data = surveys[f"notebooks/{notebook}"]
        assert data["liveWidgets"] == 0, f"{notebook}: a live widget view no page can draw"
        for widget in data["widgets"]:
            assert widget["img"] and widget["readout"].strip(), notebook
            assert widget["binder"] == [
                f"{BINDER}?urlpath=lab/tree/notebooks/{notebook}.ipynb"], widget["binder"]
        assert "interactive" in data["text"] or not data["widgets"]
        seen[notebook] = len(data["widgets"])
    print("\nstill widgets per notebook page:", seen)
    assert all(seen.values()), f"a notebook page shows no widget picture: {seen}"


def test_solutions_stay_folded_and_checks_show_their_ticks(surveys):
    for notebook in NOTEBOOKS:
        data = surveys[f"notebooks/{notebook}"]
        cells = json.loads((ROOT / "notebooks" / f"{notebook}.ipynb").read_text())["cells"]
        hidden = sum(bool(c["metadata"].get("jupyter", {}).get("source_hidden")) for c in cells)
        assert data["foldedCode"] == hidden, (
            f"{notebook}: {hidden} cells fold their code in JupyterLab, "
            f"{data['foldedCode']} on the page")
        solutions = [d for d in data["details"] if "solution" in (d["summary"] or "").lower()]
        assert solutions, f"{notebook}: no folded reference solution"
        assert not any(d["open"] for d in solutions), notebook
        assert "✓" in data["text"], f"{notebook}: no ✓ line of a check"


def test_the_site_opens_on_the_readme(site, browser):
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        page.goto(site, wait_until="load")
        page.wait_for_url(f"{site}README.html")
        assert page.locator("h1").first.inner_text().startswith("LSTMs from scratch")
    finally:
        context.close()


def test_search_finds_the_course(site, browser):
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        page.goto(f"{site}search.html?q=forget+gate", wait_until="load")
        results = page.locator("#search-results li a")
        results.first.wait_for(timeout=30_000)
        hrefs = results.evaluate_all("links => links.map(a => a.href)")
        page.screenshot(path=SHOTS / "search.png")
        assert any("/notebooks/05_lstm_cell" in h for h in hrefs), hrefs
    finally:
        context.close()


def test_the_cheat_sheet_and_the_instructor_guide_are_pages(surveys):
    assert "CHEATSHEET" in surveys and "INSTRUCTOR_GUIDE" in surveys
    index = surveys["README"]["links"]
    for page in ("CHEATSHEET.html", "INSTRUCTOR_GUIDE.html", "notebooks/00_start_here.html"):
        assert any(link.split("#")[0].endswith(page) for link in index), page
