"""lstm_lib against PyTorch, with the same weights copied in (float64, within 1e-10).

torch keeps the LSTM's gates in the order i, f, g(=c̃), o, stores weights as
(4H, in) matrices and has two bias vectors; lstm_lib keeps one W of shape
(H + X, 4H) acting on z = [h, x] with blocks f, i, c̃, o, and one b. The helpers
below translate. torch is a test dependency only.
"""

import numpy as np
import pytest
import torch  # requirements-dev.txt pins it; a missing torch must fail, not skip

import lstm_lib as ll

TOL = 1e-10


def to_torch_gate_order(blocks: np.ndarray, H: int) -> np.ndarray:
    """Reorder lstm_lib's f, i, c̃, o blocks along axis 0 to torch's i, f, g, o."""
    f, i, c_tilde, o = (blocks[k * H : (k + 1) * H] for k in range(4))
    return np.concatenate([i, f, c_tilde, o])


def from_torch_gate_order(blocks: np.ndarray, H: int) -> np.ndarray:
    i, f, g, o = (blocks[k * H : (k + 1) * H] for k in range(4))
    return np.concatenate([f, i, g, o])


def run_torch(module, xs, h0, c0=None):
    x = torch.tensor(xs, requires_grad=True)
    state = (torch.tensor(h0[None], requires_grad=True),)
    if c0 is not None:
        state += (torch.tensor(c0[None], requires_grad=True),)
    out, _ = module(x, state if c0 is not None else state[0])
    return x, state, out


@pytest.fixture
def sizes():
    return dict(T=7, B=3, X=5, H=6)


def test_lstm_matches_torch(rng, sizes):
    T, B, X, H = sizes.values()
    ours = ll.LSTM(X, H, seed=0)
    ours.params["b"][:] = rng.normal(scale=0.3, size=4 * H)
    W, b = ours.params["W"], ours.params["b"]

    theirs = torch.nn.LSTM(X, H, dtype=torch.float64)
    with torch.no_grad():
        theirs.weight_hh_l0.copy_(torch.tensor(to_torch_gate_order(W[:, :H], H)))
        theirs.weight_ih_l0.copy_(torch.tensor(to_torch_gate_order(W[:, H:], H)))
        theirs.bias_ih_l0.copy_(torch.tensor(to_torch_gate_order(b, H)))
        theirs.bias_hh_l0.zero_()

    xs = rng.normal(size=(T, B, X))
    h0, c0 = rng.normal(size=(B, H)), rng.normal(size=(B, H))
    dhs = rng.normal(size=(T, B, H))

    hs, (h_T, c_T) = ours.forward(xs, h0, c0)
    dxs = ours.backward(dhs)

    x_t, (h0_t, c0_t), out = run_torch(theirs, xs, h0, c0)
    out.backward(torch.tensor(dhs))

    assert np.abs(hs - out.detach().numpy()).max() < TOL
    assert np.abs(dxs - x_t.grad.numpy()).max() < TOL
    assert np.abs(ours.trace.dh0 - h0_t.grad.numpy()[0]).max() < TOL
    assert np.abs(ours.trace.dc0 - c0_t.grad.numpy()[0]).max() < TOL
    dW_h = from_torch_gate_order(theirs.weight_hh_l0.grad.numpy(), H)
    dW_x = from_torch_gate_order(theirs.weight_ih_l0.grad.numpy(), H)
    assert np.abs(ours.grads["W"][:, :H] - dW_h).max() < TOL
    assert np.abs(ours.grads["W"][:, H:] - dW_x).max() < TOL
    db = from_torch_gate_order(theirs.bias_ih_l0.grad.numpy(), H)
    assert np.abs(ours.grads["b"] - db).max() < TOL
    # torch's two bias vectors receive the same gradient; we keep only their sum.
    assert np.abs(theirs.bias_hh_l0.grad.numpy() - theirs.bias_ih_l0.grad.numpy()).max() < TOL


