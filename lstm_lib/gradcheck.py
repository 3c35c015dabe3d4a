"""Check a hand-derived backward pass against centered finite differences.

    ∂L/∂w ≈ (L(w + ε) − L(w − ε)) / 2ε

The error of this estimate shrinks like ε², so in float64 with ε = 1e-5 a correct
backward agrees to about 1e-8 or better in relative terms, and a wrong one (a
flipped sign, a missing term) disagrees by order 1.
"""

from __future__ import annotations

import numpy as np

from . import validate
from .seeding import rng_from


def numerical_gradient(f, x: np.ndarray, eps: float = 1e-5) -> np.ndarray:
    """The gradient of the scalar function ``f()`` with respect to the array ``x``.

    ``x`` is perturbed in place, one entry at a time, and restored; ``f`` must read it.
    Returns an array of x's shape.
    """
    eps = validate.positive_float("eps", eps)
    grad = np.zeros_like(x, dtype=np.float64)
    flat, gflat = x.reshape(-1), grad.reshape(-1)
    if not np.shares_memory(flat, x):
        raise ValueError("x: expected a contiguous array that can be perturbed in place")
    for k in range(flat.size):
        old = flat[k]
        flat[k] = old + eps
        up = f()
        flat[k] = old - eps
        down = f()
        flat[k] = old
        gflat[k] = (up - down) / (2 * eps)
    return grad


def relative_error(a, b) -> float:
    """max |a − b| / max(|a| + |b|, tiny): 0 when equal, about 1 when unrelated."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), 1e-12)))


def check_layer(layer, inputs: dict, *, seed=0, eps: float = 1e-5) -> dict:
    """Compare a layer's backward with numerical gradients; return relative errors.

    The loss is L = Σ out ⊙ R for a fixed random R (a weighted sum is a good hash:
    every output element matters and none cancels), so ∂L/∂out = R.

    Inputs:
    - layer: anything with ``forward(**inputs)`` (its first output is used when it
      returns a tuple), ``backward(dout)`` returning ∂L/∂ of its first input, and
      ``params``/``grads`` dicts
    - inputs: keyword arguments for forward, e.g. {"xs": xs, "h0": h0, "c0": c0};
      the first one is the input whose gradient backward returns
    Returns {"W": err, "b": err, "<first input>": err, ...}: one max relative error each.
    """
    rng = rng_from(seed)

    def out():
        y = layer.forward(**inputs)
        return y[0] if isinstance(y, tuple) else y

    R = rng.normal(size=out().shape)

    def loss():
        return float(np.sum(out() * R))

    loss()
    first = next(iter(inputs))
    d_first = layer.backward(R.astype(inputs[first].dtype))
    analytic = {name: g.copy() for name, g in layer.grads.items()}
    analytic[first] = d_first
    trace = getattr(layer, "trace", None)
    for name in ("h0", "c0"):
        if name in inputs and trace is not None:
            analytic[name] = getattr(trace, "d" + name)

    errors = {}
    for name, p in layer.params.items():
        errors[name] = relative_error(analytic[name], numerical_gradient(loss, p, eps))
    for name, x in inputs.items():
        if name in analytic:
            errors[name] = relative_error(analytic[name], numerical_gradient(loss, x, eps))
    return errors
