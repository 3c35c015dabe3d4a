"""What CHEATSHEET.md says is what lstm_lib, the notebooks and JupyterLab do.

That it prints on one A4 page with nothing clipped is checked in a real browser:
tests/browser/test_cheatsheet_pdf.py.
"""

import json
import math
import re
import sys
from pathlib import Path

import numpy as np
import pytest

import lstm_lib as ll

ROOT = Path(__file__).resolve().parents[1]
SHEET = (ROOT / "CHEATSHEET.md").read_text()
MAX_WIDTH = 100                      # GitHub shows the source; its code blocks do not wrap


def test_lines_are_short():
    wide = [k + 1 for k, line in enumerate(SHEET.splitlines()) if len(line) > MAX_WIDTH]
    assert not wide, f"lines wider than {MAX_WIDTH} characters: {wide}"


def test_worked_shapes_and_counts_match_ll_lstm():
    examples = re.findall(r"`ll\.LSTM\((\d+), (\d+)\)`: `W` \((\d+), (\d+)\), `b` \((\d+),\), "
                          r"([\d,]+) parameters", SHEET)
    assert len(examples) >= 2, "the worked examples are gone or reworded"
    for X, H, rows, cols, nb, count in examples:
        X, H = int(X), int(H)
        lstm = ll.LSTM(X, H, seed=0)
        assert lstm.params["W"].shape == (int(rows), int(cols)) == (4 * H, H + X)
        assert lstm.params["b"].shape == (int(nb),) == (4 * H,)
        counted = sum(p.size for p in lstm.params.values())
        assert counted == int(count.replace(",", "")) == 4 * H * (H + X) + 4 * H
        rnn = ll.RNN(X, H, seed=0)
        assert rnn.params["W"].shape == (H, H + X)
        assert np.shares_memory(rnn.W_h, rnn.params["W"]) and rnn.W_h.shape == (H, H)
        assert 4 * rnn.n_params == counted, "an LSTM has 4 times the RNN's parameters"


def test_layout_is_the_one_described():
    """W's row blocks are f, i, c̃, o, its columns [h, x]; the forget bias starts at 1."""
    X, H = 2, 3
    lstm = ll.LSTM(X, H, seed=0)
    rng = np.random.default_rng(0)
    x, h, c = rng.normal(size=(1, X)), rng.normal(size=(1, H)), rng.normal(size=(1, H))
    step = lstm.step(x, h, c)
    z = np.concatenate([h, x], axis=1)
    W, b = lstm.params["W"], lstm.params["b"]
    blocks = [z @ W[k * H:(k + 1) * H].T + b[k * H:(k + 1) * H] for k in range(4)]
    assert np.array_equal(lstm.W_h, W[:, :H]) and np.array_equal(lstm.W_x, W[:, H:])
    assert np.allclose(step.f, ll.sigmoid(blocks[0]))
    assert np.allclose(step.i, ll.sigmoid(blocks[1]))
    assert np.allclose(step.c_tilde, np.tanh(blocks[2]))
    assert np.allclose(step.o, ll.sigmoid(blocks[3]))
    assert np.allclose(step.c, step.f * c + step.i * step.c_tilde)
    assert np.allclose(step.h, step.o * np.tanh(step.c))
    assert np.all(b[:H] == 1.0) and "forget block starting at 1" in SHEET
    hs, (h_T, c_T) = lstm.forward(rng.normal(size=(4, 5, X)))
    tr = lstm.trace
    assert hs.shape == (4, 5, H) and h_T.shape == c_T.shape == (5, H)
    assert tr.gates.shape == (4, 5, 4 * H) and tr.f.shape == tr.c_tilde.shape == (4, 5, H)


def test_belt_gradient_is_diag_f():
    """∂c_t/∂c_{t-1} = diag(f_t), by nudging one slot of c_{t-1}."""
    lstm = ll.LSTM(2, 3, seed=1)
    rng = np.random.default_rng(1)
    x, h, c = rng.normal(size=(1, 2)), rng.normal(size=(1, 3)), rng.normal(size=(1, 3))
    base = lstm.step(x, h, c)
    for j in range(3):
        nudged = c.copy()
        nudged[0, j] += 1e-6
        moved = (lstm.step(x, h, nudged).c - base.c) / 1e-6
        expected = np.zeros(3)
        expected[j] = base.f[0, j]
        assert np.allclose(moved[0], expected, atol=1e-6)


