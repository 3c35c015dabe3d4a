"""Find every widget control in a notebook that has run, change each one as a user would,
and check that the view answered: a figure's pixels or a readout's text changed.

    results = drive_controls(page, "notebooks/00_start_here.ipynb")
    assert_all_responded(results)

A control counts as one ipywidgets control the learner can change: a slider (int, float,
selection or range), a Dropdown or Select, ToggleButtons, a ToggleButton, RadioButtons,
a Checkbox, a Play, a Button, a Text or number box. A widget that looks interactive but
has no driver here (a date picker, a Tab, ...) fails the run: add a driver for it.

What counts as the view: everything in the control's cell output area except the
controls themselves (a slider's own readout moving is no answer) and ipympl's toolbar
and cursor footer. Its state is the text of the remaining readouts (HTML, Label, Output
widgets, printed text), the src of images, progress bars, and a hash of every canvas's
pixels (ipympl figures). When the cell shows nothing but controls, the whole notebook is
watched instead; and when the cell's view does not change, the whole notebook's state is
compared before failing, so a control may drive a figure in another cell.

Latency is measured in the page: the input event's timestamp (keydown, pointerdown,
input or change, as the browser created it) to the first animation frame at which a
canvas in the view shows new pixels; to the first changed readout when the view has no
canvas, or when only a readout changed. Frames come every ~16 ms, so that is the
resolution.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

RESPONSE_TIMEOUT = 10.0      # s, from a change to the view answering
CANVAS_GRACE = 2.0           # s, after a readout changed, to wait for its figure too
QUIET_TIME = 0.25            # s without any change in the view before a control is driven
SLIDER_SAMPLES = 3           # latency samples per slider (one key press each)
LATENCY_TARGET = 1.5         # a notebook's median over the bare widget's: reported, not asserted

# Every result of drive_controls in this test session, for the terminal summary.
RESULTS: dict[str, list[ControlResult]] = {}
DURATIONS: dict[str, float] = {}             # s spent driving each notebook's controls

DRIVER_JS = r"""
(() => {
if (window.__ll) return;
const KINDS = [
    ["slider", ".widget-slider"],
    ["dropdown", ".widget-dropdown, .widget-select"],
    ["toggle-buttons", ".widget-toggle-buttons"],
    ["radio", ".widget-radio"],
    ["toggle-button", ".widget-toggle-button"],
    ["checkbox", ".widget-checkbox"],
    ["play", ".widget-play"],
    ["button", ".widget-button"],
    ["text", ".widget-text"],
];
// Interactive widgets no driver here knows how to change: finding one fails the run.
const UNKNOWN = [".widget-select-multiple", ".widget-textarea", ".widget-colorpicker",
    ".widget-datepicker", ".widget-upload", ".widget-combobox", ".widget-tagsinput",
    ".widget-tab", ".jupyter-widget-Collapse", ".widget-password"].join(", ");
// Not a control and not the view: ipympl's own toolbar, header and cursor readout.
const FOREIGN = ".jupyter-matplotlib-toolbar, .jupyter-matplotlib-header, " +
                ".jupyter-matplotlib-footer";
const SKIP_TEXT = "[data-ll-control], " + FOREIGN + ", style, script";

function hashString(s, h = 2166136261) {
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
    return h;
}
function hashCanvas(canvas) {
    let ctx = null;
    try { ctx = canvas.getContext("2d"); } catch (e) { /* a WebGL canvas */ }
    if (!ctx) return `${canvas.width}x${canvas.height}:?`;
    const words = new Uint32Array(ctx.getImageData(0, 0, canvas.width, canvas.height).data.buffer);
    let h = 2166136261;
    for (let p = 0; p < words.length; p++) h = Math.imul(h ^ words[p], 16777619) >>> 0;
    return `${canvas.width}x${canvas.height}:${h}`;
}
function viewState(scope) {
    const texts = [];
    const walker = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const el = n.parentElement;
        if (!el || el.closest(SKIP_TEXT)) continue;
        const t = n.nodeValue.trim();
        if (t) texts.push(t);
    }
    for (const img of scope.querySelectorAll("img")) texts.push("img:" + hashString(img.src));
    for (const bar of scope.querySelectorAll(".progress-bar")) {
        texts.push("bar:" + bar.style.cssText);
    }
    const canvases = [...scope.querySelectorAll("canvas")]
        .filter(c => c.width && c.height && !c.closest(SKIP_TEXT)).map(hashCanvas);
    return {text: texts.join("\n"), canvases: canvases.join(",")};
}
function scopeOf(control) { return control.closest(".jp-OutputArea") || control.parentElement; }
function control(id) { return document.querySelector(`[data-ll-control="${id}"]`); }
function visible(el) { return !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length); }
function describe(el, kind) {
    const clean = s => (s || "").replace(/[\u200b\s]+/g, " ").trim();
    const label = el.querySelector(":scope > .widget-label, :scope > label");
    let name = clean(label && label.textContent);
    if (!name) name = clean(el.textContent).slice(0, 40);
    if (!name) name = clean(el.getAttribute("title"));
    if (!name && kind === "play") name = "Play";
    return name;
}

