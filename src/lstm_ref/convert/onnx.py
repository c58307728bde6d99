"""To and from ONNX: the ``LSTM``, ``GRU`` and ``RNN`` operators' inputs, and whole models.

Each operator holds one layer, both directions stacked on a leading axis::

    W  (num_directions, G * H, input_size)   rows in ONNX's gate order
    R  (num_directions, G * H, H)
    B  (num_directions, 2 * G * H)           [input biases | recurrent biases]
    P  (num_directions, 3 * H)               LSTM peepholes, in the order i, o, f

with the gate orders of :data:`~lstm_ref.convert.tables.GATE_ORDER` (``iofc`` and ``zrh``). torch's
GRU is ONNX's ``linear_before_reset=1``; the default 0 is the GRU with the
reset gate before the product (:class:`lstm_ref.ResetBeforeGRU`). The plain
RNN's nonlinearity is the operator's ``activations``.

:func:`to_onnx` writes a whole multi-layer module as an ONNX model: one
operator per layer, ``Transpose`` and ``Reshape`` between them to
concatenate the directions as torch does, the initial states sliced per
layer, and ``sequence_lens`` fed from an optional ``lengths`` input.
"""

import numpy as np

from .. import _checks
from ._modules import build_module, directions_of, module_kind
from .tables import GATE_ORDER, reorder

__all__ = ["ONNX_OPSET", "to_onnx_weights", "from_onnx_weights", "to_onnx", "from_onnx"]

#: The opset :func:`to_onnx` writes (``LSTM``/``GRU``/``RNN`` version 14, with ``layout``).
ONNX_OPSET = 21

# lstm_ref class -> (ONNX operator, torch kind for the tables, fixed attributes)
_ONNX_FORM = {
    "LSTM": ("LSTM", "LSTM", {}),
    "PeepholeLSTM": ("LSTM", "LSTM", {}),
    "CoupledGateLSTM": ("LSTM", "LSTM", {"input_forget": 1}),
    "GRU": ("GRU", "GRU", {"linear_before_reset": 1}),
    "ResetBeforeGRU": ("GRU", "GRU", {"linear_before_reset": 0}),
    "RNN": ("RNN", "RNN", {}),
}
_DEFAULT_ACTIVATIONS = {"LSTM": ["Sigmoid", "Tanh", "Tanh"], "GRU": ["Sigmoid", "Tanh"]}
_RNN_ACTIVATIONS = {"tanh": "Tanh", "relu": "Relu"}
_PEEPHOLES = ("weight_ci", "weight_co", "weight_cf")        # ONNX's P: i, o, f


def _refuse_unrepresentable(module):
    if getattr(module, "proj_size", 0):
        raise ValueError(
            f"module: ONNX's LSTM has no projection; expected proj_size=0, "
            f"got proj_size={module.proj_size}")


def _direction_to_onnx(kind, params):
    """W, R, B (and P) rows of one direction, in ONNX's order."""
    torch_kind = _ONNX_FORM[kind][1]
    torch_order, onnx_order = GATE_ORDER[torch_kind]["torch"], GATE_ORDER[torch_kind]["onnx"]
    if kind == "CoupledGateLSTM":       # no forget rows of its own: ONNX ignores them
        params = dict(params)
        for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            if params.get(name) is not None:
                i, g, o = np.split(params[name], 3, axis=0)
                params[name] = np.concatenate([i, np.zeros_like(i), g, o], axis=0)
    arrays = {"W": reorder(params["weight_ih"], torch_order, onnx_order),
              "R": reorder(params["weight_hh"], torch_order, onnx_order)}
    if params.get("bias_ih") is not None:
        arrays["B"] = np.concatenate([reorder(params["bias_ih"], torch_order, onnx_order),
                                      reorder(params["bias_hh"], torch_order, onnx_order)])
    if kind == "PeepholeLSTM":
        arrays["P"] = np.concatenate([params[name] for name in _PEEPHOLES])
    return arrays


def _attributes(module, kind):
    attributes = dict(_ONNX_FORM[kind][2], hidden_size=module.hidden_size,
                      direction="bidirectional" if module.bidirectional else "forward")
    if kind == "RNN":
        attributes["activations"] = [_RNN_ACTIVATIONS[module.nonlinearity]] * module.num_directions
    return attributes


