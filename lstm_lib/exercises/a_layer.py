"""Checks for the exercises of notebook 02 · A layer.

02.1  a layer for a whole batch: σ(X Wᵀ + b), written as a function
02.2  merge three linear layers: the single W and b they collapse into
02.3  XOR by hand, with ReLU: weights for a 2-2-1 network that gets all four corners right
"""

from __future__ import annotations

import math

import numpy as np

from ..layers import MLP, Linear
from . import NotYet, as_array, call, close, exercise, unfinished

N, n, k = 5, 3, 4                    # a batch of 5 inputs of 3 numbers, a layer of 4 neurons


def _batch_problem():
    rng = np.random.default_rng(20)
    return rng.normal(size=(N, n)), rng.normal(size=(k, n)), rng.normal(size=k)


def _neuron_by_neuron(X, W, b):
    """σ(w_j · x_i + b_j) for every input i and neuron j, with plain Python sums."""
    out = np.empty((len(X), len(W)))
    for i, x in enumerate(X):
        for j, w in enumerate(W):
            z = sum(float(wk) * float(xk) for wk, xk in zip(w, x, strict=True)) + float(b[j])
            out[i, j] = 1 / (1 + math.exp(-z))
    return out


def _explain_matmul(error: NotYet) -> NotYet:
    if "matmul" in str(error) or "shapes" in str(error):
        return NotYet(f"{error} W has one row per neuron, shape (k, n), and X one row per "
                      "input, shape (N, n): multiply X by W transposed, X @ W.T.")
    return error


@exercise("02.1", "a layer for a whole batch")
def _(dense_forward) -> str:
    X, W, b = _batch_problem()
    try:
        got = call(dense_forward, X.copy(), W.copy(), b.copy(), name="dense_forward")
    except NotYet as error:
        raise _explain_matmul(error) from None
    h = as_array(got, "dense_forward(X, W, b)", (N, k), "(N, k)")
    want = _neuron_by_neuron(X, W, b)
    z = X @ W.T + b
    if np.allclose(h, z):
        raise NotYet("these are the sums z = X Wᵀ + b, before the squash: apply the sigmoid "
                     "(ll.sigmoid) to them.")
    if np.allclose(h, np.tanh(z)):
        raise NotYet("that is tanh of the sums; this layer squashes with the sigmoid, "
                     "ll.sigmoid.")
    if np.allclose(h, np.maximum(0.0, z)):
        raise NotYet("that is ReLU of the sums; this layer squashes with the sigmoid, "
                     "ll.sigmoid.")
    if np.allclose(h, 1 / (1 + np.exp(-X @ W.T))):
        raise NotYet("the bias is missing: add b (one number per neuron) before squashing.")
    if np.allclose(h, 1 / (1 + np.exp(-X @ W.T)) + b):
        raise NotYet("you added b after the squash: the bias belongs inside, σ(X Wᵀ + b), "
                     "so that every output stays between 0 and 1.")
    if np.allclose(h, 1 / (1 + np.exp(z))):
        raise NotYet("every entry is 1 − σ(z), the mirror image of the answer: the sign in the "
                     "exponent is flipped. σ(a) = 1 / (1 + e^(−a)), or use ll.sigmoid.")
    close(h, want, "dense_forward(X, W, b)")
    return ("your layer matches the sums done neuron by neuron for 5 inputs and 4 neurons: "
            "row i of h is the layer's answer to input i, column j is what neuron j says to "
            "every input. One matrix product did 20 dot products.")


SIZES = (2, 5, 4, 3)                 # n0 inputs -> n1 -> n2 -> n3 outputs
SHAPES = list(zip(SIZES[:-1], SIZES[1:], strict=True))      # (n_in, n_out) of each layer


def _three_layers():
    layers = [Linear(a, c, seed=30 + s) for s, (a, c) in enumerate(SHAPES)]
    rng = np.random.default_rng(31)
    for layer in layers:
        layer.params["b"][:] = rng.normal(size=layer.n_out)
    return layers


