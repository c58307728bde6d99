"""GRU: the step equations, the cell and the multi-layer module.

In PyTorch's notation one step is::

    r_t = sigma(W_ir x_t + b_ir + W_hr h_{t-1} + b_hr)          reset gate
    z_t = sigma(W_iz x_t + b_iz + W_hz h_{t-1} + b_hz)          update gate
    n_t = tanh(W_in x_t + b_in + r_t * (W_hn h_{t-1} + b_hn))   candidate
    h_t = (1 - z_t) * n_t + z_t * h_{t-1}

The reset gate multiplies ``W_hn h_{t-1} + b_hn`` after the matrix product,
so ``b_in`` and ``b_hn`` cannot be merged into one bias. ``weight_ih`` stacks
W_ir, W_iz, W_in in that order, and likewise the other parameters.
"""

from typing import NamedTuple

import numpy as np

from . import _checks, _docs
from .activations import sigmoid, tanh
from .cell import RecurrentCell
from .kind import Kind
from .layer import RecurrentLayer
from .linear import affine

__all__ = ["GRUStep", "gru_step", "gru_step_backward", "GRU_KIND", "GRUCell", "GRU"]


class GRUStep(NamedTuple):
    """Every quantity of one GRU step, named as in the equations: the GRU's record.

    Each field is ``(N, hidden_size)``, or ``(hidden_size,)`` from an
    unbatched :meth:`GRUCell.step <lstm_ref.cell.RecurrentCell.step>`.

    See Also
    --------
    gru_step : Computes one.

    Examples
    --------
    >>> import numpy as np
    >>> from lstm_ref import GRUCell
    >>> s = GRUCell(3, 2, rng=0).step(np.ones(3, np.float32))
    >>> bool(np.allclose(s.h, (1 - s.z) * s.n))     # h_{t-1} = 0
    True
    """

    r: np.ndarray  #: reset gate, in (0, 1)
    z: np.ndarray  #: update gate in (0, 1), the share of h_{t-1} kept
    n: np.ndarray  #: candidate state, in (-1, 1)
    h: np.ndarray  #: new hidden state h_t
    hn: np.ndarray  #: W_hn h_{t-1} + b_hn, the part of the candidate that r_t scales


@_docs.fill
def gru_step(x_proj, h_prev, weight_hh, bias_hh=None):
    """One GRU step, from the input projection ``x_proj = x_t W_ih^T + b_ih``.

    This is the ``step`` of the GRU's :class:`~lstm_ref.kind.Kind`.

    Parameters
    ----------
    {{step_arguments}}
    weight_hh : numpy.ndarray
        Recurrent weight, shape ``(3 * hidden_size, hidden_size)``.
    bias_hh : numpy.ndarray or None, optional
        Recurrent bias, shape ``(3 * hidden_size,)``; None without biases.

    Returns
    -------
    GRUStep
        ``(r, z, n, h, hn)``, each ``(N, hidden_size)``.

    {{step_raises}}

    See Also
    --------
    gru_step_backward : The chain rule through this step.
    lstm_ref.cell.RecurrentCell.step : The same step with the input projection and checks.

    Examples
    --------
    >>> import numpy as np
    >>> from lstm_ref import GRUCell, affine, gru_step
    >>> cell = GRUCell(3, 2, rng=0)
    >>> x, h = np.ones((1, 3), np.float32), np.full((1, 2), 0.5, np.float32)
    >>> x_proj = affine(x, cell.weight_ih, cell.bias_ih)
    >>> s = gru_step(x_proj, h, cell.weight_hh, cell.bias_hh)
    >>> bool(np.allclose(s.h, s.n + s.z * (h - s.n)))   # between n_t and h_{t-1}
    True
    """
    _checks.step_arrays("gru_step", 3, x_proj, weight_hh, bias_hh, states=(("h_prev", h_prev),))
    H = h_prev.shape[-1]
    gi = x_proj                               # W_i* x_t + b_i*, blocks [r | z | n]
    gh = affine(h_prev, weight_hh, bias_hh)   # W_h* h_{t-1} + b_h*, same blocks
    r = sigmoid(gi[..., :H] + gh[..., :H])               # reset gate
    z = sigmoid(gi[..., H:2 * H] + gh[..., H:2 * H])     # update gate
    hn = gh[..., 2 * H:]                                 # W_hn h_{t-1} + b_hn
    n = tanh(gi[..., 2 * H:] + r * hn)   # candidate: r_t scales W_hn h_{t-1} + b_hn
    h = (1 - z) * n + z * h_prev         # h_t = (1 - z_t) * n_t + z_t * h_{t-1}
    return GRUStep(r, z, n, h, hn)


