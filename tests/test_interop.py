"""Parameters: names, order, shapes, initialisation, state_dict round trips, counts."""

import itertools

import numpy as np
import pytest
import torch

import lstm_ref
from parity import DTYPES, assert_close, to_tensor

OPTIONS = [case for case in itertools.product(
    ["LSTM", "GRU", "RNN"], [1, 2, 3], [False, True], [False, True], [0, 2])
    if not (case[0] != "LSTM" and case[4])]   # only LSTM has proj_size


@pytest.mark.parametrize("kind, num_layers, bias, bidirectional, proj_size", OPTIONS)
def test_names_order_and_shapes_are_torchs(kind, num_layers, bias, bidirectional, proj_size):
    extra = {"proj_size": proj_size} if proj_size else {}
    options = dict(num_layers=num_layers, bias=bias, bidirectional=bidirectional, **extra)
    module = getattr(torch.nn, kind)(5, 4, **options)
    reference = getattr(lstm_ref, kind)(5, 4, **options)
    expected = [(name, tuple(p.shape)) for name, p in module.named_parameters()]
    assert [(name, p.shape) for name, p in reference.named_parameters()] == expected
    assert list(reference.state_dict()) == list(module.state_dict())
    assert reference.num_parameters() == sum(p.numel() for p in module.parameters())
    if kind != "RNN":
        count = {"LSTM": lstm_ref.lstm_parameter_count, "GRU": lstm_ref.gru_parameter_count}[kind]
        assert count(5, 4, num_layers, bias, bidirectional, **extra) == reference.num_parameters()


