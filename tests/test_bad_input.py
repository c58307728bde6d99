"""Bad input: a ValueError naming the argument, what was expected and what came."""

import numpy as np
import pytest

import lstm_ref


@pytest.mark.parametrize("kwargs, match", [
    (dict(hidden_size=0), r"hidden_size: expected an integer >= 1, got 0"),
    (dict(hidden_size=float("inf")), r"hidden_size: expected an integer >= 1, got inf \(float\)"),
    (dict(hidden_size=float("nan")), r"hidden_size: expected an integer >= 1, got nan"),
    (dict(hidden_size=4.0), r"hidden_size: expected an integer >= 1, got 4.0 \(float\)"),
    (dict(input_size=True), r"input_size: expected an integer >= 1, got True \(bool\)"),
    (dict(num_layers=0), r"num_layers: expected an integer >= 1, got 0"),
    (dict(proj_size=4), r"proj_size: expected 0 .* smaller than hidden_size = 4, got 4"),
    (dict(proj_size=9), r"proj_size: .* got 9"),
    (dict(proj_size=-1), r"proj_size: expected an integer >= 0, got -1"),
    (dict(dropout=1.5), r"dropout: expected a number in \[0, 1\], got 1.5"),
    (dict(dropout=float("nan")), r"dropout: expected a number in \[0, 1\], got nan"),
    (dict(batch_first="yes"), r"batch_first: expected True or False, got 'yes'"),
    (dict(dtype=np.int32), r"dtype: expected a floating dtype"),
])
def test_bad_options(kwargs, match):
    options = dict(input_size=3, hidden_size=4) | kwargs
    with pytest.raises(ValueError, match=match):
        lstm_ref.LSTM(**options)


def test_cell_bad_sizes():
    with pytest.raises(ValueError, match=r"input_size: expected an integer >= 1, got -2"):
        lstm_ref.GRUCell(-2, 3)


@pytest.fixture
def lstm():
    return lstm_ref.LSTM(3, 4, num_layers=2, rng=0)


@pytest.mark.parametrize("shape, match", [
    ((5, 2, 7), r"input: expected a 3-D array \(L, N, input_size\) with batch_first=False.*"
                r"input_size = 3; got shape \(5, 2, 7\)"),
    ((5, 2, 3, 1), r"input: .*got shape \(5, 2, 3, 1\)"),
    ((3,), r"input: .*got shape \(3,\)"),
    ((0, 2, 3), r"input: expected a sequence length L >= 1, got shape \(0, 2, 3\)"),
])
def test_bad_input_shape(lstm, shape, match):
    with pytest.raises(ValueError, match=match):
        lstm(np.zeros(shape, np.float32))


def test_batch_first_named_in_message():
    gru = lstm_ref.GRU(3, 4, batch_first=True)
    with pytest.raises(ValueError, match=r"\(N, L, input_size\) with batch_first=True"):
        gru(np.zeros((2, 5, 4), np.float32))


def test_wrong_dtype(lstm):
    with pytest.raises(ValueError, match=r"input: expected dtype float32 .* got float64"):
        lstm(np.zeros((5, 2, 3)))


def test_lists_are_converted(lstm):
    output, _ = lstm([[[0.0, 1.0, 2.0]]])
    assert output.shape == (1, 1, 4) and output.dtype == np.float32


@pytest.mark.parametrize("h_shape, match", [
    ((2, 3, 4), r"h_0: expected shape \(2, 2, 4\) = \(num_layers \* num_directions, N, 4\) "
                r"with N = 2 from input dimension 1 \(batch_first=False.*got \(2, 3, 4\)"),
    ((1, 2, 4), r"h_0: expected shape \(2, 2, 4\).*got \(1, 2, 4\)"),
    ((2, 2, 5), r"h_0: expected shape \(2, 2, 4\).*got \(2, 2, 5\)"),
    ((2, 4), r"h_0: expected shape \(2, 2, 4\).*got \(2, 4\)"),
])
def test_bad_initial_state(lstm, h_shape, match):
    x = np.zeros((5, 2, 3), np.float32)
    c = np.zeros((2, 2, 4), np.float32)
    with pytest.raises(ValueError, match=match):
        lstm(x, (np.zeros(h_shape, np.float32), c))


def test_bad_cell_state_with_projection():
    lstm = lstm_ref.LSTM(3, 4, proj_size=2, batch_first=True)
    x = np.zeros((6, 5, 3), np.float32)
    h = np.zeros((1, 6, 2), np.float32)
    with pytest.raises(ValueError, match=r"c_0: expected shape \(1, 6, 4\).*dimension 0"):
        lstm(x, (h, np.zeros((1, 6, 2), np.float32)))
    with pytest.raises(ValueError, match=r"h_0: expected shape \(1, 6, 2\)"):
        lstm(x, (np.zeros((1, 6, 4), np.float32), np.zeros((1, 6, 4), np.float32)))