@exercise("02.2", "merge three linear layers")
def _(merge_three) -> str:
    layers = _three_layers()
    (W1, b1), (W2, b2), (W3, b3) = [(lay.params["W"], lay.params["b"]) for lay in layers]
    try:
        got = call(merge_three, W1.copy(), b1.copy(), W2.copy(), b2.copy(), W3.copy(),
                   b3.copy(), name="merge_three")
    except NotYet as error:
        if "matmul" in str(error) or "shapes" in str(error):
            raise NotYet(f"{error} The layer applied first stands on the right of the "
                         "product, next to x: W3 W2 W1 x.") from None
        raise
    if not isinstance(got, tuple | list) or len(got) != 2:
        raise NotYet("merge_three should return two things, the merged weights and bias: "
                     f"`return W, b`. It returned {type(got).__name__}.")
    n0, n3 = SIZES[0], SIZES[-1]
    W = as_array(got[0], "the merged W", (n3, n0), "(n3, n0)")
    b = as_array(got[1], "the merged b", (n3,), "(n3,)")

    def three(x):
        for layer in layers:
            x = layer.forward(x)
        return x

    # The truth, read off the three layers themselves: b is what x = 0 gives, and
    # column j of W is how far the output moves when x_j goes from 0 to 1.
    b_true = three(np.zeros((1, n0)))[0]
    W_true = (three(np.eye(n0)) - b_true).T
    if not np.allclose(W, W_true):
        close(W, W_true, "the merged W")
    if not np.allclose(b, b_true):
        missing = {"W3 W2 b1": W3 @ W2 @ b1, "W3 b2": W3 @ b2, "b3": b3}
        for name, part in missing.items():
            if np.allclose(b, b_true - part):
                raise NotYet(f"W is right, but b lacks the term {name}: every bias travels "
                             "through all the layers after its own. Feed x = 0 through the "
                             "three layers; what comes out is b.")
        close(b, b_true, "the merged b")
    X = np.random.default_rng(32).normal(size=(50, n0))
    gap = np.abs(three(X) - (X @ W.T + b)).max()
    return (f"W x + b matches the three layers on 50 random inputs (largest gap {gap:.0e}). "
            f"Three layers with {sum(a * c + c for a, c in SHAPES)} numbers "
            f"compute nothing that one layer with {n0 * n3 + n3} numbers cannot: "
            "W = W3 W2 W1, b = W3 W2 b1 + W3 b2 + b3.")


XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_Y = np.array([False, True, True, False])


def _weights(value, what, shape, letters):
    """Accept W2 as (2,) or (1, 2) and b2 as a number or (1,): the size is what matters."""
    if not unfinished(value):
        array = np.asarray(value, dtype=float) if _numeric(value) else None
        if array is not None and array.size == math.prod(shape):
            value = array.reshape(shape)
    return as_array(value, what, shape, letters)


def _numeric(value) -> bool:
    try:
        np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return False
    return True


@exercise("02.3", "XOR by hand, with ReLU")
def _(W1, b1, W2, b2) -> str:
    W1 = as_array(W1, "W1", (2, 2), "(hidden, inputs), one row per hidden neuron")
    b1 = as_array(b1, "b1", (2,), "(hidden,)")
    W2 = _weights(W2, "W2", (1, 2), "(outputs, hidden)")
    b2 = _weights(b2, "b2", (1,), "(outputs,)")
    hidden = np.maximum(0.0, XOR_X @ W1.T + b1)                 # (4, 2)
    net = MLP([2, 2, 1], activation="relu", seed=0)             # the network, by the library
    for name, value in (("0.W", W1), ("0.b", b1), ("1.W", W2), ("1.b", b2)):
        net.params[name][:] = value
    logit = net.forward(XOR_X)[:, 0]                            # (4,)
    says = logit > 0
    if np.array_equal(says, XOR_Y):
        rows = "; ".join(f"({x[0]:g}, {x[1]:g}) → h = ({h[0]:g}, {h[1]:g})"
                         for x, h in zip(XOR_X, hidden, strict=True))
        return (f"all four corners right. The hidden layer moves them to {rows}: there, the "
                "two yes corners and the two no corners lie on opposite sides of one straight "
                "line, which is the line your output neuron draws.")
    same = np.allclose(np.append(W1[0], b1[0]), np.append(W1[1], b1[1]))
    dead = [j for j in range(2) if np.all(hidden[:, j] == 0)]
    wrong = np.flatnonzero(says != XOR_Y)
    listed = "; ".join(f"({XOR_X[i, 0]:g}, {XOR_X[i, 1]:g}): h = "
                       f"({hidden[i, 0]:g}, {hidden[i, 1]:g}), logit = {logit[i]:.3g}, says "
                       f"{'yes' if says[i] else 'no'}, XOR says {'yes' if XOR_Y[i] else 'no'}"
                       for i in wrong)
    why = ""
    if same:
        why = (" Your two hidden neurons are the same neuron twice: they draw one line between "
               "them, and one line cannot do XOR.")
    elif dead:
        why = (f" Hidden neuron {dead[0] + 1} outputs 0 at all four corners (its sum is never "
               "above 0, and ReLU cuts it to 0), so the output sees only one neuron.")
    elif np.any(logit[wrong] == 0):
        why = " A logit of exactly 0 counts as no: yes needs a logit above 0."
    raise NotYet(f"{len(wrong)} of the 4 corners wrong: {listed}.{why}")