def to_onnx_weights(module):
    """Each layer's operator: its inputs ``W``, ``R``, ``B`` (and ``P``) and its attributes.

    Parameters
    ----------
    module : lstm_ref.layer.RecurrentLayer
        The layer to convert: an :class:`~lstm_ref.LSTM`, :class:`~lstm_ref.GRU`,
        :class:`~lstm_ref.RNN`, :class:`~lstm_ref.PeepholeLSTM`,
        :class:`~lstm_ref.CoupledGateLSTM` or :class:`~lstm_ref.ResetBeforeGRU`;
        the variants map to the operators' options (``P``, ``input_forget=1``,
        ``linear_before_reset=0``).

    Returns
    -------
    list of dict
        One dict per layer with ``op_type`` (``"LSTM"``, ``"GRU"``, ``"RNN"``),
        ``inputs`` (name -> array, directions on axis 0) and ``attributes``.

    Raises
    ------
    TypeError
        If ``module`` is not one of those kinds.
    ValueError
        For what ONNX cannot hold (an LSTM with ``proj_size > 0``).

    Examples
    --------
    >>> import lstm_ref
    >>> from lstm_ref.convert import to_onnx_weights
    >>> layer = to_onnx_weights(lstm_ref.GRU(3, 2, bidirectional=True, rng=0))[0]
    >>> layer["op_type"], {k: v.shape for k, v in layer["inputs"].items()}
    ('GRU', {'W': (2, 6, 3), 'R': (2, 6, 2), 'B': (2, 12)})
    >>> layer["attributes"]
    {'linear_before_reset': 1, 'hidden_size': 2, 'direction': 'bidirectional'}
    """
    kind = module_kind(module, tuple(_ONNX_FORM))
    _refuse_unrepresentable(module)
    layers = []
    for per_direction in directions_of(module):
        arrays = [_direction_to_onnx(kind, params) for params in per_direction]
        inputs = {name: np.stack([a[name] for a in arrays]) for name in arrays[0]}
        layers.append({"op_type": _ONNX_FORM[kind][0], "inputs": inputs,
                       "attributes": _attributes(module, kind)})
    return layers


def _kind_of_operator(op_type, inputs, attributes, where):
    """The lstm_ref class one ONNX recurrent operator corresponds to, or a ValueError."""
    for name in ("clip", "activation_alpha", "activation_beta"):
        if attributes.get(name) is not None:
            raise ValueError(f"{where}: expected no {name!r} attribute (torch has no "
                             f"counterpart), got {name}={attributes[name]!r}")
    if attributes.get("direction", "forward") == "reverse":
        raise ValueError(f"{where}: expected direction 'forward' or 'bidirectional'; torch has "
                         f"no lone reverse direction, got 'reverse'")
    if attributes.get("layout", 0) not in (0, 1):   # the weights do not depend on it
        raise ValueError(f"{where}: expected layout 0 (time-major) or 1 (batch-major), "
                         f"got layout={attributes['layout']}")
    directions = 2 if attributes.get("direction") == "bidirectional" else 1
    activations = attributes.get("activations")
    if op_type == "RNN":
        expected = [["Tanh"] * directions, ["Relu"] * directions]
        if activations is not None and list(activations) not in expected:
            raise ValueError(f"{where}: expected activations {expected[0]} or {expected[1]}, "
                             f"got {list(activations)}")
        return "RNN"
    if op_type not in _DEFAULT_ACTIVATIONS:
        raise ValueError(f"{where}: expected an LSTM, GRU or RNN operator, got {op_type!r}")
    default = _DEFAULT_ACTIVATIONS[op_type] * directions
    if activations is not None and list(activations) != default:
        raise ValueError(f"{where}: expected the default activations {default}, "
                         f"got {list(activations)}")
    if op_type == "GRU":
        return "GRU" if attributes.get("linear_before_reset", 0) else "ResetBeforeGRU"
    coupled = bool(attributes.get("input_forget", 0))
    peephole = inputs.get("P") is not None and np.any(inputs["P"])
    if coupled and peephole:
        raise ValueError(f"{where}: expected peepholes or input_forget=1, not both; lstm_ref "
                         f"has no coupled LSTM with peepholes")
    return "CoupledGateLSTM" if coupled else "PeepholeLSTM" if peephole else "LSTM"


