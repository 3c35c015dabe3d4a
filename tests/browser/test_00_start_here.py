"""Notebook 00 in a real browser: every cell runs, every claim is ticked, and the neuron
explorer draws the right curve and follows its sliders.

The figure is checked from its pixels: the canvas's blue (matplotlib C0) pixels are the
curve σ(w·x + b), its red (C3) pixels the dashed threshold line. Their positions are
compared with what w and b say they should be.
"""

from __future__ import annotations

import math
import re
import time

import pytest
from harness import ARTIFACTS, ROOT, checked_claims, open_and_run, widget_errors
from playwright.sync_api import expect

NOTEBOOK = "notebooks/00_start_here.ipynb"
X_RANGE = (-6.0, 6.0)                    # NeuronExplorer.X_RANGE
REDRAW_TIMEOUT = 15                      # s, from a slider move to the new figure

# Per canvas: a hash of its pixels, how much of it is not white, and where the blue
# curve and the red dashed line are (canvas pixels; y grows downwards). "left"/"right":
# mean y of the curve over the first and last tenth of its width.
CANVAS_STATS_JS = """(canvas) => {
    const {width, height} = canvas;
    const rgba = canvas.getContext("2d").getImageData(0, 0, width, height).data;
    const words = new Uint32Array(rgba.buffer);
    let hash = 2166136261, ink = 0;
    const blue = [], red = [];
    for (let p = 0; p < words.length; p++) {
        hash = Math.imul(hash ^ words[p], 16777619) >>> 0;
        const r = rgba[4 * p], g = rgba[4 * p + 1], b = rgba[4 * p + 2], a = rgba[4 * p + 3];
        if (a > 0 && r + g + b < 720) ink++;
        const x = p % width, y = Math.floor(p / width);
        if (Math.abs(r - 31) < 30 && Math.abs(g - 119) < 30 && Math.abs(b - 180) < 30) {
            blue.push([x, y]);
        } else if (r > 170 && g < 90 && b < 90) {
            red.push(x);
        }
    }
    const mean = a => a.length ? a.reduce((s, v) => s + v, 0) / a.length : null;
    const xs = blue.map(p => p[0]);
    const x0 = Math.min(...xs), x1 = Math.max(...xs), tenth = (x1 - x0) / 10;
    return {
        width, height, hash, ink: ink / (width * height), blue: blue.length,
        blueMinX: x0, blueMaxX: x1,
        left: mean(blue.filter(p => p[0] <= x0 + tenth).map(p => p[1])),
        right: mean(blue.filter(p => p[0] >= x1 - tenth).map(p => p[1])),
        red: red.length, redX: mean(red),
    };
}"""


def sigmoid(a):
    return 1 / (1 + math.exp(-a))


def number(value):
    """A regex for value as the widgets print it: to one decimal place or more, and with
    "-" or "−" (ipywidgets' slider readouts use the Unicode minus sign)."""
    digits = re.escape(f"{abs(value):.1f}") + "0*"
    return f"[-−]{digits}" if value < 0 else digits


class Explorer:
    """The NeuronExplorer on the page: its sliders, readout and canvas."""

    def __init__(self, page):
        self.page = page
        self.root = page.locator(".ll-neuron-explorer")
        self.readout = self.root.locator(".widget-html-content")
        self.canvas = self.root.locator(".jupyter-matplotlib-canvas-div canvas").first
        self.y_of = None                 # (y at output 0, y at output 1), once measured

    def slider(self, name):
        label = self.page.locator(".widget-label", has_text=re.compile(rf"^{name}$"))
        return self.root.locator(".widget-slider").filter(has=label)

    def press(self, name, *keys):
        """Focus slider `name`'s handle and press keys, as a keyboard user would."""
        self.slider(name).locator(".noUi-handle").focus()
        for key in keys:
            self.page.keyboard.press(key)

    def type_value(self, name, value):
        """Click the number beside slider `name`, type a value, press Enter."""
        self.slider(name).locator(".widget-readout").click()
        self.page.keyboard.press("ControlOrMeta+A")
        self.page.keyboard.type(str(value))
        self.page.keyboard.press("Enter")

    def stats(self):
        return self.canvas.evaluate(CANVAS_STATS_JS)

    def expect_state(self, w, b, says, previous_hash=None):
        """Wait until sliders, readout and figure all show (w, b); return canvas stats."""
        for name, value in (("w", w), ("b", b)):
            handle = self.slider(name).locator(".noUi-handle")
            expect(handle).to_have_attribute("aria-valuenow", re.compile(rf"^{number(value)}$"))
            expect(self.slider(name).locator(".widget-readout")).to_have_text(
                re.compile(rf"^{number(value)}$"))
        expect(self.readout).to_have_text(
            re.compile(rf"^w = {number(w)}, b = {number(b)}: .*{says}"))
        deadline, stats, problems = time.monotonic() + REDRAW_TIMEOUT, None, []
        while time.monotonic() < deadline:
            stats = self.stats()
            problems = self.figure_problems(stats, w, b, previous_hash)
            if not problems:
                return stats
            self.page.wait_for_timeout(100)
        pytest.fail(f"the figure does not show w = {w}, b = {b}: {'; '.join(problems)}\n"
                    f"canvas: {stats}", pytrace=False)

    def figure_problems(self, s, w, b, previous_hash):
        """What is wrong with the figure for (w, b); empty when it looks right."""
        if previous_hash is not None and s["hash"] == previous_hash:
            return ["the canvas has not changed"]
        if not (s["width"] > 0 and s["height"] > 0 and s["ink"] > 0.01 and s["blue"] > 300):
            return ["the canvas is blank or has no curve"]
        problems = []
        rise = s["left"] - s["right"]    # > 0: the curve ends higher than it starts
        if (w > 0 and rise < 100) or (w < 0 and rise > -100) or (w == 0 and abs(rise) > 2):
            problems.append(f"the curve's ends are at y = {s['left']:.0f} (left) and "
                            f"{s['right']:.0f} (right)")
        if w == 0 and self.y_of:
            level, (y0, y1) = sigmoid(b), self.y_of
            want = y0 + level * (y1 - y0)
            if abs(s["left"] - want) > 4:
                problems.append(f"the flat line is at y = {s['left']:.0f}, "
                                f"σ(b) = {level:.3f} is at y = {want:.0f}")
        threshold = None if w == 0 else -b / w
        if threshold is None or not X_RANGE[0] <= threshold <= X_RANGE[1]:
            if s["red"]:
                problems.append(f"a threshold line is drawn ({s['red']} red pixels)")
        elif s["red"] < 50:
            problems.append("no threshold line")
        else:
            scale = (X_RANGE[1] - X_RANGE[0]) / (s["blueMaxX"] - s["blueMinX"])
            drawn = X_RANGE[0] + (s["redX"] - s["blueMinX"]) * scale
            if abs(drawn - threshold) > 0.2:
                problems.append(f"the threshold line is at x = {drawn:.2f}, "
                                f"not {threshold:.2f}")
        return problems


