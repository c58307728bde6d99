"""Helpers for comparing lstm_ref with torch: dtypes, tolerances, conversions."""

import itertools

import numpy as np
import pytest

torch = pytest.importorskip("torch")
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence  # noqa: E402

import lstm_ref  # noqa: E402

DTYPES = {np.float32: torch.float32, np.float64: torch.float64}
# float64 agrees to rounding; float32 sums in a different order than torch's kernels.
TOLERANCE = {np.float32: dict(rtol=2e-5, atol=2e-5), np.float64: dict(rtol=1e-9, atol=1e-10)}


def assert_close(actual, expected, dtype):
    """Compare a numpy result with a torch tensor (or array): shape, dtype and values."""
    if hasattr(expected, "detach"):
        expected = expected.detach().numpy()
    assert actual.shape == expected.shape
    assert actual.dtype == expected.dtype
    np.testing.assert_allclose(actual, expected, **TOLERANCE[dtype])


def to_tensor(array):
    return None if array is None else torch.from_numpy(np.ascontiguousarray(array))


FLAGS = list(itertools.product(
    [False, True],   # bias
    [False, True],   # batch_first
    [False, True],   # bidirectional
    [False, True],   # initial state given
    [False, True],   # lengths given
    [np.float32, np.float64],
))


def draw_sizes(rng):
    """Sizes for one case: small, often 1, never tuned to a value."""
    return dict(
        input_size=int(rng.choice([1, 2, 3, 5, 8])),
        hidden_size=int(rng.choice([1, 2, 4, 7])),
        num_layers=int(rng.integers(1, 4)),
        steps=int(rng.choice([1, 2, 5, 9])),
        batch=int(rng.choice([1, 2, 3, 6])),
    )


def run_torch(module, x, hx, lengths, batch_first):
    """torch's result, through pack_padded_sequence / pad_packed_sequence when lengths are given."""
    with torch.no_grad():
        if lengths is None:
            return module(x, hx)
        packed = pack_padded_sequence(x, torch.as_tensor(lengths), batch_first=batch_first,
                                      enforce_sorted=False)
        output, state = module(packed, hx)
        steps = x.shape[1] if batch_first else x.shape[0]
        output, _ = pad_packed_sequence(output, batch_first=batch_first, total_length=steps)
        return output, state


def make_case(kind, index, bias, batch_first, bidirectional, with_state, with_lengths, dtype,
              unbatched=False, projected=False):
    rng = np.random.default_rng(1000 * index + ("LSTM", "GRU", "RNN").index(kind))
    s = draw_sizes(rng)
    options = dict(input_size=s["input_size"], hidden_size=s["hidden_size"],
                   num_layers=s["num_layers"], bias=bias, batch_first=batch_first,
                   bidirectional=bidirectional)
    if kind == "RNN":
        options["nonlinearity"] = "relu" if index % 2 else "tanh"
    if projected:
        s["hidden_size"] = options["hidden_size"] = max(2, s["hidden_size"])
        options["proj_size"] = int(rng.integers(1, s["hidden_size"]))
    module = getattr(torch.nn, kind)(**options, dtype=DTYPES[dtype])
    reference = getattr(lstm_ref, kind).from_torch(module)

    directions = 2 if bidirectional else 1
    h_out = options.get("proj_size") or s["hidden_size"]
    if unbatched:
        x = rng.standard_normal((s["steps"], s["input_size"])).astype(dtype)
        state_shape = (directions * s["num_layers"],)
    else:
        shape = (s["batch"], s["steps"]) if batch_first else (s["steps"], s["batch"])
        x = rng.standard_normal(shape + (s["input_size"],)).astype(dtype)
        state_shape = (directions * s["num_layers"], s["batch"])
    hx = None
    if with_state:
        h0 = rng.standard_normal(state_shape + (h_out,)).astype(dtype)
        c0 = rng.standard_normal(state_shape + (s["hidden_size"],)).astype(dtype)
        hx = (h0, c0) if kind == "LSTM" else h0
    lengths = None
    if with_lengths:
        lengths = rng.integers(1, s["steps"] + 1, size=s["batch"])
        lengths[rng.integers(s["batch"])] = s["steps"]   # torch pads to the longest
    return module, reference, x, hx, lengths


def torch_hx(hx):
    if hx is None:
        return None
    if isinstance(hx, tuple):
        return tuple(to_tensor(a) for a in hx)
    return to_tensor(hx)
