"""Small MLPs trained full batch (notebook 02): the data, one net, many seeds at once.

- ``xor_points``, ``two_rings``  the four XOR points; two rings no line separates
- ``fit_mlp``       MLP([D, *hidden, 1]) trained on all points at once with Adam, through
                    ``train`` (one call of a step function per update)
- ``fit_together``  several nets of one shape trained side by side as stacked arrays:
                    the same updates as ``fit_mlp`` per net, in a few numpy calls per
                    step whatever the number of nets (a study over many seeds costs
                    about what one run costs). It keeps its own loop because the
                    stacked arrays are the point; its numbers equal fit_mlp's up to
                    floating-point rounding, not bit for bit.
- ``fit_mlps``      one net per seed, all trained by fit_together
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from . import activations, validate
from .activations import sigmoid
from .layers import MLP
from .losses import mse, sigmoid_cross_entropy
from .optim import Adam
from .seeding import rng_from
from .train import train

ACTIVATION_CHOICES = {"none": "identity", "sigmoid": "sigmoid", "tanh": "tanh",
                      "ReLU": "relu"}
"""What the explorers call each activation -> its name in lstm_lib.activations."""


def two_rings(n: int = 200, *, noise: float = 0.1, seed=0):
    """Two noisy concentric rings: label 1 on the inner one (radius 0.5), 0 on the outer (1.0).

    Returns X (n, 2) and y (n,) of 0.0/1.0, alternating labels. No straight line separates
    them: every line leaves points of both rings on each side.
    """
    n = validate.positive_int("n", n)
    noise = validate.in_range("noise", noise, 0.0, 0.5)
    rng = rng_from(seed)
    y = (np.arange(n) % 2 == 0).astype(np.float64)
    radius = np.where(y == 1, 0.5, 1.0) + rng.normal(0.0, noise, n)
    angle = rng.uniform(0.0, 2 * np.pi, n)
    return np.column_stack([radius * np.cos(angle), radius * np.sin(angle)]), y


def xor_points():
    """The four XOR points (0/1 inputs) and their labels: 1 when the inputs disagree."""
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    return X, np.array([0.0, 1.0, 1.0, 0.0])


def fit_mlp(X, target, hidden, *, activation: str = "tanh", loss: str = "cross-entropy",
            steps: int = 300, lr: float = 0.03, seed, progress: bool = False,
            desc: str = "training", snapshot_every: int | None = None):
    """Train MLP([D, *hidden, 1]) on all of X at once (full batch) with Adam.

    Inputs:
    - X: (N, D) inputs; target: (N,) labels in {0, 1} (loss "cross-entropy": the net's
      output is a logit) or values (loss "mse": the output is the prediction itself)
    - hidden: hidden-layer widths, e.g. [8, 8]; [] is a single neuron (no hidden layer)
    - activation: a key of ACTIVATION_CHOICES ("none", "sigmoid", "tanh", "ReLU") or an
      lstm_lib activation name
    - snapshot_every: also keep copies of every parameter after steps 0, k, 2k, ... (and
      the last), as (steps taken, {name: array}) pairs
    Returns (net, history, snapshots).
    """
    X = validate.float_array("X", X, (None, None), letters="ND")
    target = validate.float_array("target", target, (X.shape[0],), letters="N")[:, None]
    activation = ACTIVATION_CHOICES.get(activation, activation)
    if loss not in ("cross-entropy", "mse"):
        raise ValueError(f"loss: expected 'cross-entropy' or 'mse', got {loss!r}")
    loss_fn = sigmoid_cross_entropy if loss == "cross-entropy" else mse
    net = MLP([X.shape[1], *hidden, 1], activation=activation, seed=seed)
    opt = Adam(net, lr=lr)
    snapshots = []

    def keep(k):
        snapshots.append((k, {name: p.copy() for name, p in net.params.items()}))

    if snapshot_every:
        keep(0)

    def step(k):
        value, dout = loss_fn(net.forward(X), target)
        net.backward(dout)
        opt.step()
        if snapshot_every and ((k + 1) % snapshot_every == 0 or k + 1 == steps):
            keep(k + 1)
        return value

    history = train(step, steps, desc=desc, progress=progress)
    return net, history, snapshots


def fit_together(nets, X, target, *, loss: str = "cross-entropy", steps: int = 300,
                 lr: float = 0.03) -> np.ndarray:
    """Train several MLPs of one shape side by side, each as ``fit_mlp`` trains one alone.

    Layer k's weights of the S nets are stacked into one (S, n_out, n_in) array and its
    biases into (S, n_out), so a step costs the same few numpy calls whatever S is: a
    study over many seeds costs about what one run costs. Each net has its own loss (the
    mean over its N points) and its own Adam, so the nets never interact.

    Inputs:
    - nets: MLPs with the same sizes and activations; trained in place
    - X: (N, D) inputs; target: (N,), as for ``fit_mlp``
    Returns losses (steps, S): row k is every net's loss after k updates.
    """
    nets = list(nets)
    if not nets or any(not hasattr(net, "layers") for net in nets):
        raise ValueError("nets: expected a non-empty list of MLPs")
    shape = [(layer.params["W"].shape, layer.activation) for layer in nets[0].layers]
    if any([(layer.params["W"].shape, layer.activation) for layer in net.layers] != shape
           for net in nets):
        raise ValueError("nets: expected MLPs of one shape (sizes and activations)")
    X = validate.float_array("X", X, (None, shape[0][0][1]), letters="ND")
    y = validate.float_array("target", target, (X.shape[0],), letters="N")[None, :, None]
    if loss not in ("cross-entropy", "mse"):
        raise ValueError(f"loss: expected 'cross-entropy' or 'mse', got {loss!r}")
    n_points = X.shape[0]
    stack = SimpleNamespace(params={}, grads={})       # what Adam needs: params and grads
    for k in range(len(shape)):
        for name in ("W", "b"):
            stack.params[k, name] = np.stack([net.layers[k].params[name] for net in nets])
            stack.grads[k, name] = np.zeros_like(stack.params[k, name])
    squash = [activations.get(act) for _, act in shape]    # (g, slope from output)
    opt = Adam(stack, lr=lr)
    losses = np.empty((steps, len(nets)))
    for step in range(steps):
        h, seen = X[None], []                                 # (1, N, D): every net reads X
        for k, (g, _) in enumerate(squash):
            seen.append(h)
            W, b = stack.params[k, "W"], stack.params[k, "b"]
            h = g(h @ W.transpose(0, 2, 1) + b[:, None, :])   # (S, N, n_out)
        if loss == "cross-entropy":                           # h holds logits, (S, N, 1)
            e = np.exp(-np.abs(h))
            per_point = np.maximum(h, 0) - h * y + np.log1p(e)
            dh = (sigmoid(h) - y) / n_points
        else:
            per_point = (h - y) ** 2
            dh = 2.0 * (h - y) / n_points
        losses[step] = per_point.mean(axis=(1, 2))
        for k in reversed(range(len(squash))):                # backward, last layer first
            da = dh * squash[k][1](h)                         # through the squash
            stack.grads[k, "W"][...] = da.transpose(0, 2, 1) @ seen[k]   # (S, n_out, n_in)
            stack.grads[k, "b"][...] = da.sum(axis=1)
            dh, h = da @ stack.params[k, "W"], seen[k]        # (S, N, n_in)
        opt.step()
    for (k, name), p in stack.params.items():
        for s, net in enumerate(nets):
            net.layers[k].params[name][...] = p[s]
    return losses


def fit_mlps(X, target, hidden, seeds, *, activation: str = "tanh",
             loss: str = "cross-entropy", steps: int = 300, lr: float = 0.03):
    """``fit_mlp`` once per seed, all seeds trained together (``fit_together``).

    Returns (nets, losses): one trained MLP([D, *hidden, 1]) per seed, in order, and the
    losses (steps, len(seeds)).
    """
    D = validate.float_array("X", X, (None, None), letters="ND").shape[1]
    activation = ACTIVATION_CHOICES.get(activation, activation)
    nets = [MLP([D, *hidden, 1], activation=activation, seed=seed) for seed in seeds]
    return nets, fit_together(nets, X, target, loss=loss, steps=steps, lr=lr)