window.__ll = {
    discover() {
        const notebook = document.querySelector(".jp-Notebook");
        const cells = [...notebook.querySelectorAll(".jp-Cell")];
        const outputs = [...notebook.querySelectorAll(".jp-OutputArea")];
        const found = [], unknown = [];
        let next = document.querySelectorAll("[data-ll-control]").length;
        for (const [kind, selector] of KINDS) {
            for (const el of outputs.flatMap(o => [...o.querySelectorAll(selector)])) {
                if (el.closest(FOREIGN) || el.closest("[data-ll-control]")) continue;
                el.dataset.llControl = String(next++);
                found.push(el);
            }
        }
        for (const o of outputs) for (const el of o.querySelectorAll(UNKNOWN)) {
            unknown.push(`${el.className} in cell ${cells.indexOf(el.closest(".jp-Cell")) + 1}`);
        }
        const FOLLOWS = Node.DOCUMENT_POSITION_FOLLOWING;
        found.sort((a, b) => a.compareDocumentPosition(b) & FOLLOWS ? -1 : 1);
        const controls = found.map(el => {
            const kind = KINDS.find(([, s]) => el.matches(s))[0];
            const disabled = !!(el.matches(":disabled, .mod-disabled, [disabled]") ||
                                el.querySelector("[disabled], :disabled"));
            return {id: el.dataset.llControl, kind, name: describe(el, kind),
                    cell: cells.indexOf(el.closest(".jp-Cell")) + 1,   // as JupyterLab counts
                    output: outputs.indexOf(scopeOf(el)),
                    disabled, visible: visible(el)};
        });
        return {controls, unknown};
    },
    // Resolves when the view around control `id` (and the notebook) has not changed for
    // quietMs, or after maxMs.
    quiet(id, quietMs, maxMs) {
        const scope = scopeOf(control(id));
        const notebook = document.querySelector(".jp-Notebook");
        const start = performance.now();
        let last = null, since = start;
        return new Promise(resolve => {
            const tick = () => {
                const now = performance.now();
                const s = JSON.stringify([viewState(scope), viewState(notebook).text]);
                if (s !== last) { last = s; since = now; }
                if (now - since >= quietMs) return resolve(true);
                if (now - start >= maxMs) return resolve(false);
                requestAnimationFrame(tick);
            };
            requestAnimationFrame(tick);
        });
    },
    // Snapshot the view around control `id`, then watch it every frame from the first
    // input event on. The result lands in window.__llProbe.
    arm(id, timeoutMs, graceMs) {
        const notebook = document.querySelector(".jp-Notebook");
        let scope = scopeOf(control(id)), before = viewState(scope);
        if (!before.text && !before.canvases) {      // controls only: their view is elsewhere
            scope = notebook;
            before = viewState(scope);
        }
        const probe = {done: false, t0: null, tText: null, tCanvas: null, event: null,
                       hasCanvas: before.canvases.length > 0, elsewhere: false,
                       beforeNotebook: viewState(notebook)};
        const events = ["keydown", "pointerdown", "mousedown", "input", "change", "click"];
        const onEvent = e => {
            if (probe.t0 === null) { probe.t0 = e.timeStamp; probe.event = e.type; }
        };
        events.forEach(type => window.addEventListener(type, onEvent, true));
        const armedAt = performance.now();
        const finish = () => {
            events.forEach(type => window.removeEventListener(type, onEvent, true));
            if (probe.tText === null && probe.tCanvas === null) {
                const after = viewState(notebook);       // did anything, anywhere, change?
                probe.elsewhere = after.text !== probe.beforeNotebook.text ||
                                  after.canvases !== probe.beforeNotebook.canvases;
            }
            delete probe.beforeNotebook;
            probe.done = true;
        };
        const tick = () => {
            const now = performance.now();
            if (probe.t0 === null) {
                if (now - armedAt > timeoutMs) { probe.event = null; return finish(); }
            } else {
                const s = viewState(scope);
                if (probe.tText === null && s.text !== before.text) probe.tText = now;
                if (probe.tCanvas === null && s.canvases !== before.canvases) probe.tCanvas = now;
                const first = probe.tText ?? probe.tCanvas;
                if (probe.tCanvas !== null || (first !== null && !probe.hasCanvas) ||
                    (first !== null && now - first > graceMs) || now - probe.t0 > timeoutMs) {
                    return finish();
                }
            }
            requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
        window.__llProbe = probe;
    },
};
})()
"""


@dataclass
class ControlResult:
    notebook: str
    kind: str
    name: str
    cell: int
    responded: bool = False
    latencies_ms: list[float] = field(default_factory=list)   # input event to new view
    via: str = ""                        # "figure" or "readout" (what changed first)
    skipped: str = ""                    # why it was not driven, if it was not
    detail: str = ""

    @property
    def latency_ms(self) -> float | None:
        return statistics.median(self.latencies_ms) if self.latencies_ms else None

    @property
    def label(self) -> str:
        return f'{self.kind} "{self.name}" (cell {self.cell})'


def drive_controls(page, notebook: str, timeout: float = RESPONSE_TIMEOUT,
                   screenshots: Path | None = None, record: bool = True,
                   slider_samples: int = SLIDER_SAMPLES) -> list[ControlResult]:
    """Change every widget control on the page once; return what each one did.

    Non-button controls go first, in page order, then buttons (so a Reset button finds
    something to reset). A Play is pressed, and paused again once the view answered.
    With `screenshots`, each cell output that holds controls is saved there as a PNG
    after all controls were driven (<stem>-cell<N>.png; -FAILED.png if a control in it
    did not answer). With `record`, the results go into the run's latency
    report (RESULTS). Each slider is stepped `slider_samples` times.
    """
    started = time.monotonic()
    page.evaluate(DRIVER_JS)
    found = page.evaluate("window.__ll.discover()")
    if found["unknown"]:
        pytest.fail(f"{notebook}: widgets the driver cannot change (add a driver in "
                    f"tests/browser/drive.py): {found['unknown']}", pytrace=False)
    controls = sorted(found["controls"], key=lambda c: c["kind"] == "button")
    results = []
    for c in controls:
        result = ControlResult(notebook, c["kind"], c["name"], c["cell"])
        results.append(result)
        if c["disabled"] or not c["visible"]:
            result.skipped = "disabled" if c["disabled"] else "not visible"
            continue
        locator = page.locator(f'[data-ll-control="{c["id"]}"]')
        locator.scroll_into_view_if_needed()
        for sample in range(slider_samples if c["kind"] == "slider" else 1):
            probe, detail = _measure(page, locator, c, timeout)
            if sample == 0:
                result.detail = detail
            if probe["event"] is None:
                result.detail += "; no input event reached the page"
            end, via = ((probe["tCanvas"], "figure") if probe["tCanvas"] is not None else
                        (probe["tText"], "readout") if probe["tText"] is not None else
                        (None, "elsewhere" if probe["elsewhere"] else ""))
            if not via:
                break                        # no response: no point in sampling again
            result.responded, result.via = True, result.via or via
            if end is not None:
                result.latencies_ms.append(round(end - probe["t0"], 1))
    if screenshots is not None:
        screenshots.mkdir(parents=True, exist_ok=True)
        stem = Path(notebook).stem
        for old in screenshots.glob(f"{stem}-cell[0-9]*.png"):
            old.unlink()                     # from an earlier run
        for cell in sorted({r.cell for r in results}):
            area = page.locator(".jp-Notebook .jp-Cell").nth(cell - 1).locator(".jp-OutputArea")
            area.scroll_into_view_if_needed()
            failed = any(r.cell == cell and not r.skipped and not r.responded for r in results)
            suffix = "-FAILED" if failed else ""
            area.screenshot(path=screenshots / f"{stem}-cell{cell}{suffix}.png")
    silent = [c for c, r in zip(controls, results, strict=True)
              if not r.skipped and not r.responded]
    if silent:                               # for the page screenshot taken on failure
        page.locator(f'[data-ll-control="{silent[0]["id"]}"]').scroll_into_view_if_needed()
    if record:
        RESULTS.setdefault(notebook, []).extend(results)
        DURATIONS[notebook] = DURATIONS.get(notebook, 0) + time.monotonic() - started
    return results


def _measure(page, locator, c, timeout):
    """Wait for a quiet view, change the control, wait for the view to answer (or not)."""
    page.evaluate("([id, q, m]) => window.__ll.quiet(id, q, m)",
                  [c["id"], QUIET_TIME * 1000, timeout * 1000])
    page.evaluate("([id, t, g]) => window.__ll.arm(id, t, g)",
                  [c["id"], timeout * 1000, CANVAS_GRACE * 1000])
    detail = _change(page, locator, c["kind"])
    page.wait_for_function("window.__llProbe.done", timeout=(timeout + 10) * 1000,
                           polling=50)
    probe = page.evaluate("window.__llProbe")
    if c["kind"] == "play" and locator.locator(".fa-pause").count():
        locator.locator("button").first.click()                # pause it again
    return probe, detail


def _change(page, locator, kind) -> str:
    """Change one control as a user would; say what was done."""
    if kind == "slider":
        handle = locator.locator(".noUi-handle").first
        at_max = handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax")
        key = "ArrowLeft" if at_max else "ArrowRight"
        handle.focus()
        page.keyboard.press(key)
        return f"pressed {key} on its handle"
    if kind == "dropdown":
        select = locator.locator("select")
        current = select.input_value()
        values = select.locator("option").evaluate_all("os => os.map(o => o.value)")
        other = next((v for v in values if v != current), None)
        if other is None:
            return "has a single option: nothing to change to"
        select.select_option(other)
        return f"selected {other!r}"
    if kind in ("toggle-buttons", "radio"):
        choice = (locator.locator(".widget-toggle-button:not(.mod-active)").first
                  if kind == "toggle-buttons" else
                  locator.locator("input[type=radio]:not(:checked)").first)
        if not choice.count():
            return "has a single option: nothing to change to"
        text = (choice.text_content() or choice.get_attribute("value") or "").strip()
        choice.click()
        return f"clicked {text!r}"
    if kind == "checkbox":
        locator.locator("input[type=checkbox]").click()
        return "clicked it"
    if kind == "play":
        locator.locator("button").first.click()
        return "pressed play"
    if kind in ("button", "toggle-button"):
        locator.click()
        return "clicked it"
    if kind == "text":
        box = locator.locator("input").first
        box.focus()
        if box.get_attribute("type") == "number":
            page.keyboard.press("ArrowUp")
            page.keyboard.press("Enter")
            return "pressed ArrowUp and Enter"
        page.keyboard.press("End")
        page.keyboard.type("x")
        page.keyboard.press("Enter")
        return "typed 'x' and Enter"
    raise AssertionError(f"no driver for {kind}")


def assert_all_responded(results: list[ControlResult]):
    """Fail, naming each control, if any driven control left its view unchanged."""
    silent = [r for r in results if not r.skipped and not r.responded]
    if silent:
        pytest.fail(f"{silent[0].notebook}: the view did not change within "
                    f"{RESPONSE_TIMEOUT:g} s after changing:\n" +
                    "\n".join(f"  {r.label}: {r.detail}" for r in silent), pytrace=False)


FLOOR = "bare ipympl widget"   # RESULTS key of the floor (test_notebook_widgets.py)


def percentile(values, q: float) -> float:
    """The q-th percentile (0-100) of values, linearly interpolated."""
    ordered = sorted(values)
    k = (len(ordered) - 1) * q / 100
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def latency_table() -> str:
    """Markdown: per notebook, median and 90th percentile of every timed change, beside the
    bare ipympl widget's floor measured in the same run (a report, never asserted)."""
    def timed(results):
        return [t for r in results if not r.skipped for t in r.latencies_ms]

    floor = timed(RESULTS.get(FLOOR, []))
    floor_median = statistics.median(floor) if floor else None
    lines = ["| view | changes | median ms | p90 ms | median / floor |",
             "|---|---:|---:|---:|---:|"]
    for notebook, results in RESULTS.items():
        times = timed(results)
        if not times:
            continue
        median = statistics.median(times)
        ratio = f"{median / floor_median:.2f}x" if floor_median else "n/a"
        lines.append(f"| {Path(notebook).stem} | {len(times)} | {median:.0f} | "
                     f"{percentile(times, 90):.0f} | {ratio} |")
    return "\n".join(lines)