@_docs.fill
def gru_step_backward(step, prev, d_new, weight_hh, bias_hh=None):
    """The chain rule through one :func:`gru_step`, one line per derivative.

    This is the ``step_backward`` of the GRU's :class:`~lstm_ref.kind.Kind`,
    with the signature every kind's backward step shares: ``step`` is a
    :class:`GRUStep`, ``prev`` is ``(h_prev,)`` and ``d_new`` is ``(d_h,)``.

    Parameters
    ----------
    {{backward_arguments}}
    weight_hh : numpy.ndarray
        As in the forward step, ``(3 * hidden_size, hidden_size)``.
    bias_hh : numpy.ndarray or None, optional
        As in the forward step; only whether it is None matters here.

    Returns
    -------
    d_gi : numpy.ndarray
        d loss / d x_proj (per sample, d loss / d bias_ih),
        ``(N, 3 * hidden_size)``.
    d_prev : tuple of numpy.ndarray
        ``(d_h_prev,)``, the gradient reaching the previous state.
    d_parameters : dict
        ``weight_hh`` and ``bias_hh``: their gradients summed over the batch
        (None for ``bias_hh`` when it was not given).

    See Also
    --------
    gru_step : The forward step.
    lstm_ref.numerical_gradient : Finite differences, an independent check.

    Examples
    --------
    >>> import numpy as np
    >>> from lstm_ref import GRUCell
    >>> cell = GRUCell(3, 2, dtype=np.float64, rng=0)
    >>> h, cache = cell.forward(np.ones(3), return_cache=True)
    >>> cell.backward(cache, grad_h=np.ones(2))["weight_hh"].shape
    (6, 2)
    """
    (h_prev,), (d_h,) = prev, d_new
    d_n = d_h * (1 - step.z)                    # h_t = (1 - z_t) n_t + z_t h_{t-1}
    d_z = d_h * (h_prev - step.n)
    d_a_n = d_n * (1 - step.n ** 2)             # n_t = tanh(a_n), tanh' = 1 - tanh^2
    d_r = d_a_n * step.hn                       # a_n = gi_n + r_t * hn
    d_a_r = d_r * step.r * (1 - step.r)         # r_t = sigma(a_r), sigma' = sigma (1 - sigma)
    d_a_z = d_z * step.z * (1 - step.z)         # z_t = sigma(a_z)
    d_gi = np.concatenate([d_a_r, d_a_z, d_a_n], axis=-1)
    d_gh = np.concatenate([d_a_r, d_a_z, d_a_n * step.r], axis=-1)
    d_h_prev = d_h * step.z + d_gh @ weight_hh  # both paths from h_{t-1}
    d_weight_hh = d_gh.T @ h_prev
    d_bias_hh = None if bias_hh is None else d_gh.sum(axis=0)
    return d_gi, (d_h_prev,), {"weight_hh": d_weight_hh, "bias_hh": d_bias_hh}


#: lstm_ref.Kind: The GRU of torch under the step contract, blocks r, z, n.
GRU_KIND = Kind(name="GRU", gates=("r", "z", "n"), states=("h",),
                step=gru_step, step_backward=gru_step_backward)


@_docs.fill
class GRUCell(RecurrentCell):
    """A single GRU step with ``torch.nn.GRUCell``'s interface and parameters.

    ``hx`` is ``h_0`` (or None for zeros); calling the cell returns ``h_1``.

    {{cell_parameters}}
    {{construction}}

    See Also
    --------
    GRU : The same equations over a sequence.
    gru_step : The equations of one step.

    Examples
    --------
    >>> import numpy as np
    >>> from lstm_ref import GRUCell
    >>> cell = GRUCell(input_size=3, hidden_size=2, rng=0)
    >>> cell(np.ones((5, 3), np.float32)).shape
    (5, 2)
    >>> cell.step(np.ones(3, np.float32))._fields
    ('r', 'z', 'n', 'h', 'hn')
    """

    kind = GRU_KIND


@_docs.fill
class GRU(RecurrentLayer):
    """A multi-layer GRU with ``torch.nn.GRU``'s options, shapes and parameters.

    ``hx`` is the single array ``h_0`` of shape
    ``(num_layers * num_directions, N, hidden_size)`` (or None for zeros), and
    the final state is ``h_n`` of the same shape.

    {{layer_parameters}}
    {{construction}}

    See Also
    --------
    GRUCell : One step of the same unit.
    LSTM : The long short-term memory with the same options and ``proj_size``.

    Examples
    --------
    >>> import numpy as np
    >>> from lstm_ref import GRU
    >>> gru = GRU(4, 3, batch_first=True, rng=0)
    >>> output, h_n = gru(np.zeros((5, 7, 4), np.float32))    # (N, L, H_in)
    >>> output.shape, h_n.shape
    ((5, 7, 3), (1, 5, 3))
    """

    kind = GRU_KIND
