"""Running the same module in Keras, ONNX's reference evaluator and onnxruntime."""

import os

os.environ.setdefault("KERAS_BACKEND", "torch")  # before Keras's first import: no TensorFlow

import numpy as np
import pytest

keras = pytest.importorskip("keras")
onnxruntime = pytest.importorskip("onnxruntime")
from onnx.reference import ReferenceEvaluator  # noqa: E402

import lstm_ref  # noqa: E402
from lstm_ref.convert import to_keras_layers, to_onnx  # noqa: E402

# float64 to 1e-12; float32 to float rounding of a few sums.
TIGHT = {np.float64: dict(rtol=1e-12, atol=1e-12), np.float32: dict(rtol=2e-5, atol=2e-6)}
# Keras's ops compute float64 matrix products in float32 (its result_type maps 64-bit types
# to 32-bit ones; keras-team/keras#23223): whatever runs through its generic RNN loop (the
# SimpleRNN, the reset-before GRU, any layer given a mask) agrees with float64 only to
# float32 rounding. The LSTM and reset-after GRU without a mask use torch.matmul directly.
FLOAT32_LEVEL = dict(rtol=2e-5, atol=2e-6)


def to_numpy(tensor):
    """A Keras (torch-backend) tensor as an array.

    Not ``keras.ops.convert_to_numpy``: it calls ``numpy.array`` on the tensor, which
    raises numpy's DeprecationWarning about ``__array__``'s ``copy`` keyword.
    """
    return tensor.detach().cpu().numpy()


def keras_tolerance(kind, dtype, masked):
    if dtype == np.float64 and (masked or kind not in ("LSTM", "GRU")):
        return FLOAT32_LEVEL
    return TIGHT[dtype]


def state_list(hx):
    """``hx`` as a list of states: ``[h]`` or ``[h, c]``."""
    if hx is None:
        return []
    return list(hx) if isinstance(hx, tuple) else [hx]


def run_keras(module, x, hx=None, lengths=None):
    """Keras's output and final states (each like the module's), layer by layer.

    ``x`` is in the module's layout; Keras gets it batch-major, with a mask
    from ``lengths`` and each layer's slice of ``hx``.
    """
    layers = [layer for layer in to_keras_layers(module, return_state=True)
              if not isinstance(layer, keras.layers.Dropout)]
    batch_major = x if module.batch_first else x.transpose(1, 0, 2)
    mask = None
    if lengths is not None:
        mask = np.arange(batch_major.shape[1])[np.newaxis, :] < np.asarray(lengths)[:, np.newaxis]
    D = module.num_directions
    states = state_list(hx)
    finals = [[] for _ in module.kind.states]
    value = batch_major
    for index, layer in enumerate(layers):
        initial = None
        if states:
            # Keras wants [h, c] per direction, forward first; torch stacks (layer, direction)
            initial = [s[index * D + d] for d in range(D) for s in states]
        result = layer(value, mask=mask, initial_state=initial)
        result = [to_numpy(r) for r in result]
        value = result[0]
        per_direction = len(finals)
        for d in range(D):
            for k in range(per_direction):
                finals[k].append(result[1 + d * per_direction + k])
    output = value if module.batch_first else value.transpose(1, 0, 2)
    return output, [np.stack(f) for f in finals]


def onnx_feeds(module, x, hx, lengths):
    feeds = {"input": x}
    for name, state in zip(("h_0", "c_0"), state_list(hx)):
        feeds[name] = state
    if lengths is not None:
        feeds["lengths"] = np.asarray(lengths, np.int32)
    return feeds


def run_onnx(module, x, hx=None, lengths=None, runtime="reference"):
    """The exported model's outputs from ONNX's reference evaluator or onnxruntime."""
    model = to_onnx(module, initial_state=hx is not None, lengths=lengths is not None)
    feeds = onnx_feeds(module, x, hx, lengths)
    if runtime == "reference":
        return ReferenceEvaluator(model).run(None, feeds)
    session = onnxruntime.InferenceSession(model.SerializeToString(),
                                           providers=["CPUExecutionProvider"])
    return session.run(None, feeds)


def valid_steps(output, lengths, batch_first):
    """Zero the output past each length (Keras carries the last output there)."""
    if lengths is None:
        return output
    steps = output.shape[1] if batch_first else output.shape[0]
    mask = np.arange(steps)[np.newaxis, :] < np.asarray(lengths)[:, np.newaxis]
    mask = mask if batch_first else mask.T
    return np.where(mask[..., np.newaxis], output, 0)


def make_case(kind, dtype, seed, num_layers=2, bidirectional=True, batch_first=False,
              with_state=True, with_lengths=False, bias=True, input_size=3, hidden_size=None,
              steps=6, **options):
    """A module with random parameters, an input, optional initial states and lengths.

    ``kind`` names a class of ``lstm_ref``; ``hidden_size`` None draws 2 or 5.
    """
    rng = np.random.default_rng(seed)
    if hidden_size is None:
        hidden_size = int(rng.choice([2, 5]))
    batch = 3
    module = getattr(lstm_ref, kind)(input_size, hidden_size, num_layers=num_layers, bias=bias,
                                     batch_first=batch_first, bidirectional=bidirectional,
                                     dtype=dtype, rng=seed, **options)
    shape = (batch, steps, input_size) if batch_first else (steps, batch, input_size)
    x = rng.standard_normal(shape).astype(dtype)
    hx = None
    if with_state:
        leading = num_layers * module.num_directions
        states = [rng.standard_normal((leading, batch, hidden_size)).astype(dtype)
                  for _ in module.kind.states]
        hx = tuple(states) if len(states) == 2 else states[0]
    lengths = np.array([steps, 2, steps - 2]) if with_lengths else None
    return module, x, hx, lengths


def assert_equal_outputs(actual_output, actual_states, module, x, hx, lengths, tolerance):
    """What another implementation computed equals the module, where lengths leave outputs."""
    output, final = module(x, hx, lengths=lengths)
    np.testing.assert_allclose(valid_steps(actual_output, lengths, module.batch_first),
                               output, **tolerance)
    for got, expected in zip(actual_states, state_list(final), strict=True):
        np.testing.assert_allclose(got, expected, **tolerance)
