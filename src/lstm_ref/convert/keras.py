"""To and from Keras 3: the ``get_weights()`` / ``set_weights()`` lists of its recurrent layers.

Keras keeps one layer per torch layer, and per direction (``Bidirectional``
holds a forward and a backward layer; its weight list is the forward layer's
followed by the backward layer's). Each list is::

    LSTM, SimpleRNN, GRU(reset_after=False):  [kernel, recurrent_kernel, bias]
    GRU(reset_after=True):                    [kernel, recurrent_kernel, bias (2, 3H)]

with ``kernel = W_ih^T`` (columns are gates, in
:data:`~lstm_ref.convert.tables.GATE_ORDER`),
``recurrent_kernel = W_hh^T``; without ``use_bias`` the bias is absent. The
LSTM and the plain RNN have one bias, torch two that only act through their
sum: to Keras the sum goes, from Keras it becomes ``bias_ih`` with
``bias_hh = 0``. The reset-after GRU keeps both biases (row 0 is the input
bias, row 1 the recurrent one), so it converts exactly both ways. Keras is
batch-major, and its ``z_t`` is torch's (``h_t = z_t h_{t-1} + (1 - z_t) n_t``).

Nothing here imports Keras except :func:`to_keras_layers`, :func:`to_keras` and
:func:`from_keras`, which handle Keras objects; the weight lists are plain arrays.
"""

import numpy as np

from .. import _checks
from ._modules import build_module, directions_of, module_kind
from .tables import GATE_ORDER, reorder

__all__ = ["to_keras_weights", "from_keras_weights", "to_keras_layers", "to_keras",
           "from_keras"]

# lstm_ref class -> (torch gate order, Keras class, Keras options that select that form)
_KERAS_FORM = {
    "LSTM": ("LSTM", {}),
    "GRU": ("GRU", {"reset_after": True}),
    "ResetBeforeGRU": ("GRU", {"reset_after": False}),
    "RNN": ("SimpleRNN", {}),
}
_TORCH_KIND = {"LSTM": "LSTM", "GRU": "GRU", "ResetBeforeGRU": "GRU", "RNN": "RNN"}


def _orders(kind):
    orders = GATE_ORDER[_TORCH_KIND[kind]]
    return orders["torch"], orders["keras"]


def _refuse_unrepresentable(module, kind):
    if getattr(module, "proj_size", 0):
        raise ValueError(
            f"module: Keras's LSTM has no projection; expected proj_size=0, "
            f"got proj_size={module.proj_size}")


def _direction_to_keras(kind, params):
    torch_order, keras_order = _orders(kind)
    kernel = reorder(params["weight_ih"], torch_order, keras_order).T.copy()
    recurrent = reorder(params["weight_hh"], torch_order, keras_order).T.copy()
    if params.get("bias_ih") is None:
        return [kernel, recurrent]
    b_ih = reorder(params["bias_ih"], torch_order, keras_order)
    b_hh = reorder(params["bias_hh"], torch_order, keras_order)
    if kind == "GRU":               # reset after the product: both biases are kept
        return [kernel, recurrent, np.stack([b_ih, b_hh])]
    return [kernel, recurrent, b_ih + b_hh]


def to_keras_weights(module):
    """The ``set_weights`` list of each layer of ``module``, for the Keras form of its kind.

    Parameters
    ----------
    module : lstm_ref.LSTM, lstm_ref.GRU, lstm_ref.RNN or lstm_ref.ResetBeforeGRU
        The layer to convert. The GRU maps to ``keras.layers.GRU(reset_after=True)``, the
        reset-before GRU to ``reset_after=False``, the RNN to ``SimpleRNN``.

    Returns
    -------
    list of list of numpy.ndarray
        One list per layer; a bidirectional layer's list is the forward
        direction's arrays followed by the reverse direction's, as
        ``keras.layers.Bidirectional.set_weights`` takes them.

    Raises
    ------
    TypeError
        If ``module`` is not one of those kinds.
    ValueError
        If it has what Keras cannot hold (an LSTM with ``proj_size > 0``).

    Examples
    --------
    >>> import lstm_ref
    >>> from lstm_ref.convert import to_keras_weights
    >>> gru = lstm_ref.GRU(3, 2, num_layers=2, rng=0)
    >>> [[w.shape for w in layer] for layer in to_keras_weights(gru)]
    [[(3, 6), (2, 6), (2, 6)], [(2, 6), (2, 6), (2, 6)]]
    """
    kind = module_kind(module, tuple(_KERAS_FORM))
    _refuse_unrepresentable(module, kind)
    return [[array for params in layer for array in _direction_to_keras(kind, params)]
            for layer in directions_of(module)]


