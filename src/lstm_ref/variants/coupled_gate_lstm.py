"""The LSTM with coupled input and forget gates (CIFG; Greff et al. 2017; ONNX ``input_forget=1``).

The forget gate is not learned: it is ``1 - i_t``, so the cell writes exactly
as much as it forgets, and the layer has three blocks of parameters, not four::

    i_t = sigma(W_ii x_t + W_hi h_{t-1} + b_i)
    f_t = 1 - i_t
    g_t = tanh(W_ig x_t + W_hg h_{t-1} + b_g)
    c_t = f_t * c_{t-1} + i_t * g_t
    o_t = sigma(W_io x_t + W_ho h_{t-1} + b_o)
    h_t = o_t * tanh(c_t)

The stacked weights hold the blocks ``i, g, o``, in that order.
"""

from typing import NamedTuple

import numpy as np

from .. import _checks
from ..activations import sigmoid, tanh
from ..cell import RecurrentCell
from ..kind import Kind
from ..layer import RecurrentLayer
from ..linear import affine
from ._base import NoTorchCounterpart

__all__ = ["CoupledGateLSTMStep", "coupled_gate_lstm_step", "coupled_gate_lstm_step_backward",
           "COUPLED_GATE_LSTM_KIND", "CoupledGateLSTMCell", "CoupledGateLSTM"]


class CoupledGateLSTMStep(NamedTuple):
    """Every quantity of one step, named as in the equations."""

    i: np.ndarray  #: input gate
    f: np.ndarray  #: forget gate, 1 - i_t
    g: np.ndarray  #: candidate cell state
    o: np.ndarray  #: output gate
    c: np.ndarray  #: new cell state
    h: np.ndarray  #: new hidden state


def coupled_gate_lstm_step(x_proj, h_prev, c_prev, weight_hh, bias_hh=None):
    """One step from ``x_proj = x_t W_ih^T + b_ih`` (blocks i, g, o).

    The ``step`` of :data:`~lstm_ref.variants.coupled_gate_lstm.COUPLED_GATE_LSTM_KIND`.

    Parameters
    ----------
    x_proj : numpy.ndarray
        ``(N, 3H)``.
    h_prev, c_prev : numpy.ndarray
        ``(N, H)``.
    weight_hh : numpy.ndarray
        ``(3H, H)``, blocks i, g, o.
    bias_hh : numpy.ndarray, optional
        ``(3H,)``, or None.

    Returns
    -------
    lstm_ref.CoupledGateLSTMStep
        Every quantity of the step, ``h`` and ``c`` the new states.

    Examples
    --------
    >>> import numpy as np
    >>> from lstm_ref import coupled_gate_lstm_step
    >>> s = coupled_gate_lstm_step(np.zeros((1, 3)), np.zeros((1, 1)), np.ones((1, 1)),
    ...                            np.zeros((3, 1)))
    >>> s.i + s.f, s.c                  # i = 0.5, g = 0: half of c_{t-1} is kept
    (array([[1.]]), array([[0.5]]))
    """
    _checks.step_arrays("coupled_gate_lstm_step", 3, x_proj, weight_hh, bias_hh,
                        states=(("h_prev", h_prev), ("c_prev", c_prev)))
    a_i, a_g, a_o = np.split(x_proj + affine(h_prev, weight_hh, bias_hh), 3, axis=-1)
    i = sigmoid(a_i)                   # i_t = sigma(W_ii x + W_hi h + b_i)
    f = 1 - i                          # f_t = 1 - i_t
    g = tanh(a_g)                      # g_t = tanh(W_ig x + W_hg h + b_g)
    c = f * c_prev + i * g             # c_t = f_t c_{t-1} + i_t g_t
    o = sigmoid(a_o)                   # o_t = sigma(W_io x + W_ho h + b_o)
    h = o * tanh(c)                    # h_t = o_t tanh(c_t)
    return CoupledGateLSTMStep(i, f, g, o, c, h)


