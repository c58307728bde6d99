"""The classic variants, each against an implementation written elsewhere, and their gradients.

- the reset-before GRU against Keras's ``GRU(reset_after=False)`` and ONNX's ``GRU``
  with ``linear_before_reset=0`` (reference evaluator and onnxruntime);
- the peephole LSTM against ONNX's ``LSTM`` with ``P`` (both runtimes);
- the coupled-gate LSTM against onnxruntime's ``LSTM`` with ``input_forget=1``: ONNX's
  reference evaluator ignores that attribute, so in float64 it is checked against its
  equations written out, and its gradients by finite differences.

Every variant's gradients are checked by finite differences, and the reset-before
GRU's also against torch's autograd through Keras's layer.
"""

import convert_helpers
import numpy as np
import pytest
from convert_helpers import (
    FLOAT32_LEVEL,
    TIGHT,
    assert_equal_outputs,
    keras_tolerance,
    run_keras,
    run_onnx,
    state_list,
    to_numpy,
)

import lstm_ref
from lstm_ref import convert

VARIANTS = ["ResetBeforeGRU", "PeepholeLSTM", "CoupledGateLSTM"]


def make_case(kind, dtype, seed, **options):
    """A variant's case: two inputs, three units and five steps unless said otherwise."""
    options = {"input_size": 2, "hidden_size": 3, "steps": 5, **options}
    return convert_helpers.make_case(kind, dtype, seed, **options)


OPTIONS = [dict(num_layers=2, bidirectional=True, with_state=True),
           dict(num_layers=1, bidirectional=False, batch_first=True, with_state=False, bias=False),
           dict(num_layers=2, bidirectional=True, batch_first=True, with_lengths=True)]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("options", OPTIONS)
def test_reset_before_gru_is_keras_reset_after_false(dtype, options):
    module, x, hx, lengths = make_case("ResetBeforeGRU", dtype, 1, **options)
    layers = convert.to_keras_layers(module)
    assert all(layer.get_config()["layer"]["config"]["reset_after"] is False
               if module.bidirectional else layer.get_config()["reset_after"] is False
               for layer in layers)
    output, states = run_keras(module, x, hx, lengths)
    assert_equal_outputs(output, states, module, x, hx, lengths,
                keras_tolerance("ResetBeforeGRU", dtype, lengths is not None))


@pytest.mark.parametrize("kind", VARIANTS)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("options", OPTIONS)
def test_variants_equal_onnx_runtimes(kind, dtype, options):
    module, x, hx, lengths = make_case(kind, dtype, 2, **options)
    if dtype == np.float32:       # onnxruntime's recurrent kernels are float32 only
        output, *states = run_onnx(module, x, hx, lengths, "onnxruntime")
        assert_equal_outputs(output, states, module, x, hx, lengths, TIGHT[dtype])
    # The reference evaluator ignores sequence_lens and input_forget.
    if lengths is None and kind != "CoupledGateLSTM":
        output, *states = run_onnx(module, x, hx, None, "reference")
        assert_equal_outputs(output, states, module, x, hx, None, TIGHT[dtype])


def test_onnx_attributes_say_which_variant():
    forms = {kind: convert.to_onnx_weights(getattr(lstm_ref, kind)(2, 3, rng=0))[0]
             for kind in VARIANTS}
    assert forms["ResetBeforeGRU"]["attributes"]["linear_before_reset"] == 0
    assert forms["PeepholeLSTM"]["inputs"]["P"].shape == (1, 9)
    assert forms["CoupledGateLSTM"]["attributes"]["input_forget"] == 1
    for kind, layer in forms.items():            # and they come back as the same kind
        back = convert.from_onnx_weights([layer])
        assert type(back).__name__ == kind


