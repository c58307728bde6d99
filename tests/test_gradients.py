"""Backward passes against torch autograd, over the same grid as the forward tests.

The loss is (out * G).sum() + (h_n * G_h).sum() [+ (c_n * G_c).sum()] with
random G, so every output and final state carries a gradient.
"""

import itertools

import numpy as np
import pytest

torch = pytest.importorskip("torch")   # these tests compare with torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence  # noqa: E402

import lstm_ref  # noqa: E402
from parity import FLAGS, make_case, to_tensor  # noqa: E402

GRAD_TOLERANCE = {np.float32: dict(rtol=1e-4, atol=1e-4),
                  np.float64: dict(rtol=1e-9, atol=1e-10)}


def torch_grads(module, x, hx, lengths, batch_first, weights):
    """torch autograd's gradients of the weighted-sum loss."""
    module.zero_grad()
    x_t = to_tensor(x).requires_grad_()
    if isinstance(hx, tuple):
        hx_t = tuple(to_tensor(a).requires_grad_() for a in hx)
    else:
        hx_t = None if hx is None else to_tensor(hx).requires_grad_()
    if lengths is None:
        out, state = module(x_t, hx_t)
    else:
        packed = pack_padded_sequence(x_t, torch.as_tensor(lengths), batch_first=batch_first,
                                      enforce_sorted=False)
        out, state = module(packed, hx_t)
        steps = x.shape[1] if batch_first else x.shape[0]
        out, _ = pad_packed_sequence(out, batch_first=batch_first, total_length=steps)
    states = state if isinstance(state, tuple) else (state,)
    loss = sum((t * to_tensor(w)).sum() for t, w in zip((out,) + states, weights))
    loss.backward()
    grads = {name: p.grad.numpy() for name, p in module.named_parameters()}
    grads["input"] = x_t.grad.numpy()
    if hx is not None:
        for name, tensor in zip(("h_0", "c_0"), hx_t if isinstance(hx_t, tuple) else (hx_t,)):
            grads[name] = tensor.grad.numpy()
    return grads


def check_layer(kind, reference, module, x, hx, lengths, batch_first, dtype, seed):
    out, state, cache = reference.forward(x, hx, lengths=lengths, return_cache=True)
    states = state if isinstance(state, tuple) else (state,)
    rng = np.random.default_rng(seed)
    weights = [rng.standard_normal(a.shape).astype(dtype) for a in (out,) + states]
    grad_state = tuple(weights[1:]) if kind == "LSTM" else weights[1]
    ours = reference.backward(cache, weights[0], grad_state)
    theirs = torch_grads(module, x, hx, lengths, batch_first, weights)
    expected_names = {name for name, _ in module.named_parameters()} | {"input"} | {
        f"{state}_0" for state in reference.kind.states}
    assert set(ours) == expected_names
    for name, value in theirs.items():
        assert ours[name].shape == value.shape, name
        np.testing.assert_allclose(ours[name], value, err_msg=name, **GRAD_TOLERANCE[dtype])


@pytest.mark.parametrize("kind", ["LSTM", "GRU", "RNN"])
@pytest.mark.parametrize("index, flags", list(enumerate(FLAGS)))
def test_layer_gradients_match_autograd(kind, index, flags):
    bias, batch_first, bidirectional, with_state, with_lengths, dtype = flags
    module, reference, x, hx, lengths = make_case(kind, index, *flags)
    check_layer(kind, reference, module, x, hx, lengths, batch_first, dtype, index)


@pytest.mark.parametrize("index, flags", list(enumerate(FLAGS)))
def test_projected_lstm_gradients_match_autograd(index, flags):
    bias, batch_first, bidirectional, with_state, with_lengths, dtype = flags
    module, reference, x, hx, lengths = make_case("LSTM", index, *flags, projected=True)
    check_layer("LSTM", reference, module, x, hx, lengths, batch_first, dtype, index)


UNBATCHED = [case for case in itertools.product(
    ["LSTM", "GRU", "RNN"], [False, True], [False, True], [False, True], [False, True])
    if not (case[0] != "LSTM" and case[4])]


@pytest.mark.parametrize("index, case", list(enumerate(UNBATCHED)))
def test_unbatched_gradients_match_autograd(index, case):
    kind, bias, bidirectional, with_state, projected = case
    module, reference, x, hx, _ = make_case(kind, index, bias, False, bidirectional, with_state,
                                            False, np.float64, unbatched=True,
                                            projected=projected)
    check_layer(kind, reference, module, x, hx, None, False, np.float64, index)


@pytest.mark.parametrize("kind", ["LSTMCell", "GRUCell"])
@pytest.mark.parametrize("bias, batched, with_state", list(itertools.product([False, True],
                                                                              repeat=3)))
