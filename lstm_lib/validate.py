"""Checks on what callers hand to lstm_lib, with errors a learner can act on.

Every message names the argument, what was expected and what was received, e.g.

    ValueError: xs: expected shape (T, B, 3) = (time, batch, input), got (5, 4)

Shapes are written with ``None`` for "any size" in the spec and with their letter
(T, B, ...) in the message.
"""

from __future__ import annotations

import numbers

import numpy as np

FLOAT_DTYPES = (np.float32, np.float64)


def positive_int(name: str, value) -> int:
    """Return ``value`` as an int, or raise if it is not a whole number >= 1."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name}: expected a positive int, got {value!r} ({type(value).__name__})")
    if value <= 0:
        raise ValueError(f"{name}: expected a positive int, got {value}")
    return int(value)


def positive_float(name: str, value) -> float:
    """Return ``value`` as a float, or raise if it is not a finite number > 0."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"{name}: expected a positive number, got {value!r} ({type(value).__name__})"
        )
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name}: expected a finite number > 0, got {value}")
    return float(value)


def finite_float(name: str, value) -> float:
    """Return ``value`` as a float, or raise if it is not a finite real number."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name}: expected a number, got {value!r} ({type(value).__name__})")
    if not np.isfinite(value):
        raise ValueError(f"{name}: expected a finite number, got {value}")
    return float(value)


def in_range(name: str, value, low: float, high: float) -> float:
    """Return ``value`` as a float, or raise if it lies outside [low, high]."""
    value = finite_float(name, value)
    if not low <= value <= high:
        raise ValueError(f"{name}: expected a number in [{low}, {high}], got {value}")
    return value


def float_dtype(name: str, dtype) -> np.dtype:
    """Return ``dtype`` as a numpy dtype, or raise if it is not float32 or float64."""
    try:
        dtype = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"{name}: expected float32 or float64, got {dtype!r}") from None
    if dtype not in FLOAT_DTYPES:
        raise TypeError(f"{name}: expected float32 or float64, got {dtype}")
    return dtype


def float_array(name: str, x, shape: tuple, *, letters: str = "", dtype=None) -> np.ndarray:
    """Check that ``x`` is a finite float array of the given shape; return it.

    Inputs:
    - name: the argument's name, used in the message.
    - x: the value to check. Lists are accepted and converted.
    - shape: the expected shape; ``None`` entries match any size.
    - letters: names of the axes for the message, e.g. "TBX" or "BH".
    - dtype: if given, the array must have exactly this dtype (the layer's dtype).
    """
    if not isinstance(x, np.ndarray):
        x = np.asarray(x)
    wanted = describe_shape(shape, letters)
    if x.dtype.kind not in "f" or x.dtype not in FLOAT_DTYPES:
        raise TypeError(
            f"{name}: expected a float32 or float64 array, got dtype {x.dtype}"
            + (" (convert with .astype(np.float64))" if x.dtype.kind in "iub" else "")
        )
    if dtype is not None and x.dtype != dtype:
        raise TypeError(
            f"{name}: expected dtype {np.dtype(dtype)} (the layer's dtype), got {x.dtype}; "
            f"convert with .astype(np.{np.dtype(dtype)}) or build the layer with dtype=np.{x.dtype}"
        )
    if x.ndim != len(shape) or any(
        s is not None and s != n for s, n in zip(shape, x.shape, strict=True)
    ):
        raise ValueError(f"{name}: expected shape {wanted}, got {x.shape}")
    if not np.isfinite(x).all():
        n_nan = int(np.isnan(x).sum())
        n_inf = int(np.isinf(x).sum())
        raise ValueError(f"{name}: expected finite values, got {n_nan} NaN and {n_inf} inf")
    return x


def read_steps(name: str, at, T: int, B: int) -> np.ndarray:
    """``at`` as (B,) integer steps in [0, T), one per sequence, or raise saying how not."""
    at = np.asarray(at)
    if at.shape != (B,) or at.dtype.kind not in "iu":
        raise ValueError(f"{name}: expected ({B},) integer steps, one per sequence, got "
                         f"shape {at.shape} and dtype {at.dtype}")
    if at.min() < 0 or at.max() >= T:
        raise ValueError(f"{name}: expected steps in [0, {T}), got values from {at.min()} "
                         f"to {at.max()}")
    return at


def describe_shape(shape: tuple, letters: str = "") -> str:
    """Write a shape spec for a message: ``(None, None, 3)`` with "TBX" -> "(T, B, 3)"."""
    parts = []
    for k, size in enumerate(shape):
        letter = letters[k] if k < len(letters) else "*"
        parts.append(letter if size is None else str(size))
    return "(" + ", ".join(parts) + ")" if len(parts) != 1 else f"({parts[0]},)"
