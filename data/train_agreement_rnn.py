"""Train notebook 04's agreement RNNs far past its budget: writes data/agreement_rnn.npz.

    .venv/bin/python data/train_agreement_rnn.py

Notebook 04's recipe (the training sentences ll.tasks.agreement(2000, seed=1), a
16-unit tanh RNN with a one-output readout, Adam with learning rate 0.01, minibatches of
32), run for 2000 steps instead of 300, from seeds 0 to 19. Every 50 steps, without
disturbing the optimizer, each run is measured on the notebook's test sets: the
accuracy with 0 to 4 attractors, and after 40 filler words. The first 300 steps of
seeds 0 to 4 are the notebook's own runs, which it trains live and compares with this
file. The training loss of every step is kept too (as float32).
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

OUT = Path(__file__).with_name("agreement_rnn.npz")
HIDDEN, STEPS, EVERY, SEEDS = 16, 2000, 50, range(20)
ATTRACTORS = range(5)


def test_sets() -> dict:
    """Notebook 04's test sets: {k: 400 sentences with 4 intervening nouns, k of them
    attractors} for k = 0..4, and "far": 300 subjects followed by 40 filler words."""
    sets = {k: ll.tasks.agreement(400, nouns=(4, 4), attractors=k, seed=100 + k)
            for k in ATTRACTORS}
    sets["far"] = ll.tasks.agreement(300, nouns=(0, 0), filler=(40, 40), context=(0, 0),
                                     seed=240)
    return sets


def train(seed: int, steps: int = STEPS, every: int = EVERY):
    """One run of the recipe above: returns accuracy (steps // every, 5) with 0..4
    attractors and far (steps // every,) after 40 fillers, measured after every
    ``every`` steps, and the training history."""
    sets = test_sets()
    accuracy, far = [], []

    def measure(step, model):
        accuracy.append([ll.accuracy(model, sets[k]) for k in ATTRACTORS])
        far.append(ll.accuracy(model, sets["far"]))

    vocab = len(ll.tasks.AGREEMENT_VOCAB)
    model = ll.SequenceModel(ll.RNN(vocab, HIDDEN, seed=seed), 1, seed=seed)
    history = ll.fit(model, ll.tasks.agreement(2000, seed=1), ll.sigmoid_cross_entropy,
                     steps=steps, lr=0.01, batch_size=32, seed=seed, every=every,
                     callback=measure, progress=False)
    return np.array(accuracy), np.array(far), history


def main():
    accuracy, far, loss = [], [], []
    for seed in SEEDS:
        start = time.perf_counter()
        acc, held, history = train(seed)
        accuracy.append(acc)
        far.append(held)
        loss.append(history["loss"])
        print(f"seed {seed}: {time.perf_counter() - start:.1f} s; with 4 attractors "
              f"{acc[5, 4]:.2f} after 300 steps, {acc[-1, 4]:.2f} after {STEPS}")
    np.savez(OUT, steps=np.arange(EVERY, STEPS + 1, EVERY), seeds=np.array(SEEDS),
             accuracy=np.array(accuracy), far=np.array(far),
             loss=np.array(loss, dtype=np.float32))             # float32: half the file
    print(f"wrote {OUT} ({OUT.stat().st_size / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
