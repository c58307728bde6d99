"""The vanilla (Elman) RNN, for comparison with the gated units.

One step, in PyTorch's notation::

    h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)      (or ReLU)

It has no gates: every step multiplies the state by ``W_hh`` and squashes it,
which is why its gradients vanish or explode over long sequences.
"""

from functools import partial
from typing import NamedTuple

import numpy as np

from . import _checks, _docs
from .activations import tanh
from .kind import Kind
from .layer import RecurrentLayer
from .linear import affine

__all__ = ["RNNStep", "rnn_step", "rnn_step_backward", "RNN_KINDS", "RNN"]

NONLINEARITIES = ("tanh", "relu")


class RNNStep(NamedTuple):
    """Every quantity of one RNN step, its record: the new state is the only one.

    See Also
    --------
    rnn_step : Computes one.

    Examples
    --------
    >>> import numpy as np
    >>> from lstm_ref import rnn_step
    >>> rnn_step(np.zeros((1, 2)), np.zeros((1, 2)), np.eye(2))._fields
    ('h',)
    """

    h: np.ndarray  #: new hidden state h_t


@_docs.fill
def rnn_step(x_proj, h_prev, weight_hh, bias_hh=None, nonlinearity="tanh"):
    """One RNN step from the input projection ``x_proj = x_t W_ih^T + b_ih``.

    With ``nonlinearity`` bound, this is the ``step`` of the RNN's
    :class:`~lstm_ref.kind.Kind` (one kind per nonlinearity, as torch's
    modes ``RNN_TANH`` and ``RNN_RELU``).

    Parameters
    ----------
    {{step_arguments}}
    weight_hh : numpy.ndarray
        Recurrent weight, shape ``(hidden_size, hidden_size)``.
    bias_hh : numpy.ndarray or None, optional
        Recurrent bias, shape ``(hidden_size,)``; None without biases.
    nonlinearity : str, optional
        The squashing function, ``"tanh"`` or ``"relu"``.

    Returns
    -------
    RNNStep
        ``(h,)``, shape ``(N, hidden_size)``.

    Raises
    ------
    TypeError
        If an array argument is not a ``numpy.ndarray``.
    ValueError
        If ``nonlinearity`` is neither ``"tanh"`` nor ``"relu"``, or a shape
        does not fit ``weight_hh`` (the message names the array).

    See Also
    --------
    rnn_step_backward : The chain rule through this step.
    RNN : The step over a sequence.

    Examples
    --------
    >>> import numpy as np
    >>> from lstm_ref import rnn_step
    >>> rnn_step(np.array([[0.5, -0.5]]), np.zeros((1, 2)), np.eye(2)).h
    array([[ 0.46211716, -0.46211716]])
    """
    _checks.choice("nonlinearity", nonlinearity, NONLINEARITIES)
    _checks.step_arrays("rnn_step", 1, x_proj, weight_hh, bias_hh, states=(("h_prev", h_prev),))
    a = x_proj + affine(h_prev, weight_hh, bias_hh)        # pre-activation
    h = tanh(a) if nonlinearity == "tanh" else np.maximum(a, 0)
    return RNNStep(h)