@pytest.mark.parametrize("kind", ["LSTM", "GRU", "RNN", "LSTMCell", "GRUCell"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_state_dict_loads_into_torch_and_back(kind, dtype):
    layer = kind in ("LSTM", "GRU", "RNN")
    args = (3, 4, 2) if layer else (3, 4)
    reference = getattr(lstm_ref, kind)(*args, dtype=dtype, rng=7)
    module = getattr(torch.nn, kind)(*args, dtype=DTYPES[dtype])
    module.load_state_dict({k: torch.from_numpy(v) for k, v in reference.state_dict().items()})
    x = np.random.default_rng(0).standard_normal((5, 2, 3) if layer else (2, 3)).astype(dtype)
    with torch.no_grad():
        expected = module(to_tensor(x))
    actual = reference(x)
    first = lambda r: r[0] if isinstance(r, tuple) else r
    assert_close(first(actual), first(expected), dtype)
    again = getattr(lstm_ref, kind).from_torch(reference.to_torch())
    for (name, a), (_, b) in zip(reference.named_parameters(), again.named_parameters()):
        np.testing.assert_array_equal(a, b, err_msg=name)


def test_state_dict_is_a_copy():
    lstm = lstm_ref.LSTM(2, 3, rng=0)
    state = lstm.state_dict()
    state["weight_ih_l0"][:] = 0
    assert lstm.weight_ih_l0.any()


def test_initialisation_is_torchs_uniform_and_seeded():
    lstm = lstm_ref.LSTM(30, 25, num_layers=2, rng=0)
    values = np.concatenate([p.ravel() for _, p in lstm.named_parameters()])
    bound = 1 / np.sqrt(25)
    assert values.min() >= -bound and values.max() <= bound
    assert values.min() < -0.95 * bound and values.max() > 0.95 * bound
    assert abs(values.mean()) < 0.02 * bound
    assert values.dtype == np.float32
    again = lstm_ref.LSTM(30, 25, num_layers=2, rng=0)
    np.testing.assert_array_equal(values, np.concatenate([p.ravel() for _, p in again.named_parameters()]))


def test_options_round_trip_through_torch():
    module = torch.nn.LSTM(3, 6, 2, bias=False, batch_first=True, dropout=0.25,
                           bidirectional=True, proj_size=2, dtype=torch.float64)
    reference = lstm_ref.LSTM.from_torch(module)
    assert reference.options() == dict(input_size=3, hidden_size=6, num_layers=2, bias=False,
                                       batch_first=True, dropout=0.25, bidirectional=True,
                                       proj_size=2)
    assert reference.dtype == np.float64
    back = reference.to_torch()
    assert (back.proj_size, back.batch_first, back.dropout) == (2, True, 0.25)


def test_textbook_view_computes_the_same_gates():
    """W·[h, x] + b with W = [W_hh | W_ih], b = b_ih + b_hh is torch's gate pre-activation."""
    cell = lstm_ref.LSTMCell(3, 2, dtype=np.float64, rng=1)
    W, b = lstm_ref.to_textbook(cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh)
    h, c, x = np.array([0.3, -0.7]), np.array([1.0, -1.0]), np.array([0.5, 0.1, -2.0])
    z = W @ np.concatenate([h, x]) + b
    blocks = lstm_ref.gate_blocks(z, "ifgo")
    step = cell.step(x, (h, c))
    np.testing.assert_allclose(step.f, 1 / (1 + np.exp(-blocks["f"])), rtol=1e-13)
    np.testing.assert_allclose(step.g, np.tanh(blocks["g"]), rtol=1e-13)
    w_ih, w_hh, b_ih, b_hh = lstm_ref.from_textbook(W, b, input_size=3)
    other = lstm_ref.LSTMCell(3, 2, dtype=np.float64)
    other.load_state_dict(dict(weight_ih=w_ih, weight_hh=w_hh, bias_ih=b_ih, bias_hh=b_hh))
    np.testing.assert_allclose(other(x, (h, c))[0], cell(x, (h, c))[0], rtol=1e-13)


def test_textbook_round_trip_never_changes_a_gru():
    """A GRU's b_hn acts inside r_t * (...): merging it into b would change the GRU, so
    to_textbook refuses it; without b_hn the round trip gives the same GRU back."""
    gru = lstm_ref.GRU(3, 4, dtype=np.float64, rng=2)
    params = (gru.weight_ih_l0, gru.weight_hh_l0, gru.bias_ih_l0, gru.bias_hh_l0)
    with pytest.raises(ValueError, match=r"bias_hh: a GRU's b_hn .* expected it zero"):
        lstm_ref.to_textbook(*params)
    with pytest.raises(ValueError, match=r"b_hn"):
        lstm_ref.to_textbook(*params, kind="GRU")
    # H = 4: weight_hh has 12 rows, as many as an LSTM with H = 3 has; the shape still tells
    cell = lstm_ref.GRUCell(2, 4, dtype=np.float64, rng=3)
    with pytest.raises(ValueError, match=r"b_hn"):
        lstm_ref.to_textbook(cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh)

    lstm_ref.gate_blocks(gru.bias_hh_l0, "rzn")["n"][:] = 0
    W, b = lstm_ref.to_textbook(*params)
    w_ih, w_hh, b_ih, b_hh = lstm_ref.from_textbook(W, b, input_size=3)
    again = lstm_ref.GRU(3, 4, dtype=np.float64)
    again.load_state_dict(dict(weight_ih_l0=w_ih, weight_hh_l0=w_hh, bias_ih_l0=b_ih,
                               bias_hh_l0=b_hh))
    x = np.random.default_rng(0).standard_normal((5, 2, 3))
    np.testing.assert_allclose(again(x)[0], gru(x)[0], rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("kind", ["LSTM", "RNN"])
def test_textbook_round_trip_keeps_the_output(kind):
    module = getattr(lstm_ref, kind)(3, 4, dtype=np.float64, rng=5)
    W, b = lstm_ref.to_textbook(module.weight_ih_l0, module.weight_hh_l0, module.bias_ih_l0,
                                module.bias_hh_l0)
    w_ih, w_hh, b_ih, b_hh = lstm_ref.from_textbook(W, b, input_size=3)
    again = getattr(lstm_ref, kind)(3, 4, dtype=np.float64)
    again.load_state_dict(dict(weight_ih_l0=w_ih, weight_hh_l0=w_hh, bias_ih_l0=b_ih,
                               bias_hh_l0=b_hh))
    x = np.random.default_rng(0).standard_normal((5, 2, 3))
    np.testing.assert_allclose(again(x)[0], module(x)[0], rtol=1e-13, atol=1e-15)


def test_to_textbook_kind_is_checked():
    with pytest.raises(ValueError, match=r"kind: expected 'LSTM', 'GRU', 'RNN' or None"):
        lstm_ref.to_textbook(np.zeros((6, 1)), np.zeros((6, 2)), np.zeros(6), np.ones(6),
                             kind="gru")
