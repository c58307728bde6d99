"""LSTM: the step equations, the cell and the multi-layer module.

In PyTorch's notation, with ``x_t`` the input and ``h_{t-1}``, ``c_{t-1}``
the previous state, one step is::

    i_t = sigma(W_ii x_t + b_ii + W_hi h_{t-1} + b_hi)     input gate
    f_t = sigma(W_if x_t + b_if + W_hf h_{t-1} + b_hf)     forget gate
    g_t = tanh(W_ig x_t + b_ig + W_hg h_{t-1} + b_hg)      candidate (C~_t)
    o_t = sigma(W_io x_t + b_io + W_ho h_{t-1} + b_ho)     output gate
    c_t = f_t * c_{t-1} + i_t * g_t
    h_t = o_t * tanh(c_t)                                 (then W_hr h_t if proj_size > 0)

``weight_ih`` stacks W_ii, W_if, W_ig, W_io in that order, and likewise
``weight_hh``, ``bias_ih`` and ``bias_hh``.
"""

from typing import NamedTuple

import numpy as np

from . import _checks, _docs
from .activations import sigmoid, tanh
from .cell import RecurrentCell
from .kind import Kind
from .layer import RecurrentLayer
from .linear import affine

__all__ = ["LSTMStep", "lstm_step", "lstm_step_backward", "LSTM_KIND", "LSTMCell", "LSTM"]


class LSTMStep(NamedTuple):
    """Every quantity of one LSTM step, named as in the equations: the LSTM's record.

    Each field is ``(N, hidden_size)`` (``h`` is ``(N, H_out)``), or without
    ``N`` from an unbatched :meth:`LSTMCell.step <lstm_ref.cell.RecurrentCell.step>`.

    See Also
    --------
    lstm_step : Computes one.

    Examples
    --------
    >>> import numpy as np
    >>> from lstm_ref import LSTMCell
    >>> s = LSTMCell(3, 2, rng=0).step(np.ones(3, np.float32))
    >>> bool(np.allclose(s.h, s.o * np.tanh(s.c))) and s.C_tilde is s.g
    True
    """

    i: np.ndarray  #: input gate, in (0, 1)
    f: np.ndarray  #: forget gate, in (0, 1)
    g: np.ndarray  #: candidate cell state C~_t, in (-1, 1)
    o: np.ndarray  #: output gate, in (0, 1)
    c: np.ndarray  #: new cell state C_t
    h: np.ndarray  #: new hidden state h_t (projected when proj_size > 0)

    @property
    def C_tilde(self):
        """The candidate ``g`` under colah's name, C~_t."""
        return self.g


