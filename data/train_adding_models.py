"""Train notebook 06's adding-problem models: writes data/adding_models.npz.

    .venv/bin/python data/train_adding_models.py

The adding problem at T = 100 (ll.tasks.adding(2000, 100, seed=1) as the training set):
five LSTM(2, 32) and five tanh RNNs with about as many parameters (RNN(2, 65)), seeds
0 to 4, trained with Adam (learning rate 0.01), minibatches of 64 and the gradient
clipped to norm 1: the LSTMs for 1500 steps, the RNNs for twice as long, 3000, so that a
longer budget is part of the comparison. The file keeps every model's weights and its
loss at every step; notebook 06 draws the curves, tests the weights on fresh sequences
and reruns the first steps of one run to show that they come from this recipe.
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

OUT = Path(__file__).with_name("adding_models.npz")
T, SEEDS = 100, range(5)
STEPS = {"lstm": 1500, "rnn": 3000}
CELLS = {"lstm": lambda seed: ll.LSTM(2, 32, seed=seed),
         "rnn": lambda seed: ll.RNN(2, 65, seed=seed)}


def train(kind: str, seed: int, steps: int | None = None, progress: bool = False):
    """One model of ``kind`` ("lstm" or "rnn") trained with the recipe above (for
    ``STEPS[kind]`` steps unless ``steps`` says otherwise), and its history."""
    steps = STEPS[kind] if steps is None else steps
    model = ll.SequenceModel(CELLS[kind](seed), 1, seed=seed)
    history = ll.fit(model, ll.tasks.adding(2000, T, seed=1), ll.mse, steps=steps, lr=0.01,
                     batch_size=64, clip=1.0, seed=seed, progress=progress,
                     desc=f"{kind}, seed {seed}")
    return model, history


def main():
    models, losses = {}, {kind: [] for kind in CELLS}
    for kind in CELLS:
        for seed in SEEDS:
            start = time.perf_counter()
            model, history = train(kind, seed, progress=True)
            models[f"{kind}{seed}"] = model
            losses[kind].append(history["loss"])
            print(f"{kind} seed {seed}: {time.perf_counter() - start:.1f} s, final loss "
                  f"{history['loss'][-1]:.4f}")
    ll.save_sequence_models(OUT, models, seeds=np.array(SEEDS), steps=STEPS["lstm"],
                            rnn_steps=STEPS["rnn"], loss_lstm=np.array(losses["lstm"]),
                            loss_rnn=np.array(losses["rnn"]))
    print(f"wrote {OUT} ({OUT.stat().st_size / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
