"""A layer is many neurons at once: y = g(W x + b).

W has one row per neuron, so W is (n_out, n_in); a batch of inputs is a matrix with
one row per example, and the whole layer is one matrix product:

    x (N, n_in) @ W.T (n_in, n_out) + b (n_out,)  ->  (N, n_out)

``Dense`` also accepts extra leading axes, e.g. a sequence of hidden states
(T, B, H): that is how the readout head ŷ_t = g(W_y h_t + b_y) reads every step.

Every layer keeps ``params`` and ``grads`` dicts with the same keys and shapes;
``backward`` writes into ``grads`` in place, so optimizers can hold on to them.
"""

from __future__ import annotations

import numpy as np

from . import activations, validate
from .seeding import rng_from


class Dense:
    """g(W x + b) with W of shape (n_out, n_in) and b of shape (n_out,)."""

    def __init__(self, n_in: int, n_out: int, *, activation: str = "sigmoid", seed,
                 dtype=np.float64):
        n_in = validate.positive_int("n_in", n_in)
        n_out = validate.positive_int("n_out", n_out)
        self.activation = activation
        self.g, self.g_slope_from_output = activations.get(activation)
        dtype = validate.float_dtype("dtype", dtype)
        rng = rng_from(seed)
        # Scale so that W x keeps roughly unit variance (twice that for ReLU, which
        # zeroes half its inputs): the usual Glorot/He reasoning in its simplest form.
        gain = 2.0 if activation == "relu" else 1.0
        W = rng.normal(0.0, np.sqrt(gain / n_in), size=(n_out, n_in))
        self.params = {"W": W.astype(dtype), "b": np.zeros(n_out, dtype=dtype)}
        self.grads = {k: np.zeros_like(v) for k, v in self.params.items()}
        self.x = self.y = None                   # what forward recorded, for backward

    @property
    def n_in(self) -> int:
        return self.params["W"].shape[1]

    @property
    def n_out(self) -> int:
        return self.params["W"].shape[0]

    def __repr__(self):
        return f"{type(self).__name__}({self.n_in} → {self.n_out}, {self.activation})"

    def forward(self, x) -> np.ndarray:
        """x: (..., n_in) -> y: (..., n_out). Remembers a copy of x, and y, for backward;
        y is returned read-only (``np.array(y)`` gives a copy you may change)."""
        W, b = self.params["W"], self.params["b"]
        shape = (None,) * max(np.ndim(x) - 1, 0) + (self.n_in,)       # any leading axes
        x = validate.float_array("x", x, shape, letters="N" * (len(shape) - 1) + "D",
                                 dtype=W.dtype)
        self.x = x.copy()
        self.y = self.g(self.x @ W.T + b)
        self.x.flags.writeable = self.y.flags.writeable = False
        return self.y

    def backward(self, dy) -> np.ndarray:
        """dy: ∂L/∂y, same shape as y. Fills grads; returns ∂L/∂x, same shape as x."""
        if self.y is None:
            raise RuntimeError(f"backward: call forward first; {self!r} has no recorded input")
        W = self.params["W"]
        dy = validate.float_array("dy", dy, self.y.shape, dtype=W.dtype)
        da = dy * self.g_slope_from_output(self.y)             # through the squash
        da_rows = da.reshape(-1, self.n_out)                    # (N, n_out)
        x_rows = self.x.reshape(-1, self.n_in)                  # (N, n_in)
        np.matmul(da_rows.T, x_rows, out=self.grads["W"])       # (n_out, n_in)
        self.grads["b"][...] = da_rows.sum(axis=0)
        return da @ W                                           # (..., n_in)


class Linear(Dense):
    """W x + b with no squash: the readout head that turns a hidden state into logits."""

    def __init__(self, n_in: int, n_out: int, *, seed, dtype=np.float64):
        super().__init__(n_in, n_out, activation="identity", seed=seed, dtype=dtype)

    def __repr__(self):
        return f"Linear({self.n_in} → {self.n_out})"


class MLP:
    """Dense layers wired in a straight line: sizes [2, 8, 1] means 2 → 8 → 1.

    Hidden layers use ``activation``; the last uses ``output_activation`` (identity by
    default, so the output is a logit or a regression value for a loss to read).
    ``params``/``grads`` are flat dicts ("0.W", "0.b", "1.W", ...) that share memory
    with the layers' own arrays.
    """

    def __init__(self, sizes, *, activation: str = "tanh", output_activation: str = "identity",
                 seed, dtype=np.float64):
        sizes = list(sizes)
        if len(sizes) < 2:
            raise ValueError(f"sizes: expected at least [n_in, n_out], got {sizes}")
        for k, n in enumerate(sizes):
            validate.positive_int(f"sizes[{k}]", n)
        rng = rng_from(seed)
        n_layers = len(sizes) - 1
        self.layers = [
            Dense(n_in, n_out, seed=rng, dtype=dtype,
                  activation=activation if k < n_layers - 1 else output_activation)
            for k, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True))
        ]
        self.params = {f"{k}.{name}": p for k, layer in enumerate(self.layers)
                       for name, p in layer.params.items()}
        self.grads = {f"{k}.{name}": g for k, layer in enumerate(self.layers)
                      for name, g in layer.grads.items()}

    def __repr__(self):
        sizes = [self.layers[0].n_in] + [layer.n_out for layer in self.layers]
        hidden = self.layers[0].activation if len(self.layers) > 1 else "none"
        return f"MLP({' → '.join(map(str, sizes))}, hidden={hidden}, " \
               f"out={self.layers[-1].activation})"

    def forward(self, x) -> np.ndarray:
        """x: (N, n_in) -> (N, n_out)."""
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def backward(self, dy) -> np.ndarray:
        """dy: (N, n_out) -> ∂L/∂x (N, n_in); fills every layer's grads."""
        for layer in reversed(self.layers):
            dy = layer.backward(dy)
        return dy