@_docs.fill
def lstm_step(x_proj, h_prev, c_prev, weight_hh, bias_hh=None, weight_hr=None):
    """One LSTM step, from the input projection ``x_proj = x_t W_ih^T + b_ih``.

    The input enters only through ``x_proj``, which does not depend on the
    previous state, so a layer computes it for all time steps at once. This
    is the ``step`` of the LSTM's :class:`~lstm_ref.kind.Kind`.

    Parameters
    ----------
    {{step_arguments}}
    c_prev : numpy.ndarray
        Previous cell state ``c_{t-1}``, shape ``(N, hidden_size)``.
    weight_hh : numpy.ndarray
        Recurrent weight, shape ``(4 * hidden_size, H_out)``.
    bias_hh : numpy.ndarray or None, optional
        Recurrent bias, shape ``(4 * hidden_size,)``; None without biases.
    weight_hr : numpy.ndarray or None, optional
        Projection, shape ``(proj_size, hidden_size)``; then ``H_out = proj_size``.

    Returns
    -------
    LSTMStep
        ``(i, f, g, o, c, h)``, each ``(N, hidden_size)`` except ``h``,
        which is ``(N, H_out)``.

    {{step_raises}}

    See Also
    --------
    lstm_step_backward : The chain rule through this step.
    lstm_ref.cell.RecurrentCell.step : The same step with the input projection and checks.

    Examples
    --------
    >>> import numpy as np
    >>> from lstm_ref import LSTMCell, affine, lstm_step
    >>> cell = LSTMCell(3, 2, rng=0)
    >>> x = np.ones((1, 3), np.float32)
    >>> h, c = np.zeros((1, 2), np.float32), np.zeros((1, 2), np.float32)
    >>> x_proj = affine(x, cell.weight_ih, cell.bias_ih)
    >>> s = lstm_step(x_proj, h, c, cell.weight_hh, cell.bias_hh)
    >>> bool(np.allclose(s.c, s.i * s.g))     # c_{t-1} = 0: only i_t * g_t is left
    True
    """
    _checks.step_arrays("lstm_step", 4, x_proj, weight_hh, bias_hh, weight_hr,
                        states=(("h_prev", h_prev), ("c_prev", c_prev)))
    H = c_prev.shape[-1]
    z = x_proj + affine(h_prev, weight_hh, bias_hh)  # pre-activations, blocks [i | f | g | o]
    i = sigmoid(z[..., 0 * H:1 * H])   # input gate  i_t = sigma(z_i): how much to write
    f = sigmoid(z[..., 1 * H:2 * H])   # forget gate f_t = sigma(z_f): how much to keep
    g = tanh(z[..., 2 * H:3 * H])      # candidate   C~_t = tanh(z_g): what to write
    o = sigmoid(z[..., 3 * H:4 * H])   # output gate o_t = sigma(z_o): how much to show
    c = f * c_prev + i * g             # C_t = f_t * C_{t-1} + i_t * C~_t
    h = o * tanh(c)                    # h_t = o_t * tanh(C_t)
    if weight_hr is not None:
        h = h @ weight_hr.T            # h_t = W_hr h_t (proj_size > 0)
    return LSTMStep(i, f, g, o, c, h)


@_docs.fill
def lstm_step_backward(step, prev, d_new, weight_hh, bias_hh=None, weight_hr=None):
    """The chain rule through one :func:`lstm_step`, one line per derivative.

    This is the ``step_backward`` of the LSTM's :class:`~lstm_ref.kind.Kind`,
    with the signature every kind's backward step shares: ``step`` is an
    :class:`LSTMStep`, ``prev`` is ``(h_prev, c_prev)`` and ``d_new`` is
    ``(d_h, d_c)``, shaped ``(N, H_out)`` and ``(N, hidden_size)``.

    Parameters
    ----------
    {{backward_arguments}}
    weight_hh : numpy.ndarray
        As in the forward step, ``(4 * hidden_size, H_out)``.
    bias_hh : numpy.ndarray or None, optional
        As in the forward step; only whether it is None matters here.
    weight_hr : numpy.ndarray or None, optional
        As in the forward step, ``(proj_size, hidden_size)``.

    Returns
    -------
    d_z : numpy.ndarray
        d loss / d of the pre-activations ``z``, which is also d loss / d
        x_proj and, per sample, d loss / d of each bias; ``(N, 4 * hidden_size)``.
    d_prev : tuple of numpy.ndarray
        ``(d_h_prev, d_c_prev)``, the gradients reaching the previous states.
    d_parameters : dict
        ``weight_hh``, ``bias_hh`` and ``weight_hr``: their gradients summed
        over the batch (None for a parameter that was not given).

    See Also
    --------
    lstm_step : The forward step.
    lstm_ref.numerical_gradient : Finite differences, an independent check.

    Examples
    --------
    >>> import numpy as np
    >>> from lstm_ref import LSTMCell
    >>> cell = LSTMCell(3, 2, dtype=np.float64, rng=0)
    >>> h, c, cache = cell.forward(np.ones(3), return_cache=True)
    >>> sorted(cell.backward(cache, grad_h=np.ones(2)))
    ['bias_hh', 'bias_ih', 'c', 'h', 'input', 'weight_hh', 'weight_ih']
    """
    (h_prev, c_prev), (d_h, d_c) = prev, d_new
    tanh_c = tanh(step.c)
    if weight_hr is not None:
        d_weight_hr = d_h.T @ (step.o * tanh_c)      # h_t = (o_t * tanh(c_t)) W_hr^T
        d_h = d_h @ weight_hr                        # ... so d(o_t * tanh(c_t))
    d_o = d_h * tanh_c                               # h_t = o_t * tanh(c_t)
    d_c = d_c + d_h * step.o * (1 - tanh_c ** 2)     # ... and tanh' = 1 - tanh^2
    d_f = d_c * c_prev                               # c_t = f_t * c_{t-1} + i_t * g_t
    d_i = d_c * step.g
    d_g = d_c * step.i
    d_c_prev = d_c * step.f
    d_z = np.concatenate([d_i * step.i * (1 - step.i),    # sigma' = sigma (1 - sigma)
                          d_f * step.f * (1 - step.f),
                          d_g * (1 - step.g ** 2),        # tanh' = 1 - tanh^2
                          d_o * step.o * (1 - step.o)], axis=-1)
    d_h_prev = d_z @ weight_hh                       # z = x_proj + h_{t-1} W_hh^T + b_hh
    d_weight_hh = d_z.T @ h_prev
    d_bias_hh = None if bias_hh is None else d_z.sum(axis=0)
    return d_z, (d_h_prev, d_c_prev), {"weight_hh": d_weight_hh, "bias_hh": d_bias_hh,
                                       "weight_hr": None if weight_hr is None else d_weight_hr}


