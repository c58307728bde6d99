"""Properties that hold for every input, checked with hypothesis."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import lstm_ref

any_floats = hnp.arrays(
    dtype=st.sampled_from([np.float16, np.float32, np.float64]),
    shape=hnp.array_shapes(min_dims=0, max_dims=3, max_side=5),
    elements=dict(allow_nan=False),
)


@given(any_floats)
def test_sigmoid_is_warning_free_bounded_and_keeps_dtype(z):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise"):
            s = lstm_ref.sigmoid(z)
    assert s.dtype == z.dtype and s.shape == z.shape
    assert np.all((s >= 0) & (s <= 1))


@given(st.floats(-700, 700))
def test_sigmoid_is_exact_to_rounding(value):
    exact = 1 / (1 + np.exp(-np.longdouble(value)))
    assert abs(lstm_ref.sigmoid(np.float64(value)) - exact) <= 4 * np.finfo(np.float64).eps * exact


@given(st.floats(-30, 30))
def test_sigmoid_symmetry(value):
    assert np.isclose(lstm_ref.sigmoid(-value), 1 - lstm_ref.sigmoid(value), rtol=0, atol=1e-15)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sigmoid_extremes_match_torch(dtype):
    torch = pytest.importorskip("torch")
    z = np.array([-1000, -745, -100, -88, -20, 0, 20, 100, 1000, np.inf, -np.inf], dtype)
    np.testing.assert_allclose(lstm_ref.sigmoid(z), torch.sigmoid(torch.from_numpy(z)).numpy(),
                               rtol=4 * np.finfo(dtype).eps, atol=0)


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 4), st.integers(1, 4), st.floats(-50, 50), st.integers(0, 2**32 - 1))
def test_gates_stay_in_range_whatever_the_bias(input_size, hidden_size, shift, seed):
    """sigma keeps i, f, o in [0, 1] and tanh keeps g in [-1, 1], however large the bias."""
    cell = lstm_ref.LSTMCell(input_size, hidden_size, dtype=np.float64, rng=seed)
    cell.bias_ih[:] += shift
    x = np.random.default_rng(seed).standard_normal((3, input_size)) * 10
    s = cell.step(x)
    for gate in (s.i, s.f, s.o):
        assert np.all((gate >= 0) & (gate <= 1))
    assert np.all(np.abs(s.g) <= 1)
    assert np.all(np.abs(s.h) <= 1)


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 5), st.integers(1, 5), st.integers(0, 2**32 - 1))
def test_textbook_round_trip(input_size, rows, seed):
    rng = np.random.default_rng(seed)
    w_ih, w_hh = rng.standard_normal((4 * rows, input_size)), rng.standard_normal((4 * rows, 3))
    b_ih, b_hh = rng.standard_normal(4 * rows), rng.standard_normal(4 * rows)
    W, b = lstm_ref.to_textbook(w_ih, w_hh, b_ih, b_hh)
    back = lstm_ref.from_textbook(W, b, input_size)
    np.testing.assert_array_equal(back[0], w_ih)
    np.testing.assert_array_equal(back[1], w_hh)
    np.testing.assert_allclose(back[2] + back[3], b_ih + b_hh)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 6), st.integers(1, 4), st.integers(0, 2**32 - 1))
def test_reverse_direction_reads_each_sequence_from_its_own_end(steps, batch, seed):
    """The reverse half of a bidirectional output at the last valid step equals a
    forward-only run over the time-reversed valid part."""
    rng = np.random.default_rng(seed)
    bi = lstm_ref.GRU(2, 3, bidirectional=True, dtype=np.float64, rng=seed)
    back = lstm_ref.GRU(2, 3, dtype=np.float64)
    back.load_state_dict({k.replace("_reverse", ""): v for k, v in bi.state_dict().items()
                          if k.endswith("_reverse")})
    x = rng.standard_normal((steps, batch, 2))
    lengths = rng.integers(1, steps + 1, size=batch)
    output, h_n = bi(x, lengths=lengths)
    for b, n in enumerate(lengths):
        rev_out, rev_h = back(x[:n, b][::-1].copy())
        np.testing.assert_allclose(output[:n, b, 3:], rev_out[::-1], rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(h_n[1, b], rev_h[0], rtol=1e-12, atol=1e-14)