def _direction_from_onnx(kind, inputs, direction, where):
    torch_kind = _ONNX_FORM[kind][1]
    torch_order, onnx_order = GATE_ORDER[torch_kind]["torch"], GATE_ORDER[torch_kind]["onnx"]
    W, R = (np.asarray(inputs[name])[direction] for name in ("W", "R"))
    rows = W.shape[0]
    if R.shape[0] != rows:
        raise ValueError(f"{where} R: expected {rows} rows like W, got shape {R.shape}")
    params = {"weight_ih": reorder(W, onnx_order, torch_order),
              "weight_hh": reorder(R, onnx_order, torch_order)}
    if inputs.get("B") is not None:
        B = np.asarray(inputs["B"])[direction]
        if B.shape != (2 * rows,):
            raise ValueError(f"{where} B: expected shape (num_directions, {2 * rows}), got "
                             f"{np.shape(inputs['B'])}")
        params["bias_ih"] = reorder(B[:rows], onnx_order, torch_order)
        params["bias_hh"] = reorder(B[rows:], onnx_order, torch_order)
    if kind == "PeepholeLSTM":
        P = np.asarray(inputs["P"])[direction]
        if P.shape != (3 * rows // 4,):
            raise ValueError(f"{where} P: expected shape (num_directions, {3 * rows // 4}), "
                             f"got {np.shape(inputs['P'])}")
        params.update(zip(_PEEPHOLES, np.split(P, 3)))
    if kind == "CoupledGateLSTM":       # ONNX ignores the forget rows: keep i, g, o
        for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            if name in params:
                i, _, g, o = np.split(params[name], 4, axis=0)
                params[name] = np.concatenate([i, g, o], axis=0)
    return params


def from_onnx_weights(layers, *, batch_first=False):
    """Build an lstm_ref module from recurrent operators' inputs and attributes.

    Parameters
    ----------
    layers : list of dict
        One per layer, as :func:`to_onnx_weights` gives: ``op_type``, ``inputs``
        (``W``, ``R``, optional ``B`` and ``P``) and ``attributes``.
    batch_first : bool, optional
        The module's layout (the operators' ``layout`` does not change their weights).
        Default False.

    Returns
    -------
    lstm_ref.layer.RecurrentLayer
        An :class:`~lstm_ref.LSTM`, :class:`~lstm_ref.GRU` or :class:`~lstm_ref.RNN`,
        or a variant: :class:`~lstm_ref.ResetBeforeGRU` for
        ``linear_before_reset=0``, :class:`~lstm_ref.PeepholeLSTM` for a non-zero ``P``,
        :class:`~lstm_ref.CoupledGateLSTM` for ``input_forget=1``. Sizes are read
        from ``W`` and ``R``.

    Raises
    ------
    ValueError
        For what no lstm_ref module computes: ``clip``, other activations,
        a lone reverse direction, mixed operators or sizes.

    Examples
    --------
    >>> import lstm_ref
    >>> from lstm_ref.convert import from_onnx_weights, to_onnx_weights
    >>> from_onnx_weights(to_onnx_weights(lstm_ref.CoupledGateLSTM(3, 2, rng=0)))
    CoupledGateLSTM(input_size=3, hidden_size=2, num_layers=1, bias=True, \
batch_first=False, dropout=0.0, bidirectional=False, dtype=float32)
    """
    batch_first = _checks.flag("batch_first", batch_first)
    if not isinstance(layers, (list, tuple)) or not layers:
        raise ValueError(f"layers: expected a non-empty list of operators, got {layers!r}")
    kinds, built, nonlinearities = set(), [], set()
    for index, layer in enumerate(layers):
        where = f"layers[{index}] ({layer.get('op_type')})"
        inputs, attributes = layer["inputs"], layer.get("attributes", {})
        kind = _kind_of_operator(layer.get("op_type"), inputs, attributes, where)
        kinds.add(kind)
        if kind == "RNN":
            nonlinearities.add((attributes.get("activations") or ["Tanh"])[0])
        directions = np.shape(inputs["W"])[0]
        expected = 2 if attributes.get("direction") == "bidirectional" else 1
        if directions != expected:
            raise ValueError(f"{where} W: expected {expected} direction(s) on axis 0 for "
                             f"direction={attributes.get('direction', 'forward')!r}, got "
                             f"shape {np.shape(inputs['W'])}")
        built.append([_direction_from_onnx(kind, inputs, d, where) for d in range(directions)])
    if len(kinds) != 1 or len(nonlinearities) > 1:
        raise ValueError(f"layers: expected every operator of one kind, got "
                         f"{sorted(kinds)} {sorted(nonlinearities)}".rstrip())
    kind = kinds.pop()
    extra = {"batch_first": batch_first}
    if kind == "RNN":
        extra["nonlinearity"] = {v: k for k, v in _RNN_ACTIVATIONS.items()}[
            nonlinearities.pop()]
    return build_module(kind, built, extra)


# -- whole models --------------------------------------------------------------------

def to_onnx(module, *, initial_state=False, lengths=False, opset=ONNX_OPSET):
    """An ONNX model computing ``module``: one recurrent operator per layer.

    Parameters
    ----------
    module : lstm_ref.layer.RecurrentLayer
        The layer to convert, of a kind :func:`to_onnx_weights` takes.
    initial_state : bool, optional
        Add the inputs ``h_0`` (and ``c_0``), shaped as the module takes them:
        ``(num_layers * num_directions, N, H)``. Default False.
    lengths : bool, optional
        Add an ``int32`` input ``lengths`` of shape ``(N,)``, fed to every
        operator's ``sequence_lens`` (torch's packed-sequence result). Default False.
    opset : int, optional
        The ONNX opset (14 or later, for the operators' ``layout``). Default
        :data:`ONNX_OPSET`.

    Returns
    -------
    onnx.ModelProto
        Inputs ``input`` (in the module's layout), then ``h_0``, ``c_0``,
        ``lengths`` as asked; outputs ``output``, ``h_n`` and, for LSTMs, ``c_n``,
        in the module's shapes. The operators run time-major (``layout=0``);
        a batch-first module gets a ``Transpose`` at each end.

    Raises
    ------
    TypeError
        If ``module`` is not one of the kinds :func:`to_onnx_weights` takes.
    ValueError
        For an ``opset`` before 14, or what ONNX cannot hold (an LSTM with
        ``proj_size > 0``).

    Examples
    --------
    >>> import numpy as np
    >>> import lstm_ref
    >>> from lstm_ref.convert import to_onnx
    >>> from onnx.reference import ReferenceEvaluator
    >>> gru = lstm_ref.GRU(3, 2, num_layers=2, bidirectional=True, dtype=np.float64, rng=0)
    >>> x = np.random.default_rng(0).standard_normal((5, 4, 3))
    >>> output, h_n = ReferenceEvaluator(to_onnx(gru)).run(None, {"input": x})
    >>> bool(np.allclose(output, gru(x)[0], rtol=1e-12, atol=1e-12))
    True
    """
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    initial_state = _checks.flag("initial_state", initial_state)
    lengths = _checks.flag("lengths", lengths)
    if isinstance(opset, bool) or not isinstance(opset, int) or opset < 14:
        raise ValueError(f"opset: expected an integer >= 14 (layout attribute), got {opset!r}")
    layers = to_onnx_weights(module)
    kind = type(module).__name__
    elem = helper.np_dtype_to_tensor_dtype(module.dtype)
    states = ["h"] + (["c"] if layers[0]["op_type"] == "LSTM" else [])
    D, H = module.num_directions, module.hidden_size
    leading = module.num_layers * D
    nodes, initializers = [], []

    def constant(name, value):
        initializers.append(numpy_helper.from_array(np.asarray(value), name))
        return name

    layout = ["N", "L"] if module.batch_first else ["L", "N"]
    graph_inputs = [helper.make_tensor_value_info("input", elem, layout + [module.input_size])]
    for s in states if initial_state else []:
        graph_inputs.append(helper.make_tensor_value_info(f"{s}_0", elem, [leading, "N", H]))
    if lengths:
        graph_inputs.append(helper.make_tensor_value_info("lengths", TensorProto.INT32, ["N"]))

    x = "input"
    if module.batch_first:
        nodes.append(helper.make_node("Transpose", [x], ["input_time_major"], perm=[1, 0, 2]))
        x = "input_time_major"
    flatten = constant("flat_shape", np.array([0, 0, -1], np.int64))
    finals = {s: [] for s in states}
    for index, layer in enumerate(layers):
        names = [constant(f"{name}_l{index}", value.astype(module.dtype))
                 for name, value in layer["inputs"].items() if name != "P"]
        if "B" not in layer["inputs"]:
            names.append("")
        state_inputs = []
        for s in states:
            if initial_state:
                sliced = f"{s}_0_l{index}"
                nodes.append(helper.make_node(
                    "Slice", [f"{s}_0", constant(f"{s}_start_l{index}", [index * D]),
                              constant(f"{s}_end_l{index}", [(index + 1) * D]),
                              constant(f"{s}_axis_l{index}", [0])], [sliced]))
                state_inputs.append(sliced)
            else:
                state_inputs.append("")
        op_inputs = [x, *names[:2], names[2], "lengths" if lengths else "", *state_inputs]
        if "P" in layer["inputs"]:
            op_inputs.append(constant(f"P_l{index}", layer["inputs"]["P"].astype(module.dtype)))
        outputs = [f"Y_l{index}"] + [f"Y_{s}_l{index}" for s in states]
        nodes.append(helper.make_node(layer["op_type"], op_inputs, outputs,
                                      name=f"{layer['op_type']}_l{index}",
                                      **layer["attributes"]))
        # Y is (L, D, N, H): torch concatenates the directions per step, (L, N, D * H)
        nodes.append(helper.make_node("Transpose", [outputs[0]], [f"Y_t_l{index}"],
                                      perm=[0, 2, 1, 3]))
        nodes.append(helper.make_node("Reshape", [f"Y_t_l{index}", flatten], [f"out_l{index}"]))
        x = f"out_l{index}"
        for s, name in zip(states, outputs[1:]):
            finals[s].append(name)
    if module.batch_first:
        nodes.append(helper.make_node("Transpose", [x], ["output"], perm=[1, 0, 2]))
    else:
        nodes.append(helper.make_node("Identity", [x], ["output"]))
    graph_outputs = [helper.make_tensor_value_info("output", elem, layout + [D * H])]
    for s in states:
        nodes.append(helper.make_node("Concat", finals[s], [f"{s}_n"], axis=0))
        graph_outputs.append(helper.make_tensor_value_info(f"{s}_n", elem, [leading, "N", H]))
    graph = helper.make_graph(nodes, f"lstm_ref_{kind}", graph_inputs, graph_outputs,
                              initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)],
                              producer_name="lstm_ref")
    onnx.checker.check_model(model, full_check=True)
    return model


