"""The step contract the shipped kinds declare, and the LSTM's fast path. Needs numpy only."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lstm_ref
from lstm_ref.gru import GRU_KIND
from lstm_ref.lstm import LSTM_KIND, lstm_step, lstm_step_fused
from lstm_ref.rnn import RNN_KINDS


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 5), st.integers(1, 6), st.integers(0, 3), st.booleans(),
       st.sampled_from([np.float32, np.float64]), st.floats(0.1, 30), st.integers(0, 2**32 - 1))
def test_fast_path_equals_the_reference_step(batch, hidden, proj, bias, dtype, scale, seed):
    """Bit for bit, including pre-activations large enough to saturate the gates."""
    rng = np.random.default_rng(seed)
    h_out = proj if 0 < proj < hidden else hidden
    draw = lambda *shape: (scale * rng.standard_normal(shape)).astype(dtype)
    args = (draw(batch, 4 * hidden), draw(batch, h_out), draw(batch, hidden),
            draw(4 * hidden, h_out), draw(4 * hidden) if bias else None,
            draw(h_out, hidden) if h_out != hidden else None)
    reference, fast = lstm_step(*args), lstm_step_fused(*args)
    assert fast._fields == reference._fields
    for name, a, b in zip(reference._fields, reference, fast):
        assert a.dtype == b.dtype and np.array_equal(a, b), name


def test_the_layers_run_the_fast_path_and_the_cells_the_reference():
    assert LSTM_KIND.fast_step is lstm_step_fused and LSTM_KIND.step is lstm_step
    layer = lstm_ref.LSTM(3, 4, dtype=np.float64, rng=0)
    cell = lstm_ref.LSTMCell(3, 4, dtype=np.float64)
    cell.load_state_dict({k[:-3]: v for k, v in layer.state_dict().items()})
    x = np.random.default_rng(1).standard_normal((1, 2, 3))
    np.testing.assert_array_equal(layer(x)[0][0], cell(x[0])[0])


@pytest.mark.parametrize("kind, gates, states", [
    (LSTM_KIND, ("i", "f", "g", "o"), ("h", "c")),
    (GRU_KIND, ("r", "z", "n"), ("h",)),
    (RNN_KINDS["tanh"], ("h",), ("h",)),
    (RNN_KINDS["relu"], ("h",), ("h",)),
])
def test_each_kind_declares_its_gates_states_and_shapes(kind, gates, states):
    assert kind.gates == gates and kind.states == states
    shapes = kind.parameter_shapes(5, 3, bias=True)
    assert list(shapes) == ["weight_ih", "weight_hh", "bias_ih", "bias_hh"]
    assert shapes["weight_ih"] == (len(gates) * 3, 5) and shapes["bias_hh"] == (len(gates) * 3,)


def test_the_projection_belongs_to_the_lstm_kind():
    assert LSTM_KIND.sizes(6, proj_size=2) == (2, 6)
    assert LSTM_KIND.parameter_shapes(5, 6, bias=False, proj_size=2) == {
        "weight_ih": (24, 5), "weight_hh": (24, 2), "weight_hr": (2, 6)}
    assert GRU_KIND.sizes(6) == (6,)


def test_backward_steps_share_one_signature():
    """step_backward(step, prev, d_new, **parameters) -> (d_x_proj, d_prev, d_parameters)."""
    rng = np.random.default_rng(0)
    for kind in (LSTM_KIND, GRU_KIND, RNN_KINDS["tanh"]):
        shapes = kind.parameter_shapes(2, 3)
        p = {name: rng.standard_normal(shape) for name, shape in shapes.items()}
        prev = tuple(rng.standard_normal((4, 3)) for _ in kind.states)
        x_proj = rng.standard_normal((4, len(kind.gates) * 3))
        record = kind.step(x_proj, *prev, **kind.step_parameters(p))
        d_x_proj, d_prev, d_p = kind.step_backward(record, prev, prev, **kind.step_parameters(p))
        assert d_x_proj.shape == x_proj.shape
        assert [d.shape for d in d_prev] == [s.shape for s in prev]
        given = {name: d.shape for name, d in d_p.items() if d is not None}
        assert given == {name: p[name].shape for name in ("weight_hh", "bias_hh")}
