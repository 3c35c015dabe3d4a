"""The checks of notebook 05's exercises: the reference solutions pass, and the likely
wrong answers fail with a sentence that names the mistake."""


import numpy as np
import pytest
from notebook_exercises import ROOT, fails, solved

import lstm_lib as ll
from lstm_lib import exercises

NOTEBOOK = ROOT / "notebooks" / "05_lstm_cell.ipynb"


SOLVED = solved(NOTEBOOK)


@pytest.mark.parametrize("number, names", [("05.1", ["lstm_step"]),
                                           ("05.2", ["forget_gate_backward"]),
                                           ("05.3", ["n_ours", "n_torch"])])
def test_reference_solutions_pass(number, names):
    verdict = exercises.check(number, *(SOLVED[n] for n in names))
    assert verdict, verdict


def _step(z_order="hx", blocks=(0, 1, 2, 3), squash_c=np.tanh, show=np.tanh, swap_out=False):
    def lstm_step(x, h_prev, c_prev, W, b):
        z = np.concatenate([h_prev, x] if z_order == "hx" else [x, h_prev], axis=1)
        parts = np.split(z @ W.T + b, 4, axis=1)
        a_f, a_i, a_c, a_o = (parts[k] for k in blocks)
        f, i, o = ll.sigmoid(a_f), ll.sigmoid(a_i), ll.sigmoid(a_o)
        c = f * c_prev + i * squash_c(a_c)
        h = o * show(c)
        return (c, h) if swap_out else (h, c)
    return lstm_step


@pytest.mark.parametrize("answer, match", [
    (_step(blocks=(1, 0, 2, 3)), r"first two row blocks of W are swapped.*f, i, c̃, o"),
    (_step(blocks=(0, 1, 3, 2)), r"candidate and the output gate are swapped"),
    (_step(z_order="xh"), r"z is built as \[x, h\].*z = \[h_prev, x\]"),
    (_step(squash_c=ll.sigmoid), r"candidate went through a sigmoid"),
    (_step(show=lambda c: c), r"h = o ⊙ tanh\(c\)"),
    (_step(swap_out=True), r"h and c are swapped"),
    (lambda x, h, c, W, b: (h, c.T), r"c has shape \(3, 2\), expected \(2, 3\) = \(B, H\)"),
    (lambda x, h, c, W, b: h, r"should return the pair \(h, c\)"),
    (lambda x, h, c, W, b: (h, c), r"c = f ⊙ c_prev \+ i ⊙ c̃ is off by up to"),
])
def test_one_step_names_the_mistake(answer, match):
    fails("05.1", answer, match=match)


def test_one_step_untouched_skeleton_says_what_to_do():
    def lstm_step(x, h_prev, c_prev, W, b):
        h = ...
        c = ...
        return h, c
    fails("05.1", lstm_step, match=r"c is still `...`: replace the `...` with your code")
    fails("05.1", ..., match="no answer yet")


@pytest.mark.parametrize("answer, match", [
    (lambda dc, c, a: dc * c, r"missing the sigmoid's slope: multiply by f·\(1 − f\)"),
    (lambda dc, c, a: dc * c * ll.sigmoid(a), r"multiplied by f, not by the sigmoid's slope"),
    (lambda dc, c, a: dc * c * a * (1 - a), r"must use the gate's value f = σ\(a_f\)"),
    (lambda dc, c, a: dc * ll.sigmoid(a) * (1 - ll.sigmoid(a)), r"c_\{t-1\} is missing"),
    (lambda dc, c, a: dc * ll.sigmoid(a), r"gradient passed back along the belt to c_\{t-1\}"),
    (lambda dc, c, a: dc * c * (1 - ll.sigmoid(a) ** 2), r"1 − f², belongs to tanh"),
    (lambda dc, c, a: -dc * c * ll.sigmoid(a) * (1 - ll.sigmoid(a)), r"wrong sign everywhere"),
    (lambda dc, c, a: 2 * dc * c * ll.sigmoid(a) * (1 - ll.sigmoid(a)), r"is 2 times the right"),
    (lambda dc, c, a: (dc * c).T, r"has shape \(3, 2\), expected \(2, 3\)"),
])
def test_forget_gate_backward_names_the_mistake(answer, match):
    fails("05.2", answer, match=match)


def test_the_forget_gate_reference_agrees_with_lstm_backward():
    # Independent of the check: the gradient on b_f from ll.LSTM.backward over one step
    # equals Σ_batch of the reference's da_f.
    rng = np.random.default_rng(0)
    cell = ll.LSTM(2, 3, seed=4)
    x, h0, c0 = rng.normal(size=(1, 4, 2)), rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    cell.forward(x, h0, c0)
    dh = rng.normal(size=(1, 4, 3))
    cell.backward(dh)
    tr = cell.trace
    a_f = np.concatenate([h0, x[0]], axis=1) @ cell.params["W"][:3].T + cell.params["b"][:3]
    da_f = SOLVED["forget_gate_backward"](tr.dc[0], c0, a_f)
    assert np.allclose(da_f.sum(axis=0), cell.grads["b"][:3])


@pytest.mark.parametrize("n_ours, n_torch, match", [
    (16000, 16400, r"counts the weights only"),
    (4 * 50 * 30 + 200, 16400, r"weights that read h_\{t-1\} are missing"),
    (4 * 50 * 50 + 200, 16400, r"weights that read x_t are missing"),
    (50 * 80 + 50, 16400, r"one layer, the RNN's count"),
    (12345, 16400, r"each of the four layers maps H \+ X = 80 numbers"),
    (16200, 16200, r"torch keeps two bias vectors"),
    (16200, 16250, r"two bias vectors of 4H each"),
    (16200, ..., r"n_torch is still `...`"),
    ([16200, 16400], 16400, r"n_ours: expected one number, got list"),
])
def test_parameter_count_names_the_mistake(n_ours, n_torch, match):
    fails("05.3", n_ours, n_torch, match=match)


def test_torch_counts_what_the_check_says():
    torch = pytest.importorskip("torch")
    assert sum(p.numel() for p in torch.nn.LSTM(30, 50).parameters()) == SOLVED["n_torch"]


# Holes closed in review: answers that used to get only a generic message.

def test_one_step_names_a_missing_transpose():
    def lstm_step(x, h_prev, c_prev, W, b):
        z = np.concatenate([h_prev, x], axis=1)
        return (z @ W + b)[:, :3], (z @ W + b)[:, 3:6]
    fails("05.1", lstm_step, match=r"raised ValueError.*so all four pre-activations are z @ W\.T")


def test_one_step_names_missing_biases():
    def lstm_step(x, h_prev, c_prev, W, b):
        return _step()(x, h_prev, c_prev, W, 0 * b)
    fails("05.1", lstm_step, match=r"the biases are missing")


def test_forget_gate_backward_names_one_minus_f_alone():
    fails("05.2", lambda dc, c, a: dc * c * (1 - ll.sigmoid(a)), match=r"by 1 − f only")


def test_parameter_count_names_swapped_sizes():
    fails("05.3", 4 * 30 * (30 + 50) + 4 * 30, 16400, match=r"X and H are swapped")
