"""Push every weight downhill: SGD, Adam, and global-norm gradient clipping.

An optimizer is built from the layers it trains (anything with matching ``params``
and ``grads`` dicts) and, on ``step()``, updates every parameter array in place.
"""

from __future__ import annotations

import numpy as np

from . import validate


def _collect(layers):
    """Pair up every (param, grad) array of one layer, a model (anything with a
    ``layers`` list, e.g. a SequenceModel) or a list of layers."""
    if hasattr(layers, "params"):
        layers = [layers]
    elif hasattr(layers, "layers"):
        layers = layers.layers
    if not isinstance(layers, list | tuple):
        raise TypeError(f"layers: expected a layer, a model with .layers, or a list of "
                        f"layers, got {type(layers).__name__}")
    pairs = []
    for layer in layers:
        if not (hasattr(layer, "params") and hasattr(layer, "grads")):
            raise TypeError(f"layers: expected objects with params and grads dicts, "
                            f"got {type(layer).__name__}")
        pairs += [(layer.params[k], layer.grads[k]) for k in layer.params]
    return pairs


class SGD:
    """w ← w − lr·(v), with v = momentum·v + grad (plain SGD when momentum = 0)."""

    def __init__(self, layers, *, lr: float = 0.1, momentum: float = 0.0):
        self.pairs = _collect(layers)
        self.lr = validate.positive_float("lr", lr)
        self.momentum = validate.in_range("momentum", momentum, 0.0, 0.999)
        self.velocity = [np.zeros_like(p) for p, _ in self.pairs]

    def __repr__(self):
        return f"SGD(lr={self.lr}, momentum={self.momentum})"

    def step(self):
        for (p, g), v in zip(self.pairs, self.velocity, strict=True):
            v *= self.momentum
            v += g
            p -= self.lr * v


class Adam:
    """Adam (Kingma & Ba, 2015): per-weight steps scaled by running gradient moments."""

    def __init__(self, layers, *, lr: float = 1e-3, beta1: float = 0.9, beta2: float = 0.999,
                 eps: float = 1e-8):
        self.pairs = _collect(layers)
        self.lr = validate.positive_float("lr", lr)
        self.beta1 = validate.in_range("beta1", beta1, 0.0, 0.999999)
        self.beta2 = validate.in_range("beta2", beta2, 0.0, 0.999999)
        self.eps = validate.positive_float("eps", eps)
        self.m = [np.zeros_like(p) for p, _ in self.pairs]
        self.v = [np.zeros_like(p) for p, _ in self.pairs]
        self.t = 0

    def __repr__(self):
        return f"Adam(lr={self.lr}, beta1={self.beta1}, beta2={self.beta2})"

    def step(self):
        self.t += 1
        for (p, g), m, v in zip(self.pairs, self.m, self.v, strict=True):
            m *= self.beta1
            m += (1 - self.beta1) * g          # running mean of the gradient
            v *= self.beta2
            v += (1 - self.beta2) * g * g      # running mean of its square
            # The bias corrections undo m and v starting at zero.
            m_hat = m / (1 - self.beta1**self.t)
            v_hat = v / (1 - self.beta2**self.t)
            p -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)


def global_norm(layers) -> float:
    """‖all gradients‖₂, as if every grad array were one long vector."""
    return float(np.sqrt(sum(float(np.sum(g * g)) for _, g in _collect(layers))))


def clip_global_norm(layers, max_norm: float) -> float:
    """Rescale all gradients together so their global norm is at most ``max_norm``.

    Scaling every gradient by the same factor keeps the update's direction and only
    shortens it (Pascanu et al., 2013). Returns the norm *before* clipping, which is
    worth logging: it is how exploding gradients show up.
    """
    max_norm = validate.positive_float("max_norm", max_norm)
    norm = global_norm(layers)
    if norm > max_norm:
        scale = max_norm / norm
        for _, g in _collect(layers):
            g *= scale
    return norm
