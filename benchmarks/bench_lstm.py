"""Forward + backward time of lstm_lib.LSTM against torch.nn.LSTM on the CPU.

    .venv/bin/python benchmarks/bench_lstm.py            # the three shapes below
    .venv/bin/python benchmarks/bench_lstm.py --repeats 15

Both run in float32 on 2 threads (numpy's OpenBLAS and torch's intra-op pool), with
one warm-up run and the median of ``--repeats`` timed runs. Each library's runs are
timed as one block, with a pause between blocks: OpenBLAS and torch both keep their
worker threads spinning for a while after a call, so interleaving single runs would
make each library pay for the other's idle threads on a 2-core machine. The loss is
Σ hs ⊙ R for a fixed R, so both do identical work: one forward, one full backward.
Targets: at most 1.25x torch's time at the first shape, at most 3x at batch 1.

The "GEMM floor" column times only the matrix products that any numpy LSTM of this
shape must perform (the input projection, one h_{t-1} @ W_h per step forward and one
∂a_t @ W_hᵀ per step backward, the two weight-gradient products and ∂x), with no
elementwise work at all. It is the fastest this design could possibly run here; torch
fuses the whole cell in oneDNN and can go below it.

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


def median_times(fns, repeats: int) -> list[float]:
    """Median wall time of each function: a warm-up, then ``repeats`` timed runs each."""
    medians = []
    for fn in fns:
        time.sleep(0.5)  # let the previous library's spinning threads go to sleep
        fn()  # warm-up: first-touch allocations, thread pools, caches
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
        medians.append(statistics.median(times))
    return medians


def numpy_run(T, B, X, H, rng):
    lstm = ll.LSTM(X, H, seed=0, dtype=np.float32)
    xs = rng.standard_normal((T, B, X)).astype(np.float32)
    R = rng.standard_normal((T, B, H)).astype(np.float32)

    def run():
        lstm.forward(xs)
        lstm.backward(R)

    return run


def gemm_floor_run(T, B, X, H, rng):
    """Only the matrix products of one forward + backward, on arrays of the right shapes."""
    f32 = np.float32
    xs = rng.standard_normal((T * B, X)).astype(f32)
    W_x = rng.standard_normal((X, 4 * H)).astype(f32)
    W_h = rng.standard_normal((H, 4 * H)).astype(f32)
    W_h_T = np.ascontiguousarray(W_h.T)
    h = rng.standard_normal((B, H)).astype(f32)
    da = rng.standard_normal((T * B, 4 * H)).astype(f32)
    hs = rng.standard_normal((T * B, H)).astype(f32)
    gates = np.empty((B, 4 * H), f32)
    dh = np.empty((B, H), f32)
    dW_h, dW_x = np.empty((H, 4 * H), f32), np.empty((X, 4 * H), f32)

    def run():
        xs @ W_x
        for _ in range(T):
            np.matmul(h, W_h, out=gates)
        for t in range(T):
            np.matmul(da[t * B : (t + 1) * B], W_h_T, out=dh)
        np.matmul(hs.T, da, out=dW_h)
        np.matmul(xs.T, da, out=dW_x)
        da @ W_x.T

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
          f"{'ratio':>6} | {'GEMM floor ms':>13} {'floor ratio':>11} | target")
    for T, B, X, H, target in SHAPES:
        runs = [numpy_run(T, B, X, H, rng), torch_run(T, B, X, H, rng),
                gemm_floor_run(T, B, X, H, rng)]
        ours, theirs, floor = median_times(runs, args.repeats)
        ratio = ours / theirs
        verdict = "" if target is None else f"<= {target}x " + ("met" if ratio <= target else
                                                                  "MISSED")
        print(f"{T:>4} {B:>3} {X:>3} {H:>4} | {ours * 1e3:>11.2f} {theirs * 1e3:>9.2f} "
              f"{ratio:>5.2f}x | {floor * 1e3:>13.2f} {floor / theirs:>10.2f}x | {verdict}")


if __name__ == "__main__":
    main()