def test_rnn_matches_torch(rng, sizes):
    T, B, X, H = sizes.values()
    ours = ll.RNN(X, H, seed=0)
    ours.params["b"][:] = rng.normal(scale=0.3, size=H)
    W, b = ours.params["W"], ours.params["b"]

    theirs = torch.nn.RNN(X, H, nonlinearity="tanh", dtype=torch.float64)
    with torch.no_grad():
        theirs.weight_hh_l0.copy_(torch.tensor(W[:, :H]))
        theirs.weight_ih_l0.copy_(torch.tensor(W[:, H:]))
        theirs.bias_ih_l0.copy_(torch.tensor(b))
        theirs.bias_hh_l0.zero_()

    xs = rng.normal(size=(T, B, X))
    h0 = rng.normal(size=(B, H))
    dhs = rng.normal(size=(T, B, H))
    hs, _ = ours.forward(xs, h0)
    dxs = ours.backward(dhs)
    x_t, (h0_t,), out = run_torch(theirs, xs, h0)
    out.backward(torch.tensor(dhs))

    assert np.abs(hs - out.detach().numpy()).max() < TOL
    assert np.abs(dxs - x_t.grad.numpy()).max() < TOL
    assert np.abs(ours.trace.dh0 - h0_t.grad.numpy()[0]).max() < TOL
    assert np.abs(ours.grads["W"][:, :H] - theirs.weight_hh_l0.grad.numpy()).max() < TOL
    assert np.abs(ours.grads["W"][:, H:] - theirs.weight_ih_l0.grad.numpy()).max() < TOL
    assert np.abs(ours.grads["b"] - theirs.bias_ih_l0.grad.numpy()).max() < TOL


def test_losses_match_torch(rng):
    F = torch.nn.functional
    logits = rng.normal(scale=4, size=(6, 5))
    labels = rng.integers(0, 5, size=6)
    loss, _ = ll.softmax_cross_entropy(logits, labels)
    assert abs(loss - F.cross_entropy(torch.tensor(logits), torch.tensor(labels)).item()) < TOL
    target = rng.uniform(size=(6, 5))
    loss, _ = ll.sigmoid_cross_entropy(logits, target)
    expected = F.binary_cross_entropy_with_logits(torch.tensor(logits), torch.tensor(target))
    assert abs(loss - expected.item()) < TOL


def test_adam_matches_torch(rng):
    layer = ll.Linear(4, 3, seed=0)
    w = torch.tensor(layer.params["W"].copy(), requires_grad=True)
    bias = torch.tensor(layer.params["b"].copy(), requires_grad=True)
    ours = ll.Adam(layer, lr=0.05)
    theirs = torch.optim.Adam([w, bias], lr=0.05)
    for _ in range(5):
        gW, gb = rng.normal(size=(3, 4)), rng.normal(size=3)
        layer.grads["W"][:], layer.grads["b"][:] = gW, gb
        w.grad, bias.grad = torch.tensor(gW), torch.tensor(gb)
        ours.step()
        theirs.step()
    assert np.abs(layer.params["W"] - w.detach().numpy()).max() < 1e-12
    assert np.abs(layer.params["b"] - bias.detach().numpy()).max() < 1e-12


def test_clipping_matches_torch(rng):
    layer = ll.Linear(4, 3, seed=0)
    layer.grads["W"][:] = rng.normal(scale=10, size=(3, 4))
    layer.grads["b"][:] = rng.normal(scale=10, size=3)
    params = [torch.zeros(3, 4, dtype=torch.float64, requires_grad=True),
              torch.zeros(3, dtype=torch.float64, requires_grad=True)]
    params[0].grad = torch.tensor(layer.grads["W"].copy())
    params[1].grad = torch.tensor(layer.grads["b"].copy())
    norm_ours = ll.clip_global_norm(layer, 1.0)
    norm_theirs = torch.nn.utils.clip_grad_norm_(params, 1.0)
    assert abs(norm_ours - norm_theirs.item()) < 1e-10
    assert np.abs(layer.grads["W"] - params[0].grad.numpy()).max() < 1e-6  # torch adds 1e-6
    assert ll.global_norm(layer) == pytest.approx(1.0)