def from_onnx(model, *, batch_first=False):
    """Read the recurrent operators of an ONNX model, in node order, into an lstm_ref module.

    Each ``LSTM``, ``GRU`` or ``RNN`` node is one layer; its ``W``, ``R``, ``B``
    and ``P`` must be initializers (constants). Only the operators are read,
    not the wiring between them: the model must be a stack of layers, as
    :func:`to_onnx` writes.

    Parameters
    ----------
    model : onnx.ModelProto
        A model whose ``LSTM``, ``GRU`` or ``RNN`` nodes are the layers, first layer first.
    batch_first : bool, optional
        The module's layout (the operators' ``layout`` does not change their
        weights). Default False.

    Returns
    -------
    lstm_ref.layer.RecurrentLayer
        As :func:`from_onnx_weights` builds it from the nodes' weights and
        attributes.

    Raises
    ------
    ValueError
        If a weight is not a constant, or for what :func:`from_onnx_weights` refuses.

    Examples
    --------
    >>> import numpy as np
    >>> import lstm_ref
    >>> from lstm_ref.convert import from_onnx, to_onnx
    >>> peephole = lstm_ref.PeepholeLSTM(3, 2, num_layers=2, rng=0)
    >>> back = from_onnx(to_onnx(peephole))
    >>> type(back).__name__, back.num_layers
    ('PeepholeLSTM', 2)
    >>> all(np.array_equal(value, back.state_dict()[name])
    ...     for name, value in peephole.state_dict().items())
    True
    """
    from onnx import helper, numpy_helper

    graph = model.graph
    constants = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
    layers = []
    for node in graph.node:
        if node.op_type not in ("LSTM", "GRU", "RNN"):
            continue
        inputs = {}
        slots = ["X", "W", "R", "B", "sequence_lens", "initial_h", "initial_c", "P"]
        for slot, name in zip(slots, node.input):
            if slot not in ("W", "R", "B", "P") or not name:
                continue
            if name not in constants:
                raise ValueError(f"node {node.name!r}: expected {slot} to be an initializer "
                                 f"(a constant weight), got the computed value {name!r}")
            inputs[slot] = constants[name]
        attributes = {a.name: helper.get_attribute_value(a) for a in node.attribute}
        for key, value in attributes.items():
            if isinstance(value, bytes):
                attributes[key] = value.decode()
            elif isinstance(value, list) and value and isinstance(value[0], bytes):
                attributes[key] = [v.decode() for v in value]
        layers.append({"op_type": node.op_type, "inputs": inputs, "attributes": attributes})
    if not layers:
        raise ValueError("model: expected at least one LSTM, GRU or RNN node, got none")
    return from_onnx_weights(layers, batch_first=batch_first)