def plain_coupled_gate_lstm(x, h, c, W_ih, W_hh, b):
    """CIFG's equations written out over time, one gate matrix at a time."""
    H = h.shape[-1]
    sigma = lambda a: 1 / (1 + np.exp(-a))
    W_i, W_g, W_o = W_ih[:H], W_ih[H:2 * H], W_ih[2 * H:]
    U_i, U_g, U_o = W_hh[:H], W_hh[H:2 * H], W_hh[2 * H:]
    b_i, b_g, b_o = b[:H], b[H:2 * H], b[2 * H:]
    outputs = []
    for x_t in x:
        i = sigma(x_t @ W_i.T + h @ U_i.T + b_i)
        c = (1 - i) * c + i * np.tanh(x_t @ W_g.T + h @ U_g.T + b_g)
        h = sigma(x_t @ W_o.T + h @ U_o.T + b_o) * np.tanh(c)
        outputs.append(h)
    return np.stack(outputs), h, c


def test_coupled_gate_lstm_is_its_equations_written_out():
    cifg = lstm_ref.CoupledGateLSTM(2, 3, dtype=np.float64, rng=4)
    rng = np.random.default_rng(5)
    x, h0, c0 = rng.standard_normal((6, 2, 2)), rng.standard_normal((2, 3)), \
        rng.standard_normal((2, 3))
    output, (h_n, c_n) = cifg(x, (h0[None], c0[None]))
    expected = plain_coupled_gate_lstm(x, h0, c0, cifg.weight_ih_l0, cifg.weight_hh_l0,
                                       cifg.bias_ih_l0 + cifg.bias_hh_l0)
    for got, want in zip((output, h_n[0], c_n[0]), expected):
        np.testing.assert_allclose(got, want, rtol=1e-13, atol=1e-14)


def test_reference_evaluator_ignores_input_forget():
    """Why the coupled-gate LSTM is not compared with ONNX's reference evaluator."""
    cifg = lstm_ref.CoupledGateLSTM(2, 3, dtype=np.float64, rng=4)
    x = np.random.default_rng(0).standard_normal((4, 2, 2))
    output = run_onnx(cifg, x, runtime="reference")[0]
    assert not np.allclose(output, cifg(x)[0], atol=1e-3)


@pytest.mark.parametrize("kind", VARIANTS)
@pytest.mark.parametrize("options", [
    dict(bias=True, bidirectional=True, with_lengths=True),
    dict(bias=False, bidirectional=False, batch_first=True, num_layers=2),
])
def test_gradients_match_finite_differences(kind, options):
    options = dict(dict(num_layers=1, hidden_size=2), **options)
    module, x, hx, lengths = make_case(kind, np.float64, 6, **options)
    output, final, cache = module.forward(x, hx, lengths, return_cache=True)
    rng = np.random.default_rng(8)
    g_out = rng.standard_normal(output.shape)
    g_states = [rng.standard_normal(s.shape) for s in state_list(final)]

    def loss():
        out, last = module(x, hx, lengths)
        return float((out * g_out).sum()
                     + sum((s * g).sum() for s, g in zip(state_list(last), g_states)))

    grad_state = tuple(g_states) if len(g_states) == 2 else g_states[0]
    grads = module.backward(cache, g_out, grad_state)
    inputs = [("input", x)] + [(f"{s}_0", v) for s, v in zip(module.kind.states, state_list(hx))]
    for name, value in list(module.named_parameters()) + inputs:
        np.testing.assert_allclose(grads[name], lstm_ref.numerical_gradient(loss, value),
                                   rtol=1e-6, atol=1e-8, err_msg=name)