def test_hx_must_be_a_pair_for_lstm(lstm):
    with pytest.raises(ValueError, match=r"hx: expected a pair \(h_0, c_0\), got ndarray"):
        lstm(np.zeros((5, 2, 3), np.float32), np.zeros((2, 2, 4), np.float32))


def test_unbatched_state_for_batched_input():
    gru = lstm_ref.GRU(3, 4)
    with pytest.raises(ValueError, match=r"h_0: expected shape \(1, 2, 4\)"):
        gru(np.zeros((5, 2, 3), np.float32), np.zeros((1, 4), np.float32))
    with pytest.raises(ValueError, match=r"h_0: expected shape \(1, 4\) = .*unbatched"):
        gru(np.zeros((5, 3), np.float32), np.zeros((1, 2, 4), np.float32))


@pytest.mark.parametrize("lengths, match", [
    ([5, 0], r"lengths: expected values in \[1, L\] = \[1, 5\], got 0 at position 1"),
    ([6, 5], r"lengths: expected values in \[1, L\] = \[1, 5\], got 6 at position 0"),
    ([5], r"lengths: expected shape \(2,\), one per batch element, got \(1,\)"),
    ([[5, 5]], r"lengths: expected shape \(2,\)"),
    ([5.0, 2.0], r"lengths: expected integers, got dtype float64"),
])
def test_bad_lengths(lstm, lengths, match):
    with pytest.raises(ValueError, match=match):
        lstm(np.zeros((5, 2, 3), np.float32), lengths=lengths)


def test_lengths_need_a_batch(lstm):
    with pytest.raises(ValueError, match=r"lengths: given for an unbatched"):
        lstm(np.zeros((5, 3), np.float32), lengths=[5])


@pytest.mark.parametrize("x_shape, state_shape, match", [
    ((2, 4), None, r"input: expected shape \(N, 3\) = \(batch, input_size\) or \(3,\) "
                   r"unbatched, got \(2, 4\)"),
    ((2, 3), (3, 5), r"h: expected shape \(2, 5\) = \(N, hidden_size\) with N = 2 from input, "
                     r"got \(3, 5\)"),
    ((3,), (1, 5), r"h: expected shape \(5,\) = \(hidden_size,\), unbatched like input"),
])
def test_bad_cell_input(x_shape, state_shape, match):
    cell = lstm_ref.GRUCell(3, 5)
    h = None if state_shape is None else np.zeros(state_shape, np.float32)
    with pytest.raises(ValueError, match=match):
        cell(np.zeros(x_shape, np.float32), h)


def test_bad_lstm_cell_state():
    cell = lstm_ref.LSTMCell(3, 5)
    h = np.zeros((2, 5), np.float32)
    with pytest.raises(ValueError, match=r"c: expected shape \(2, 5\).*got \(2, 4\)"):
        cell(np.zeros((2, 3), np.float32), (h, np.zeros((2, 4), np.float32)))


def test_bad_state_dict():
    gru = lstm_ref.GRU(3, 4)
    state = gru.state_dict()
    state["weight_hh_l0"] = np.zeros((12, 5))
    with pytest.raises(ValueError, match=r"weight_hh_l0: expected shape \(12, 4\)"):
        gru.load_state_dict(state)
    del state["weight_hh_l0"]
    with pytest.raises(ValueError, match=r"missing \['weight_hh_l0'\], unexpected \[\]"):
        gru.load_state_dict(state)


def test_from_torch_wrong_class():
    torch = pytest.importorskip("torch")
    with pytest.raises(ValueError, match=r"module: expected a torch.nn.LSTM, got GRU"):
        lstm_ref.LSTM.from_torch(torch.nn.GRU(2, 3))


@pytest.mark.parametrize("call, match", [
    (lambda: lstm_ref.to_textbook(np.zeros((8, 3)), np.zeros((4, 2))), r"same number of rows"),
    (lambda: lstm_ref.to_textbook(np.zeros((8, 3)), np.zeros((8, 2)), np.zeros(4)),
     r"bias_ih: expected shape \(8,\), got \(4,\)"),
    (lambda: lstm_ref.from_textbook(np.zeros((8, 3)), np.zeros(8), 3), r"more than input_size"),
    (lambda: lstm_ref.from_textbook(np.zeros((8, 3)), np.zeros(4), 1), r"b: expected shape \(8,\)"),
    (lambda: lstm_ref.gate_blocks(np.zeros(10), "ifgo"), r"divisible by 4"),
])
def test_bad_notation_arguments(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_bad_nonlinearity():
    with pytest.raises(ValueError, match=r"nonlinearity: expected one of \('tanh', 'relu'\), got 'gelu'"):
        lstm_ref.RNN(3, 4, nonlinearity="gelu")
