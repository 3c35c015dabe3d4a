"""The printed cheat sheet (tools/cheatsheet.py, ./course cheatsheet) is exactly one A4
page, and nothing on it is clipped: no text outside its column or the page, no box
wider than its content allows, no code line wrapped. Leaves test-artifacts/cheatsheet.pdf
and cheatsheet.png (the page as Chromium lays it out) to look at."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import harness

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("cheatsheet", ROOT / "tools" / "cheatsheet.py")
cheatsheet = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cheatsheet)

PX_PER_MM = 96 / 25.4
A4_LANDSCAPE_PT = (842, 595)

# Every text fragment's box, the columns it must sit in, and the boxes that overflow.
MEASURE = """() => {
  const main = document.querySelector('main');
  const style = getComputedStyle(main);
  const box = main.getBoundingClientRect();
  const count = parseInt(style.columnCount), gap = parseFloat(style.columnGap);
  const width = (box.width - gap * (count - 1)) / count;
  const outside = [], overflowing = [], wrapped = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim()) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const inMain = main.contains(node);
    for (const r of range.getClientRects()) {
      if (r.width === 0) continue;
      let left = 0, right = document.body.clientWidth;
      if (inMain) {
        const k = Math.floor((r.left - box.left + gap / 2) / (width + gap));
        left = box.left + k * (width + gap);
        right = left + width;
        if (k < 0 || k >= count) { left = Infinity; }
      }
      if (r.left < left - 0.5 || r.right > right + 0.5)
        outside.push(node.textContent.trim().slice(0, 60));
    }
  }
  for (const el of document.body.querySelectorAll('*')) {
    if (el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 0.5)
      overflowing.push(el.tagName + ': ' + el.textContent.trim().slice(0, 60));
  }
  for (const pre of document.querySelectorAll('pre')) {
    const s = getComputedStyle(pre);
    const lines = pre.textContent.replace(/\\n$/, '').split('\\n').length;
    const height = pre.clientHeight - parseFloat(s.paddingTop) - parseFloat(s.paddingBottom);
    if (Math.round(height / parseFloat(s.lineHeight)) !== lines)
      wrapped.push(pre.textContent.slice(0, 60));
  }
  return {outside, overflowing, wrapped, columns: count,
          height: document.body.getBoundingClientRect().height};
}"""


def test_pdf_is_one_a4_landscape_page():
    out = harness.ARTIFACTS / "cheatsheet.pdf"
    out.unlink(missing_ok=True)
    run = subprocess.run([sys.executable, ROOT / "tools" / "cheatsheet.py", out],
                         capture_output=True, text=True, timeout=300, cwd=ROOT,
                         env={**os.environ, "CHROMIUM": os.environ.get("CHROMIUM",
                                                                       cheatsheet.CHROMIUM)})
    assert run.returncode == 0, run.stdout + run.stderr
    pdf = out.read_bytes()
    assert cheatsheet.page_count(pdf) == 1
    (count,) = re.findall(rb"/Type\s*/Pages\s*/Count\s+(\d+)", pdf)
    assert int(count) == 1
    boxes = re.findall(rb"/MediaBox\s*\[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    assert boxes and {(round(float(w)), round(float(h))) for w, h in boxes} == {
        A4_LANDSCAPE_PT}


def test_nothing_is_clipped(browser):
    page_mm, content_mm = cheatsheet.PAGE_MM, cheatsheet.CONTENT_MM
    context = browser.new_context(viewport={"width": round(page_mm[0] * PX_PER_MM),
                                            "height": round(page_mm[1] * PX_PER_MM)})
    try:
        page = context.new_page()
        page.emulate_media(media="print")
        page.set_content(cheatsheet.to_html(cheatsheet.SOURCE.read_text(encoding="utf-8")))
        page.evaluate("document.fonts.ready")
        harness.ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=harness.ARTIFACTS / "cheatsheet.png", full_page=True)
        found = page.evaluate(MEASURE)
    finally:
        context.close()
    assert found["columns"] == 2
    assert not found["outside"], f"text outside its column or the page: {found['outside']}"
    assert not found["overflowing"], f"boxes wider than they show: {found['overflowing']}"
    assert not found["wrapped"], f"code blocks whose lines wrap: {found['wrapped']}"
    fill = found["height"] / (content_mm[1] * PX_PER_MM)
    print(f"the sheet fills {fill:.0%} of the printable height")
    assert fill <= 1, f"the sheet is {fill:.0%} of one page's height"
