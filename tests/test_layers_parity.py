"""lstm_ref.LSTM and lstm_ref.GRU against torch.nn.LSTM and torch.nn.GRU.

Every combination of the boolean options, with sizes drawn per case (sizes of
1 included), both dtypes, with and without initial states and lengths.
"""

import itertools

import numpy as np
import pytest

torch = pytest.importorskip("torch")   # these tests compare with torch

import lstm_ref  # noqa: E402
from parity import FLAGS, assert_close, make_case, run_torch, to_tensor, torch_hx  # noqa: E402


@pytest.mark.parametrize("kind", ["LSTM", "GRU", "RNN"])
@pytest.mark.parametrize("index, flags", list(enumerate(FLAGS)))
def test_layer_matches_torch(kind, index, flags):
    bias, batch_first, bidirectional, with_state, with_lengths, dtype = flags
    module, reference, x, hx, lengths = make_case(kind, index, *flags)
    expected_out, expected_state = run_torch(module, to_tensor(x), torch_hx(hx), lengths,
                                             batch_first)
    out, state = reference(x, hx, lengths=lengths)
    assert_close(out, expected_out, dtype)
    if kind == "LSTM":
        assert_close(state[0], expected_state[0], dtype)
        assert_close(state[1], expected_state[1], dtype)
    else:
        assert_close(state, expected_state, dtype)


@pytest.mark.parametrize("index, flags", list(enumerate(FLAGS)))
def test_projected_lstm_matches_torch(index, flags):
    bias, batch_first, bidirectional, with_state, with_lengths, dtype = flags
    module, reference, x, hx, lengths = make_case("LSTM", index, *flags, projected=True)
    expected_out, (h_n, c_n) = run_torch(module, to_tensor(x), torch_hx(hx), lengths, batch_first)
    out, (h, c) = reference(x, hx, lengths=lengths)
    assert_close(out, expected_out, np.dtype(dtype).type)
    assert_close(h, h_n, dtype)
    assert_close(c, c_n, dtype)


UNBATCHED = [case for case in itertools.product(
    ["LSTM", "GRU", "RNN"], [False, True], [False, True], [False, True], [False, True],
    [np.float32, np.float64]) if not (case[0] != "LSTM" and case[4])]   # only LSTM projects


@pytest.mark.parametrize("index, case", list(enumerate(UNBATCHED)))
def test_unbatched_matches_torch(index, case):
    kind, bias, bidirectional, with_state, projected, dtype = case
    module, reference, x, hx, _ = make_case(kind, index, bias, False, bidirectional, with_state,
                                            False, dtype, unbatched=True, projected=projected)
    expected_out, expected_state = run_torch(module, to_tensor(x), torch_hx(hx), None, False)
    out, state = reference(x, hx)
    assert_close(out, expected_out, dtype)
    for mine, theirs in zip(state if kind == "LSTM" else [state],
                            expected_state if kind == "LSTM" else [expected_state]):
        assert_close(mine, theirs, dtype)


@pytest.mark.parametrize("kind", ["LSTM", "GRU", "RNN"])
def test_larger_sizes_match_torch(kind):
    """Odd, non-tiny sizes with every option on, where float32 rounding accumulates."""
    options = dict(input_size=33, hidden_size=47, num_layers=3, batch_first=True,
                   bidirectional=True)
    if kind == "LSTM":
        options["proj_size"] = 19
    module = getattr(torch.nn, kind)(**options)
    reference = getattr(lstm_ref, kind).from_torch(module)
    x = np.random.default_rng(3).standard_normal((5, 41, 33)).astype(np.float32)
    lengths = np.array([41, 1, 17, 40, 2])
    expected_out, _ = run_torch(module, to_tensor(x), None, lengths, True)
    out, _ = reference(x, lengths=lengths)
    assert_close(out, expected_out, np.float32)


def test_full_lengths_equal_no_lengths():
    lstm = lstm_ref.LSTM(3, 4, num_layers=2, bidirectional=True, rng=1)
    x = np.random.default_rng(0).standard_normal((6, 3, 3)).astype(np.float32)
    out_a, (h_a, c_a) = lstm(x)
    out_b, (h_b, c_b) = lstm(x, lengths=[6, 6, 6])
    np.testing.assert_array_equal(out_a, out_b)
    np.testing.assert_array_equal(h_a, h_b)
    np.testing.assert_array_equal(c_a, c_b)


def test_padding_past_lengths_does_not_matter():
    """Whatever sits past a sequence's length changes nothing, and the output there is 0."""
    gru = lstm_ref.GRU(2, 3, num_layers=2, bidirectional=True, batch_first=True, rng=2)
    rng = np.random.default_rng(1)
    x = rng.standard_normal((3, 5, 2)).astype(np.float32)
    lengths = np.array([2, 5, 3])
    noisy = x.copy()
    for b, n in enumerate(lengths):
        noisy[b, n:] = 1e3 * rng.standard_normal((5 - n, 2))
    out, h_n = gru(x, lengths=lengths)
    out_noisy, h_noisy = gru(noisy, lengths=lengths)
    np.testing.assert_array_equal(out, out_noisy)
    np.testing.assert_array_equal(h_n, h_noisy)
    assert not out[0, 2:].any() and not out[2, 3:].any()
