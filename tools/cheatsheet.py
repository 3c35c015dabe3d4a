"""Print CHEATSHEET.md on one A4 page: Markdown → HTML with print CSS → PDF by Chromium.

    .venv/bin/python tools/cheatsheet.py [OUT.pdf] [--html OUT.html]

(``./course cheatsheet [OUT.pdf]`` sets up the environment and Chromium first.)
The page is A4 landscape in two columns; code blocks wrap rather than run off the
page, and the script fails if the sheet no longer fits on one page. CHROMIUM names
the browser (default /usr/bin/chromium). tests/browser/test_cheatsheet_pdf.py checks
the page count and that nothing is clipped.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import mistune

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "CHEATSHEET.md"
DEFAULT_OUT = ROOT / "build" / "CHEATSHEET.pdf"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]

PAGE_MM = (297, 210)            # A4 landscape
MARGIN_MM = 8
CONTENT_MM = (PAGE_MM[0] - 2 * MARGIN_MM, PAGE_MM[1] - 2 * MARGIN_MM)

CSS = f"""
@page {{ size: A4 landscape; margin: {MARGIN_MM}mm; }}
html {{ font-family: "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif;
        font-size: 8.2pt; line-height: 1.27; color: #111; }}
body {{ margin: 0; width: {CONTENT_MM[0]}mm; }}
header {{ display: flex; align-items: baseline; gap: 5mm; margin: 0 0 2mm; }}
header h1 {{ font-size: 13pt; margin: 0; white-space: nowrap; }}
header p {{ margin: 0; }}
main {{ columns: 2; column-gap: 8mm; column-rule: 0.4pt solid #bbb; }}
section {{ margin: 0 0 2mm; }}
li, tr, pre {{ break-inside: avoid; }}
h2 {{ font-size: 9.6pt; margin: 0 0 0.8mm; padding-bottom: 0.3mm;
      border-bottom: 0.5pt solid #888; break-after: avoid; }}
p, ul, table, pre {{ margin: 0 0 1mm; }}
ul {{ padding-left: 3.6mm; }}
code, pre {{ font-family: "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace;
             font-size: 0.9em; }}
pre {{ white-space: pre-wrap; overflow-wrap: anywhere; line-height: 1.3;
       padding: 0.6mm 0 0.6mm 2mm; border-left: 1.2pt solid #999; }}
pre code {{ font-size: 1em; }}
:not(pre) > code {{ white-space: nowrap; }}
table {{ width: 100%; border-collapse: collapse; }}
th, td {{ text-align: left; vertical-align: top; padding: 0.15mm 1.4mm 0.15mm 0;
          border-bottom: 0.4pt solid #ccc; overflow-wrap: break-word; }}
th {{ border-bottom-color: #888; }}
sub, sup {{ font-size: 0.75em; line-height: 0; }}
"""

# Typesetting outside code: x_t, W_f, h_{t−1} become subscripts (one letter or digit, or
# {...}), ^(T−t) a superscript; no line break inside a formula at − + × ⊙ or around ln,
# nor in "notebook 06 §2".
_SUBSCRIPT = re.compile(r"(?<=[\w\u0302\u0303)])_(\{[^}<]*\}|[A-Za-z0-9](?![A-Za-z0-9_]))")
_SUPERSCRIPT = re.compile(r"\^\(([^)<]*)\)")
_NO_BREAK = re.compile(r"(?<= [−+×⊙]) |(?<=\bln) | (?=ln )| (?=[−+×⊙] )|(?<=notebook) | (?=§)")
_CODE = re.compile(r"(<pre>.*?</pre>|<code>.*?</code>)", re.S)


def _typeset(text: str) -> str:
    text = _SUBSCRIPT.sub(lambda m: f"<sub>{m[1].strip('{}')}</sub>", text)
    text = _SUPERSCRIPT.sub(r"<sup>\1</sup>", text)
    return _NO_BREAK.sub("\u00a0", text)


def _typeset_outside_code(body: str) -> str:
    parts = _CODE.split(body)
    return "".join(p if k % 2 else _typeset(p) for k, p in enumerate(parts))


def to_html(markdown: str) -> str:
    """The whole printable page: the title block across the top, then the ``##``
    sections flowing through two columns (no list item, table row or code block split)."""
    body = _typeset_outside_code(mistune.create_markdown(plugins=["table"])(markdown))
    head, *sections = re.split(r"(?=<h2>)", body)
    title = re.search(r"<h1>(.*?)</h1>", head)
    main = "\n".join(f"<section>\n{s.strip()}\n</section>" for s in sections)
    return (f'<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{title[1] if title else 'Cheat sheet'}</title>\n"
            f"<style>{CSS}</style>\n</head>\n<body>\n<header>\n{head.strip()}\n</header>\n"
            f"<main>\n{main}\n</main>\n</body>\n</html>\n")


def page_count(pdf: bytes) -> int:
    """Pages in a PDF that Chromium (Skia) wrote: its page objects are plain text."""
    return len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", pdf))


def print_pdf(page: str, out: Path, chromium: str = CHROMIUM) -> bytes:
    """Print the HTML ``page`` to ``out`` with headless Chromium; returns the PDF."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "cheatsheet.html"
        source.write_text(page, encoding="utf-8")
        pdf = Path(tmp) / "cheatsheet.pdf"
        command = [chromium, *CHROMIUM_ARGS, f"--user-data-dir={tmp}/profile",
                   "--no-pdf-header-footer", f"--print-to-pdf={pdf}", source.as_uri()]
        try:
            run = subprocess.run(command, capture_output=True, text=True, timeout=120)
        except FileNotFoundError:
            raise SystemExit(f"Chromium not found at {chromium}: install it (Debian: apt-get "
                             "install chromium) or set CHROMIUM to a Chromium binary") from None
        if run.returncode != 0 or not pdf.is_file():
            raise SystemExit(f"{chromium} did not print the PDF (exit {run.returncode}):\n"
                             + run.stderr[-2000:])
        data = pdf.read_bytes()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    return data


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path, default=DEFAULT_OUT,
                        help=f"the PDF to write (default {DEFAULT_OUT.relative_to(ROOT)})")
    parser.add_argument("--html", type=Path, help="also write the HTML page here")
    args = parser.parse_args(argv)
    page = to_html(SOURCE.read_text(encoding="utf-8"))
    if args.html:
        args.html.parent.mkdir(parents=True, exist_ok=True)
        args.html.write_text(page, encoding="utf-8")
    pages = page_count(print_pdf(page, args.out))
    if pages != 1:
        print(f"{args.out}: CHEATSHEET.md prints on {pages} pages, not one: shorten it",
              file=sys.stderr)
        return 1
    print(f"{args.out}: CHEATSHEET.md on one A4 page (landscape, two columns)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
