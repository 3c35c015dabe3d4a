"""Train notebook 06's continual Reber models: writes data/reber_models.npz.

    .venv/bin/python data/train_reber_models.py

Section 6 of notebook 06: LSTMs of 8 units with a 7-output head, with the forget gate
("gated") and without it ("bare", the 1997 cell, f = 1), seeds 0 to 4. Each trains on
ll.tasks.continual_reber(1000, 40, seed=1) with Adam (learning rate 0.02, minibatches of
32) for 3600 steps. Every 600 steps, ll.fit's callback lets the model read one stream of
20,000 symbols (ll.tasks.continual_reber(1, 20_000, seed=2)) without a reset and records
the share of the long-memory steps it gets right and the largest |c| it reaches. The file
keeps the weights after 1200 steps (the models the notebook opens), those two
measurements at every checkpoint, and the first 50 training losses of every run.
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

OUT = Path(__file__).with_name("reber_models.npz")
STEPS, EVERY, KEPT_AT, KEPT_LOSS, SEEDS = 3600, 600, 1200, 50, range(5)
CELLS = {"gated": True, "bare": False}                 # name: forget_gate


def stream():
    """The test stream: 20,000 symbols, read in one go."""
    return ll.tasks.continual_reber(1, 20_000, seed=2)


def read_stream(model, batch) -> tuple[float, float]:
    """(share of the long-memory steps right, largest |c|) over one stream."""
    hits = ll.metrics.reber_hits(model, batch)[:, 0]
    return float(hits[batch.recall[0]].mean()), float(np.abs(model.cell.trace.c).max())


def train(name: str, seed: int, steps: int = STEPS):
    """One run: (a copy of the model after KEPT_AT steps, None if it stops before, its
    history, the stream measurements (steps // EVERY, 2) after every EVERY-th step)."""
    model = ll.SequenceModel(ll.LSTM(7, 8, seed=seed, forget_gate=CELLS[name]), 7, seed=seed)
    batch, measured, kept = stream(), [], {}

    def checkpoint(k, m):
        measured.append(read_stream(m, batch))
        if k == KEPT_AT:                              # a copy of the weights, as they are now
            kept["model"] = copy = ll.SequenceModel(
                ll.LSTM(7, 8, forget_gate=CELLS[name], seed=0), 7, seed=0)
            for mine, theirs in ((copy.cell, m.cell), (copy.head, m.head)):
                for key in ("W", "b"):
                    mine.params[key][...] = theirs.params[key]

    history = ll.fit(model, ll.tasks.continual_reber(1000, 40, seed=1), ll.sigmoid_cross_entropy,
                     steps=steps, lr=0.02, batch_size=32, seed=seed, progress=False,
                     every=EVERY, callback=checkpoint)
    return kept.get("model"), history, np.array(measured)


def main():
    models, losses, measured = {}, {}, {}
    for name in CELLS:
        losses[name], measured[name] = [], []
        for seed in SEEDS:
            start = time.perf_counter()
            model, history, table = train(name, seed)
            models[f"{name}{seed}"] = model
            losses[name].append(history["loss"][:KEPT_LOSS])
            measured[name].append(table)
            print(f"{name} seed {seed}: {time.perf_counter() - start:.1f} s; long-memory steps "
                  f"right every {EVERY} steps: {np.round(table[:, 0], 3)}; largest |c| "
                  f"{np.round(table[:, 1]).astype(int)}")
    ll.save_sequence_models(
        OUT, models, seeds=np.array(SEEDS), checkpoints=np.arange(EVERY, STEPS + 1, EVERY),
        kept_at=KEPT_AT, **{f"long_memory_{n}": np.array(measured[n])[:, :, 0] for n in CELLS},
        **{f"largest_c_{n}": np.array(measured[n])[:, :, 1] for n in CELLS},
        **{f"loss_{n}": np.array(losses[n]) for n in CELLS})
    print(f"wrote {OUT} ({OUT.stat().st_size / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
