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

from . import _checks
from .activations import sigmoid, tanh
from .cell import RecurrentCell
from .layer import RecurrentLayer
from .linear import affine

__all__ = ["LSTMStep", "lstm_step", "lstm_step_backward", "LSTMCell", "LSTM"]


class LSTMStep(NamedTuple):
    """Every quantity of one LSTM step, named as in the equations."""

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


def lstm_step(x_proj, h_prev, c_prev, weight_hh, bias_hh=None, weight_hr=None):
    """One LSTM step, from the input projection ``x_proj = x_t W_ih^T + b_ih``.

    The input enters only through ``x_proj``, which does not depend on the
    previous state, so a layer computes it for all time steps at once.

    Parameters
    ----------
    x_proj : numpy.ndarray
        ``affine(x_t, weight_ih, bias_ih)``, shape ``(N, 4 * hidden_size)``.
    h_prev, c_prev : numpy.ndarray
        Previous hidden state ``(N, H_out)`` and cell state ``(N, hidden_size)``.
    weight_hh, bias_hh : numpy.ndarray
        Recurrent weight ``(4 * hidden_size, H_out)`` and bias (or None).
    weight_hr : numpy.ndarray, optional
        Projection ``(proj_size, hidden_size)``; then ``H_out = proj_size``.

    Returns
    -------
    LSTMStep
        ``(i, f, g, o, c, h)``.

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
    H = c_prev.shape[-1]
    z = x_proj + affine(h_prev, weight_hh, bias_hh)  # blocks [i | f | g | o]
    s = sigmoid(z)         # three gates are sigmoids: one call for all blocks
    i = s[..., 0 * H:1 * H]            # input gate  i_t = sigma(z_i): how much to write
    f = s[..., 1 * H:2 * H]            # forget gate f_t = sigma(z_f): how much to keep
    g = tanh(z[..., 2 * H:3 * H])      # candidate   C~_t = tanh(z_g): what to write
    o = s[..., 3 * H:4 * H]            # output gate o_t = sigma(z_o): how much to show
    c = f * c_prev + i * g             # C_t = f_t * C_{t-1} + i_t * C~_t
    h = o * tanh(c)                    # h_t = o_t * tanh(C_t)
    if weight_hr is not None:
        h = h @ weight_hr.T            # h_t = W_hr h_t (proj_size > 0)
    return LSTMStep(i, f, g, o, c, h)


def lstm_step_backward(step, h_prev, c_prev, d_h, d_c, weight_hh, weight_hr=None):
    """The chain rule through one :func:`lstm_step`, one line per derivative.

    Parameters
    ----------
    step : LSTMStep
        The step's forward values.
    h_prev, c_prev : numpy.ndarray
        The states the step started from, ``(N, H_out)`` and ``(N, H)``.
    d_h, d_c : numpy.ndarray
        d loss / d h_t and d loss / d c_t (everything that reaches them).
    weight_hh, weight_hr : numpy.ndarray
        As in the forward step (``weight_hr`` None without projection).

    Returns
    -------
    d_z : numpy.ndarray
        d loss / d of the pre-activations ``z``, which is also d loss / d x_proj
        and d loss / d of each bias, ``(N, 4H)``.
    d_h_prev, d_c_prev : numpy.ndarray
        Gradients reaching the previous states.
    d_weight_hh : numpy.ndarray
    d_weight_hr : numpy.ndarray or None

    Examples
    --------
    >>> import numpy as np
    >>> from lstm_ref import LSTMCell
    >>> cell = LSTMCell(3, 2, dtype=np.float64, rng=0)
    >>> h, c, cache = cell.forward(np.ones(3), return_cache=True)
    >>> sorted(cell.backward(cache, grad_h=np.ones(2)))
    ['bias_hh', 'bias_ih', 'c', 'h', 'input', 'weight_hh', 'weight_ih']
    """
    tanh_c = tanh(step.c)
    d_weight_hr = None
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
    return d_z, d_h_prev, d_c_prev, d_weight_hh, d_weight_hr


class LSTMCell(RecurrentCell):
    """A single LSTM step with ``torch.nn.LSTMCell``'s interface and parameters.

    Parameters
    ----------
    input_size, hidden_size : int
        Sizes of ``x_t`` and of ``h_t`` / ``c_t``.
    bias : bool
        Whether ``bias_ih`` and ``bias_hh`` exist.
    dtype : numpy dtype
        Parameter dtype, float32 by default as in torch.
    rng : numpy.random.Generator or int, optional
        Source of the initial parameters, drawn from U(-1/sqrt(H), 1/sqrt(H)).

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

    gate_count = 4
    _state_names = ("h", "c")
    _step_function = staticmethod(lstm_step)

    def step(self, input, hx=None):
        """One step returning every intermediate, as an :class:`LSTMStep`."""
        return self._forward_step(input, _lstm_state(hx))[0]

    def __call__(self, input, hx=None):
        """Return ``(h_1, c_1)`` like ``torch.nn.LSTMCell``; ``hx = (h_0, c_0)`` or None."""
        return self.forward(input, hx)

    def forward(self, input, hx=None, return_cache=False):
        """Like calling the cell; with ``return_cache=True`` also what :meth:`backward` needs."""
        step, cache = self._forward_step(input, _lstm_state(hx))
        return (step.h, step.c, cache) if return_cache else (step.h, step.c)

    def backward(self, cache, grad_h, grad_c=None):
        """Gradients of a loss given d loss / d h_1 and d loss / d c_1 (None: zeros).

        Returns a dict with ``input``, ``h``, ``c``, ``weight_ih``, ``weight_hh``
        and, with biases, ``bias_ih`` and ``bias_hh``.
        """
        d_h, d_c = self._check_grads(cache, (grad_h, grad_c))
        p = self._parameters
        h, c = cache["states"]
        d_z, d_h_prev, d_c_prev, d_weight_hh, _ = lstm_step_backward(
            cache["step"], h, c, d_h, d_c, p["weight_hh"])
        grads = {"input": d_z @ p["weight_ih"], "h": d_h_prev, "c": d_c_prev}
        return self._gather_grads(cache, grads, d_z, d_z, d_weight_hh)


