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

__all__ = ["GRUStep", "gru_step", "gru_step_backward", "GRUCell", "GRU"]


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


def gru_step_backward(step, h_prev, d_h, weight_hh, bias_hh=None):
    """The chain rule through one :func:`gru_step`, one line per derivative.

    Parameters
    ----------
    step : GRUStep
        The step's forward values.
    h_prev : numpy.ndarray
        The state the step started from, ``(N, H)``.
    d_h : numpy.ndarray
        d loss / d h_t.
    weight_hh, bias_hh : numpy.ndarray
        As in the forward step.

    Returns
    -------
    d_gi : numpy.ndarray
        d loss / d x_proj (= d loss / d bias_ih), ``(N, 3H)``.
    d_h_prev : numpy.ndarray
    d_weight_hh : numpy.ndarray
    d_gh : numpy.ndarray
        d loss / d (h_{t-1} W_hh^T + b_hh) (= d loss / d bias_hh), ``(N, 3H)``.

    Examples
    --------
    >>> import numpy as np
    >>> from lstm_ref import GRUCell
    >>> cell = GRUCell(3, 2, dtype=np.float64, rng=0)
    >>> h, cache = cell.forward(np.ones(3), return_cache=True)
    >>> cell.backward(cache, grad_h=np.ones(2))["weight_hh"].shape
    (6, 2)
    """
    H = h_prev.shape[-1]
    gh_n = affine(h_prev, weight_hh[2 * H:], None if bias_hh is None else bias_hh[2 * H:])
    d_n = d_h * (1 - step.z)                    # h_t = (1 - z_t) n_t + z_t h_{t-1}
    d_z = d_h * (h_prev - step.n)
    d_a_n = d_n * (1 - step.n ** 2)             # n_t = tanh(a_n), tanh' = 1 - tanh^2
    d_r = d_a_n * gh_n                          # a_n = gi_n + r_t * gh_n
    d_a_r = d_r * step.r * (1 - step.r)         # r_t = sigma(a_r), sigma' = sigma (1 - sigma)
    d_a_z = d_z * step.z * (1 - step.z)         # z_t = sigma(a_z)
    d_gi = np.concatenate([d_a_r, d_a_z, d_a_n], axis=-1)
    d_gh = np.concatenate([d_a_r, d_a_z, d_a_n * step.r], axis=-1)
    d_h_prev = d_h * step.z + d_gh @ weight_hh  # both paths from h_{t-1}
    d_weight_hh = d_gh.T @ h_prev
    return d_gi, d_h_prev, d_weight_hh, d_gh


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
    _step_function = staticmethod(gru_step)

    def step(self, input, hx=None):
        """One step returning every intermediate, as a :class:`GRUStep`."""
        return self._forward_step(input, (hx,))[0]

    def __call__(self, input, hx=None):
        """Return ``h_1`` like ``torch.nn.GRUCell``; ``hx = h_0`` or None."""
        return self.forward(input, hx)

    def forward(self, input, hx=None, return_cache=False):
        """Like calling the cell; with ``return_cache=True`` also what :meth:`backward` needs."""
        step, cache = self._forward_step(input, (hx,))
        return (step.h, cache) if return_cache else step.h

    def backward(self, cache, grad_h):
        """Gradients of a loss given d loss / d h_1.

        Returns a dict with ``input``, ``h``, ``weight_ih``, ``weight_hh`` and,
        with biases, ``bias_ih`` and ``bias_hh``.
        """
        (d_h,) = self._check_grads(cache, (grad_h,))
        p = self._parameters
        d_gi, d_h_prev, d_weight_hh, d_gh = gru_step_backward(
            cache["step"], cache["states"][0], d_h, p["weight_hh"], p.get("bias_hh"))
        grads = {"input": d_gi @ p["weight_ih"], "h": d_h_prev}
        return self._gather_grads(cache, grads, d_gi, d_gh, d_weight_hh)


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

    def _step(self, x_proj, states, p):
        return (gru_step(x_proj, states[0], p["weight_hh"], p["bias_hh"]).h,)

    def _step_record(self, x_proj, states, p):
        step = gru_step(x_proj, states[0], p["weight_hh"], p["bias_hh"])
        return (step.h,), (states[0], step)

    def _step_backward(self, record, d_states, p):
        h_prev, step = record
        d_gi, d_h_prev, d_weight_hh, d_gh = gru_step_backward(
            step, h_prev, d_states[0], p["weight_hh"], p["bias_hh"])
        bias = None if p["bias_hh"] is None else d_gh.sum(axis=0)
        return d_gi, [d_h_prev], {"weight_hh": d_weight_hh, "bias_hh": bias}