def test_reset_before_gru_gradients_equal_autograd_through_keras():
    """torch's autograd through Keras's own reset_after=False loop: an independent backward."""
    module, x, hx, _ = make_case("ResetBeforeGRU", np.float64, 9, num_layers=1,
                                 bidirectional=False, batch_first=True, with_state=True)
    import torch
    layer = convert.to_keras_layers(module)[0]
    inputs = torch.tensor(x, requires_grad=True)
    h0 = torch.tensor(hx[0], requires_grad=True)
    output = layer(inputs, initial_state=[h0])
    g_out = np.random.default_rng(1).standard_normal(output.shape)
    (output * torch.from_numpy(g_out)).sum().backward()
    keras_grads = [variable.value.grad.numpy() for variable in layer.weights]
    as_module = convert.from_keras_weights("ResetBeforeGRU", [keras_grads])

    _, _, cache = module.forward(x, hx, return_cache=True)
    grads = module.backward(cache, g_out)
    for name in ("weight_ih_l0", "weight_hh_l0", "bias_ih_l0"):
        np.testing.assert_allclose(grads[name], getattr(as_module, name), **FLOAT32_LEVEL)
    # Keras has one bias; ours are two that act only through their sum: equal gradients
    np.testing.assert_allclose(grads["bias_hh_l0"], grads["bias_ih_l0"], rtol=1e-14)
    np.testing.assert_allclose(grads["input"], to_numpy(inputs.grad), **FLOAT32_LEVEL)
    np.testing.assert_allclose(grads["h_0"][0], to_numpy(h0.grad), **FLOAT32_LEVEL)


@pytest.mark.parametrize("kind", VARIANTS)
def test_cell_is_one_step_of_the_layer(kind):
    layer = getattr(lstm_ref, kind)(2, 3, dtype=np.float64, rng=3)
    cell = getattr(lstm_ref, kind + "Cell")(2, 3, dtype=np.float64)
    cell.load_state_dict({name[:-3]: value for name, value in layer.state_dict().items()})
    x = np.random.default_rng(0).standard_normal((1, 4, 2))
    output, final = layer(x)
    np.testing.assert_allclose(state_list(cell(x[0]))[0], output[0], rtol=1e-14)


@pytest.mark.parametrize("kind", VARIANTS)
def test_no_torch_module_is_pretended(kind):
    module = getattr(lstm_ref, kind)(2, 3)
    with pytest.raises(ValueError, match=rf"torch.nn has no {kind}; .* would change the output"):
        module.to_torch()
    torch = pytest.importorskip("torch")
    with pytest.raises(ValueError, match=rf"no torch.nn module computes {kind}'s equations"):
        getattr(lstm_ref, kind).from_torch(torch.nn.LSTM(2, 3))


def test_torch_mirrors_keep_torchs_signature():
    import inspect

    import torch
    for name in ("LSTM", "GRU", "RNN"):
        assert type(getattr(lstm_ref, name)).__name__ == "type"
    ours = inspect.signature(lstm_ref.GRU.__init__).parameters
    assert "reset_after" not in ours and "linear_before_reset" not in ours
    assert torch.nn.GRU(2, 3).weight_hh_l0.shape == lstm_ref.GRU(2, 3).weight_hh_l0.shape


def test_variants_refuse_what_keras_and_textbooks_cannot_hold():
    with pytest.raises(TypeError, match=r"module: expected an lstm_ref module of kind"):
        convert.to_keras_weights(lstm_ref.PeepholeLSTM(2, 3))
    before = lstm_ref.ResetBeforeGRU(2, 3, rng=0)
    with pytest.raises(ValueError, match=r"colah's GRU has no biases"):
        convert.to_colah(before)
    gates = convert.to_d2l(before)
    back = convert.from_d2l(gates)
    x = np.random.default_rng(0).standard_normal((4, 1, 2)).astype(np.float32)
    np.testing.assert_allclose(back(x)[0], before(x)[0], rtol=1e-6)
    unbiased = lstm_ref.ResetBeforeGRU(2, 3, bias=False, dtype=np.float64, rng=0)
    colah = convert.to_colah(unbiased)
    # colah's z is the share of the new state: 1 - sigma(a) = sigma(-a)
    np.testing.assert_array_equal(colah["W_z"][:, :3], -lstm_ref.gate_blocks(
        unbiased.weight_hh_l0, "rzn")["z"])
    again = convert.from_colah(colah)
    np.testing.assert_allclose(again(x.astype(np.float64))[0], unbiased(x.astype(np.float64))[0],
                               rtol=1e-13, atol=1e-15)
