"""Train notebook 04's adding-problem runs at T = 100 for longer: writes data/adding_rnn.npz.

    .venv/bin/python data/train_adding_rnn.py

Notebook 04, section 5, trains a 32-unit tanh RNN with a linear readout on the adding
problem with T = 100 (ll.tasks.adding(2000, 100, seed=0)) for 600 steps, and every run
ends at the baseline. Is 600 simply too few? This script runs the section's two recipes
for 4000 steps, from seeds 0 to 2:

- "adam": the RNN as ll.RNN builds it, Adam with learning rate 0.02, minibatches of 64;
- "sgd": W_h scaled to largest singular value 2, plain SGD with learning rate 0.1,
  minibatches of 64, the gradient clipped to global norm 1 (section 4's recipe).

Every 250 steps, without disturbing the optimizer, each run is scored on the notebook's
1000 test sequences (ll.tasks.adding(1000, 100, seed=1)): the test MSE and the spread
(standard deviation) of its answers. The training loss of every step is kept too (as
float32).
The first 600 steps of "adam" and of seed 0's "sgd" are the notebook's own runs, which
it trains live and compares with this file.
"""

from __future__ import annotations

import os

# Before numpy loads: these matrices are small, so one BLAS thread runs them as fast as
# several on an idle machine, and far faster when other programs keep the cores busy.
# The numbers do not change.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import time
from pathlib import Path

import numpy as np

import lstm_lib as ll

OUT = Path(__file__).with_name("adding_rnn.npz")
STEPS, EVERY, SEEDS = 4000, 250, range(3)
RECIPES = {"adam": dict(sigma1=None, lr=0.02, optimizer="adam", clip=None),
           "sgd": dict(sigma1=2.0, lr=0.1, optimizer="sgd", clip=1.0)}


def model_for(seed: int, sigma1: float | None = None) -> ll.SequenceModel:
    """Notebook 04's adding model: RNN(2, 32) and a one-output readout, W_h rescaled to
    largest singular value ``sigma1`` unless it is None."""
    model = ll.SequenceModel(ll.RNN(2, 32, seed=seed), 1, seed=seed)
    if sigma1 is not None:
        model.cell.W_h[...] = ll.scale_to_spectral_norm(model.cell.W_h, sigma1)
    return model


def train(recipe: str, seed: int, steps: int = STEPS, every: int = EVERY):
    """One run: returns test MSE (steps // every,) and the spread of the test answers
    (steps // every,), measured after every ``every`` steps, and the History."""
    settings = dict(RECIPES[recipe])
    model = model_for(seed, settings.pop("sigma1"))
    test = ll.tasks.adding(1000, 100, seed=1)
    mse, spread = [], []

    def measure(step, model):
        answers = model.forward(test.xs, test.at)[:, 0]
        mse.append(ll.mse(answers[:, None], test.y)[0])
        spread.append(answers.std())

    history = ll.fit(model, ll.tasks.adding(2000, 100, seed=0), ll.mse, steps=steps,
                     batch_size=64, seed=seed, every=every, callback=measure,
                     progress=False, **settings)
    return np.array(mse), np.array(spread), history


def main():
    arrays = {}
    for recipe in RECIPES:
        mses, spreads, losses = [], [], []
        for seed in SEEDS:
            start = time.perf_counter()
            mse, spread, history = train(recipe, seed)
            if history.diverged_at is not None:
                raise RuntimeError(f"{recipe} seed {seed} diverged at step {history.diverged_at}")
            mses.append(mse)
            spreads.append(spread)
            losses.append(history["loss"])
            print(f"{recipe} seed {seed}: {time.perf_counter() - start:.1f} s; test MSE / "
                  f"baseline {mse[1] / ll.tasks.ADDING_BASELINE_MSE:.3f} after {2 * EVERY} "
                  f"steps, {mse[-1] / ll.tasks.ADDING_BASELINE_MSE:.3f} after {STEPS}")
        arrays[f"mse_{recipe}"] = np.array(mses)                   # (seeds, STEPS // EVERY)
        arrays[f"spread_{recipe}"] = np.array(spreads)
        arrays[f"loss_{recipe}"] = np.array(losses, dtype=np.float32)   # (seeds, STEPS)
    np.savez(OUT, steps=np.arange(EVERY, STEPS + 1, EVERY), seeds=np.array(SEEDS), **arrays)
    print(f"wrote {OUT} ({OUT.stat().st_size / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