def test_start_here_runs_and_its_neuron_explorer_follows_the_sliders(page):
    committed = (ROOT / NOTEBOOK).read_bytes()
    run = open_and_run(page, NOTEBOOK)

    # Every checked sentence was printed with its tick, and none failed.
    claims = checked_claims(NOTEBOOK)
    ticked = [line for line in run.text.splitlines() if line.startswith("✓ ")]
    assert claims, f"no ll.check claims found in {NOTEBOOK}"
    assert sorted(ticked) == sorted(f"✓ {claim}" for claim in claims)
    assert "ClaimFailed" not in run.text

    # The setup check: the browser set the figure up, and asks for a new picture when
    # the slider moves (what a learner checks the week before a workshop).
    check = page.locator(".lstm-setup-check")
    expect(check).to_have_count(1)
    check.scroll_into_view_if_needed()
    expect(check.locator("tr", has_text="Python")).to_contain_text("✓")
    readout = check.locator(".widget-html-content").nth(1)
    expect(readout).to_contain_text("your browser shows live figures", timeout=30_000)
    check.locator(".widget-slider .noUi-handle").focus()
    page.keyboard.press("ArrowRight")
    expect(readout).to_contain_text("this computer is ready", timeout=30_000)
    check.screenshot(path=ARTIFACTS / "00_setup_check.png")

    explorer = Explorer(page)
    expect(explorer.root).to_have_count(1)
    explorer.root.scroll_into_view_if_needed()
    box = explorer.canvas.bounding_box()
    assert box and box["width"] > 100 and box["height"] > 100, f"canvas box: {box}"

    # As the notebook builds it: w = 1, b = 0, a gentle rise through x = 0.
    start = explorer.expect_state(1, 0, r"when x > 0\.00$")
    start_png = explorer.canvas.screenshot()
    explorer.root.screenshot(path=ARTIFACTS / "00_neuron_explorer-start.png")

    # w to its maximum: a step at x = 0. Its flat ends give the y of outputs 0 and 1.
    explorer.press("w", "End")
    steep = explorer.expect_state(10, 0, r"when x > 0\.00$", start["hash"])
    explorer.y_of = (steep["left"], steep["right"])
    assert explorer.canvas.screenshot() != start_png, "the figure on screen did not change"

    # b to its maximum moves the threshold to x = -b/w = -1.
    explorer.press("b", "End")
    shifted = explorer.expect_state(10, 10, r"when x > -1\.00$", steep["hash"])

    # w to its minimum flips the curve: yes below x = 1. Then three steps of 0.1 up.
    explorer.press("w", "Home")
    flipped = explorer.expect_state(-10, 10, r"when x < 1\.00$", shifted["hash"])
    explorer.press("w", "ArrowRight", "ArrowRight", "ArrowRight")
    stepped = explorer.expect_state(-9.7, 10, r"when x < 1\.03$", flipped["hash"])

    # w = 0: the output ignores x, a flat line at σ(b) and no threshold.
    explorer.type_value("w", 0)
    flat = explorer.expect_state(0, 10, r"ignores x .*σ\(b\) = 1\.000$", stepped["hash"])
    explorer.type_value("b", -1)
    explorer.expect_state(0, -1, r"ignores x .*σ\(b\) = 0\.269$", flat["hash"])
    explorer.root.screenshot(path=ARTIFACTS / "00_neuron_explorer-end.png")

    assert not widget_errors(page), widget_errors(page)
    assert not page.page_errors, f"errors in JupyterLab's page: {page.page_errors}"
    assert (ROOT / NOTEBOOK).read_bytes() == committed, f"{NOTEBOOK} was written to"