def _lstm_state(hx):
    """``(h, c)`` from an LSTM ``hx``, or ``(None, None)`` for zeros."""
    if hx is None:
        return None, None
    if not isinstance(hx, (tuple, list)) or len(hx) != 2:
        raise ValueError(f"hx: expected a pair (h_0, c_0), got {type(hx).__name__}")
    return tuple(hx)


class LSTM(RecurrentLayer):
    """A multi-layer LSTM with ``torch.nn.LSTM``'s options, shapes and parameters.

    Parameters
    ----------
    input_size, hidden_size : int
        Sizes of ``x_t`` and of the cell state.
    num_layers : int
        Stacked layers; layer ``k > 0`` reads the output of layer ``k - 1``.
    bias : bool
        Whether the ``bias_ih_l*`` and ``bias_hh_l*`` parameters exist.
    batch_first : bool
        Input and output are ``(N, L, features)`` instead of ``(L, N, features)``.
        The states ``h_0``, ``c_0``, ``h_n``, ``c_n`` are never batch-first.
    dropout : float
        Dropout on the outputs of every layer but the last, applied only in
        ``forward(..., training=True)``.
    bidirectional : bool
        Add a reverse direction per layer; outputs are concatenated.
    proj_size : int
        If > 0, ``h_t`` is projected to this size by ``weight_hr_l*``.
    dtype : numpy dtype
        Parameter dtype, float32 by default.
    rng : numpy.random.Generator or int, optional
        Source of the initial parameters.

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

    _options = RecurrentLayer._options + ("proj_size",)
    gate_count = 4
    _state_names = ("h_0", "c_0")
    _fold_recurrent_bias = True

    def __init__(self, input_size, hidden_size, num_layers=1, bias=True,
                 batch_first=False, dropout=0.0, bidirectional=False, proj_size=0,
                 *, dtype=np.float32, rng=None):
        hidden_size = _checks.size("hidden_size", hidden_size)
        self.proj_size = _checks.size("proj_size", proj_size, minimum=0)
        if self.proj_size >= hidden_size:
            raise ValueError(
                f"proj_size: expected 0 (no projection) or a size smaller than "
                f"hidden_size = {hidden_size}, got {proj_size}"
            )
        super().__init__(input_size, hidden_size, num_layers, bias, batch_first,
                         dropout, bidirectional, dtype=dtype, rng=rng)

    @property
    def output_size(self):
        """Size of ``h_t`` (``H_out``), which is ``proj_size`` if set and else ``hidden_size``."""
        return self.proj_size or self.hidden_size

    def _state_sizes(self):
        return (self.output_size, self.hidden_size)

    def _states_from_hx(self, hx):
        return _lstm_state(hx)

    def _hx_from_states(self, states):
        return tuple(states)

    def _step(self, x_proj, states, p):
        h, c = states
        step = lstm_step(x_proj, h, c, p["weight_hh"], p["bias_hh"], p["weight_hr"])
        return step.h, step.c

    def _step_record(self, x_proj, states, p):
        h, c = states
        step = lstm_step(x_proj, h, c, p["weight_hh"], p["bias_hh"], p["weight_hr"])
        return (step.h, step.c), (h, c, step)

    def _step_backward(self, record, d_states, p):
        h_prev, c_prev, step = record
        d_z, d_h_prev, d_c_prev, d_weight_hh, d_weight_hr = lstm_step_backward(
            step, h_prev, c_prev, d_states[0], d_states[1], p["weight_hh"], p["weight_hr"])
        return d_z, [d_h_prev, d_c_prev], {"weight_hh": d_weight_hh, "weight_hr": d_weight_hr}