def latency_report() -> str:
    """Per notebook: controls driven, median, 90th percentile and max latency, and the
    ratio to the bare widget's floor; then every control."""
    lines = [latency_table(), ""]
    floor = [t for r in RESULTS.get(FLOOR, []) for t in r.latencies_ms]
    floor_median = statistics.median(floor) if floor else None
    for notebook, results in RESULTS.items():
        driven = [r for r in results if not r.skipped]
        timed = [t for r in driven for t in r.latencies_ms]
        summary = (f"median {statistics.median(timed):.0f} ms, p90 "
                   f"{percentile(timed, 90):.0f} ms, max {max(timed):.0f} ms "
                   f"({len(timed)} changes)" if timed else "no latency measured")
        if timed and floor_median and notebook != FLOOR:
            summary += (f"; {statistics.median(timed) / floor_median:.2f}x the bare "
                        f"widget's {floor_median:.0f} ms")
        responded, took = sum(r.responded for r in driven), DURATIONS.get(notebook, 0)
        lines.append(f"{notebook}: {len(driven)} controls driven, {responded} responded, "
                     f"{len(results) - len(driven)} skipped (in {took:.1f} s); "
                     f"change to redrawn view: {summary}")
        for r in results:
            samples = ", ".join(f"{t:.0f}" for t in r.latencies_ms)
            what = (f"skipped ({r.skipped})" if r.skipped else
                    f"{samples} ms via {r.via}" if r.latencies_ms else
                    f"responded {r.via}" if r.responded else "NO RESPONSE")
            lines.append(f"    {r.label:<44} {what}   [{r.detail}]")
    return "\n".join(lines)
