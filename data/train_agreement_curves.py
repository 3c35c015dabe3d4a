"""Train notebook 06's agreement learning curves: writes data/agreement_curves.npz.

    .venv/bin/python data/train_agreement_curves.py
    .venv/bin/python data/train_agreement_curves.py --lr 0.003 --steps 2000

How many training steps does each cell need before it keeps subject-verb agreement
across 4 attractors? The recipe of notebooks 04 and 06 (the training sentences
ll.tasks.agreement(2000, seed=1), Adam with learning rate 0.01, minibatches of 32), run
for 1000 steps on ten seeds (0 to 9) of two models with about the same number of
parameters: an LSTM(V, 16) and a tanh RNN(V, 42). Every 10 steps, ll.fit's callback
measures the accuracy on the notebooks' 400 test sentences with 4 attractors, along one
run, without restarting the optimizer. The file keeps those curves and the training
loss of the first 300 steps, which notebook 06 compares with the runs it trains itself.

With ``--lr`` the same runs use another learning rate, so that one setting of the
optimizer does not decide the comparison, and write a file named after it
(agreement_curves_lr0.003.npz); ``--steps`` runs them for longer.
"""

from __future__ import annotations

import os

# Before numpy loads: these matrices are small, so one BLAS thread runs them as fast as
# several on an idle machine, and far faster when other programs keep the cores busy.
# The numbers do not change.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import time
from pathlib import Path

import numpy as np

import lstm_lib as ll

OUT = Path(__file__).with_name("agreement_curves.npz")
LR = 0.01                                   # the notebooks' recipe
STEPS, EVERY, KEPT_LOSS, SEEDS = 1000, 10, 300, range(10)
V = len(ll.tasks.AGREEMENT_VOCAB)
CELLS = {"lstm": lambda seed: ll.LSTM(V, 16, seed=seed),
         "rnn": lambda seed: ll.RNN(V, 42, seed=seed)}


def four_attractors():
    """The notebooks' test set: 400 sentences with 4 intervening nouns, all attractors."""
    return ll.tasks.agreement(400, nouns=(4, 4), attractors=4, seed=104)


def out_path(lr: float = LR) -> Path:
    """The file for learning rate ``lr``: OUT for the recipe's own, else one named after it."""
    return OUT if lr == LR else OUT.with_name(f"agreement_curves_lr{lr:g}.npz")


def train(kind: str, seed: int, steps: int = STEPS, lr: float = LR):
    """One run of ``kind`` ("lstm" or "rnn") with learning rate ``lr``: its history and
    its accuracy on ``four_attractors()`` after every EVERY-th step, (steps // EVERY,)."""
    model = ll.SequenceModel(CELLS[kind](seed), 1, seed=seed)
    test, curve = four_attractors(), []
    history = ll.fit(model, ll.tasks.agreement(2000, seed=1), ll.sigmoid_cross_entropy,
                     steps=steps, lr=lr, batch_size=32, seed=seed, progress=False,
                     every=EVERY, callback=lambda k, m: curve.append(ll.accuracy(m, test)))
    return history, np.array(curve)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lr", type=float, default=LR, help="Adam's learning rate")
    parser.add_argument("--steps", type=int, default=STEPS, help="training steps per run")
    args = parser.parse_args()
    lr, steps = args.lr, args.steps
    out = out_path(lr)
    arrays = {}
    for kind in CELLS:
        curves, losses = [], []
        for seed in SEEDS:
            start = time.perf_counter()
            history, curve = train(kind, seed, steps, lr=lr)
            curves.append(curve)
            losses.append(history["loss"][:KEPT_LOSS])
            print(f"{kind} seed {seed}: {time.perf_counter() - start:.1f} s; with 4 attractors "
                  f"{curve[300 // EVERY - 1]:.3f} after 300 steps, {curve[-1]:.3f} after {steps}")
        arrays[f"accuracy_{kind}"] = np.array(curves)            # (seeds, steps // EVERY)
        arrays[f"loss_{kind}"] = np.array(losses)                # (seeds, KEPT_LOSS)
    extra = {} if lr == LR else {"lr": lr}       # the recipe's own file keeps its keys
    np.savez(out, steps=np.arange(EVERY, steps + 1, EVERY), seeds=np.array(SEEDS),
             rnn_units=42, **extra, **arrays)
    print(f"wrote {out} ({out.stat().st_size / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