def test_cell_gradients_match_autograd(kind, bias, batched, with_state):
    rng = np.random.default_rng(7)
    module = getattr(torch.nn, kind)(3, 5, bias=bias, dtype=torch.float64)
    cell = getattr(lstm_ref, kind).from_torch(module)
    lead = (4,) if batched else ()
    x = rng.standard_normal(lead + (3,))
    h, c = rng.standard_normal(lead + (5,)), rng.standard_normal(lead + (5,))
    g_h, g_c = rng.standard_normal(lead + (5,)), rng.standard_normal(lead + (5,))
    x_t = to_tensor(x).requires_grad_()
    h_t, c_t = to_tensor(h).requires_grad_(), to_tensor(c).requires_grad_()
    if kind == "LSTMCell":
        hx = (h, c) if with_state else None
        new_h, new_c, cache = cell.forward(x, hx, return_cache=True)
        ours = cell.backward(cache, g_h, g_c)
        out_h, out_c = module(x_t, (h_t, c_t) if with_state else None)
        ((out_h * to_tensor(g_h)).sum() + (out_c * to_tensor(g_c)).sum()).backward()
        state_grads = {"h": h_t, "c": c_t}
    else:
        new_h, cache = cell.forward(x, h if with_state else None, return_cache=True)
        ours = cell.backward(cache, g_h)
        (module(x_t, h_t if with_state else None) * to_tensor(g_h)).sum().backward()
        state_grads = {"h": h_t}
    np.testing.assert_allclose(ours["input"], x_t.grad.numpy(), rtol=1e-10, atol=1e-12)
    if with_state:
        for name, tensor in state_grads.items():
            np.testing.assert_allclose(ours[name], tensor.grad.numpy(), rtol=1e-10, atol=1e-12)
    for name, p in module.named_parameters():
        np.testing.assert_allclose(ours[name], p.grad.numpy(), rtol=1e-10, atol=1e-12,
                                   err_msg=name)


def test_plain_call_keeps_nothing():
    lstm = lstm_ref.LSTM(2, 3)
    assert len(lstm(np.zeros((4, 1, 2), np.float32))) == 2
    assert len(lstm.forward(np.zeros((4, 1, 2), np.float32), return_cache=True)) == 3


def test_dropout_gradients_match_finite_differences():
    """With a fixed dropout mask (the same seed each time), backward is the true gradient."""
    lstm = lstm_ref.LSTM(2, 3, num_layers=3, dropout=0.5, dtype=np.float64, rng=0)
    x = np.random.default_rng(1).standard_normal((4, 2, 2))
    weights = np.random.default_rng(2).standard_normal((4, 2, 3))

    def loss():
        out, _ = lstm.forward(x, training=True, rng=5)
        return float((out * weights).sum())

    out, _, cache = lstm.forward(x, training=True, rng=5, return_cache=True)
    grads = lstm.backward(cache, weights)
    for name in ("weight_ih_l0", "bias_hh_l1", "weight_hh_l2"):
        numeric = lstm_ref.numerical_gradient(loss, getattr(lstm, name))
        np.testing.assert_allclose(grads[name], numeric, rtol=1e-6, atol=1e-8, err_msg=name)
    numeric = lstm_ref.numerical_gradient(loss, x)
    np.testing.assert_allclose(grads["input"], numeric, rtol=1e-6, atol=1e-8)


def test_full_dropout_stops_gradients_below():
    gru = lstm_ref.GRU(2, 3, num_layers=2, dropout=1.0, dtype=np.float64, rng=0)
    x = np.random.default_rng(1).standard_normal((4, 2, 2))
    out, _, cache = gru.forward(x, training=True, rng=0, return_cache=True)
    grads = gru.backward(cache, np.ones_like(out))
    assert not grads["weight_ih_l0"].any() and not grads["input"].any()
    assert not grads["weight_ih_l1"].any()        # layer 1 saw only zeros
    assert grads["weight_hh_l1"].any() and grads["bias_ih_l1"].any()


def test_finite_differences_agree_with_backward_for_a_cell():
    cell = lstm_ref.LSTMCell(3, 2, dtype=np.float64, rng=3)
    x, h, c = np.ones(3), np.full(2, 0.5), np.full(2, -0.5)

    def loss():
        new_h, new_c = cell(x, (h, c))
        return float(new_h.sum() + 2 * new_c.sum())

    _, _, cache = cell.forward(x, (h, c), return_cache=True)
    grads = cell.backward(cache, np.ones(2), np.full(2, 2.0))
    for name in ("weight_ih", "weight_hh", "bias_ih"):
        np.testing.assert_allclose(grads[name],
                                   lstm_ref.numerical_gradient(loss, getattr(cell, name)),
                                   rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("call, match", [
    (lambda m, cache: m.backward(cache, np.zeros((4, 2, 5))),
     r"grad_output: expected shape \(4, 2, 3\) = \(L, N, num_directions \* H_out\)"),
    (lambda m, cache: m.backward(cache, np.zeros((4, 2, 3)), (np.zeros((2, 2, 3)), None)),
     r"grad_h_n: expected shape \(1, 2, 3\)"),
    (lambda m, cache: m.backward(cache, np.zeros((4, 2, 3)), np.zeros((1, 2, 3))),
     r"grad_state: expected a pair \(grad_h_n, grad_c_n\), got ndarray"),
])
def test_bad_gradients(call, match):
    lstm = lstm_ref.LSTM(2, 3)
    _, _, cache = lstm.forward(np.zeros((4, 2, 2), np.float32), return_cache=True)
    with pytest.raises(ValueError, match=match):
        call(lstm, cache)


def test_numerical_gradient_refuses_what_it_cannot_perturb():
    with pytest.raises(ValueError, match=r"array: expected a C-contiguous float64"):
        lstm_ref.numerical_gradient(lambda: 0.0, np.zeros(3, np.float32))
