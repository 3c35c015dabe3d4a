"""Forward + backward time of lstm_lib.LSTM against torch.nn.LSTM on the CPU.

    .venv/bin/python benchmarks/bench_lstm.py            # the three shapes below
    .venv/bin/python benchmarks/bench_lstm.py --repeats 15

Both run in float32 on 2 threads (numpy's OpenBLAS and torch's intra-op pool), with
one warm-up run and the median of ``--repeats`` timed runs. The loss is Σ hs ⊙ R for
a fixed R, so both libraries do identical work: one forward, one full backward.
Targets: at most 1.25x torch's time at the first shape, at most 3x at batch 1.

This is a benchmark to read, not a test: CI does not run it.
"""

from __future__ import annotations

import argparse
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "2")  # must be set before numpy loads
os.environ.setdefault("OMP_NUM_THREADS", "2")

import statistics  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

import lstm_lib as ll  # noqa: E402

SHAPES = [  # (T, B, X, H, target ratio)
    (64, 32, 65, 256, 1.25),
    (100, 32, 64, 128, None),
    (200, 1, 8, 32, 3.0),
]


def median_time(fn, repeats: int) -> float:
    fn()  # warm-up: first-touch allocations, thread pools, caches
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def numpy_run(T, B, X, H, rng):
    lstm = ll.LSTM(X, H, seed=0, dtype=np.float32)
    xs = rng.standard_normal((T, B, X)).astype(np.float32)
    R = rng.standard_normal((T, B, H)).astype(np.float32)

    def run():
        lstm.forward(xs)
        lstm.backward(R)

    return run


def torch_run(T, B, X, H, rng):
    import torch

    lstm = torch.nn.LSTM(X, H).float()
    xs = torch.from_numpy(rng.standard_normal((T, B, X)).astype(np.float32)).requires_grad_()
    R = torch.from_numpy(rng.standard_normal((T, B, H)).astype(np.float32))

    def run():
        lstm.zero_grad(set_to_none=True)
        xs.grad = None
        hs, _ = lstm(xs)
        (hs * R).sum().backward()

    return run


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9, help="timed runs per shape (>= 7)")
    args = parser.parse_args()
    import torch

    torch.set_num_threads(2)
    rng = np.random.default_rng(0)
    print(f"numpy {np.__version__}, torch {torch.__version__}, float32, 2 threads, "
          f"median of {args.repeats}")
    print(f"{'T':>4} {'B':>3} {'X':>3} {'H':>4} | {'lstm_lib ms':>11} {'torch ms':>9} "
          f"{'ratio':>6} | target")
    for T, B, X, H, target in SHAPES:
        ours = median_time(numpy_run(T, B, X, H, rng), args.repeats)
        theirs = median_time(torch_run(T, B, X, H, rng), args.repeats)
        ratio = ours / theirs
        verdict = "" if target is None else f"<= {target}x " + ("met" if ratio <= target else
                                                                  "MISSED")
        print(f"{T:>4} {B:>3} {X:>3} {H:>4} | {ours * 1e3:>11.2f} {theirs * 1e3:>9.2f} "
              f"{ratio:>5.2f}x | {verdict}")


if __name__ == "__main__":
    main()
