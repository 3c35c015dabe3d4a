"""How right a model is: one rule for right and wrong, accuracy, average precision.

- ``correct(logits, y)``, ``accuracy(logits, y)``  the one rule every accuracy in the
  course uses: one output (a yes/no logit) is right when logit > 0 exactly when the
  label is 1; several outputs (one logit per class) are right when the largest logit
  is the class in y. ``ll.accuracy(model, data)`` applies it to a sequence model.
- ``accuracy_by``     agreement accuracy grouped by a per-sentence field
- ``reber_hits``      the Reber stream's per-step score: all seven outputs right
- ``budget_summary``  many runs measured as they train, at several budgets
- ``average_precision``  the area under the precision–recall curve (rare positives)
"""

from __future__ import annotations

import numpy as np


def correct(logits, y) -> np.ndarray:
    """Where ``logits`` (..., K) are right about ``y``: bool, shaped like y.

    y holds one label per row, shaped (..., 1) or (...,): for K = 1 a yes/no label
    (right when logit > 0 exactly when y > 0.5), for K > 1 a class index (right when
    the largest logit is that class). Several yes/no labels per row are no class:
    compare them yourself (``reber_hits`` does).
    """
    logits, y = np.asarray(logits), np.asarray(y)
    lead = logits.shape[:-1]
    if y.shape not in (lead, lead + (1,)):
        if logits.shape[-1] == 1:
            raise ValueError(f"y: expected one target per read step, shape {lead + (1,)} "
                             f"like the model's output, got {y.shape}")
        raise ValueError(f"y: a model with {logits.shape[-1]} outputs is scored against "
                         f"class indices, shape {lead + (1,)}; got {y.shape} (several yes/no "
                         "targets per step are not one class: compare them yourself)")
    if logits.shape[-1] == 1:
        right = (logits[..., 0] > 0) == (y.reshape(lead) > 0.5)
    else:
        right = np.argmax(logits, axis=-1) == y.reshape(lead).astype(int)
    return right.reshape(y.shape)


def accuracy(logits, y) -> float:
    """The fraction of rows where ``logits`` are right about ``y`` (see ``correct``)."""
    return float(np.mean(correct(logits, y)))


def accuracy_by(model, data, field: str, *, min_count: int = 1) -> dict:
    """Accuracy of a binary sequence-to-one model, grouped by a per-sequence field.

    ``data`` is a batch with that field, e.g. an AgreementBatch and "attractors" or
    "distance". Returns {value: accuracy} for every value held by at least
    ``min_count`` sequences, in increasing order of value.
    """
    if not hasattr(data, field):
        raise ValueError(f"field: the batch has no per-sequence field {field!r}")
    groups = np.asarray(getattr(data, field))
    right = correct(model.forward(data.xs, data.at), data.y)[:, 0]     # (B,)
    return {int(v): float(right[groups == v].mean()) for v in np.unique(groups)
            if np.sum(groups == v) >= min_count}


def reber_hits(model, batch) -> np.ndarray:
    """Per step and stream, (T, n) bool: every one of the 7 outputs on the right side
    (logit > 0 exactly for the symbols allowed next)."""
    return np.all((model.forward(batch.xs) > 0) == (batch.y > 0.5), axis=2)


def budget_summary(accuracy, steps, budgets, *, level: float = 0.9) -> dict:
    """How a set of training runs stands at several budgets.

    Inputs:
    - accuracy (runs, checkpoints): each run's accuracy measured after steps[j] steps
    - steps (checkpoints,): increasing step counts; budgets: some of them
    - level: the accuracy a run must reach to count as passed
    Returns {"passed": {budget: runs at or above level}, "median": {budget: median
    accuracy}, "first" (runs,): the first measured step at or above level (inf for a
    run that never gets there), "fell_back" (runs,) bool: the run reached level and was
    later measured below chance (0.5)}.
    """
    accuracy = np.asarray(accuracy, dtype=np.float64)
    steps = np.asarray(steps)
    if accuracy.ndim != 2 or accuracy.shape[1] != len(steps):
        raise ValueError(f"accuracy: expected shape (runs, {len(steps)}), got "
                         f"{accuracy.shape}")
    column = {int(s): j for j, s in enumerate(steps)}
    missing = [b for b in budgets if int(b) not in column]
    if missing:
        raise ValueError(f"budgets: {missing} are not among the measured steps")
    reached = accuracy >= level
    first_at = np.argmax(reached, axis=1)                        # first True per run
    ever = reached.any(axis=1)
    later = np.arange(len(steps)) > first_at[:, None]
    fell_back = ever & np.any(later & (accuracy < 0.5), axis=1)
    return {"passed": {int(b): int(reached[:, column[int(b)]].sum()) for b in budgets},
            "median": {int(b): float(np.median(accuracy[:, column[int(b)]])) for b in budgets},
            "first": np.where(ever, steps[first_at], np.inf),
            "fell_back": fell_back}


def average_precision(y, score) -> float | np.ndarray:
    """Area under the precision–recall curve of ``score`` ranking the positives of y
    (sklearn.metrics.average_precision_score). y (N,); score (N,), or (N, K) for K
    rankings at once (returns (K,)). The base rate when y has no positive (a random
    ranking's expected value), so a tiny split never breaks a curve."""
    from sklearn.metrics import average_precision_score
    y, score = np.asarray(y), np.asarray(score)
    if not y.any():
        return float(np.mean(y)) if score.ndim == 1 else np.full(score.shape[1], np.mean(y))
    if score.ndim == 1:
        return float(average_precision_score(y, score))
    # one call for K columns: y repeated as K labels, one ranking each
    return average_precision_score(np.repeat(y[:, None], score.shape[1], axis=1), score,
                                   average=None)
