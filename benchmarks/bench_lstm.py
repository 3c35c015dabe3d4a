"""Forward + backward time of lstm_lib.LSTM against torch.nn.LSTM on the CPU.

    .venv/bin/python benchmarks/bench_lstm.py                 # the three shapes below
    .venv/bin/python benchmarks/bench_lstm.py --rounds 9

Each library is timed in a process of its own, with the same number of threads
(OPENBLAS_NUM_THREADS / OMP_NUM_THREADS and torch.set_num_threads, set before either
library loads). In one process their thread pools, OpenBLAS's and torch's OpenMP,
fight over the cores: measured here, the same code's ratio swung from 0.79x to 2.19x
between two runs. The processes alternate, round after round (numpy, torch, floor,
numpy, ...), so a change of load hits all three; each round warms up once and times
``--repeats`` runs, and the table reports the median over every timed run. The loss is
Σ hs ⊙ R for a fixed R, so both libraries do the same work: one forward, one full
backward, in float32.

The "floor" column is what any numpy LSTM of this design must spend: every matrix
product (the input projection, one h_{t-1} W_hᵀ per step forward and one da_t W_h per
step backward, the weight gradients and dx) plus the fewest elementwise passes the
equations allow (per step forward: one tanh over the four pre-activations, one over c,
the three products and one sum of the cell; backward: the matching slopes and
products), on arrays of the right shapes, with nothing else. Read lstm_lib's time
against it: the gap is overhead that could still go. torch fuses the cell in oneDNN and
can run below the floor.

Targets: at most 1.6x torch's time at T=64 B=32 X=65 H=256 (2 threads), at most 3x at
batch 1 (T=200 X=8 H=32, 1 thread). This is a benchmark to read, not a test: CI does
not run it. Results on this machine: benchmarks/lstm_results.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

SHAPES = [  # (T, B, X, H, threads, target ratio)
    (64, 32, 65, 256, 2, 1.6),
    (100, 32, 64, 128, 2, None),
    (200, 1, 8, 32, 1, 3.0),
]
LIBRARIES = ("lstm_lib", "torch", "floor")


# --- the workers: one library, one shape, in a process of their own -------------------

def lstm_lib_run(T, B, X, H, rng):
    import numpy as np

    import lstm_lib as ll

    lstm = ll.LSTM(X, H, seed=0, dtype=np.float32)
    xs = rng.standard_normal((T, B, X)).astype(np.float32)
    R = rng.standard_normal((T, B, H)).astype(np.float32)

    def run():
        lstm.forward(xs)
        lstm.backward(R)

    return run


def torch_run(T, B, X, H, rng):
    import numpy as np
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


def floor_run(T, B, X, H, rng):
    """Every matrix product, and the fewest elementwise passes, of one forward + backward.

    Forward, per step: the product h_{t-1} W_hᵀ added to the projected inputs, one tanh
    over all four blocks and the shift that turns three of them into sigmoids, then
    c = f ⊙ c_{t-1} + i ⊙ c̃ and h = o ⊙ tanh(c). Backward: the slopes for all steps at
    once, then per step the two sums of the chain rule, the gate products (one call for
    f, i and c̃, one for o), one pass for the slopes and the belt's product, and da_t W_h.
    """
    import numpy as np

    f32 = np.float32
    xs = rng.standard_normal((T * B, X)).astype(f32)
    W_x_T = rng.standard_normal((X, 4 * H)).astype(f32)
    W_h_T = rng.standard_normal((H, 4 * H)).astype(f32)
    W_h = np.ascontiguousarray(W_h_T.T)
    dhs = rng.standard_normal((T, B, H)).astype(f32)
    a = np.empty((T, B, 4 * H), f32)
    c, tc, h = (np.zeros((T, B, H), f32) for _ in range(3))
    da = np.empty((T, B, 4 * H), f32)
    Wh_h = np.empty((B, 4 * H), f32)
    dh, dc, tmp = (np.zeros((B, H), f32) for _ in range(3))
    dW_h, dW_x = np.empty((4 * H, H), f32), np.empty((4 * H, X), f32)

    def run():
        np.matmul(xs, W_x_T, out=a.reshape(T * B, 4 * H))
        h_prev, c_prev = h[0], c[0]
        for t in range(T):
            g = a[t]
            np.dot(h_prev, W_h_T, out=Wh_h)                     # np.dot: cheaper call
            g += Wh_h
            np.tanh(g, out=g)                                   # all four squashes at once
            g *= 0.5                                            # σ(x) = (1 + tanh(x/2)) / 2
            g += 0.5
            f, i, cc, o = g[:, :H], g[:, H:2 * H], g[:, 2 * H:3 * H], g[:, 3 * H:]
            np.multiply(f, c_prev, out=c[t])
            np.multiply(i, cc, out=tmp)
            c[t] += tmp
            np.tanh(c[t], out=tc[t])
            np.multiply(o, tc[t], out=h[t])
            h_prev, c_prev = h[t], c[t]
        slope = a * (1 - a)                                     # all steps at once
        partners = a.reshape(T, B, 4, H)[:, :, 1:]              # stand-ins for c_prev, c̃, i
        k = h * (1 - tc * tc)                                   # o ⊙ tanh'(c), stand-in
        for t in reversed(range(T)):
            d = da[t]
            np.add(dh, dhs[t], out=dh)
            np.multiply(dh, k[t], out=tmp)
            np.add(dc, tmp, out=dc)
            d4 = d.reshape(B, 4, H)                             # ∂/∂f, ∂/∂i, ∂/∂c̃ at once,
            np.multiply(dc[:, None, :], partners[t], out=d4[:, :3])
            np.multiply(dh, tc[t], out=d4[:, 3])                # then ∂/∂o
            d *= slope[t]
            np.multiply(dc, h[t], out=dc)                       # along the belt
            np.dot(d, W_h, out=dh)
        rows = da.reshape(T * B, 4 * H)
        np.matmul(rows.T, h.reshape(T * B, H), out=dW_h)
        np.matmul(rows.T, xs, out=dW_x)
        rows @ W_x_T.T

    return run


def worker(library, T, B, X, H, repeats):
    """Warm up once, time ``repeats`` runs; print the times as JSON (seconds)."""
    import numpy as np

    if library == "torch":
        import torch

        torch.set_num_threads(int(os.environ["OMP_NUM_THREADS"]))
    run = {"lstm_lib": lstm_lib_run, "torch": torch_run, "floor": floor_run}[library](
        T, B, X, H, np.random.default_rng(0))
    run()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    print(json.dumps(times))


# --- the driver: alternate the three, each in a fresh process ---------------------------

def time_in_process(library, shape, threads, repeats) -> list[float]:
    env = {**os.environ, "OPENBLAS_NUM_THREADS": str(threads), "OMP_NUM_THREADS": str(threads),
           "MKL_NUM_THREADS": str(threads)}
    argv = [sys.executable, __file__, "--worker", library, "--shape", *map(str, shape),
            "--repeats", str(repeats)]
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="alternating rounds per shape")
    parser.add_argument("--repeats", type=int, default=5, help="timed runs per round")
    parser.add_argument("--worker", choices=LIBRARIES, help=argparse.SUPPRESS)
    parser.add_argument("--shape", type=int, nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, *args.shape, args.repeats)
        return
    print(f"each library in its own process; median of {args.rounds} rounds x "
          f"{args.repeats} runs; float32")
    print(f"{'T':>4} {'B':>3} {'X':>3} {'H':>4} {'thr':>3} | {'lstm_lib ms':>11} "
          f"{'torch ms':>9} {'ratio':>6} | {'floor ms':>8} {'floor ratio':>11} | target")
    for T, B, X, H, threads, target in SHAPES:
        times = {library: [] for library in LIBRARIES}
        for _ in range(args.rounds):
            for library in LIBRARIES:
                times[library] += time_in_process(library, (T, B, X, H), threads, args.repeats)
        ours, theirs, floor = (statistics.median(times[lib]) for lib in LIBRARIES)
        ratio = ours / theirs
        verdict = "" if target is None else f"<= {target}x " + ("met" if ratio <= target else
                                                                  "MISSED")
        print(f"{T:>4} {B:>3} {X:>3} {H:>4} {threads:>3} | {ours * 1e3:>11.2f} "
              f"{theirs * 1e3:>9.2f} {ratio:>5.2f}x | {floor * 1e3:>8.2f} "
              f"{floor / theirs:>10.2f}x | {verdict}")


if __name__ == "__main__":
    main()
