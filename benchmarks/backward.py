"""Forward plus backward of lstm_ref.LSTM against torch autograd on the CPU, as a ratio.

Both compute the gradients of the same loss, float32, in one run, interleaved;
the best of several repeats is kept for each.

    python benchmarks/backward.py [--repeats N]
"""

import argparse

import numpy as np
import torch

import lstm_ref
from forward import best_time

SIZE = (100, 32, 128, 256)  # (L, N, H_in, H)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    steps, batch, input_size, hidden_size = SIZE
    module = torch.nn.LSTM(input_size, hidden_size)
    reference = lstm_ref.LSTM.from_torch(module)
    x = np.random.default_rng(0).standard_normal((steps, batch, input_size)).astype(np.float32)
    weights = np.random.default_rng(1).standard_normal((steps, batch, hidden_size)).astype(
        np.float32)
    x_torch, weights_torch = torch.from_numpy(x).requires_grad_(), torch.from_numpy(weights)

    def run_torch():
        module.zero_grad()
        output, _ = module(x_torch)
        (output * weights_torch).sum().backward()

    def run_reference():
        output, _, cache = reference.forward(x, return_cache=True)
        reference.backward(cache, weights)

    run_torch(), run_reference()  # warm up
    times = {"torch": [], "lstm_ref": []}
    for _ in range(args.repeats):
        times["torch"].append(best_time(run_torch, 3))
        times["lstm_ref"].append(best_time(run_reference, 3))
    ours, theirs = min(times["lstm_ref"]), min(times["torch"])
    print(f"torch {torch.__version__}, numpy {np.__version__}, torch threads "
          f"{torch.get_num_threads()}")
    print(f"forward+backward L={steps} N={batch} H_in={input_size} H={hidden_size}: "
          f"lstm_ref {ours * 1e3:.1f} ms, torch autograd {theirs * 1e3:.1f} ms, "
          f"ratio lstm_ref/torch {ours / theirs:.2f}")


if __name__ == "__main__":
    main()