def test_slopes():
    a = np.linspace(-6, 6, 1201)
    numeric = {name: np.gradient(g(a), a) for name, g in (("sigmoid", ll.sigmoid),
                                                          ("tanh", ll.tanh))}
    assert np.isclose(numeric["sigmoid"].max(), 0.25, atol=1e-4)
    assert np.isclose(numeric["tanh"].max(), 1.0, atol=1e-4)
    assert "0.9¹⁰⁰ ≈ 2.7 × 10⁻⁵" in SHEET and round(0.9**100, 6) == 0.000027
    assert "1.1¹⁰⁰ ≈ 1.4 × 10⁴" in SHEET and round(1.1**100, -2) == 13800


def test_names_it_mentions_exist():
    for dotted in set(re.findall(r"`ll\.([A-Za-z_][\w.]*)", SHEET)):
        obj = ll
        for part in dotted.rstrip(".").split("."):
            assert hasattr(obj, part), f"ll.{dotted} is not in lstm_lib"
            obj = getattr(obj, part)
    for path in set(re.findall(r"`(lstm_lib/[\w/]+\.py)`", SHEET)):
        assert (ROOT / path).is_file(), f"{path} does not exist"
    table = SHEET[SHEET.index("## Where things live"):]
    for module in re.findall(r"\(`(\w+\.py)`\)", table):
        assert (ROOT / "lstm_lib" / module).is_file(), f"lstm_lib/{module} does not exist"
    for cls, method in re.findall(r"`(LSTM|RNN|Perceptron)\.(\w+)", SHEET):
        assert hasattr(getattr(ll, cls), method), f"{cls}.{method} does not exist"
    for attr in re.findall(r"`\.(\w+)`", SHEET):
        assert hasattr(ll.lstm.LSTMTrace, attr), f"LSTMTrace.{attr} does not exist"
    cited = re.findall(r"notebooks? (\d\d(?:(?:, | to )\d\d)*)", SHEET)
    cited += re.findall(r"\| ((?:\d\d, )*\d\d) \|$", SHEET, re.M)
    for n in cited:
        for number in re.split(", | to ", n):
            assert list((ROOT / "notebooks").glob(f"{number}_*.ipynb")), f"no notebook {number}"


def test_sections_it_cites_exist():
    """"notebook 04 §4" names a heading "## 4. ..." in notebook 04."""
    cited = set(re.findall(r"notebook (\d\d) §(\d+)", SHEET))
    assert len(cited) >= 5
    for number, section in cited:
        (path,) = (ROOT / "notebooks").glob(f"{number}_*.ipynb")
        headings = ["".join(c["source"]) for c in json.loads(path.read_text())["cells"]
                    if c["cell_type"] == "markdown"]
        assert any(re.search(rf"^## {section}\. ", h, re.M) for h in headings), (
            f"notebook {number} has no section {section}")


# -- the perceptron rule (notebook 01) ------------------------------------------------

def test_perceptron_rule_is_perceptron_update():
    assert "w ← w + η (y − ŷ) x and b ← b + η (y − ŷ)" in SHEET
    assert "z moves by η (y − ŷ)(|x|² + 1)" in SHEET
    rng = np.random.default_rng(19)
    for lr in (1.0, 0.25):
        p = ll.Perceptron(3, lr=lr)
        p.w[:], p.b = rng.normal(size=3), 0.3
        for _ in range(20):
            x, y = rng.normal(size=3), int(rng.integers(2))
            w, b = p.w.copy(), p.b
            y_hat = int(w @ x + b > 0)
            changed = p.update(x, y)
            assert changed == (y_hat != y)
            assert np.allclose(p.w, w + lr * (y - y_hat) * x)
            assert np.isclose(p.b, b + lr * (y - y_hat))
            z_moved = (p.w @ x + p.b) - (w @ x + b)
            assert np.isclose(z_moved, lr * (y - y_hat) * (x @ x + 1))


# -- one layout for every layer (issue 15) --------------------------------------------