def _direction_from_keras(kind, arrays, where):
    torch_order, keras_order = _orders(kind)
    gates = len(torch_order)
    if len(arrays) not in (2, 3):
        raise ValueError(
            f"{where}: expected [kernel, recurrent_kernel] or [kernel, recurrent_kernel, bias], "
            f"got {len(arrays)} arrays")
    kernel, recurrent = (np.asarray(a) for a in arrays[:2])
    if kernel.ndim != 2 or kernel.shape[1] % gates:
        raise ValueError(f"{where} kernel: expected (input_size, {gates} * units), got "
                         f"shape {kernel.shape}")
    units = kernel.shape[1] // gates
    if recurrent.shape != (units, gates * units):
        raise ValueError(f"{where} recurrent_kernel: expected shape ({units}, {gates * units}) "
                         f"for {units} units, got {recurrent.shape}")
    params = {"weight_ih": reorder(kernel.T, keras_order, torch_order),
              "weight_hh": reorder(recurrent.T, keras_order, torch_order)}
    if len(arrays) == 3:
        bias = np.asarray(arrays[2])
        expected = (2, gates * units) if kind == "GRU" else (gates * units,)
        if bias.shape != expected:
            form = {"GRU": " (reset_after=True: input and recurrent bias)",
                    "ResetBeforeGRU": " (reset_after=False: one bias)"}.get(kind, "")
            raise ValueError(f"{where} bias: expected shape {expected}{form}, got {bias.shape}")
        if kind == "GRU":
            b_ih, b_hh = bias
        else:
            b_ih, b_hh = bias, np.zeros_like(bias)
        params["bias_ih"] = reorder(b_ih, keras_order, torch_order)
        params["bias_hh"] = reorder(b_hh, keras_order, torch_order)
    return params


