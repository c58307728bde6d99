"""Forward-pass speed of lstm_ref.LSTM against torch and two numpy peers, on the CPU.

Side by side, in one process, float32, the same weights and input:

- ``torch``: ``torch.nn.LSTM`` (its fused CPU kernel);
- ``products``: numpy's matrix products alone (the input projection of all
  steps and one recurrent product per step, no elementwise work), the floor
  no numpy LSTM can go below;
- ``onnx``: ONNX's reference evaluator (``onnx.reference.ReferenceEvaluator``)
  running one ONNX ``LSTM`` node, a numpy implementation;
- ``keras``: Keras 3's own recurrent loop (``keras.layers.LSTM`` with
  ``use_cudnn=False``) on the torch backend (``KERAS_BACKEND=torch``), CPU.

Each peer's output is checked equal to lstm_ref's before it is timed. The
runs are interleaved and the best of several repeats is kept for each, so the
ratios come from one run on a noisy machine. Times are in ms; the ratios are
the peer's time over lstm_ref's (above 1: lstm_ref is faster).

    python benchmarks/forward.py [--repeats N]
"""

import argparse
import os
import time

os.environ.setdefault("KERAS_BACKEND", "torch")   # before keras is imported

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


def torch_run(module, x):
    x_torch = torch.from_numpy(x)

    def run():
        with torch.no_grad():
            return module(x_torch)[0].numpy()
    return run


def products_run(reference, x):
    """The matrix products alone, in numpy: no numpy LSTM can be faster than this floor."""
    steps, batch, input_size = x.shape
    w_ih, w_hh_t = reference.weight_ih_l0, np.ascontiguousarray(reference.weight_hh_l0.T)
    h = np.zeros((batch, reference.hidden_size), np.float32)

    def run():
        x.reshape(-1, input_size) @ w_ih.T
        for _ in range(steps):
            h @ w_hh_t
    return run


def onnx_run(reference, x):
    """One ONNX LSTM node on ONNX's reference evaluator (gates in ONNX's order i, o, f, c)."""
    from onnx import TensorProto, helper
    from onnx.reference import ReferenceEvaluator

    hidden = reference.hidden_size
    order = np.concatenate([np.arange(k * hidden, (k + 1) * hidden) for k in (0, 3, 1, 2)])
    weights = {
        "W": reference.weight_ih_l0[order][np.newaxis],
        "R": reference.weight_hh_l0[order][np.newaxis],
        "B": np.concatenate([reference.bias_ih_l0[order], reference.bias_hh_l0[order]])[np.newaxis],
    }
    inputs = [helper.make_tensor_value_info(name, TensorProto.FLOAT, None)
              for name in ("X", "W", "R", "B")]
    node = helper.make_node("LSTM", ["X", "W", "R", "B"], ["Y"], hidden_size=hidden)
    graph = helper.make_graph([node], "lstm", inputs,
                              [helper.make_tensor_value_info("Y", TensorProto.FLOAT, None)])
    evaluator = ReferenceEvaluator(helper.make_model(graph))

    def run():
        return evaluator.run(None, {"X": x, **weights})[0][:, 0]   # (L, num_directions, N, H)
    return run


def keras_run(reference, x):
    """keras.layers.LSTM's own loop (no cuDNN) on the torch backend, batch-first."""
    import keras

    layer = keras.layers.LSTM(reference.hidden_size, return_sequences=True, use_cudnn=False)
    x_batch_first = np.ascontiguousarray(x.transpose(1, 0, 2))
    layer.build(x_batch_first.shape)
    layer.set_weights([reference.weight_ih_l0.T, reference.weight_hh_l0.T,
                       reference.bias_ih_l0 + reference.bias_hh_l0])   # gates i, f, c, o

    def run():
        with torch.no_grad():
            return keras.ops.convert_to_numpy(layer(x_batch_first)).transpose(1, 0, 2)
    return run


def measure(steps, batch, input_size, hidden_size, repeats):
    module = torch.nn.LSTM(input_size, hidden_size).eval()
    reference = lstm_ref.LSTM.from_torch(module)
    x = np.random.default_rng(0).standard_normal((steps, batch, input_size)).astype(np.float32)
    runs = {"lstm_ref": lambda: reference(x)[0], "torch": torch_run(module, x),
            "products": products_run(reference, x), "onnx": onnx_run(reference, x),
            "keras": keras_run(reference, x)}
    expected = runs["lstm_ref"]()
    for name in ("torch", "onnx", "keras"):   # the same numbers, or the comparison means nothing
        np.testing.assert_allclose(runs[name](), expected, rtol=1e-4, atol=1e-4, err_msg=name)
    times = {name: [] for name in runs}
    for _ in range(repeats):  # interleave, so that all see the same machine load
        for name, run in runs.items():
            times[name].append(best_time(run, 3))
    return {name: min(values) for name, values in times.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    import keras
    import onnx
    print(f"torch {torch.__version__}, numpy {np.__version__}, onnx {onnx.__version__}, "
          f"keras {keras.__version__} (backend {keras.backend.backend()}), "
          f"torch threads {torch.get_num_threads()}")
    for steps, batch, input_size, hidden_size in SIZES:
        t = measure(steps, batch, input_size, hidden_size, args.repeats)
        ours = t["lstm_ref"]
        print(f"L={steps} N={batch} H_in={input_size} H={hidden_size}: "
              + ", ".join(f"{name} {value * 1e3:.2f} ms" for name, value in t.items()))
        print(f"  ratio lstm_ref/torch {ours / t['torch']:.2f} "
              f"(numpy's matrix products alone: {t['products'] / t['torch']:.2f}); "
              f"onnx/lstm_ref {t['onnx'] / ours:.2f}, keras/lstm_ref {t['keras'] / ours:.2f}")


if __name__ == "__main__":
    main()
