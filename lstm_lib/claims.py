"""Claims made in a notebook's prose, checked where they are made.

    ll.check(acc[4] > 0.85, "the LSTM keeps agreement across 4 attractors")

When the claim stops being true the cell raises, so re-executing the notebook in CI
fails instead of leaving a sentence that no longer matches the numbers above it.
"""

from __future__ import annotations


class ClaimFailed(AssertionError):
    """A sentence in a notebook is no longer true of the numbers the notebook computed."""


def check(condition, claim: str) -> None:
    """Raise ClaimFailed(claim) unless ``condition`` is true; print the claim if it holds."""
    if not bool(condition):
        raise ClaimFailed(f"claim no longer holds: {claim}")
    print(f"✓ {claim}")
