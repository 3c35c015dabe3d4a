"""Check a hand-derived backward pass against centered finite differences.

    ∂L/∂w ≈ (L(w + ε) − L(w − ε)) / 2ε

The error of this estimate shrinks like ε², so in float64 with ε = 1e-5 a correct
backward agrees to about 1e-8 or better, and a wrong one (a flipped sign, a missing
term) disagrees by order 1. Checks run in float64 only: float32 keeps about 7 digits,
and dividing a difference of two nearly equal losses by 2ε = 2e-5 leaves about two.

How far apart are two gradients? Not entry by entry: an entry that is 1e-12 in both
(a saturated gate's weight, say) is pure rounding noise on both sides, and its relative
difference can be anything. ``relative_error`` compares whole arrays by their norms,
with a floor at the size of finite-difference noise, so only disagreement that
matters shows, and ``check_layer`` also reports the entry that disagrees most.
"""

from __future__ import annotations

import numpy as np

from . import validate
from .seeding import rng_from

NOISE = 1e-8          # finite-difference noise per entry in float64 with ε = 1e-5, about


def numerical_gradient(f, x: np.ndarray, eps: float = 1e-5) -> np.ndarray:
    """The gradient of the scalar function ``f()`` with respect to the array ``x``.

    ``x`` must be a float64 array that ``f`` reads; it is perturbed in place, one entry
    at a time, and restored. Returns a float64 array of x's shape.
    """
    eps = validate.positive_float("eps", eps)
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        got = type(x).__name__ if not isinstance(x, np.ndarray) else f"dtype {x.dtype}"
        raise TypeError(
            f"x: expected a float64 numpy array to nudge in place, got {got}"
            + (" (an int array cannot hold x ± eps: convert it with .astype(np.float64))"
               if isinstance(x, np.ndarray) and x.dtype.kind in "iub" else "")
            + (" (float32 keeps too few digits for finite differences: check in float64)"
               if isinstance(x, np.ndarray) and x.dtype == np.float32 else ""))
    grad = np.zeros_like(x)
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


class GradientError(float):
    """How far a backward pass's gradient is from the numerical one, as a float:
    ‖a − b‖ / max(‖a‖ + ‖b‖, NOISE·√n) (0 when equal, about 1 when unrelated).

    It also remembers the entry that disagrees most: ``worst`` (its index), and the
    ``analytic`` and ``numeric`` values there.
    """

    worst: tuple = ()
    analytic: float = 0.0
    numeric: float = 0.0
    name: str = ""

    def __repr__(self):
        where = f"{self.name}[{', '.join(map(str, self.worst))}]" if self.worst else self.name
        return (f"{float(self):.1e} (largest difference at {where}: "
                f"backward {self.analytic:.6g}, numerical {self.numeric:.6g})")


def relative_error(analytic, numeric, name: str = "") -> GradientError:
    """Compare two gradients of the same shape as whole arrays; see GradientError."""
    a, b = np.asarray(analytic, dtype=np.float64), np.asarray(numeric, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"analytic, numeric: expected the same shape, got {a.shape} and "
                         f"{b.shape}")
    scale = max(float(np.linalg.norm(a) + np.linalg.norm(b)), NOISE * np.sqrt(max(a.size, 1)))
    error = GradientError(float(np.linalg.norm(a - b)) / scale)
    if a.size:
        worst = np.unravel_index(int(np.argmax(np.abs(a - b))), a.shape)
        error.worst = tuple(int(k) for k in worst)
        error.analytic, error.numeric = float(a[worst]), float(b[worst])
    error.name = name
    return error


def _float64(name, x) -> np.ndarray:
    """x as a float64 array: lists and int arrays are converted, float32 is refused."""
    if isinstance(x, np.ndarray) and x.dtype == np.float32:
        raise TypeError(f"{name}: float32 keeps too few digits for finite differences; "
                        "pass float64 (and build the layer with dtype=np.float64)")
    if isinstance(x, np.ndarray) and x.dtype == np.float64:
        return x
    return np.asarray(x, dtype=np.float64)


def check_layer(layer, inputs: dict, *, seed=0, eps: float = 1e-5) -> dict:
    """Compare a layer's backward with numerical gradients, in float64.

    The loss is L = Σ out ⊙ R for a fixed random R (a weighted sum is a good hash:
    every output element matters and none cancels), so ∂L/∂out = R.

    Inputs:
    - layer: anything with ``forward(**inputs)`` (its first output is used when it
      returns a tuple), ``backward(dout)`` returning ∂L/∂ of its first input, and
      float64 ``params``/``grads`` dicts
    - inputs: keyword arguments for forward, e.g. {"xs": xs, "h0": h0, "c0": c0}, float64
      arrays; the first one is the input whose gradient backward returns
    Returns {"W": error, "b": error, "<first input>": error, ...}, one GradientError each:
    below about 1e-7 the backward is right; near 1 it is unrelated.
    """
    for name, p in layer.params.items():
        if p.dtype != np.float64:
            raise TypeError(f"layer: its {name} is {p.dtype}; finite differences need "
                            "float64 (build the same layer with dtype=np.float64 to check it)")
    rng = rng_from(seed)
    inputs = {name: _float64(f"inputs[{name!r}]", x) for name, x in inputs.items()}

    def out():
        y = layer.forward(**inputs)
        return y[0] if isinstance(y, tuple) else y

    R = rng.normal(size=out().shape)

    def loss():
        return float(np.sum(out() * R))

    loss()
    first = next(iter(inputs))
    d_first = layer.backward(R)
    analytic = {name: g.copy() for name, g in layer.grads.items()}
    analytic[first] = np.array(d_first)
    trace = getattr(layer, "trace", None)
    for name in ("h0", "c0"):
        if name in inputs and trace is not None:
            analytic[name] = np.array(getattr(trace, "d" + name))

    errors = {}
    for name, p in layer.params.items():
        errors[name] = relative_error(analytic[name], numerical_gradient(loss, p, eps), name)
    for name, x in inputs.items():
        if name in analytic:
            errors[name] = relative_error(analytic[name], numerical_gradient(loss, x, eps),
                                          name)
    return errors
