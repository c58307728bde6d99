"""The GRU with the reset gate before the product (Cho et al. 2014; Keras ``reset_after=False``).

One step, in torch's notation::

    r_t = sigma(W_ir x_t + b_ir + W_hr h_{t-1} + b_hr)          reset gate
    z_t = sigma(W_iz x_t + b_iz + W_hz h_{t-1} + b_hz)          update gate
    n_t = tanh(W_in x_t + b_in + W_hn (r_t * h_{t-1}) + b_hn)   candidate: reset, then multiply
    h_t = (1 - z_t) * n_t + z_t * h_{t-1}

torch's GRU computes ``r_t * (W_hn h_{t-1} + b_hn)`` instead (reset after the
product, which lets the recurrent products of all three gates run as one
matrix product). This form is the original paper's, d2l's, Keras's with
``reset_after=False`` and ONNX's ``GRU`` with its default ``linear_before_reset=0``.
Here ``b_hn`` stands outside the reset gate, so the two biases only act
through their sum.
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

__all__ = ["ResetBeforeGRUStep", "reset_before_gru_step", "reset_before_gru_step_backward",
           "RESET_BEFORE_GRU_KIND", "ResetBeforeGRUCell", "ResetBeforeGRU"]


class ResetBeforeGRUStep(NamedTuple):
    """Every quantity of one step, named as in the equations."""

    r: np.ndarray  #: reset gate, in (0, 1)
    z: np.ndarray  #: update gate, the share of h_{t-1} kept
    n: np.ndarray  #: candidate state, in (-1, 1)
    h: np.ndarray  #: new hidden state h_t


def reset_before_gru_step(x_proj, h_prev, weight_hh, bias_hh=None):
    """One step from the input projection ``x_proj = x_t W_ih^T + b_ih`` (blocks r, z, n).

    The ``step`` of :data:`~lstm_ref.variants.reset_before_gru.RESET_BEFORE_GRU_KIND`.

    Parameters
    ----------
    x_proj : numpy.ndarray
        ``(N, 3H)``.
    h_prev : numpy.ndarray
        ``(N, H)``.
    weight_hh : numpy.ndarray
        ``(3H, H)``, blocks r, z, n.
    bias_hh : numpy.ndarray, optional
        ``(3H,)``, or None.

    Returns
    -------
    lstm_ref.ResetBeforeGRUStep
        Every quantity of the step, ``h`` the new state.

    Examples
    --------
    >>> import numpy as np
    >>> from lstm_ref import reset_before_gru_step
    >>> H = 2
    >>> s = reset_before_gru_step(np.zeros((1, 3 * H)), np.ones((1, H)), np.zeros((3 * H, H)))
    >>> s.r, s.z, s.h                   # sigma(0) = 0.5 everywhere, n = tanh(0) = 0
    (array([[0.5, 0.5]]), array([[0.5, 0.5]]), array([[0.5, 0.5]]))
    """
    _checks.step_arrays("reset_before_gru_step", 3, x_proj, weight_hh, bias_hh,
                        states=(("h_prev", h_prev),))
    W_hr, W_hz, W_hn = np.split(weight_hh, 3, axis=0)
    b_hr, b_hz, b_hn = (None,) * 3 if bias_hh is None else np.split(bias_hh, 3)
    xp_r, xp_z, xp_n = np.split(x_proj, 3, axis=-1)
    r = sigmoid(xp_r + affine(h_prev, W_hr, b_hr))         # r_t = sigma(W_ir x + W_hr h + b_r)
    z = sigmoid(xp_z + affine(h_prev, W_hz, b_hz))         # z_t = sigma(W_iz x + W_hz h + b_z)
    n = tanh(xp_n + affine(r * h_prev, W_hn, b_hn))        # n_t = tanh(W_in x + W_hn (r_t h) + b_n)
    h = (1 - z) * n + z * h_prev                           # h_t = (1 - z_t) n_t + z_t h_{t-1}
    return ResetBeforeGRUStep(r, z, n, h)


def reset_before_gru_step_backward(step, prev, d_new, weight_hh, bias_hh=None):
    """The chain rule through one :func:`reset_before_gru_step`, one line per derivative.

    The ``step_backward`` of :data:`~lstm_ref.variants.reset_before_gru.RESET_BEFORE_GRU_KIND`.

    Parameters
    ----------
    step : lstm_ref.ResetBeforeGRUStep
        What :func:`~lstm_ref.reset_before_gru_step` returned.
    prev : tuple of numpy.ndarray
        ``(h_prev,)``, the state the step read.
    d_new : tuple of numpy.ndarray
        ``(d_h,)``: d loss / d ``h_t``, ``(N, H)``.
    weight_hh : numpy.ndarray
        As passed to the step.
    bias_hh : numpy.ndarray, optional
        As passed to the step (None without biases).

    Returns
    -------
    d_a : numpy.ndarray
        d loss / d pre-activations ``(N, 3H)``, which is d loss / d x_proj.
    d_prev : tuple of numpy.ndarray
        ``(d_h_prev,)``.
    d_parameters : dict
        ``weight_hh`` and ``bias_hh`` (None when not given), summed over the batch.
    """
    (h_prev,), (d_h,) = prev, d_new
    W_hr, W_hz, W_hn = np.split(weight_hh, 3, axis=0)
    r, z, n = step.r, step.z, step.n
    d_n = d_h * (1 - z)                           # h_t = (1 - z_t) n_t + z_t h_{t-1}
    d_z = d_h * (h_prev - n)
    d_a_n = d_n * (1 - n ** 2)                    # n_t = tanh(a_n)
    d_rh = d_a_n @ W_hn                           # a_n = ... + (r_t * h_{t-1}) W_hn^T
    d_a_r = d_rh * h_prev * r * (1 - r)           # r_t = sigma(a_r)
    d_a_z = d_z * z * (1 - z)                     # z_t = sigma(a_z)
    d_a = np.concatenate([d_a_r, d_a_z, d_a_n], axis=-1)
    d_h_prev = d_h * z + d_rh * r + d_a_r @ W_hr + d_a_z @ W_hz   # every path from h_{t-1}
    d_weight_hh = np.concatenate([d_a_r.T @ h_prev, d_a_z.T @ h_prev, d_a_n.T @ (r * h_prev)])
    d_bias_hh = None if bias_hh is None else d_a.sum(axis=0)
    return d_a, (d_h_prev,), {"weight_hh": d_weight_hh, "bias_hh": d_bias_hh}


#: lstm_ref.Kind: The reset-before GRU under the step contract, with torch's GRU's gates
#: and parameters.
RESET_BEFORE_GRU_KIND = Kind(name="ResetBeforeGRU", gates=("r", "z", "n"), states=("h",),
                             step=reset_before_gru_step,
                             step_backward=reset_before_gru_step_backward)


class ResetBeforeGRUCell(NoTorchCounterpart, RecurrentCell):
    """One step of the reset-before GRU, with ``torch.nn.GRUCell``'s interface and parameters.

    Examples
    --------
    >>> import numpy as np
    >>> from lstm_ref import ResetBeforeGRUCell
    >>> ResetBeforeGRUCell(3, 2, rng=0)(np.ones((4, 3), np.float32)).shape
    (4, 2)
    """

    kind = RESET_BEFORE_GRU_KIND
    _nearest_torch = "GRUCell"


class ResetBeforeGRU(NoTorchCounterpart, RecurrentLayer):
    """A multi-layer GRU with the reset gate before the product, with torch's GRU options.

    The parameters have ``torch.nn.GRU``'s names and shapes (blocks ``r, z, n``);
    only the candidate's equation differs (see the module).

    Examples
    --------
    >>> import numpy as np
    >>> from lstm_ref import GRU, ResetBeforeGRU
    >>> before = ResetBeforeGRU(3, 4, num_layers=2, rng=0)
    >>> output, h_n = before(np.ones((5, 2, 3), np.float32))
    >>> output.shape, h_n.shape, before.num_parameters() == GRU(3, 4, 2).num_parameters()
    ((5, 2, 4), (2, 2, 4), True)
    """

    kind = RESET_BEFORE_GRU_KIND
    _nearest_torch = "GRU"