def test_dense_and_linear_store_out_by_in():
    examples = re.findall(r"`ll\.Dense\((\d+), (\d+)\)`: `W` \((\d+), (\d+)\)", SHEET)
    assert examples, "the Dense example is gone or reworded"
    for n_in, n_out, rows, cols in map(lambda e: map(int, e), examples):
        assert (rows, cols) == (n_out, n_in)
        for layer in (ll.Dense(n_in, n_out, seed=0), ll.Linear(n_in, n_out, seed=0)):
            assert layer.params["W"].shape == (n_out, n_in)
        linear = ll.Linear(n_in, n_out, seed=2)
        x = np.random.default_rng(2).normal(size=(5, n_in))      # a batch is rows
        W, b = linear.params["W"], linear.params["b"]
        assert np.allclose(linear.forward(x), x @ W.T + b)
        assert np.allclose(linear.forward(x)[0], W @ x[0] + b)    # W x, as the maths writes


def test_torch_stores_the_same_layout():
    torch = pytest.importorskip("torch")
    assert "`weight_hh` (4H, H)" in SHEET and "`weight_ih` (4H, X)" in SHEET
    assert "orders the blocks i, f, g, o" in SHEET
    X, H = 3, 5
    assert tuple(torch.nn.Linear(X, H).weight.shape) == (H, X)
    lstm = torch.nn.LSTM(X, H)
    assert tuple(lstm.weight_hh_l0.shape) == (4 * H, H)
    assert tuple(lstm.weight_ih_l0.shape) == (4 * H, X)
    assert tuple(lstm.bias_ih_l0.shape) == tuple(lstm.bias_hh_l0.shape) == (4 * H,)


# -- clipping (notebook 04 §4) --------------------------------------------------------

def test_clipping_formula_is_clip_global_norm():
    assert "every gradient is multiplied by c / ‖g‖: same direction, length c" in SHEET
    assert "returns ‖g‖ before clipping" in SHEET
    rng = np.random.default_rng(4)
    layers = [ll.Dense(3, 2, seed=0), ll.Dense(2, 4, seed=0)]
    for layer in layers:
        for g in layer.grads.values():
            g[...] = rng.normal(size=g.shape)
    before = [g.copy() for layer in layers for g in layer.grads.values()]
    norm = math.sqrt(sum(float((g ** 2).sum()) for g in before))     # one long vector
    assert ll.clip_global_norm(layers, 2 * norm) == pytest.approx(norm)
    after = [g for layer in layers for g in layer.grads.values()]
    assert all(np.array_equal(a, b) for a, b in zip(after, before, strict=True))
    c = norm / 3
    assert ll.clip_global_norm(layers, c) == pytest.approx(norm)
    for a, b in zip(after, before, strict=True):
        assert np.allclose(a, b * c / norm)
    assert ll.global_norm(layers) == pytest.approx(c)


# -- scoring rare events (notebook 07 §3) ---------------------------------------------

def test_average_precision_as_described():
    """Mean over the positives of the precision at each one's rank = scikit-learn's AP."""
    from sklearn.metrics import average_precision_score

    rng = np.random.default_rng(7)
    y = (rng.random(500) < 0.06).astype(int)
    score = y * 0.8 + rng.random(500)                     # an imperfect ranking, no ties
    ranked = y[np.argsort(-score)]
    precision_at = np.cumsum(ranked) / np.arange(1, len(ranked) + 1)
    ap = precision_at[ranked == 1].mean()
    assert ap == pytest.approx(average_precision_score(y, score))
    assert average_precision_score(y, y + 0.1 * rng.random(500)) == 1.0   # perfect ranking
    base_rate = y.mean()
    random_ap = np.mean([average_precision_score(y, rng.random(500)) for _ in range(40)])
    assert abs(random_ap - base_rate) < 0.3 * base_rate, "a random ranking scores about π"
    assert "1 for a\n  perfect ranking, about π for a random one" in SHEET


