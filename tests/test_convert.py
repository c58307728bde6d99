"""Conversions to and from Keras 3, ONNX and the textbooks, proven by running each library."""

import itertools

import numpy as np
import pytest
from convert_helpers import (
    TIGHT,
    assert_equal_outputs,
    keras,
    keras_tolerance,
    make_case,
    onnx_feeds,
    run_keras,
    run_onnx,
    state_list,
    to_numpy,
)

import lstm_ref
from lstm_ref import convert

KINDS = ["LSTM", "GRU", "RNN"]
DTYPES = [np.float64, np.float32]


# kind x dtype x (layers, bidirectional, batch_first, initial state, lengths): each option
# on and off at least once for every kind, without the full product.
SHAPES = [(1, False, True, False, False), (2, True, False, True, True), (2, False, True, True, True),
          (1, True, True, False, True)]
GRID = [(kind, dtype, *shape) for kind, dtype, shape in itertools.product(KINDS, DTYPES, SHAPES)]


@pytest.mark.parametrize("kind, dtype, num_layers, bidirectional, batch_first, with_state, "
                         "with_lengths", GRID)
def test_keras_computes_what_the_module_does(kind, dtype, num_layers, bidirectional, batch_first,
                                              with_state, with_lengths):
    module, x, hx, lengths = make_case(kind, dtype, 1, num_layers, bidirectional, batch_first,
                                       with_state, with_lengths)
    output, states = run_keras(module, x, hx, lengths)
    assert_equal_outputs(output, states, module, x, hx, lengths,
                         keras_tolerance(kind, dtype, lengths is not None))


@pytest.mark.parametrize("kind, dtype, num_layers, bidirectional, batch_first, with_state, "
                         "with_lengths", GRID)
def test_onnx_model_computes_what_the_module_does(kind, dtype, num_layers, bidirectional,
                                                  batch_first, with_state, with_lengths):
    module, x, hx, lengths = make_case(kind, dtype, 2, num_layers, bidirectional, batch_first,
                                       with_state, with_lengths)
    output, *states = run_onnx(module, x, hx, lengths, "onnxruntime") \
        if dtype == np.float32 else (None,)
    if dtype == np.float32:   # onnxruntime's LSTM, GRU and RNN kernels are float32 only
        assert_equal_outputs(output, states, module, x, hx, lengths, TIGHT[dtype])
    if lengths is None:       # the reference evaluator ignores sequence_lens
        output, *states = run_onnx(module, x, hx, None, "reference")
        assert_equal_outputs(output, states, module, x, hx, None, TIGHT[dtype])


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("bidirectional", [False, True])
def test_round_trips_are_exact(kind, bias, bidirectional):
    module = getattr(lstm_ref, kind)(4, 3, num_layers=2, bias=bias, bidirectional=bidirectional,
                                     dtype=np.float64, rng=5)
    state = module.state_dict()
    # ONNX holds both of torch's biases: torch -> ONNX -> torch gives back every array.
    back = convert.from_onnx(convert.to_onnx(module))
    assert type(back) is type(module) and back.options() == module.options()
    for name, value in back.state_dict().items():
        np.testing.assert_array_equal(value, state[name], err_msg=name)
    # Keras: exact from Keras and back; from torch, the LSTM's and RNN's two biases become
    # their sum (the only thing they act through), so the model is kept exactly.
    weights = convert.to_keras_weights(module)
    again = convert.from_keras_weights(kind, weights, bidirectional=bidirectional)
    for ours, theirs in zip(weights, convert.to_keras_weights(again), strict=True):
        for a, b in zip(ours, theirs, strict=True):
            np.testing.assert_array_equal(a, b)
    for name, value in again.state_dict().items():
        if kind == "GRU" or not name.startswith("bias"):
            np.testing.assert_array_equal(value, state[name], err_msg=name)
    if bias and kind != "GRU":
        np.testing.assert_array_equal(again.bias_ih_l0 + again.bias_hh_l0,
                                      module.bias_ih_l0 + module.bias_hh_l0)


@pytest.mark.parametrize("kind", ["LSTM", "GRU", "RNN"])
def test_keras_model_converts_back_with_its_sizes(kind):
    """from_keras reads kind, sizes, directions, bias and dropout off a Keras model."""
    layer = {"LSTM": keras.layers.LSTM, "GRU": keras.layers.GRU,
             "RNN": keras.layers.SimpleRNN}[kind]
    model = keras.Sequential([
        keras.Input((None, 3)),
        keras.layers.Bidirectional(layer(4, return_sequences=True, use_bias=False)),
        keras.layers.Dropout(0.25),
        keras.layers.Bidirectional(layer(4, return_sequences=True, use_bias=False)),
    ])
    module = convert.from_keras(model)
    assert type(module).__name__ == kind
    assert module.options() | {"nonlinearity": None} == dict(
        input_size=3, hidden_size=4, num_layers=2, bias=False, batch_first=True, dropout=0.25,
        bidirectional=True, **({"proj_size": 0} if kind == "LSTM" else {}),
        **({"nonlinearity": None}))
    x = np.random.default_rng(0).standard_normal((2, 5, 3)).astype(np.float32)
    np.testing.assert_allclose(to_numpy(model(x)), module(x)[0],
                               **TIGHT[np.float32])


