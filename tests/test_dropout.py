"""Dropout between layers: off at inference, seeded and torch-shaped in training."""

import numpy as np
import pytest

import lstm_ref


@pytest.fixture
def x():
    return np.random.default_rng(0).standard_normal((6, 4, 3)).astype(np.float32)


def test_inference_ignores_dropout(x):
    with_dropout = lstm_ref.LSTM(3, 5, num_layers=3, dropout=0.5, rng=1)
    without = lstm_ref.LSTM(3, 5, num_layers=3, rng=1)
    np.testing.assert_array_equal(with_dropout(x)[0], without(x)[0])


def test_training_is_seeded_and_changes_the_output(x):
    gru = lstm_ref.GRU(3, 5, num_layers=2, dropout=0.5, rng=1)
    a = gru.forward(x, training=True, rng=7)[0]
    b = gru.forward(x, training=True, rng=7)[0]
    c = gru.forward(x, training=True, rng=8)[0]
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    assert not np.array_equal(a, gru(x)[0])


def test_full_dropout_cuts_the_layers_apart(x):
    """p = 1 zeros layer 0's output, so layer 1 sees only zeros; the last layer has no dropout."""
    lstm = lstm_ref.LSTM(3, 5, num_layers=2, dropout=1.0, rng=2)
    top = lstm_ref.LSTM(5, 5, rng=0)
    top.load_state_dict({k.replace("_l1", "_l0"): v for k, v in lstm.state_dict().items()
                         if k.endswith("_l1")})
    output, (h_n, _) = lstm.forward(x, training=True, rng=0)
    expected, _ = top(np.zeros((6, 4, 5), np.float32))
    np.testing.assert_allclose(output, expected, rtol=1e-6)


def test_one_layer_has_no_dropout_to_apply(x):
    with pytest.warns(UserWarning, match=r"non-zero dropout expects num_layers greater than 1"):
        lstm = lstm_ref.LSTM(3, 5, dropout=0.9, rng=3)
    np.testing.assert_array_equal(lstm.forward(x, training=True, rng=0)[0], lstm(x)[0])


@pytest.mark.parametrize("p", [0.25, 0.6])
def test_kept_values_are_scaled_by_one_over_keep_probability(p):
    """Layer 0 outputs a constant b > 0 everywhere; layer 1 passes its input through
    (ReLU, identity W_ih, no recurrence), so the output shows dropout's work directly:
    each value is 0 or b / (1 - p), and about a share 1 - p is kept."""
    rnn = lstm_ref.RNN(3, 10, num_layers=2, nonlinearity="relu", dropout=p, dtype=np.float64)
    b = 0.7
    rnn.weight_ih_l0 = np.zeros((10, 3))
    rnn.weight_hh_l0 = np.zeros((10, 10))
    rnn.bias_ih_l0 = np.full(10, b)
    rnn.bias_hh_l0 = np.zeros(10)
    rnn.weight_ih_l1 = np.eye(10)
    rnn.weight_hh_l1 = np.zeros((10, 10))
    rnn.bias_ih_l1 = np.zeros(10)
    rnn.bias_hh_l1 = np.zeros(10)
    x = np.random.default_rng(0).standard_normal((200, 50, 3))
    output, _ = rnn.forward(x, training=True, rng=0)
    np.testing.assert_array_equal(rnn(x)[0], b)              # no dropout at inference
    kept = output[output != 0]
    np.testing.assert_allclose(kept, b / (1 - p), rtol=1e-12)
    assert abs(kept.size / output.size - (1 - p)) < 0.01
