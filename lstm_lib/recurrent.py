"""What the RNN and the LSTM share: one weight matrix on z = [h, x], and its two GEMMs.

Layout, the same as every layer of lstm_lib: a weight matrix is stored the way the
maths writes it, one row per output and one column per input. A recurrent cell with
G pre-activations (G = H for the RNN, 4H for the LSTM's gates) reads
z_t = [h_{t-1}, x_t], so

    W  (G, H + X) = [ W_h | W_x ]      W_h = W[:, :H] (G, H),   W_x = W[:, H:] (G, X)

and a step computes W z_t + b = W_h h_{t-1} + W_x x_t + b. In code states are rows of
a batch, so that is ``z @ W.T``.

Only the W_h part depends on the previous step, so both cells split the work the way
cuDNN does:

- before the time loop, project the inputs of *all* steps with one big product
  xs (T·B, X) @ W_xᵀ (X, G): one large GEMM runs far faster than T small ones;
- inside the loop, only h_{t-1} @ W_hᵀ remains;
- after the backward loop, the weight gradient dW = Σ_t da_tᵀ z_t is again one
  product per half, summing every step's contribution at once.
"""

from __future__ import annotations

import numpy as np

from . import validate


def init_weights(rng, input_size, hidden_size, n_blocks, dtype):
    """W (n_blocks·H, H + X) uniform in ±1/√H (PyTorch's default), b zeros (n_blocks·H,).

    The numbers are drawn as an (H + X, n_blocks·H) array and transposed: the order the
    course's first edition drew them in, so a seed gives the same starting weights.
    """
    k = 1.0 / np.sqrt(hidden_size)
    W = rng.uniform(-k, k, size=(hidden_size + input_size, n_blocks * hidden_size)).T
    b = np.zeros(n_blocks * hidden_size)
    return {"W": np.ascontiguousarray(W, dtype=dtype), "b": b.astype(dtype)}


def check_sequence(xs, input_size, dtype) -> np.ndarray:
    """xs must be a finite float array of shape (T, B, input_size) in the layer's dtype,
    with T ≥ 1 and B ≥ 1. Returns a read-only copy, which the trace keeps: changing the
    caller's array afterwards cannot change what backward computes."""
    xs = validate.float_array("xs", xs, (None, None, input_size), letters="TBX", dtype=dtype)
    if xs.shape[0] == 0 or xs.shape[1] == 0:
        raise ValueError(f"xs: expected at least one time step and one sequence, shape "
                         f"(T, B, {input_size}) with T, B ≥ 1; got {xs.shape}")
    return frozen(xs.copy())


def frozen(*arrays):
    """Mark arrays read-only (what forward returns and backward reads); returns them."""
    for a in arrays:
        a.flags.writeable = False
    return arrays[0] if len(arrays) == 1 else arrays


def initial_state(name, value, batch, hidden_size, dtype) -> np.ndarray:
    """h0 or c0: zeros when None, else checked to be (B, H) with B matching xs.
    Returns a read-only array of the layer's own (a copy of ``value``)."""
    if value is None:
        return frozen(np.zeros((batch, hidden_size), dtype=dtype))
    value = np.asarray(value)
    if value.ndim == 2 and value.shape[0] != batch and value.shape[1] == hidden_size:
        raise ValueError(
            f"{name}: expected shape (B, H) = ({batch}, {hidden_size}) with B matching "
            f"xs's batch of {batch}, got {value.shape}"
        )
    value = validate.float_array(name, value, (batch, hidden_size), letters="BH", dtype=dtype)
    return frozen(value.copy())


def check_upstream(name, d, shape, dtype) -> np.ndarray:
    """The gradient handed to backward must match the forward output's shape."""
    return validate.float_array(name, d, shape, letters="TBH", dtype=dtype)


def project_inputs(xs, W_x, b) -> np.ndarray:
    """W_x x_t + b for every step at once: xs (T, B, X), W_x (G, X), b (G,) -> (T, B, G)."""
    T, B, X = xs.shape
    a = xs.reshape(T * B, X) @ np.ascontiguousarray(W_x.T)    # (T·B, X) @ (X, G)
    a += b
    return a.reshape(T, B, -1)


def fill_weight_grads(grads, hs_prev, xs, da, W) -> np.ndarray:
    """From every step's pre-activation gradient, form dW and db and return dxs.

    Inputs:
    - hs_prev: h_{t-1} for t = 1..T, shape (T, B, H)
    - xs: inputs, shape (T, B, X)
    - da: ∂L/∂(W z_t + b) for every step, shape (T, B, G)
    - W: the weights (G, H + X), columns for h first
    Fills grads["W"] with dW = Σ_t da_tᵀ z_t, split into its h and x columns, and
    grads["b"] with db = Σ_t da_t. Returns dxs = da_t W_x for every step, (T, B, X).
    """
    T, B, H = hs_prev.shape
    X = xs.shape[2]
    da_rows = da.reshape(T * B, -1)                                 # (T·B, G)
    grads["W"][:, :H] = da_rows.T @ hs_prev.reshape(T * B, H)     # (G, T·B) @ (T·B, H)
    grads["W"][:, H:] = da_rows.T @ xs.reshape(T * B, X)          # (G, T·B) @ (T·B, X)
    grads["b"][...] = da_rows.sum(axis=0)
    return (da_rows @ W[:, H:]).reshape(T, B, X)
