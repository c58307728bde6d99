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
    lstm = lstm_ref.LSTM(3, 5, dropout=0.9, rng=3)
    np.testing.assert_array_equal(lstm.forward(x, training=True, rng=0)[0], lstm(x)[0])


def test_kept_values_are_scaled_by_one_over_keep_probability():
    lstm = lstm_ref.LSTM(3, 5, dropout=0.25)
    values = np.ones((200, 50, 10), np.float32)
    dropped, scale = lstm._dropout(values, np.random.default_rng(0))
    assert np.array_equal(dropped, values * scale)
    kept = dropped[dropped != 0]
    np.testing.assert_allclose(kept, 1 / 0.75, rtol=1e-6)
    assert abs(kept.size / values.size - 0.75) < 0.01
