"""Forward-pass speed of lstm_ref.LSTM against torch.nn.LSTM on the CPU, as a ratio.

Both run in the same process, interleaved, float32; the best of several
repeats is kept for each, so the ratio is taken from one run on a noisy machine.

    python benchmarks/forward.py [--repeats N]
"""

import argparse
import time

import numpy as np
import torch

import lstm_ref

SIZES = [  # (L, N, H_in, H)
    (100, 32, 128, 256),
    (200, 1, 64, 64),
]


def best_time(run, repeats):
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def measure(steps, batch, input_size, hidden_size, repeats):
    module = torch.nn.LSTM(input_size, hidden_size).eval()
    reference = lstm_ref.LSTM.from_torch(module)
    x = np.random.default_rng(0).standard_normal((steps, batch, input_size)).astype(np.float32)
    x_torch = torch.from_numpy(x)

    def run_torch():
        with torch.no_grad():
            module(x_torch)

    # The matrix products alone, in numpy: the input projection of all steps and one
    # recurrent product per step. No numpy LSTM can be faster than this floor.
    w_ih, w_hh_t = reference.weight_ih_l0, np.ascontiguousarray(reference.weight_hh_l0.T)
    h = np.zeros((batch, hidden_size), np.float32)

    def run_products():
        x.reshape(-1, input_size) @ w_ih.T
        for _ in range(steps):
            h @ w_hh_t

    runs = {"lstm_ref": lambda: reference(x), "torch": run_torch, "products": run_products}
    for run in runs.values():
        run()  # warm up
    times = {name: [] for name in runs}
    for _ in range(repeats):  # interleave, so that all see the same machine load
        for name, run in runs.items():
            times[name].append(best_time(run, 3))
    return {name: min(values) for name, values in times.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    print(f"torch {torch.__version__}, numpy {np.__version__}, "
          f"torch threads {torch.get_num_threads()}")
    for steps, batch, input_size, hidden_size in SIZES:
        t = measure(steps, batch, input_size, hidden_size, args.repeats)
        print(f"L={steps} N={batch} H_in={input_size} H={hidden_size}: "
              f"lstm_ref {t['lstm_ref'] * 1e3:.2f} ms, torch {t['torch'] * 1e3:.2f} ms, "
              f"ratio lstm_ref/torch {t['lstm_ref'] / t['torch']:.2f} "
              f"(numpy's matrix products alone: {t['products'] / t['torch']:.2f})")


if __name__ == "__main__":
    main()
