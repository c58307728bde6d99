"""A kind the package does not ship, added through the step contract alone.

The minimal gated unit (MGU; Zhou et al., 2016) has one gate:

    f_t = sigma(W_f x_t + U_f h_{t-1} + b_f)
    h~_t = tanh(W_h x_t + U_h (f_t * h_{t-1}) + b_h)
    h_t = (1 - f_t) * h_{t-1} + f_t * h~_t

Its two functions, its record and its Kind are all it takes; layers,
directions, batch_first, lengths, unbatched input, dropout and backward come
from the shared machinery, and the gradients are checked by finite
differences. Needs numpy only.
"""

from typing import NamedTuple

import numpy as np
import pytest

import lstm_ref
from lstm_ref.cell import RecurrentCell
from lstm_ref.layer import RecurrentLayer


class MGUStep(NamedTuple):
    f: np.ndarray        # forget gate
    h_tilde: np.ndarray  # candidate
    h: np.ndarray        # new state


def mgu_step(x_proj, h_prev, weight_hh, bias_hh=None):
    H = h_prev.shape[-1]
    b_f, b_h = (None, None) if bias_hh is None else (bias_hh[:H], bias_hh[H:])
    f = lstm_ref.sigmoid(x_proj[..., :H] + lstm_ref.affine(h_prev, weight_hh[:H], b_f))
    h_tilde = lstm_ref.tanh(x_proj[..., H:] + lstm_ref.affine(f * h_prev, weight_hh[H:], b_h))
    h = (1 - f) * h_prev + f * h_tilde
    return MGUStep(f, h_tilde, h)


def mgu_step_backward(step, prev, d_new, weight_hh, bias_hh=None):
    (h_prev,), (d_h,) = prev, d_new
    H = h_prev.shape[-1]
    d_a_h = d_h * step.f * (1 - step.h_tilde ** 2)          # h~ = tanh(a_h)
    d_fh = d_a_h @ weight_hh[H:]                            # a_h = x_h + (f * h) U_h^T + b_h
    d_f = d_h * (step.h_tilde - h_prev) + d_fh * h_prev
    d_a_f = d_f * step.f * (1 - step.f)                     # f = sigma(a_f)
    d_h_prev = d_h * (1 - step.f) + d_fh * step.f + d_a_f @ weight_hh[:H]
    d_weight_hh = np.concatenate([d_a_f.T @ h_prev, d_a_h.T @ (step.f * h_prev)])
    d_x_proj = np.concatenate([d_a_f, d_a_h], axis=-1)
    d_bias_hh = None if bias_hh is None else d_x_proj.sum(axis=0)
    return d_x_proj, (d_h_prev,), {"weight_hh": d_weight_hh, "bias_hh": d_bias_hh}


MGU_KIND = lstm_ref.Kind(name="MGU", gates=("f", "h"), states=("h",),
                         step=mgu_step, step_backward=mgu_step_backward)


class MGU(RecurrentLayer):
    kind = MGU_KIND


class MGUCell(RecurrentCell):
    kind = MGU_KIND


def plain_mgu(x, h, W_ih, W_hh, b_ih, b_hh):
    """The equations written out over time, one gate matrix at a time: an independent check."""
    H = h.shape[-1]
    W_f, W_h, U_f, U_h = W_ih[:H], W_ih[H:], W_hh[:H], W_hh[H:]
    b_f, b_h = b_ih[:H] + b_hh[:H], b_ih[H:] + b_hh[H:]
    outputs = []
    for x_t in x:
        f = 1 / (1 + np.exp(-(x_t @ W_f.T + h @ U_f.T + b_f)))
        h_tilde = np.tanh(x_t @ W_h.T + (f * h) @ U_h.T + b_h)
        h = (1 - f) * h + f * h_tilde
        outputs.append(h)
    return np.stack(outputs), h


def test_parameters_follow_from_the_kind():
    mgu = MGU(3, 4, num_layers=2, bidirectional=True)
    shapes = dict((name, p.shape) for name, p in mgu.named_parameters())
    assert shapes["weight_ih_l0"] == (8, 3) and shapes["weight_hh_l0_reverse"] == (8, 4)
    assert shapes["weight_ih_l1"] == (8, 8) and shapes["bias_hh_l1"] == (8,)
    assert len(shapes) == 16


