"""CHEATSHEET.md stays one printable page, and what it says is what lstm_lib does."""

import re
from pathlib import Path

import numpy as np

import lstm_lib as ll

ROOT = Path(__file__).resolve().parents[1]
SHEET = (ROOT / "CHEATSHEET.md").read_text()
MAX_LINES, MAX_WIDTH = 70, 100       # one A4 page at a readable size


def test_fits_on_one_page():
    lines = SHEET.splitlines()
    assert len(lines) <= MAX_LINES, (
        f"CHEATSHEET.md has {len(lines)} lines; the page holds {MAX_LINES}")
    wide = [k + 1 for k, line in enumerate(lines) if len(line) > MAX_WIDTH]
    assert not wide, f"lines wider than {MAX_WIDTH} characters: {wide}"


def test_worked_shapes_and_counts_match_ll_lstm():
    examples = re.findall(r"`ll\.LSTM\((\d+), (\d+)\)`: `W` \((\d+), (\d+)\), `b` \((\d+),\), "
                          r"([\d,]+) parameters", SHEET)
    assert len(examples) >= 2, "the worked examples are gone or reworded"
    for X, H, rows, cols, nb, count in examples:
        X, H = int(X), int(H)
        lstm = ll.LSTM(X, H)
        assert lstm.params["W"].shape == (int(rows), int(cols)) == (4 * H, H + X)
        assert lstm.params["b"].shape == (int(nb),) == (4 * H,)
        counted = sum(p.size for p in lstm.params.values())
        assert counted == int(count.replace(",", "")) == 4 * H * (H + X) + 4 * H
        rnn = ll.RNN(X, H)
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
    assert np.isclose(ll.sigmoid_deriv(a).max(), 0.25) and ll.sigmoid_deriv(0.0) == 0.25
    assert np.isclose(ll.tanh_deriv(a).max(), 1.0) and ll.tanh_deriv(0.0) == 1.0
    assert "0.9¹⁰⁰ ≈ 2.7 × 10⁻⁵" in SHEET and round(0.9**100, 6) == 0.000027
    assert "1.1¹⁰⁰ ≈ 1.4 × 10⁴" in SHEET and round(1.1**100, -2) == 13800


def test_names_it_mentions_exist():
    for name in set(re.findall(r"`ll\.([A-Za-z_]+)", SHEET)):
        assert hasattr(ll, name), f"ll.{name} is not in lstm_lib"
    for path in set(re.findall(r"`(lstm_lib/[\w/]+\.py)`", SHEET)):
        assert (ROOT / path).is_file(), f"{path} does not exist"
    for cls, method in re.findall(r"`(LSTM|RNN)\.(\w+)", SHEET):
        assert hasattr(getattr(ll, cls), method), f"{cls}.{method} does not exist"
    for attr in re.findall(r"`\.(\w+)`", SHEET):
        assert hasattr(ll.lstm.LSTMTrace, attr), f"LSTMTrace.{attr} does not exist"
    cited = set(re.findall(r"notebooks? (\d\d)", SHEET))
    cited |= set(re.findall(r"\| ((?:\d\d, )*\d\d) \|$", SHEET, re.M))
    for n in cited:
        for number in n.split(", "):
            assert list((ROOT / "notebooks").glob(f"{number}_*.ipynb")), f"no notebook {number}"