def test_gate_orders_are_the_frameworks():
    """The tables, checked by the parameters' names the libraries themselves give."""
    assert convert.gate_order("LSTM", "torch") == "ifgo"
    assert convert.gate_order("LSTM", "keras", spelled=True) == "ifco"
    assert convert.gate_order("LSTM", "onnx", spelled=True) == "iofc"
    assert convert.gate_order("GRU", "torch") == "rzn"
    assert convert.gate_order("GRU", "keras", spelled=True) == "zrh"
    assert convert.gate_order("GRU", "onnx", spelled=True) == "zrh"
    import onnx
    lstm_doc = onnx.defs.get_schema("LSTM").doc
    assert "`W[iofc]`" in lstm_doc and "`W[zrh]`" in onnx.defs.get_schema("GRU").doc


@pytest.mark.parametrize("layout", [0, 1])
@pytest.mark.parametrize("kind", KINDS)
def test_single_operator_with_either_layout(kind, layout):
    """W, R, B of one layer run as a bare operator, time-major or batch-major."""
    from onnx import TensorProto, helper
    from onnx.reference import ReferenceEvaluator

    module = getattr(lstm_ref, kind)(3, 2, bidirectional=True, batch_first=bool(layout),
                                     dtype=np.float64, rng=3)
    layer = convert.to_onnx_weights(module)[0]
    names = list(layer["inputs"])
    node = helper.make_node(layer["op_type"], ["X", *names], ["Y", "Y_h"],
                            layout=layout, **layer["attributes"])
    graph = helper.make_graph(
        [node], "one", [helper.make_tensor_value_info("X", TensorProto.DOUBLE, None)],
        [helper.make_tensor_value_info(n, TensorProto.DOUBLE, None) for n in ("Y", "Y_h")],
        [helper.make_tensor(n, TensorProto.DOUBLE, v.shape, v.ravel()) for n, v in
         layer["inputs"].items()])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", convert.ONNX_OPSET)])
    x = np.random.default_rng(0).standard_normal((4, 5, 3))
    Y, Y_h = ReferenceEvaluator(model).run(None, {"X": x})
    output, final = module(x)
    h_n = state_list(final)[0]
    # Y: (L, D, N, H) or, with layout=1, (N, L, D, H)
    Y = Y if layout else Y.transpose(0, 2, 1, 3)
    np.testing.assert_allclose(Y.reshape(output.shape), output, **TIGHT[np.float64])
    np.testing.assert_allclose(Y_h.transpose(1, 0, 2) if layout else Y_h, h_n,
                               **TIGHT[np.float64])


@pytest.mark.parametrize("notation", ["colah", "d2l"])
@pytest.mark.parametrize("kind", ["LSTM", "RNN"])
def test_textbook_forms_round_trip_and_compute_the_same(notation, kind):
    to, back = getattr(convert, f"to_{notation}"), getattr(convert, f"from_{notation}")
    module = getattr(lstm_ref, kind)(3, 4, num_layers=2, bidirectional=True, dtype=np.float64,
                                     rng=9)
    layers = [[to(module, layer, d) for d in range(2)] for layer in range(2)]
    rebuilt = back(layers)
    x = np.random.default_rng(1).standard_normal((5, 2, 3))
    np.testing.assert_allclose(rebuilt(x)[0], module(x)[0], rtol=1e-13, atol=1e-14)
    for layer in range(2):
        for d in range(2):
            for name, value in to(rebuilt, layer, d).items():
                np.testing.assert_array_equal(value, layers[layer][d][name], err_msg=name)


def test_colah_lstm_gate_is_sigma_of_W_times_h_x():
    """colah's f_t = sigma(W_f . [h_{t-1}, x_t] + b_f), evaluated from to_colah's arrays."""
    cell_module = lstm_ref.LSTM(3, 2, dtype=np.float64, rng=4)
    gates = convert.to_colah(cell_module)
    x, h, c = np.array([0.5, -1.0, 2.0]), np.array([0.1, 0.3]), np.array([-0.2, 0.4])
    hx = np.concatenate([h, x])
    sigma = lambda a: 1 / (1 + np.exp(-a))  # noqa: E731
    f = sigma(gates["W_f"] @ hx + gates["b_f"])
    i = sigma(gates["W_i"] @ hx + gates["b_i"])
    C_tilde = np.tanh(gates["W_C"] @ hx + gates["b_C"])
    o = sigma(gates["W_o"] @ hx + gates["b_o"])
    C = f * c + i * C_tilde
    _, (h_n, c_n) = cell_module(x[np.newaxis, np.newaxis], (h[None, None], c[None, None]))
    np.testing.assert_allclose(c_n[0, 0], C, rtol=1e-13)
    np.testing.assert_allclose(h_n[0, 0], o * np.tanh(C), rtol=1e-13)


