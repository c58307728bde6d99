"""Conversions between lstm_ref's (torch's) parameters and other frameworks' and notations'.

- :mod:`~lstm_ref.convert.tables`: the gate orders, in one place;
- :mod:`~lstm_ref.convert.keras`: Keras 3 ``get_weights()`` lists and layers;
- :mod:`~lstm_ref.convert.onnx`: ONNX ``LSTM`` / ``GRU`` / ``RNN`` operators and models;
- :mod:`~lstm_ref.convert.textbook`: colah's and d2l's per-gate parameters.

Whatever a target cannot represent is refused with a ``ValueError`` that names
it; nothing is approximated. Keras and ONNX are imported only by the functions
that build or read their objects.
"""

from .keras import from_keras, from_keras_weights, to_keras, to_keras_layers, to_keras_weights
from .onnx import ONNX_OPSET, from_onnx, from_onnx_weights, to_onnx, to_onnx_weights
from .tables import FRAMEWORK_GATE_NAMES, GATE_ORDER, gate_order, reorder
from .textbook import from_colah, from_d2l, to_colah, to_d2l

__all__ = [
    "GATE_ORDER", "FRAMEWORK_GATE_NAMES", "gate_order", "reorder",
    "to_keras_weights", "from_keras_weights", "to_keras_layers", "to_keras", "from_keras",
    "ONNX_OPSET", "to_onnx_weights", "from_onnx_weights", "to_onnx", "from_onnx",
    "to_colah", "from_colah", "to_d2l", "from_d2l",
]
