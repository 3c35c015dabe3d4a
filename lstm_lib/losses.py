"""How wrong a prediction is, and the gradient that says which way to move it.

Each loss returns ``(loss, dpred)``: the mean loss as a float and its gradient with
respect to the prediction (or logits), same shape as the prediction. The two
cross-entropies take *logits* (scores before any squash) and never form log(0).
"""

from __future__ import annotations

import numpy as np

from . import validate
from .activations import sigmoid


def _same_shape(pred, target):
    pred = validate.float_array("pred", pred, np.shape(pred))
    target = validate.float_array("target", np.asarray(target, dtype=pred.dtype), pred.shape)
    return pred, target


def mse(pred, target):
    """Mean squared error, mean over every element. pred, target: any equal shapes."""
    pred, target = _same_shape(pred, target)
    diff = pred - target
    return float(np.mean(diff * diff)), 2.0 * diff / diff.size


def sigmoid_cross_entropy(logits, target):
    """Binary cross-entropy of σ(logits) against targets in [0, 1], mean over elements.

    Written as max(a, 0) − a·y + log(1 + e^(−|a|)), which equals
    −y·log σ(a) − (1 − y)·log(1 − σ(a)) but never overflows.
    """
    a, y = _same_shape(logits, target)
    if ((y < 0) | (y > 1)).any():
        raise ValueError(f"target: expected values in [0, 1], got min {y.min()}, max {y.max()}")
    loss = np.maximum(a, 0) - a * y + np.log1p(np.exp(-np.abs(a)))
    return float(loss.mean()), (sigmoid(a) - y) / a.size


def softmax(logits, axis=-1):
    """exp(a) / Σ exp(a) along ``axis``, shifted by the max so it never overflows."""
    a = np.asarray(logits)
    e = np.exp(a - a.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def log_softmax(logits, axis=-1):
    """log softmax, computed as a − max − log Σ exp(a − max)."""
    a = np.asarray(logits)
    shifted = a - a.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def softmax_cross_entropy(logits, labels):
    """−log softmax(logits)[label], mean over all positions.

    Inputs:
    - logits: (..., K) scores for K classes (e.g. (T, B, K) for a sequence model)
    - labels: (...) integer class indices in [0, K)
    Returns (loss in nats, dlogits of shape (..., K)).
    """
    a = validate.float_array("logits", logits, np.shape(logits))
    if a.ndim == 0:
        raise ValueError("logits: expected shape (..., K), got a scalar")
    labels = np.asarray(labels)
    K = a.shape[-1]
    if labels.shape != a.shape[:-1]:
        raise ValueError(f"labels: expected shape {a.shape[:-1]} (logits without the class "
                         f"axis), got {labels.shape}")
    if labels.dtype.kind not in "iu":
        raise TypeError(f"labels: expected integer class indices, got dtype {labels.dtype}")
    if labels.size and (labels.min() < 0 or labels.max() >= K):
        raise ValueError(f"labels: expected values in [0, {K}), got min {labels.min()}, "
                         f"max {labels.max()}")
    logp = log_softmax(a)
    picked = np.take_along_axis(logp, labels[..., None], axis=-1)[..., 0]
    n = max(labels.size, 1)
    dlogits = np.exp(logp)
    np.put_along_axis(dlogits, labels[..., None],
                      np.take_along_axis(dlogits, labels[..., None], axis=-1) - 1, axis=-1)
    return float(-picked.mean()), dlogits / n