def coupled_gate_lstm_step_backward(step, prev, d_new, weight_hh, bias_hh=None):
    """The chain rule through one :func:`coupled_gate_lstm_step`, one line per derivative.

    The ``step_backward`` of :data:`~lstm_ref.variants.coupled_gate_lstm.COUPLED_GATE_LSTM_KIND`.

    Parameters
    ----------
    step : lstm_ref.CoupledGateLSTMStep
        What :func:`~lstm_ref.coupled_gate_lstm_step` returned.
    prev : tuple of numpy.ndarray
        ``(h_prev, c_prev)``, the states the step read.
    d_new : tuple of numpy.ndarray
        ``(d_h, d_c)``: d loss / d ``h_t`` and d loss / d ``c_t``, each ``(N, H)``.
    weight_hh : numpy.ndarray
        As passed to the step.
    bias_hh : numpy.ndarray, optional
        As passed to the step (None without biases).

    Returns
    -------
    d_a : numpy.ndarray
        d loss / d pre-activations ``(N, 3H)``, which is d loss / d x_proj.
    d_prev : tuple of numpy.ndarray
        ``(d_h_prev, d_c_prev)``.
    d_parameters : dict
        ``weight_hh`` and ``bias_hh`` (None when not given).
    """
    (h_prev, c_prev), (d_h, d_c) = prev, d_new
    i, g, o, c = step.i, step.g, step.o, step.c
    tanh_c = tanh(c)
    d_a_o = d_h * tanh_c * o * (1 - o)                 # h_t = o_t tanh(c_t)
    d_c = d_c + d_h * o * (1 - tanh_c ** 2)
    d_a_i = d_c * (g - c_prev) * i * (1 - i)           # c_t = c_{t-1} + i_t (g_t - c_{t-1})
    d_a_g = d_c * i * (1 - g ** 2)
    d_c_prev = d_c * (1 - i)
    d_a = np.concatenate([d_a_i, d_a_g, d_a_o], axis=-1)
    d_h_prev = d_a @ weight_hh
    d_parameters = {"weight_hh": d_a.T @ h_prev,
                    "bias_hh": None if bias_hh is None else d_a.sum(axis=0)}
    return d_a, (d_h_prev, d_c_prev), d_parameters


#: lstm_ref.Kind: The CIFG LSTM under the step contract, with three blocks i, g, o.
COUPLED_GATE_LSTM_KIND = Kind(name="CoupledGateLSTM", gates=("i", "g", "o"), states=("h", "c"),
                              step=coupled_gate_lstm_step,
                              step_backward=coupled_gate_lstm_step_backward)


class CoupledGateLSTMCell(NoTorchCounterpart, RecurrentCell):
    """One CIFG step with ``torch.nn.LSTMCell``'s interface (three blocks, not four).

    Examples
    --------
    >>> import numpy as np
    >>> from lstm_ref import CoupledGateLSTMCell
    >>> CoupledGateLSTMCell(3, 2, rng=0).weight_ih.shape
    (6, 3)
    """

    kind = COUPLED_GATE_LSTM_KIND
    _nearest_torch = "LSTMCell"


class CoupledGateLSTM(NoTorchCounterpart, RecurrentLayer):
    """A multi-layer CIFG LSTM with ``torch.nn.LSTM``'s options but ``proj_size``.

    Parameters have torch's names with three stacked blocks ``i, g, o``:
    ``weight_ih_l0`` is ``(3 * hidden_size, input_size)``.

    Examples
    --------
    >>> import numpy as np
    >>> from lstm_ref import LSTM, CoupledGateLSTM
    >>> cifg = CoupledGateLSTM(3, 4, rng=0)
    >>> LSTM(3, 4).num_parameters() - cifg.num_parameters()     # one block: 4 (3 + 4) + 2 * 4
    36
    """

    kind = COUPLED_GATE_LSTM_KIND
    _nearest_torch = "LSTM"