def lstm_step_fused(x_proj, h_prev, c_prev, weight_hh, bias_hh=None, weight_hr=None):
    """:func:`lstm_ref.lstm_step`'s fast path: the same record, with one sigmoid call for three gates.

    For small batches the cost of a step is mostly the number of numpy
    calls, not their size; here the three gates share one call of
    the sigmoid over all four blocks (the ``g`` block's sigmoid
    is computed and not used). The values are those of :func:`lstm_ref.lstm_step`,
    bit for bit (every operation is element-wise and the same), which the
    tests check. The layers run this; cells and readers use :func:`lstm_ref.lstm_step`.

    Parameters
    ----------
    x_proj : numpy.ndarray
        ``(N, 4 * hidden_size)``, as for :func:`lstm_ref.lstm_step`.
    h_prev : numpy.ndarray
        ``(N, H_out)``.
    c_prev : numpy.ndarray
        ``(N, hidden_size)``.
    weight_hh : numpy.ndarray
        ``(4 * hidden_size, H_out)``.
    bias_hh : numpy.ndarray or None, optional
        ``(4 * hidden_size,)``.
    weight_hr : numpy.ndarray or None, optional
        ``(proj_size, hidden_size)``.

    Returns
    -------
    LSTMStep
        Equal to ``lstm_step(...)`` with the same arguments.

    See Also
    --------
    lstm_ref.lstm_step : The reference: the equations one line each.

    Examples
    --------
    >>> import numpy as np
    >>> from lstm_ref.lstm import lstm_step, lstm_step_fused
    >>> rng = np.random.default_rng(0)
    >>> args = (rng.standard_normal((2, 8)), rng.standard_normal((2, 2)),
    ...         rng.standard_normal((2, 2)), rng.standard_normal((8, 2)))
    >>> all(np.array_equal(a, b) for a, b in zip(lstm_step(*args), lstm_step_fused(*args)))
    True
    """
    H = c_prev.shape[-1]
    z = h_prev @ weight_hh.T
    if bias_hh is not None:
        z += bias_hh
    z += x_proj                        # the additions in lstm_step's order: equal to the bit
    s = np.negative(z)                 # sigmoid, inline and in place: 1 / (1 + exp(-z))
    with np.errstate(over="ignore"):
        np.exp(s, out=s)
    s += 1.0
    np.reciprocal(s, out=s)
    i, f, o = s[..., :H], s[..., H:2 * H], s[..., 3 * H:]
    g = np.tanh(z[..., 2 * H:3 * H])
    c = f * c_prev + i * g
    h = o * np.tanh(c)
    return LSTMStep(i, f, g, o, c, h if weight_hr is None else h @ weight_hr.T)


