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

from .activations import sigmoid, tanh
from .cell import RecurrentCell
from .layer import RecurrentLayer
from .linear import affine

__all__ = ["GRUStep", "gru_step", "GRUCell", "GRU"]


class GRUStep(NamedTuple):
    """Every quantity of one GRU step, named as in the equations."""

    r: np.ndarray  #: reset gate, in (0, 1)
    z: np.ndarray  #: update gate in (0, 1), the share of h_{t-1} kept
    n: np.ndarray  #: candidate state, in (-1, 1)
    h: np.ndarray  #: new hidden state h_t


def gru_step(x_proj, h_prev, weight_hh, bias_hh=None):
    """One GRU step, from the input projection ``x_proj = x_t W_ih^T + b_ih``.

    Parameters
    ----------
    x_proj : numpy.ndarray
        ``affine(x_t, weight_ih, bias_ih)``, shape ``(N, 3 * hidden_size)``.
    h_prev : numpy.ndarray
        Previous hidden state, ``(N, hidden_size)``.
    weight_hh, bias_hh : numpy.ndarray
        Recurrent weight ``(3 * hidden_size, hidden_size)`` and bias (or None).

    Returns
    -------
    GRUStep
        ``(r, z, n, h)``.

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
    H = h_prev.shape[-1]
    gi = x_proj                               # W_i* x_t + b_i*, blocks [r | z | n]
    gh = affine(h_prev, weight_hh, bias_hh)   # W_h* h_{t-1} + b_h*, same blocks
    gi_r, gi_z, gi_n = gi[..., :H], gi[..., H:2 * H], gi[..., 2 * H:]
    gh_r, gh_z, gh_n = gh[..., :H], gh[..., H:2 * H], gh[..., 2 * H:]
    r = sigmoid(gi_r + gh_r)           # reset gate
    z = sigmoid(gi_z + gh_z)           # update gate
    n = tanh(gi_n + r * gh_n)          # candidate: r_t scales W_hn h_{t-1} + b_hn
    h = (1 - z) * n + z * h_prev       # h_t = (1 - z_t) * n_t + z_t * h_{t-1}
    return GRUStep(r, z, n, h)


class GRUCell(RecurrentCell):
    """A single GRU step with ``torch.nn.GRUCell``'s interface and parameters.

    Parameters
    ----------
    input_size, hidden_size : int
        Sizes of ``x_t`` and ``h_t``.
    bias : bool
        Whether ``bias_ih`` and ``bias_hh`` exist.
    dtype : numpy dtype
        Parameter dtype, float32 by default.
    rng : numpy.random.Generator or int, optional
        Source of the initial parameters.

    Examples
    --------
    >>> import numpy as np
    >>> from lstm_ref import GRUCell
    >>> cell = GRUCell(input_size=3, hidden_size=2, rng=0)
    >>> cell(np.ones((5, 3), np.float32)).shape
    (5, 2)
    >>> cell.step(np.ones(3, np.float32))._fields
    ('r', 'z', 'n', 'h')
    """

    gate_count = 3
    _state_names = ("h",)

    def step(self, input, hx=None):
        """One step returning every intermediate, as a :class:`GRUStep`."""
        x, (h,), batched = self._check_step(input, (hx,))
        p = self._parameters
        x_proj = affine(x, p["weight_ih"], p.get("bias_ih"))
        return self._unbatch(gru_step(x_proj, h, p["weight_hh"], p.get("bias_hh")), batched)

    def __call__(self, input, hx=None):
        """Return ``h_1`` like ``torch.nn.GRUCell``; ``hx = h_0`` or None."""
        return self.step(input, hx).h


class GRU(RecurrentLayer):
    """A multi-layer GRU with ``torch.nn.GRU``'s options, shapes and parameters.

    Takes the options of :class:`lstm_ref.LSTM` except ``proj_size``;
    ``hx`` and the returned state are the single array ``h_0`` / ``h_n``.

    Examples
    --------
    >>> import numpy as np
    >>> from lstm_ref import GRU
    >>> gru = GRU(4, 3, batch_first=True, rng=0)
    >>> output, h_n = gru(np.zeros((5, 7, 4), np.float32))    # (N, L, H_in)
    >>> output.shape, h_n.shape
    ((5, 7, 3), (1, 5, 3))
    """

    gate_count = 3
    _state_names = ("h_0",)

    def _state_sizes(self):
        return (self.hidden_size,)

    def _states_from_hx(self, hx):
        return (hx,)

    def _hx_from_states(self, states):
        return states[0]

    def _step(self, x_proj, states, p):
        return (gru_step(x_proj, states[0], p["weight_hh"], p["bias_hh"]).h,)