def test_log_loss_and_the_base_rate():
    from sklearn.metrics import log_loss

    assert "−mean[y ln p̂ + (1 − y) ln(1 − p̂)]" in SHEET
    assert "−π ln q − (1 − π) ln(1 − q), least at q = π" in SHEET
    rng = np.random.default_rng(8)
    y = (rng.random(400) < 0.1).astype(float)
    logits = rng.normal(size=400)
    p = ll.sigmoid(logits)
    by_formula = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    assert ll.sigmoid_cross_entropy(logits, y)[0] == pytest.approx(by_formula)
    assert log_loss(y, p) == pytest.approx(by_formula)
    pi = y.mean()

    def constant(q):
        return -pi * math.log(q) - (1 - pi) * math.log(1 - q)

    for q in (0.02, pi, 0.3):
        assert log_loss(y, np.full(400, q), labels=[0, 1]) == pytest.approx(constant(q))
    grid = np.linspace(0.01, 0.99, 981)
    assert abs(grid[np.argmin([constant(q) for q in grid])] - pi) < 0.002
    assert "right\n  1 − π of the time" in SHEET


# -- bits per character and temperature (notebook 08) ----------------------------------

def _tiny_model():
    text = "def f(x):\n    return x + 1\n\n" * 4
    return ll.charlm.CharLM(8, seed=0), ll.corpus.encode(text)


def test_bits_per_character_is_mean_minus_log2_p():
    assert "−mean log₂ p̂(the next character) = (loss in nats) / ln 2" in SHEET
    model, ids = _tiny_model()
    logits, _ = model.forward(ids[:, None])                    # (T, 1, V)
    logp = ll.log_softmax(logits[:-1, 0].astype(np.float64))    # logits at t score t + 1
    bits = -np.mean(logp[np.arange(len(ids) - 1), ids[1:]]) / math.log(2)
    assert ll.charlm.bits_per_char(model, ids, streams=1) == pytest.approx(bits, rel=1e-5)
    nats, _ = ll.softmax_cross_entropy(logits[:-1, 0].astype(np.float64), ids[1:])
    assert nats / math.log(2) == pytest.approx(bits)
    V = len(ll.corpus.VOCAB)
    assert model.vocab_size == V and f"V = {V} symbols" in SHEET
    assert f"log₂ {V} ≈ {math.log2(V):.1f}" in SHEET


def test_temperature_divides_the_logits():
    assert "p̂_k ∝ exp(s_k / τ)" in SHEET
    model, ids = _tiny_model()
    prompt = "def f(x):\n    return"
    logits, _ = model.forward(ll.corpus.encode(prompt)[:, None])
    s = logits[-1, 0].astype(np.float64)                        # the logits after the prompt
    entropy = {}
    for tau in (0.05, 0.5, 1.0, 2.0):
        p = ll.charlm.next_char_probs(model, prompt, temperature=tau)
        expected = np.exp(s / tau - (s / tau).max())
        assert np.allclose(p, expected / expected.sum(), atol=1e-6)
        entropy[tau] = -np.sum(p * np.log(p + 1e-300))
    assert entropy[0.5] < entropy[1.0] < entropy[2.0], "τ < 1 sharpens, τ > 1 flattens"
    p_cold = ll.charlm.next_char_probs(model, prompt, temperature=0.05)
    assert p_cold.argmax() == s.argmax()


# -- restart, run all, shut down (JupyterLab's own menus) ------------------------------

MENU_COMMANDS = {   # the sheet's "Menu → Item…" and the command JupyterLab puts there
    ("Kernel", "Restart Kernel and Run All Cells…"): "runmenu:restart-and-run-all",
    ("File", "Close and Shut Down Notebook…"): "filemenu:close-and-cleanup",
    ("Kernel", "Shut Down All Kernels…"): "kernelmenu:shutdownAll",
}


def test_menu_items_are_jupyterlabs():
    lab = Path(sys.prefix) / "share" / "jupyter" / "lab"
    schema = json.loads((lab / "schemas" / "@jupyterlab" / "mainmenu-extension"
                         / "plugin.json").read_text())
    menus = {m["id"].removeprefix("jp-mainmenu-"): {i.get("command") for i in m["items"]}
             for m in schema["jupyter.lab.menus"]["main"]}
    bundle = "".join(p.read_text(errors="ignore") for p in (lab / "static").glob("*.js"))
    named = re.findall(r"\*(\w+) →\s+([^*]+?)\*", SHEET)
    assert len(named) == len(MENU_COMMANDS)
    for menu, item in named:
        item = " ".join(item.split())
        command = MENU_COMMANDS[menu, item]
        assert command in menus[menu.lower()], f"{command} is not in the {menu} menu"
        assert item in bundle, f"JupyterLab has no menu item {item!r}"