def test_forward_matches_the_equations_written_out():
    mgu = MGU(3, 5, dtype=np.float64, rng=0)
    rng = np.random.default_rng(1)
    x, h0 = rng.standard_normal((6, 2, 3)), rng.standard_normal((1, 2, 5))
    output, h_n = mgu(x, h0)
    expected, last = plain_mgu(x, h0[0], *(p for _, p in mgu.named_parameters()))
    np.testing.assert_allclose(output, expected, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(h_n[0], last, rtol=1e-12, atol=1e-14)


def test_layer_is_the_cell_unrolled():
    layer = MGU(3, 4, dtype=np.float64, rng=2)
    cell = MGUCell(3, 4, dtype=np.float64)
    cell.load_state_dict({k[: -len("_l0")]: v for k, v in layer.state_dict().items()})
    x = np.random.default_rng(3).standard_normal((5, 2, 3))
    output, _ = layer(x)
    h = None
    for t in range(5):
        h = cell(x[t], h)
        np.testing.assert_allclose(output[t], h, rtol=1e-13)
    assert cell.step(x[0, 0])._fields == ("f", "h_tilde", "h")


def test_layouts_lengths_and_unbatched_input_come_from_the_machinery():
    x = np.random.default_rng(4).standard_normal((6, 3, 2))
    time_major = MGU(2, 3, num_layers=2, bidirectional=True, dtype=np.float64, rng=5)
    batch_first = MGU(2, 3, num_layers=2, bidirectional=True, batch_first=True,
                      dtype=np.float64)
    batch_first.load_state_dict(time_major.state_dict())
    out, h_n = time_major(x, lengths=[6, 2, 4])
    out_bf, h_n_bf = batch_first(x.transpose(1, 0, 2), lengths=[6, 2, 4])
    np.testing.assert_allclose(out_bf.transpose(1, 0, 2), out, rtol=1e-13)
    np.testing.assert_allclose(h_n_bf, h_n, rtol=1e-13)
    assert not out[2:, 1].any() and not out[4:, 2].any()     # zero past each length
    one, h_one = time_major(x[:2, 1])                        # unbatched: sequence 1 alone
    np.testing.assert_allclose(one, out[:2, 1], rtol=1e-13)
    np.testing.assert_allclose(h_one, h_n[:, 1], rtol=1e-13)


@pytest.mark.parametrize("bias, batch_first, bidirectional, with_lengths, unbatched", [
    (True, False, False, False, False),
    (True, True, True, True, False),
    (False, False, True, True, False),
    (True, False, True, False, True),
])
def test_gradients_match_finite_differences(bias, batch_first, bidirectional, with_lengths,
                                            unbatched):
    mgu = MGU(2, 3, num_layers=2, bias=bias, batch_first=batch_first,
              bidirectional=bidirectional, dtype=np.float64, rng=6)
    rng = np.random.default_rng(7)
    steps, batch, directions = 4, 3, 2 if bidirectional else 1
    if unbatched:
        x, h0 = rng.standard_normal((steps, 2)), rng.standard_normal((2 * directions, 3))
    else:
        shape = (batch, steps, 2) if batch_first else (steps, batch, 2)
        x, h0 = rng.standard_normal(shape), rng.standard_normal((2 * directions, batch, 3))
    lengths = [4, 1, 3] if with_lengths else None
    output, h_n, cache = mgu.forward(x, h0, lengths, return_cache=True)
    g_out, g_h = rng.standard_normal(output.shape), rng.standard_normal(h_n.shape)

    def loss():
        out, last = mgu(x, h0, lengths)
        return float((out * g_out).sum() + (last * g_h).sum())

    grads = mgu.backward(cache, g_out, g_h)
    assert set(grads) == {name for name, _ in mgu.named_parameters()} | {"input", "h_0"}
    for name, value in list(mgu.named_parameters()) + [("input", x), ("h_0", h0)]:
        numeric = lstm_ref.numerical_gradient(loss, value)
        np.testing.assert_allclose(grads[name], numeric, rtol=1e-6, atol=1e-8, err_msg=name)


def test_dropout_gradients_match_finite_differences():
    mgu = MGU(2, 3, num_layers=3, dropout=0.4, dtype=np.float64, rng=8)
    x = np.random.default_rng(9).standard_normal((4, 2, 2))
    output, _, cache = mgu.forward(x, training=True, rng=3, return_cache=True)
    loss = lambda: float(mgu.forward(x, training=True, rng=3)[0].sum())
    grads = mgu.backward(cache, np.ones_like(output))
    for name in ("weight_ih_l0", "weight_hh_l1", "bias_ih_l2"):
        np.testing.assert_allclose(grads[name],
                                   lstm_ref.numerical_gradient(loss, getattr(mgu, name)),
                                   rtol=1e-6, atol=1e-8, err_msg=name)


def test_cell_gradients_match_finite_differences():
    cell = MGUCell(3, 2, dtype=np.float64, rng=10)
    x, h = np.array([0.5, -1.0, 2.0]), np.array([0.3, -0.6])
    _, cache = cell.forward(x, h, return_cache=True)
    grads = cell.backward(cache, grad_h=np.array([1.0, -2.0]))
    loss = lambda: float(cell(x, h) @ np.array([1.0, -2.0]))
    for name, value in list(cell.named_parameters()) + [("input", x), ("h", h)]:
        np.testing.assert_allclose(grads[name], lstm_ref.numerical_gradient(loss, value),
                                   rtol=1e-6, atol=1e-9, err_msg=name)
