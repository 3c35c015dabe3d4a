"""Train the character-level LSTM that notebook 08 reads: writes data/char_lstm.npz.

    .venv/bin/python data/train_char_lstm.py                 # the shipped run, ~3-4 min
    .venv/bin/python data/train_char_lstm.py --seed 1        # -> data/char_lstm_seed1.npz
    .venv/bin/python data/train_char_lstm.py --steps 50 --out /tmp/short.npz

The corpus is lstm_lib.corpus: 22 modules of the running interpreter's standard library
(Python Software Foundation License Version 2; see data/README.md), the last tenth of
each held out. The model is lstm_lib.charlm.CharLM with 128 units in float32; the
recipe is truncated backpropagation through time over 32 streams in windows of 100
characters, carrying the state across windows, Adam at learning rate 0.01 (0.001 from
step 2000 on), gradients clipped to global norm 5, seed 0, 2400 steps. The validation
bits per character are measured every 200 steps. Seeds 1 and 2 of the same recipe ship
beside it (``charlm.SHIPPED_RUNS``): notebook 08 checks which findings hold in every run.

Beside the weights the file keeps every step's training loss, the validation curve,
the validation bpc after the first CHECK_STEPS steps and at the end, the corpus hash
and the run time: tests/test_charlm.py reruns the first steps and compares.

numpy's BLAS is held to one thread (OPENBLAS_NUM_THREADS and OMP_NUM_THREADS, set before
numpy loads unless already set, as ./course and Binder's start script do): on this shared
2-core machine two threads fighting over the cores ran up to 20 times slower.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")   # must be set before numpy loads
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import platform  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

from lstm_lib import charlm, corpus  # noqa: E402

OUT = Path(__file__).with_name("char_lstm.npz")
HIDDEN, BATCH, SEQ_LEN, LR, CLIP, SEED = 128, 32, 100, 0.01, 5.0, 0
STEPS, DECAY_AT, DECAY = 2400, 2000, 0.1
VAL_EVERY = 200
CHECK_STEPS = 50          # the test reruns this many steps ...
TOLERANCE = 0.01          # ... and allows this much difference, in bits per character


def train(text: corpus.Corpus, steps: int = STEPS, *, progress: bool = False,
          val_every: int | None = None, seed: int = SEED):
    """Train from scratch for ``steps`` steps from ``seed`` (the weights' initialization
    and the epochs' offsets). Returns (model, history, curve, check):
    history["loss"] per step; with ``val_every``, curve = [(step, validation bpc), ...]
    every val_every steps and at the end, and check = the validation bpc after
    CHECK_STEPS steps (without it, or if the run is shorter: [] and None)."""
    model = charlm.CharLM(HIDDEN, seed=seed)
    trainer = charlm.Trainer(model, text.train, batch_size=BATCH, seq_len=SEQ_LEN, lr=LR,
                             clip=CLIP, seed=seed)
    # Run in pieces that end where something happens: the check, a validation point,
    # the learning-rate drop, the end.
    stops = {CHECK_STEPS, DECAY_AT, steps}
    if val_every:
        stops |= set(range(val_every, steps, val_every))
    stops = sorted(s for s in stops if 0 < s <= steps)
    losses, curve, check = [], [], None
    for stop in stops:
        if trainer.steps_done == DECAY_AT:
            trainer.optimizer.lr = LR * DECAY
        history = trainer.run(stop - trainer.steps_done, progress=progress,
                              desc=f"char LSTM, steps to {stop}")
        losses.append(history["loss"])
        if val_every and (stop == CHECK_STEPS or stop % val_every == 0 or stop == steps):
            bpc = charlm.bits_per_char(model, text.val)
            if stop == CHECK_STEPS:
                check = bpc
            if stop % val_every == 0 or stop == steps:
                curve.append((stop, bpc))
    return model, {"loss": np.concatenate(losses)}, curve, check


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=STEPS)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", type=Path,
                        help="default: OUT for seed 0, else data/char_lstm_seed<SEED>.npz")
    args = parser.parse_args()
    if args.out is None:
        args.out = OUT if args.seed == SEED else OUT.with_name(f"char_lstm_seed{args.seed}.npz")
    text = corpus.load()
    if not text.matches:
        print(f"warning: this interpreter's corpus (Python {text.python}) differs from the "
              f"one measured on {corpus.MEASURED_ON}")
    start = time.perf_counter()
    model, history, curve, check = train(text, args.steps, progress=True, val_every=VAL_EVERY,
                                         seed=args.seed)
    seconds = time.perf_counter() - start
    val_bpc = curve[-1][1]
    steps, bpc = (np.array(column) for column in zip(*curve, strict=True))
    charlm.save(args.out, model, train_loss=history["loss"].astype(np.float32),
                val_steps=steps, val_bpc_curve=bpc, val_bpc=val_bpc,
                check_val_bpc=np.nan if check is None else check, steps=args.steps,
                hidden_size=HIDDEN, batch_size=BATCH, seq_len=SEQ_LEN, lr=LR,
                decay_at=DECAY_AT, decay=DECAY, clip=CLIP, seed=args.seed, train_seconds=seconds,
                corpus_sha256=np.array(text.sha256), python=np.array(platform.python_version()))
    after = "" if check is None else f"; after {CHECK_STEPS} steps {check:.4f}"
    print(f"trained {args.steps} steps in {seconds:.0f} s (validation included); "
          f"validation {val_bpc:.4f} bits per character{after}")
    print(f"wrote {args.out} ({args.out.stat().st_size / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
