"""The vanilla (Elman) RNN, for comparison with the gated units.

One step, in PyTorch's notation::

    h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)      (or ReLU)

It has no gates: every step multiplies the state by ``W_hh`` and squashes it,
which is why its gradients vanish or explode over long sequences.
"""

import numpy as np

from .activations import tanh
from .layer import RecurrentLayer
from .linear import affine

__all__ = ["rnn_step", "rnn_step_backward", "RNN"]

NONLINEARITIES = ("tanh", "relu")


def rnn_step(x_proj, h_prev, weight_hh, bias_hh=None, nonlinearity="tanh"):
    """One RNN step from the input projection ``x_proj = x_t W_ih^T + b_ih``.

    Examples
    --------
    >>> import numpy as np
    >>> from lstm_ref import rnn_step
    >>> rnn_step(np.array([[0.5, -0.5]]), np.zeros((1, 2)), np.eye(2))
    array([[ 0.46211716, -0.46211716]])
    """
    a = x_proj + affine(h_prev, weight_hh, bias_hh)        # pre-activation
    return tanh(a) if nonlinearity == "tanh" else np.maximum(a, 0)


def rnn_step_backward(h, h_prev, d_h, weight_hh, nonlinearity="tanh"):
    """The chain rule through one :func:`rnn_step`.

    Returns ``d_a`` (d loss / d pre-activation = d loss / d x_proj and each
    bias), ``d_h_prev`` and ``d_weight_hh``.
    """
    if nonlinearity == "tanh":
        d_a = d_h * (1 - h ** 2)                           # tanh' = 1 - tanh^2
    else:
        d_a = d_h * (h > 0)                                # ReLU' = 1 where positive
    d_h_prev = d_a @ weight_hh                             # a = x_proj + h_{t-1} W_hh^T + b
    d_weight_hh = d_a.T @ h_prev
    return d_a, d_h_prev, d_weight_hh


class RNN(RecurrentLayer):
    """A multi-layer Elman RNN with ``torch.nn.RNN``'s options, shapes and parameters.

    Takes the options of :class:`lstm_ref.GRU` and ``nonlinearity``
    (``"tanh"`` or ``"relu"``).

    Examples
    --------
    >>> import numpy as np
    >>> from lstm_ref import RNN
    >>> rnn = RNN(4, 3, nonlinearity="relu", rng=0)
    >>> output, h_n = rnn(np.zeros((7, 5, 4), np.float32))
    >>> output.shape, h_n.shape, bool((output >= 0).all())
    ((7, 5, 3), (1, 5, 3), True)
    """

    _options = RecurrentLayer._options[:3] + ("nonlinearity",) + RecurrentLayer._options[3:]
    gate_count = 1
    _state_names = ("h_0",)
    _fold_recurrent_bias = True

    def __init__(self, input_size, hidden_size, num_layers=1, nonlinearity="tanh", bias=True,
                 batch_first=False, dropout=0.0, bidirectional=False, *, dtype=np.float32,
                 rng=None):
        if nonlinearity not in NONLINEARITIES:
            raise ValueError(f"nonlinearity: expected one of {NONLINEARITIES}, "
                             f"got {nonlinearity!r}")
        self.nonlinearity = nonlinearity
        super().__init__(input_size, hidden_size, num_layers, bias, batch_first, dropout,
                         bidirectional, dtype=dtype, rng=rng)

    def _step(self, x_proj, states, p):
        return (rnn_step(x_proj, states[0], p["weight_hh"], p["bias_hh"], self.nonlinearity),)

    def _step_record(self, x_proj, states, p):
        h = rnn_step(x_proj, states[0], p["weight_hh"], p["bias_hh"], self.nonlinearity)
        return (h,), (states[0], h)

    def _step_backward(self, record, d_states, p):
        h_prev, h = record
        d_a, d_h_prev, d_weight_hh = rnn_step_backward(h, h_prev, d_states[0],
                                                       p["weight_hh"], self.nonlinearity)
        return d_a, [d_h_prev], {"weight_hh": d_weight_hh}