def _lstm_state_sizes(hidden_size, proj_size=0):
    """``h`` has ``proj_size`` units when projected, ``c`` always ``hidden_size``."""
    return (proj_size or hidden_size, hidden_size)


def _lstm_projection(hidden_size, proj_size=0):
    """The projection ``weight_hr``, only when ``proj_size > 0``."""
    return {"weight_hr": (proj_size, hidden_size)} if proj_size else {}


#: lstm_ref.Kind: The LSTM of torch under the step contract, blocks i, f, g, o, with the
#: projection ``weight_hr`` when ``proj_size > 0`` and :func:`lstm_step_fused` as its fast step.
LSTM_KIND = Kind(
    name="LSTM", gates=("i", "f", "g", "o"), states=("h", "c"),
    step=lstm_step, step_backward=lstm_step_backward, options=("proj_size",),
    state_sizes=_lstm_state_sizes, extra_parameters=_lstm_projection,
    fast_step=lstm_step_fused,
)


@_docs.fill
class LSTMCell(RecurrentCell):
    """A single LSTM step with ``torch.nn.LSTMCell``'s interface and parameters.

    ``hx`` is the pair ``(h_0, c_0)`` (or None for zeros); calling the cell
    returns the pair ``(h_1, c_1)``.

    {{cell_parameters}}
    {{construction}}

    See Also
    --------
    LSTM : The same equations over a sequence, stacked and in both directions.
    lstm_step : The equations of one step.

    Examples
    --------
    >>> import numpy as np
    >>> from lstm_ref import LSTMCell
    >>> cell = LSTMCell(input_size=3, hidden_size=2, rng=0)
    >>> h, c = cell(np.ones((5, 3), np.float32))
    >>> h.shape, c.shape
    ((5, 2), (5, 2))
    >>> s = cell.step(np.ones(3, np.float32))        # unbatched, every intermediate
    >>> s._fields
    ('i', 'f', 'g', 'o', 'c', 'h')
    """

    kind = LSTM_KIND


@_docs.fill
class LSTM(RecurrentLayer):
    """A multi-layer LSTM with ``torch.nn.LSTM``'s options, shapes and parameters.

    ``hx`` is the pair ``(h_0, c_0)`` (or None for zeros), with ``h_0`` of
    shape ``(num_layers * num_directions, N, H_out)`` and ``c_0`` of shape
    ``(num_layers * num_directions, N, hidden_size)``; the final state is the
    pair ``(h_n, c_n)`` of the same shapes.

    {{layer_parameters}}
    proj_size : int, optional
        If > 0 (and smaller than ``hidden_size``), ``h_t`` is projected to
        this size by ``weight_hr_l*``: ``H_out = proj_size``.
    {{construction}}

    See Also
    --------
    LSTMCell : One step of the same unit.
    GRU : The gated recurrent unit with the same options but ``proj_size``.

    Examples
    --------
    >>> import numpy as np
    >>> from lstm_ref import LSTM
    >>> lstm = LSTM(4, 3, num_layers=2, bidirectional=True, rng=0)
    >>> x = np.zeros((7, 5, 4), np.float32)     # (L, N, H_in)
    >>> output, (h_n, c_n) = lstm(x)
    >>> output.shape, h_n.shape, c_n.shape
    ((7, 5, 6), (4, 5, 3), (4, 5, 3))
    >>> [name for name, _ in lstm.named_parameters()][:4]
    ['weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0']
    """

    kind = LSTM_KIND
    _options = RecurrentLayer._options + ("proj_size",)

    def __init__(self, input_size, hidden_size, num_layers=1, bias=True,
                 batch_first=False, dropout=0.0, bidirectional=False, proj_size=0,
                 *, dtype=np.float32, rng=None):
        hidden_size = _checks.size("hidden_size", hidden_size)
        self.proj_size = _checks.proj_size(proj_size, hidden_size)
        super().__init__(input_size, hidden_size, num_layers, bias, batch_first,
                         dropout, bidirectional, dtype=dtype, rng=rng)
