"""The LSTM with peephole connections (Gers & Schmidhuber 2000; ONNX's ``P`` input).

The gates also read the cell state, through one weight per unit (a diagonal
matrix)::

    i_t = sigma(W_ii x_t + W_hi h_{t-1} + w_ci * c_{t-1} + b_i)
    f_t = sigma(W_if x_t + W_hf h_{t-1} + w_cf * c_{t-1} + b_f)
    g_t = tanh(W_ig x_t + W_hg h_{t-1} + b_g)
    c_t = f_t * c_{t-1} + i_t * g_t
    o_t = sigma(W_io x_t + W_ho h_{t-1} + w_co * c_t + b_o)      the new cell state
    h_t = o_t * tanh(c_t)

with ``b_* = b_i* + b_h*``. The output gate looks at ``c_t``, the other two at
``c_{t-1}``, as in ONNX's ``LSTM`` operator and in Greff et al. (2017).
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

__all__ = ["PeepholeLSTMStep", "peephole_lstm_step", "peephole_lstm_step_backward",
           "PEEPHOLE_LSTM_KIND", "PeepholeLSTMCell", "PeepholeLSTM"]


class PeepholeLSTMStep(NamedTuple):
    """Every quantity of one step, named as in the equations."""

    i: np.ndarray  #: input gate
    f: np.ndarray  #: forget gate
    g: np.ndarray  #: candidate cell state
    o: np.ndarray  #: output gate (reads c_t)
    c: np.ndarray  #: new cell state
    h: np.ndarray  #: new hidden state


def peephole_lstm_step(x_proj, h_prev, c_prev, weight_hh, weight_ci, weight_cf, weight_co,
                       bias_hh=None):
    """One step from ``x_proj = x_t W_ih^T + b_ih`` (blocks i, f, g, o).

    The ``step`` of :data:`~lstm_ref.variants.peephole_lstm.PEEPHOLE_LSTM_KIND`.

    Parameters
    ----------
    x_proj : numpy.ndarray
        ``(N, 4H)``.
    h_prev, c_prev : numpy.ndarray
        ``(N, H)``.
    weight_hh : numpy.ndarray
        ``(4H, H)``, blocks i, f, g, o.
    weight_ci : numpy.ndarray
        ``(H,)``: the input gate's peephole ``w_ci``.
    weight_cf : numpy.ndarray
        ``(H,)``: the forget gate's peephole ``w_cf``.
    weight_co : numpy.ndarray
        ``(H,)``: the output gate's peephole ``w_co``.
    bias_hh : numpy.ndarray, optional
        ``(4H,)``, or None.

    Returns
    -------
    lstm_ref.PeepholeLSTMStep
        Every quantity of the step, ``h`` and ``c`` the new states.

    Examples
    --------
    >>> import numpy as np
    >>> from lstm_ref import peephole_lstm_step
    >>> H = 1
    >>> s = peephole_lstm_step(np.zeros((1, 4 * H)), np.zeros((1, H)), np.ones((1, H)),
    ...                        np.zeros((4 * H, H)), weight_ci=np.zeros(H),
    ...                        weight_cf=np.array([100.0]), weight_co=np.zeros(H))
    >>> s.f                             # the forget gate saw c_{t-1} = 1 through w_cf = 100
    array([[1.]])
    """
    _checks.step_arrays("peephole_lstm_step", 4, x_proj, weight_hh, bias_hh,
                        states=(("h_prev", h_prev), ("c_prev", c_prev)),
                        per_unit=(("weight_ci", weight_ci), ("weight_cf", weight_cf),
                                  ("weight_co", weight_co)))
    a_i, a_f, a_g, a_o = np.split(x_proj + affine(h_prev, weight_hh, bias_hh), 4, axis=-1)
    i = sigmoid(a_i + weight_ci * c_prev)          # i_t = sigma(... + w_ci * c_{t-1})
    f = sigmoid(a_f + weight_cf * c_prev)          # f_t = sigma(... + w_cf * c_{t-1})
    g = tanh(a_g)                                  # g_t = tanh(...)
    c = f * c_prev + i * g                         # c_t = f_t c_{t-1} + i_t g_t
    o = sigmoid(a_o + weight_co * c)               # o_t = sigma(... + w_co * c_t)
    h = o * tanh(c)                                # h_t = o_t tanh(c_t)
    return PeepholeLSTMStep(i, f, g, o, c, h)


def peephole_lstm_step_backward(step, prev, d_new, weight_hh, weight_ci, weight_cf, weight_co,
                                bias_hh=None):
    """The chain rule through one :func:`peephole_lstm_step`, one line per derivative.

    The ``step_backward`` of :data:`~lstm_ref.variants.peephole_lstm.PEEPHOLE_LSTM_KIND`.

    Parameters
    ----------
    step : lstm_ref.PeepholeLSTMStep
        What :func:`~lstm_ref.peephole_lstm_step` returned.
    prev : tuple of numpy.ndarray
        ``(h_prev, c_prev)``, the states the step read.
    d_new : tuple of numpy.ndarray
        ``(d_h, d_c)``: d loss / d ``h_t`` and d loss / d ``c_t``, each ``(N, H)``.
    weight_hh, weight_ci, weight_cf, weight_co : numpy.ndarray
        As passed to the step.
    bias_hh : numpy.ndarray, optional
        As passed to the step (None without biases).

    Returns
    -------
    d_a : numpy.ndarray
        d loss / d pre-activations ``(N, 4H)``, which is d loss / d x_proj.
    d_prev : tuple of numpy.ndarray
        ``(d_h_prev, d_c_prev)``.
    d_parameters : dict
        ``weight_hh``, ``weight_ci``, ``weight_cf``, ``weight_co``, ``bias_hh``.
    """
    (h_prev, c_prev), (d_h, d_c) = prev, d_new
    i, f, g, o, c = step.i, step.f, step.g, step.o, step.c
    tanh_c = tanh(c)
    d_a_o = d_h * tanh_c * o * (1 - o)                          # h_t = o_t tanh(c_t)
    d_c = d_c + d_h * o * (1 - tanh_c ** 2) + d_a_o * weight_co  # c_t feeds h_t and o_t
    d_a_i = d_c * g * i * (1 - i)                               # c_t = f_t c_{t-1} + i_t g_t
    d_a_f = d_c * c_prev * f * (1 - f)
    d_a_g = d_c * i * (1 - g ** 2)
    d_c_prev = d_c * f + d_a_i * weight_ci + d_a_f * weight_cf  # c_{t-1} feeds c_t, i_t, f_t
    d_a = np.concatenate([d_a_i, d_a_f, d_a_g, d_a_o], axis=-1)
    d_h_prev = d_a @ weight_hh
    d_parameters = {"weight_hh": d_a.T @ h_prev,
                    "weight_ci": (d_a_i * c_prev).sum(axis=0),
                    "weight_cf": (d_a_f * c_prev).sum(axis=0),
                    "weight_co": (d_a_o * c).sum(axis=0),
                    "bias_hh": None if bias_hh is None else d_a.sum(axis=0)}
    return d_a, (d_h_prev, d_c_prev), d_parameters


def _peepholes(hidden_size):
    """One weight per unit for each of the gates i, f, o."""
    return {"weight_ci": (hidden_size,), "weight_cf": (hidden_size,),
            "weight_co": (hidden_size,)}


#: lstm_ref.Kind: The peephole LSTM under the step contract, the LSTM's parameters plus
#: three peepholes.
PEEPHOLE_LSTM_KIND = Kind(name="PeepholeLSTM", gates=("i", "f", "g", "o"), states=("h", "c"),
                          step=peephole_lstm_step, step_backward=peephole_lstm_step_backward,
                          extra_parameters=_peepholes)


class PeepholeLSTMCell(NoTorchCounterpart, RecurrentCell):
    """One peephole LSTM step with ``torch.nn.LSTMCell``'s interface.

    Examples
    --------
    >>> import numpy as np
    >>> from lstm_ref import PeepholeLSTMCell
    >>> h, c = PeepholeLSTMCell(3, 2, rng=0)(np.ones((4, 3), np.float32))
    >>> h.shape, c.shape
    ((4, 2), (4, 2))
    """

    kind = PEEPHOLE_LSTM_KIND
    _nearest_torch = "LSTMCell"


class PeepholeLSTM(NoTorchCounterpart, RecurrentLayer):
    """A multi-layer peephole LSTM with ``torch.nn.LSTM``'s options but ``proj_size``.

    Each layer and direction has torch's four LSTM parameters plus
    ``weight_ci``, ``weight_cf``, ``weight_co`` of shape ``(hidden_size,)``.

    Examples
    --------
    >>> import numpy as np
    >>> from lstm_ref import LSTM, PeepholeLSTM
    >>> peephole = PeepholeLSTM(3, 4, rng=0)
    >>> [name for name, _ in peephole.named_parameters()][4:]
    ['weight_ci_l0', 'weight_cf_l0', 'weight_co_l0']
    >>> peephole.num_parameters() - LSTM(3, 4).num_parameters()    # 3 H
    12
    """

    kind = PEEPHOLE_LSTM_KIND
    _nearest_torch = "LSTM"
