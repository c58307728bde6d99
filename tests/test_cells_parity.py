"""LSTMCell and GRUCell against torch.nn.LSTMCell and torch.nn.GRUCell."""

import itertools

import numpy as np
import pytest

torch = pytest.importorskip("torch")   # these tests compare with torch

import lstm_ref  # noqa: E402
from parity import DTYPES, assert_close, to_tensor  # noqa: E402

CASES = list(itertools.product(["LSTMCell", "GRUCell"], [False, True], [False, True],
                               [False, True], [np.float32, np.float64], [1, 3, 6]))


@pytest.mark.parametrize("kind, bias, batched, with_state, dtype, input_size", CASES)
def test_cell_matches_torch(kind, bias, batched, with_state, dtype, input_size):
    rng = np.random.default_rng(input_size)
    hidden_size = int(rng.choice([1, 2, 5]))
    module = getattr(torch.nn, kind)(input_size, hidden_size, bias=bias, dtype=DTYPES[dtype])
    cell = getattr(lstm_ref, kind).from_torch(module)
    lead = (4,) if batched else ()
    x = rng.standard_normal(lead + (input_size,)).astype(dtype)
    h = rng.standard_normal(lead + (hidden_size,)).astype(dtype)
    c = rng.standard_normal(lead + (hidden_size,)).astype(dtype)
    with torch.no_grad():
        if kind == "LSTMCell":
            hx = (to_tensor(h), to_tensor(c)) if with_state else None
            expected = module(to_tensor(x), hx)
            actual = cell(x, (h, c) if with_state else None)
            assert_close(actual[0], expected[0], dtype)
            assert_close(actual[1], expected[1], dtype)
        else:
            expected = module(to_tensor(x), to_tensor(h) if with_state else None)
            assert_close(cell(x, h if with_state else None), expected, dtype)


def test_lstm_step_exposes_the_gates_torch_computes():
    """The named intermediates are torch's gate blocks, in torch's order i, f, g, o."""
    module = torch.nn.LSTMCell(3, 4, dtype=torch.float64)
    cell = lstm_ref.LSTMCell.from_torch(module)
    x = np.random.default_rng(0).standard_normal((2, 3))
    h = np.random.default_rng(1).standard_normal((2, 4))
    c = np.random.default_rng(2).standard_normal((2, 4))
    step = cell.step(x, (h, c))
    with torch.no_grad():
        gates = (to_tensor(x) @ module.weight_ih.T + module.bias_ih
                 + to_tensor(h) @ module.weight_hh.T + module.bias_hh).numpy()
    z_i, z_f, z_g, z_o = np.split(gates, 4, axis=1)
    sig = lambda z: 1 / (1 + np.exp(-z))
    np.testing.assert_allclose(step.i, sig(z_i), rtol=1e-12)
    np.testing.assert_allclose(step.f, sig(z_f), rtol=1e-12)
    np.testing.assert_allclose(step.C_tilde, np.tanh(z_g), rtol=1e-12)
    np.testing.assert_allclose(step.o, sig(z_o), rtol=1e-12)


def test_gru_step_matches_torch_cell_for_each_gate():
    module = torch.nn.GRUCell(2, 3, dtype=torch.float64)
    cell = lstm_ref.GRUCell.from_torch(module)
    x, h = np.ones((1, 2)), np.full((1, 3), 0.3)
    step = cell.step(x, h)
    gi = x @ cell.weight_ih.T + cell.bias_ih
    gh = h @ cell.weight_hh.T + cell.bias_hh
    r = 1 / (1 + np.exp(-(gi[:, :3] + gh[:, :3])))
    z = 1 / (1 + np.exp(-(gi[:, 3:6] + gh[:, 3:6])))
    n = np.tanh(gi[:, 6:] + r * gh[:, 6:])
    np.testing.assert_allclose(step.r, r, rtol=1e-12)
    np.testing.assert_allclose(step.z, z, rtol=1e-12)
    np.testing.assert_allclose(step.n, n, rtol=1e-12)
    with torch.no_grad():
        np.testing.assert_allclose(step.h, module(to_tensor(x), to_tensor(h)).numpy(), rtol=1e-12)


@pytest.mark.parametrize("kind", ["LSTM", "GRU"])
def test_layer_equals_cell_unrolled(kind):
    """A one-layer module is its cell applied step by step."""
    layer = getattr(lstm_ref, kind)(3, 5, dtype=np.float64, rng=4)
    cell = getattr(lstm_ref, kind + "Cell")(3, 5, dtype=np.float64)
    cell.load_state_dict({k[: -len("_l0")]: v for k, v in layer.state_dict().items()})
    x = np.random.default_rng(5).standard_normal((7, 2, 3))
    output, state = layer(x)
    hx = None
    for t in range(7):
        hx = cell(x[t], hx)
        np.testing.assert_allclose(output[t], hx[0] if kind == "LSTM" else hx, rtol=1e-13)
