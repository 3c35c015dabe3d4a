"""What the RNN and the LSTM share: the z = [h, x] weight layout and its two GEMMs.

Both cells multiply z_t = [h_{t-1}, x_t] by one weight matrix W whose first H rows
read h and whose remaining rows read x. Only the h half depends on the previous
step, so both cells split the work the way cuDNN does:

- before the time loop, project the inputs of *all* steps with one big product
  xs (T·B, X) @ W_x (X, n_gates·H): one large GEMM runs far faster than T small ones;
- inside the loop, only h_{t-1} @ W_h remains;
- after the backward loop, the weight gradient is again one product per half,
  summing every step's contribution at once.
"""

from __future__ import annotations

import numpy as np

from . import validate


def init_weights(rng, input_size, hidden_size, n_blocks, dtype):
    """W (H + X, n_blocks·H) uniform in ±1/√H (PyTorch's default), b zeros (n_blocks·H,)."""
    k = 1.0 / np.sqrt(hidden_size)
    W = rng.uniform(-k, k, size=(hidden_size + input_size, n_blocks * hidden_size))
    b = np.zeros(n_blocks * hidden_size)
    return {"W": W.astype(dtype), "b": b.astype(dtype)}


def check_sequence(xs, input_size, dtype) -> np.ndarray:
    """xs must be a finite float array of shape (T, B, input_size) in the layer's dtype."""
    return validate.float_array("xs", xs, (None, None, input_size), letters="TBX", dtype=dtype)


def initial_state(name, value, batch, hidden_size, dtype) -> np.ndarray:
    """h0 or c0: zeros when None, else checked to be (B, H) with B matching xs."""
    if value is None:
        return np.zeros((batch, hidden_size), dtype=dtype)
    value = np.asarray(value)
    if value.ndim == 2 and value.shape[0] != batch and value.shape[1] == hidden_size:
        raise ValueError(
            f"{name}: expected shape (B, H) = ({batch}, {hidden_size}) with B matching "
            f"xs's batch of {batch}, got {value.shape}"
        )
    return validate.float_array(name, value, (batch, hidden_size), letters="BH", dtype=dtype)


def check_upstream(name, d, shape, dtype) -> np.ndarray:
    """The gradient handed to backward must match the forward output's shape."""
    return validate.float_array(name, d, shape, letters="TBH", dtype=dtype)


def project_inputs(xs, W_x, b) -> np.ndarray:
    """xs (T, B, X) @ W_x (X, G) + b (G,) for all steps at once -> (T, B, G)."""
    T, B, X = xs.shape
    a = xs.reshape(T * B, X) @ W_x
    a += b
    return a.reshape(T, B, -1)


def fill_weight_grads(grads, hs_prev, xs, da, W) -> np.ndarray:
    """From every step's pre-activation gradient, form dW and db and return dxs.

    Inputs:
    - hs_prev: h_{t-1} for t = 0..T-1, shape (T, B, H)
    - xs: inputs, shape (T, B, X)
    - da: ∂L/∂(W z_t + b) for every step, shape (T, B, G)
    - W: the weights (H + X, G), rows for h first
    Returns dxs, shape (T, B, X).
    """
    T, B, H = hs_prev.shape
    X = xs.shape[2]
    da_rows = da.reshape(T * B, -1)                                        # (T·B, G)
    np.matmul(hs_prev.reshape(T * B, H).T, da_rows, out=grads["W"][:H])    # (H, G)
    np.matmul(xs.reshape(T * B, X).T, da_rows, out=grads["W"][H:])         # (X, G)
    grads["b"][...] = da_rows.sum(axis=0)
    return (da_rows @ W[H:].T).reshape(T, B, X)