def from_keras_weights(kind, weights, *, bidirectional=False, nonlinearity="tanh",
                       batch_first=True, dropout=0.0):
    """Build an lstm_ref module from Keras ``get_weights()`` lists, one per layer.

    Sizes are read from the arrays: ``input_size`` from the first kernel's
    rows, ``hidden_size`` (Keras's ``units``) from the recurrent kernel, the
    number of layers from the list, ``bias`` from whether a bias is present.

    Parameters
    ----------
    kind : {"LSTM", "GRU", "ResetBeforeGRU", "RNN"}
        ``"GRU"`` for ``keras.layers.GRU(reset_after=True)`` (Keras's default),
        ``"ResetBeforeGRU"`` for ``reset_after=False``, ``"RNN"`` for ``SimpleRNN``.
    weights : list of list of numpy.ndarray
        Each layer's ``get_weights()``.
    bidirectional : bool, optional
        Whether each list is a ``Bidirectional`` layer's (forward, then backward).
        Default False.
    nonlinearity : {"tanh", "relu"}, optional
        The ``SimpleRNN``'s activation (RNN only). Default ``"tanh"``.
    batch_first : bool, optional
        The module's layout; Keras itself is batch-major. Default True.
    dropout : float, optional
        The rate of the ``Dropout`` layers between the recurrent ones, if any.
        Default 0.

    Returns
    -------
    lstm_ref.LSTM, lstm_ref.GRU, lstm_ref.ResetBeforeGRU or lstm_ref.RNN
        Of class ``kind``, in the dtype of the arrays.

    Raises
    ------
    ValueError
        If an array's shape does not fit the kind, or layers disagree.

    Examples
    --------
    >>> import numpy as np
    >>> from lstm_ref.convert import from_keras_weights
    >>> kernel, recurrent, bias = np.ones((5, 8)), np.ones((2, 8)), np.zeros(8)
    >>> from_keras_weights("LSTM", [[kernel, recurrent, bias]])
    LSTM(input_size=5, hidden_size=2, num_layers=1, bias=True, batch_first=True, \
dropout=0.0, bidirectional=False, proj_size=0, dtype=float64)
    """
    if kind not in _KERAS_FORM:
        raise ValueError(f"kind: expected one of {sorted(_KERAS_FORM)}, got {kind!r}")
    bidirectional = _checks.flag("bidirectional", bidirectional)
    batch_first = _checks.flag("batch_first", batch_first)
    if not isinstance(weights, (list, tuple)) or not weights:
        raise ValueError(f"weights: expected a non-empty list of per-layer weight lists, "
                         f"got {type(weights).__name__}")
    layers = []
    for index, arrays in enumerate(weights):
        if not isinstance(arrays, (list, tuple)):
            raise ValueError(f"weights[{index}]: expected a list of arrays, "
                             f"got {type(arrays).__name__}")
        halves = [arrays]
        if bidirectional:
            if len(arrays) % 2:
                raise ValueError(f"weights[{index}]: expected the forward layer's arrays then "
                                 f"the backward layer's (an even count), got {len(arrays)}")
            halves = [arrays[: len(arrays) // 2], arrays[len(arrays) // 2:]]
        layers.append([_direction_from_keras(kind, half, f"weights[{index}]" +
                                             (f" ({name})" if bidirectional else ""))
                       for half, name in zip(halves, ("forward", "backward"))])
    extra = {"batch_first": batch_first, "dropout": dropout}
    if kind == "RNN":
        extra["nonlinearity"] = nonlinearity
    return build_module(kind, layers, extra)


# -- Keras objects -----------------------------------------------------------------

_ACTIVATIONS = {"activation": "tanh", "recurrent_activation": "sigmoid"}


def _keras():
    """Keras, on the torch backend unless ``KERAS_BACKEND`` already names another."""
    import os

    os.environ.setdefault("KERAS_BACKEND", "torch")  # read once, at Keras's first import
    import keras  # only needed for interop

    return keras


def to_keras_layers(module, *, return_state=False):
    """Built Keras layers holding ``module``'s weights, one per layer (``Bidirectional`` if so).

    Every layer returns sequences (and, with ``return_state=True``, its final
    states: ``[output, h, c]``, or for ``Bidirectional`` the forward states
    then the backward ones); with ``dropout > 0`` a ``keras.layers.Dropout``
    follows every layer but the last, as in torch.

    Parameters
    ----------
    module : lstm_ref.LSTM, lstm_ref.GRU, lstm_ref.RNN or lstm_ref.ResetBeforeGRU
        The layer to convert, as :func:`to_keras_weights` takes it.
    return_state : bool, optional
        Whether each layer also returns its final states. Default False.

    Returns
    -------
    list of keras.layers.Layer
        Built, in the module's dtype: ``keras.layers.LSTM``, ``GRU`` or
        ``SimpleRNN`` (in ``keras.layers.Bidirectional`` for a bidirectional
        module), with ``keras.layers.Dropout`` between them if any.

    Raises
    ------
    TypeError
        If ``module`` is not one of those kinds.
    ValueError
        If it has what Keras cannot hold (an LSTM with ``proj_size > 0``).

    Examples
    --------
    >>> import lstm_ref
    >>> from lstm_ref.convert import to_keras_layers
    >>> [type(layer).__name__ for layer in to_keras_layers(lstm_ref.GRU(3, 2, 2, rng=0))]
    ['GRU', 'GRU']
    """
    keras = _keras()
    kind = module_kind(module, tuple(_KERAS_FORM))
    _refuse_unrepresentable(module, kind)
    name, form = _KERAS_FORM[kind]
    options = dict(form, use_bias=module.bias, return_sequences=True,
                   return_state=_checks.flag("return_state", return_state),
                   dtype=module.dtype.name)
    if kind == "RNN":
        options["activation"] = module.nonlinearity
    layers, width = [], module.input_size
    for index, weights in enumerate(to_keras_weights(module)):
        layer = getattr(keras.layers, name)(module.hidden_size, **options)
        if module.bidirectional:
            layer = keras.layers.Bidirectional(layer, merge_mode="concat", dtype=module.dtype.name)
        layer.build((None, None, width))
        layer.set_weights(weights)
        layers.append(layer)
        width = module.num_directions * module.hidden_size
        if module.dropout and index < module.num_layers - 1:
            layers.append(keras.layers.Dropout(module.dropout))
    return layers


def to_keras(module):
    """A ``keras.Sequential`` computing ``module``'s output from a batch-major input.

    Parameters
    ----------
    module : lstm_ref.LSTM, lstm_ref.GRU, lstm_ref.RNN or lstm_ref.ResetBeforeGRU
        The layer to convert, as :func:`to_keras_weights` takes it.

    Returns
    -------
    keras.Sequential
        An ``Input`` of shape ``(None, input_size)`` followed by the layers of
        :func:`to_keras_layers`; its output is the module's ``output``, batch-major.

    Raises
    ------
    TypeError
        If ``module`` is not one of those kinds.
    ValueError
        If it has what Keras cannot hold (an LSTM with ``proj_size > 0``).

    Examples
    --------
    >>> import numpy as np
    >>> import lstm_ref
    >>> from lstm_ref.convert import to_keras
    >>> lstm = lstm_ref.LSTM(3, 2, batch_first=True, dtype=np.float64, rng=0)
    >>> x = np.random.default_rng(0).standard_normal((4, 5, 3))
    >>> model = to_keras(lstm)
    >>> keras_output = model(x).detach().numpy()      # a torch tensor, on this backend
    >>> bool(np.allclose(keras_output, lstm(x)[0], rtol=1e-12, atol=1e-12))
    True
    """
    keras = _keras()
    inputs = keras.Input((None, module.input_size), dtype=module.dtype.name)
    return keras.Sequential([inputs, *to_keras_layers(module)])


def _weights_of(layer):
    """``layer.get_weights()``, without numpy's warning on the torch backend.

    ``get_weights`` calls ``numpy.array`` on torch tensors, whose ``__array__``
    lacks numpy 2's ``copy`` keyword and so warns (pytorch/pytorch#136264).
    """
    values = []
    for variable in layer.weights:
        value = variable.value
        values.append(value.detach().cpu().numpy().copy() if hasattr(value, "detach")
                      else np.array(value))
    return values


def _layer_form(layer, where):
    """``(kind, bidirectional, units, nonlinearity)`` of one Keras recurrent layer."""
    keras = _keras()
    bidirectional = isinstance(layer, keras.layers.Bidirectional)
    if bidirectional:
        if layer.merge_mode != "concat":
            raise ValueError(
                f"{where}: expected Bidirectional(merge_mode='concat'), which torch's output "
                f"is; got merge_mode={layer.merge_mode!r}")
        inner = [layer.forward_layer, layer.backward_layer]
    else:
        inner = [layer]
    forms = []
    for part in inner:
        name = type(part).__name__
        config = part.get_config()
        if name == "LSTM":
            kind = "LSTM"
        elif name == "GRU":
            kind = "GRU" if config["reset_after"] else "ResetBeforeGRU"
        elif name == "SimpleRNN":
            kind = "RNN"
        else:
            raise ValueError(f"{where}: expected keras.layers.LSTM, GRU, SimpleRNN or "
                             f"Bidirectional around one, got {name}")
        checks = dict(_ACTIVATIONS) if kind != "RNN" else {}
        for option, expected in checks.items():
            if config[option] != expected:
                raise ValueError(f"{where}: expected {option}={expected!r} (torch has no "
                                 f"other), got {config[option]!r}")
        nonlinearity = config.get("activation", "tanh") if kind == "RNN" else "tanh"
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"{where}: expected SimpleRNN activation 'tanh' or 'relu', "
                             f"got {nonlinearity!r}")
        if config.get("go_backwards") and not bidirectional:
            raise ValueError(f"{where}: expected go_backwards=False; torch runs a lone "
                             f"direction forwards")
        forms.append((kind, bidirectional, config["units"], nonlinearity))
    if len(set(forms)) != 1:
        raise ValueError(f"{where}: expected the forward and backward layers to be of one "
                         f"kind and size, got {forms}")
    return forms[0]


def from_keras(model, *, batch_first=True):
    """Build the lstm_ref module equal to a stack of Keras recurrent layers.

    Parameters
    ----------
    model : keras.Model or list of keras.layers.Layer
        Recurrent layers (``LSTM``, ``GRU``, ``SimpleRNN``, or ``Bidirectional``
        around them), all of one kind and size, optionally with ``Dropout``
        layers between them of one rate; ``InputLayer`` is skipped.
    batch_first : bool, optional
        The module's layout (Keras is batch-major). Default True.

    Returns
    -------
    lstm_ref.LSTM, lstm_ref.GRU, lstm_ref.ResetBeforeGRU or lstm_ref.RNN
        ``GRU`` for ``keras.layers.GRU(reset_after=True)``, ``ResetBeforeGRU``
        for ``reset_after=False``, ``RNN`` for ``SimpleRNN``; sizes, the number
        of layers, directions, ``bias`` and the dtype are read from the weights.

    Raises
    ------
    ValueError
        For anything torch's module cannot compute the same way: other
        activations, ``merge_mode`` other than ``"concat"``, mixed kinds or
        sizes, a lone ``go_backwards`` layer, other layers in between.

    Examples
    --------
    >>> import numpy as np
    >>> import lstm_ref
    >>> from lstm_ref.convert import from_keras, to_keras
    >>> gru = lstm_ref.GRU(3, 2, num_layers=2, bidirectional=True, dtype=np.float64, rng=0)
    >>> back = from_keras(to_keras(gru))
    >>> back
    GRU(input_size=3, hidden_size=2, num_layers=2, bias=True, batch_first=True, \
dropout=0.0, bidirectional=True, dtype=float64)
    >>> all(np.array_equal(value, back.state_dict()[name])
    ...     for name, value in gru.state_dict().items())
    True
    """
    keras = _keras()
    layers = list(model.layers) if hasattr(model, "layers") else list(model)
    forms, weights, rates = [], [], set()
    for index, layer in enumerate(layers):
        where = f"model layer {index} ({layer.name})"
        if isinstance(layer, keras.layers.InputLayer):
            continue
        if isinstance(layer, keras.layers.Dropout):
            rates.add(float(layer.rate))
            continue
        forms.append(_layer_form(layer, where))
        weights.append(_weights_of(layer))
    if not forms:
        raise ValueError("model: expected at least one recurrent layer, got none")
    if len(set(forms)) != 1:
        raise ValueError(f"model: expected every recurrent layer of one kind, direction and "
                         f"size (torch's stack), got {forms}")
    if len(rates) > 1:
        raise ValueError(f"model: expected one dropout rate between layers, got {sorted(rates)}")
    kind, bidirectional, _, nonlinearity = forms[0]
    return from_keras_weights(kind, weights, bidirectional=bidirectional,
                              nonlinearity=nonlinearity, batch_first=batch_first,
                              dropout=rates.pop() if rates else 0.0)