@_docs.fill
def rnn_step_backward(step, prev, d_new, weight_hh, bias_hh=None, nonlinearity="tanh"):
    """The chain rule through one :func:`rnn_step`, one line per derivative.

    The signature every kind's backward step shares, plus ``nonlinearity``:
    ``step`` is an :class:`RNNStep`, ``prev`` is ``(h_prev,)`` and ``d_new``
    is ``(d_h,)``.

    Parameters
    ----------
    {{backward_arguments}}
    weight_hh : numpy.ndarray
        As in the forward step.
    bias_hh : numpy.ndarray or None, optional
        As in the forward step; only whether it is None matters here.
    nonlinearity : str, optional
        As in the forward step, ``"tanh"`` or ``"relu"``.

    Returns
    -------
    d_a : numpy.ndarray
        d loss / d pre-activation, which is d loss / d x_proj and, per
        sample, d loss / d of each bias; ``(N, hidden_size)``.
    d_prev : tuple of numpy.ndarray
        ``(d_h_prev,)``.
    d_parameters : dict
        ``weight_hh`` and ``bias_hh``, summed over the batch (None for
        ``bias_hh`` when it was not given).

    See Also
    --------
    rnn_step : The forward step.

    Examples
    --------
    >>> import numpy as np
    >>> from lstm_ref import rnn_step, rnn_step_backward
    >>> h_prev, w = np.zeros((1, 2)), np.eye(2)
    >>> step = rnn_step(np.array([[0.5, -0.5]]), h_prev, w)
    >>> d_a, (d_h_prev,), _ = rnn_step_backward(step, (h_prev,), (np.ones((1, 2)),), w)
    >>> bool(np.allclose(d_a, 1 - step.h ** 2))     # tanh' = 1 - tanh^2
    True
    """
    _checks.choice("nonlinearity", nonlinearity, NONLINEARITIES)
    (h_prev,), (d_h,) = prev, d_new
    if nonlinearity == "tanh":
        d_a = d_h * (1 - step.h ** 2)                      # tanh' = 1 - tanh^2
    else:
        d_a = d_h * (step.h > 0)                           # ReLU' = 1 where positive
    d_h_prev = d_a @ weight_hh                             # a = x_proj + h_{t-1} W_hh^T + b
    d_weight_hh = d_a.T @ h_prev
    d_bias_hh = None if bias_hh is None else d_a.sum(axis=0)
    return d_a, (d_h_prev,), {"weight_hh": d_weight_hh, "bias_hh": d_bias_hh}


#: dict[str, lstm_ref.Kind]: One kind per nonlinearity (``"tanh"``, ``"relu"``), as
#: torch's modes ``RNN_TANH`` and ``RNN_RELU``.
RNN_KINDS = {
    name: Kind(name=f"RNN_{name.upper()}", gates=("h",), states=("h",),
               step=partial(rnn_step, nonlinearity=name),
               step_backward=partial(rnn_step_backward, nonlinearity=name))
    for name in NONLINEARITIES
}


@_docs.fill
class RNN(RecurrentLayer):
    """A multi-layer Elman RNN with ``torch.nn.RNN``'s options, shapes and parameters.

    ``hx`` is ``h_0`` of shape ``(num_layers * num_directions, N, hidden_size)``
    (or None for zeros); the final state is ``h_n`` of the same shape.

    Parameters
    ----------
    {{sizes}}
    num_layers : int, optional
        Stacked layers.
    nonlinearity : str, optional
        The squashing function of every step, ``"tanh"`` or ``"relu"``.
    bias : bool, optional
        Whether the ``bias_ih_l*`` and ``bias_hh_l*`` parameters exist.
    batch_first : bool, optional
        Input and output are ``(N, L, features)``; ``h_0`` and ``h_n`` never are.
    dropout : float, optional
        Dropout between layers, only in ``forward(..., training=True)``.
    bidirectional : bool, optional
        Add a reverse direction per layer.
    {{construction}}

    See Also
    --------
    LSTM : The long short-term memory, with the same options and more.
    GRU : The gated recurrent unit, with the same options.

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

    def __init__(self, input_size, hidden_size, num_layers=1, nonlinearity="tanh", bias=True,
                 batch_first=False, dropout=0.0, bidirectional=False, *, dtype=np.float32,
                 rng=None):
        self.nonlinearity = _checks.choice("nonlinearity", nonlinearity, NONLINEARITIES)
        self.kind = RNN_KINDS[self.nonlinearity]
        super().__init__(input_size, hidden_size, num_layers, bias, batch_first, dropout,
                         bidirectional, dtype=dtype, rng=rng)
