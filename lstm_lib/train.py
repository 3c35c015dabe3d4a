"""A training loop with a progress bar, returning the history of what it measured.

The loop knows nothing about models: you hand it a function that performs one
training step and returns the loss (or a dict of numbers, one of them "loss").

It is the course's one training loop; what differs between ideas is the step:
``sequence_model.fit`` draws a minibatch of sequences, ``charlm.Trainer`` reads the
next window of every stream and carries the state on (truncated BPTT),
``mlp_training.fit_mlp`` takes all points at once; ``ladder.fit_lstm`` is rounds of
``fit`` with early stopping. Only ``mlp_training.fit_together`` keeps a loop of its
own: it trains many nets as stacked arrays, which one net's step cannot express.
"""

from __future__ import annotations

import math

import numpy as np
from tqdm.auto import tqdm

from . import validate


class History(dict):
    """Numbers recorded per step: ``history["loss"]`` is an array with one entry per step.

    ``diverged_at`` is the step whose loss was NaN or inf, if training stopped there.
    """

    diverged_at: int | None = None

    def __repr__(self):
        keys = ", ".join(self)
        n = len(self.get("step", ()))
        end = f", diverged at step {self.diverged_at}" if self.diverged_at is not None else ""
        return f"History({n} steps: {keys}{end})"


def train(step, n_steps: int, *, desc: str = "training", progress: bool = True,
          every: int = 10) -> History:
    """Call ``step(k)`` for k = 0 .. n_steps − 1 and record what it returns.

    Inputs:
    - step: function of the step number returning a float loss or a dict of floats
      that includes "loss"
    - n_steps: how many steps
    - desc: the progress bar's label; progress=False hides the bar
    - every: refresh the bar's loss readout every this many steps
    Stops early, setting ``history.diverged_at``, if the loss becomes NaN or inf.
    """
    n_steps = validate.positive_int("n_steps", n_steps)
    every = validate.positive_int("every", every)
    records: dict[str, list] = {"step": []}
    diverged_at = None
    bar = tqdm(range(n_steps), desc=desc, disable=not progress, leave=True)
    for k in bar:
        out = step(k)
        out = {"loss": out} if not isinstance(out, dict) else out
        if "loss" not in out:
            raise ValueError(f"step: expected a float or a dict with a 'loss' entry, got keys "
                             f"{sorted(out)}")
        records["step"].append(k)
        for name, value in out.items():
            records.setdefault(name, []).append(float(value))
        loss = float(out["loss"])
        if not math.isfinite(loss):
            diverged_at = k
            break
        if k % every == 0 or k == n_steps - 1:
            bar.set_postfix(loss=f"{loss:.4g}", refresh=False)
    bar.close()
    history = History({name: np.asarray(values) for name, values in records.items()})
    history.diverged_at = diverged_at
    return history
