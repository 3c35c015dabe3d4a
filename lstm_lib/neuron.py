"""One neuron: the perceptron, z = w·x + b, and learning by correction.

The neuron answers 1 when z > 0 and 0 otherwise. The boundary w·x + b = 0 is a
hyperplane: w sets its tilt (w is the boundary's normal), b slides it.

The perceptron rule (Rosenblatt, 1958): show one point; if the answer was wrong,
move w toward the point when it should have said 1 and away from it when it should
have said 0, and move b the same way. Nothing changes when the answer was right.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import validate
from .seeding import rng_from


@dataclass(frozen=True)
class PerceptronStep:
    """The state after one update, for replaying learning.

    - w: weights after the update, shape (D,)
    - b: bias after the update
    - index: which training point triggered the update (None for the starting state)
    - errors: how many training points the updated neuron gets wrong
    """

    w: np.ndarray
    b: float
    index: int | None
    errors: int


class Perceptron:
    """A perceptron: one neuron with a hard yes/no switch on D inputs; starts at w = 0, b = 0."""

    def __init__(self, n_inputs: int, *, lr: float = 1.0):
        n_inputs = validate.positive_int("n_inputs", n_inputs)
        self.lr = validate.positive_float("lr", lr)
        self.w = np.zeros(n_inputs)  # (D,)
        self.b = 0.0

    def __repr__(self):
        return f"Perceptron(n_inputs={self.w.size}, w={np.round(self.w, 3)}, b={self.b:.3g})"

    def score(self, X) -> np.ndarray:
        """z = X w + b for a batch X of shape (N, D); returns shape (N,)."""
        X = validate.float_array("X", X, (None, self.w.size), letters="ND")
        return X @ self.w + self.b

    def predict(self, X) -> np.ndarray:
        """1 where z > 0, else 0; X shape (N, D), returns int array of shape (N,)."""
        return (self.score(X) > 0).astype(int)

    def update(self, x, y) -> bool:
        """Apply the perceptron rule for one point x (D,) with label y in {0, 1}.

        Returns True if the neuron was wrong and so changed.
        """
        x = validate.float_array("x", x, (self.w.size,), letters="D")
        if y not in (0, 1):
            raise ValueError(f"y: expected a label 0 or 1, got {y!r}")
        y_hat = int(x @ self.w + self.b > 0)
        if y_hat == y:
            return False
        self.w += self.lr * (y - y_hat) * x
        self.b += self.lr * (y - y_hat)
        return True

    def fit(self, X, y, *, epochs: int = 100, seed=0) -> list[PerceptronStep]:
        """Sweep the data (in a seeded random order each epoch) until no point is wrong.

        Inputs:
        - X: points, shape (N, D); y: labels in {0, 1}, shape (N,)
        - epochs: most sweeps before giving up (XOR never converges)
        Returns the history: the starting state, then one PerceptronStep per update.
        """
        X = validate.float_array("X", X, (None, self.w.size), letters="ND")
        y = np.asarray(y)
        if y.shape != (len(X),) or not np.isin(y, (0, 1)).all():
            raise ValueError(f"y: expected {len(X)} labels in {{0, 1}}, got shape {y.shape}")
        epochs = validate.positive_int("epochs", epochs)
        rng = rng_from(seed)

        def snapshot(index):
            errors = int((self.predict(X) != y).sum())
            return PerceptronStep(self.w.copy(), float(self.b), index, errors)

        history = [snapshot(None)]
        for _ in range(epochs):
            changed = False
            for n in rng.permutation(len(X)):
                if self.update(X[n], int(y[n])):
                    history.append(snapshot(int(n)))
                    changed = True
            if not changed:
                break
        return history
