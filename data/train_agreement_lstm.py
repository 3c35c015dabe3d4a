"""Train the agreement LSTM whose gates notebook 06 opens: writes data/agreement_lstm.npz.

    .venv/bin/python data/train_agreement_lstm.py

The recipe of notebooks 04 and 06 (the training sentences ll.tasks.agreement(2000,
seed=1), Adam with learning rate 0.01, minibatches of 32), run for 1500 steps instead of
300, on LSTM(V, 16) with seed 0. Prints the accuracy per number of attractors on the
notebooks' test sets and stores it in the file, next to the weights, so a test can check
that rerunning this script gives the same model.
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

OUT = Path(__file__).with_name("agreement_lstm.npz")
HIDDEN, STEPS, SEED = 16, 1500, 0
ATTRACTORS = range(5)


def test_sets() -> dict:
    """The notebooks' test sets: 400 sentences with 4 intervening nouns, k of them
    attractors, for k = 0..4."""
    return {k: ll.tasks.agreement(400, nouns=(4, 4), attractors=k, seed=100 + k)
            for k in ATTRACTORS}


def train(steps: int = STEPS, seed: int = SEED, progress: bool = False):
    """The trained model and its training history."""
    vocab = len(ll.tasks.AGREEMENT_VOCAB)
    model = ll.SequenceModel(ll.LSTM(vocab, HIDDEN, seed=seed), 1, seed=seed)
    history = ll.fit(model, ll.tasks.agreement(2000, seed=1), ll.sigmoid_cross_entropy,
                     steps=steps, lr=0.01, batch_size=32, seed=seed, progress=progress,
                     desc="agreement LSTM")
    return model, history


def accuracy_by_attractors(model) -> np.ndarray:
    """(5,): accuracy on the test set with 0, 1, ..., 4 attractors."""
    return np.array([ll.accuracy(model, data) for data in test_sets().values()])


def main():
    start = time.perf_counter()
    model, history = train(progress=True)
    seconds = time.perf_counter() - start
    accuracy = accuracy_by_attractors(model)
    ll.save_sequence_models(OUT, {"lstm": model}, accuracy_by_attractors=accuracy,
                            steps=STEPS, seed=SEED, loss=history["loss"])
    print(f"trained in {seconds:.1f} s; accuracy with 0..4 attractors: {np.round(accuracy, 3)}")
    print(f"wrote {OUT} ({OUT.stat().st_size / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
