"""A readable numpy reference of torch.nn's LSTM and GRU, equal to it in numbers.

Examples
--------
>>> import numpy as np
>>> import lstm_ref
>>> lstm = lstm_ref.LSTM(input_size=3, hidden_size=4, rng=0)
>>> output, (h_n, c_n) = lstm(np.ones((6, 2, 3), np.float32))
>>> bool(np.array_equal(output[-1], h_n[-1]))   # one layer and direction
True
"""

from .activations import sigmoid, tanh
from .counting import gru_parameter_count, lstm_parameter_count
from .gradcheck import numerical_gradient
from .gru import GRU, GRUCell, GRUStep, gru_step, gru_step_backward
from .kind import Kind
from .linear import affine
from .lstm import LSTM, LSTMCell, LSTMStep, lstm_step, lstm_step_backward
from .notation import from_textbook, gate_blocks, to_textbook
from .rnn import RNN, RNNStep, rnn_step, rnn_step_backward

__all__ = [
    "LSTM", "LSTMCell", "LSTMStep", "lstm_step", "lstm_step_backward",
    "GRU", "GRUCell", "GRUStep", "gru_step", "gru_step_backward",
    "RNN", "RNNStep", "rnn_step", "rnn_step_backward",
    "Kind",
    "sigmoid", "tanh", "affine",
    "to_textbook", "from_textbook", "gate_blocks",
    "lstm_parameter_count", "gru_parameter_count",
    "numerical_gradient",
]

__version__ = "0.1.0"

from .variants import *  # noqa: E402,F401,F403  the classic variants torch has no module for
from .variants import __all__ as _variants_all  # noqa: E402

__all__ += _variants_all