# -- what a target cannot hold is refused ---------------------------------------------

@pytest.mark.parametrize("call, match", [
    (lambda: convert.to_keras_weights(lstm_ref.LSTM(3, 4, proj_size=2)),
     r"Keras's LSTM has no projection; expected proj_size=0, got proj_size=2"),
    (lambda: convert.to_onnx(lstm_ref.LSTM(3, 4, proj_size=2)),
     r"ONNX's LSTM has no projection"),
    (lambda: convert.to_colah(lstm_ref.GRU(3, 4)), r"reset gate before the product"),
    (lambda: convert.to_d2l(lstm_ref.GRU(3, 4)), r"got GRU"),
    (lambda: convert.to_colah(lstm_ref.LSTM(3, 4), layer=1), r"layer: expected an integer in"),
    (lambda: convert.from_keras_weights("GRU", [[np.ones((3, 6)), np.ones((2, 6)), np.ones(6)]]),
     r"bias: expected shape \(2, 6\) \(reset_after=True"),
    (lambda: convert.from_keras_weights("LSTM", [[np.ones((3, 6)), np.ones((2, 6))]]),
     r"kernel: expected \(input_size, 4 \* units\)"),
    (lambda: convert.from_keras_weights("LSTM", [[np.ones((3, 8)), np.ones((2, 8))],
                                                 [np.ones((3, 8)), np.ones((2, 8))]]),
     r"weight_ih_l1: expected shape \(8, 2\)"),
    (lambda: convert.from_keras_weights("Peephole", []), r"kind: expected one of"),
    (lambda: convert.to_keras_weights(object()), r"module: expected an lstm_ref module"),
    (lambda: convert.from_d2l({"W_xi": np.ones((2, 2))}), r"gates: expected d2l's keys"),
    (lambda: convert.reorder(np.ones(6), "ifgo", "iofg"), r"divisible into 4 blocks"),
    (lambda: convert.gate_order("LSTM", "caffe"), r"framework: expected one of"),
    (lambda: convert.to_onnx(lstm_ref.GRU(3, 4), lengths=1), r"lengths: expected True or False"),
    (lambda: convert.from_keras_weights("GRU", [], bidirectional="yes"),
     r"bidirectional: expected True or False"),
])
def test_what_cannot_be_represented_is_refused(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()


def _onnx_layer(op_type="LSTM", **attributes):
    module = lstm_ref.LSTM(3, 2, rng=0) if op_type == "LSTM" else lstm_ref.GRU(3, 2, rng=0)
    layer = convert.to_onnx_weights(module)[0]
    layer["attributes"].update(attributes)
    return layer


@pytest.mark.parametrize("layer, match", [
    (_onnx_layer(clip=3.0), r"expected no 'clip' attribute"),
    (_onnx_layer(activations=["Sigmoid", "Tanh", "Relu"]), r"expected the default activations"),
    (_onnx_layer(direction="reverse"), r"no lone reverse direction"),
    (_onnx_layer("GRU", activation_alpha=[0.5]), r"activation_alpha"),
    (_onnx_layer(layout=2), r"expected layout 0 \(time-major\) or 1"),
])
def test_onnx_operators_torch_cannot_compute_are_refused(layer, match):
    with pytest.raises(ValueError, match=match):
        convert.from_onnx_weights([layer])


@pytest.mark.parametrize("make, match", [
    (lambda: keras.layers.Bidirectional(keras.layers.LSTM(2), merge_mode="sum"),
     r"merge_mode='concat'"),
    (lambda: keras.layers.LSTM(2, activation="relu"), r"expected activation='tanh'"),
    (lambda: keras.layers.GRU(2, recurrent_activation="hard_sigmoid"),
     r"expected recurrent_activation='sigmoid'"),
    (lambda: keras.layers.SimpleRNN(2, activation="sigmoid"), r"'tanh' or 'relu'"),
    (lambda: keras.layers.LSTM(2, go_backwards=True), r"go_backwards=False"),
    (lambda: keras.layers.Dense(2), r"expected keras.layers.LSTM, GRU, SimpleRNN"),
])
def test_keras_layers_torch_cannot_compute_are_refused(make, match):
    layer = make()
    layer.build((None, None, 3))
    with pytest.raises(ValueError, match=match):
        convert.from_keras([layer])


def test_keras_never_needs_tensorflow():
    import importlib.util
    assert keras.backend.backend() == "torch"
    assert importlib.util.find_spec("tensorflow") is None


def test_onnx_model_is_valid_and_states_its_opset():
    import onnx
    model = convert.to_onnx(lstm_ref.GRU(3, 2, 3, rng=0), initial_state=True, lengths=True)
    onnx.checker.check_model(model, full_check=True)
    assert [o.version for o in model.opset_import] == [convert.ONNX_OPSET]
    assert [n.op_type for n in model.graph.node].count("GRU") == 3
    assert [i.name for i in model.graph.input] == ["input", "h_0", "lengths"]
    assert onnx_feeds is not None
