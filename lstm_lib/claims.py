"""Claims made in a notebook's prose, checked where they are made.

    ll.check(acc[4] > 0.85, "the LSTM keeps agreement across 4 attractors")

When the claim stops being true the cell raises, so re-executing the notebook in CI
fails instead of leaving a sentence that no longer matches the numbers above it.
"""

from __future__ import annotations

import numpy as np


class ClaimFailed(AssertionError):
    """A sentence in a notebook is no longer true of the numbers the notebook computed."""


def check(condition, claim: str) -> None:
    """Raise ClaimFailed(claim) unless ``condition`` is true; print the claim if it holds.

    ``condition`` is one truth value: a bool, or a numpy bool or array of one element.
    An array of several is refused, since it does not say whether all or any must hold.
    """
    if isinstance(condition, np.ndarray) and condition.size != 1:
        raise TypeError(f"condition: expected True or False, got an array of shape "
                        f"{condition.shape}; say which claim you mean with .all() or .any()")
    if not bool(condition):
        raise ClaimFailed(f"claim no longer holds: {claim}")
    print(f"✓ {claim}")
