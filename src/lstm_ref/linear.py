"""The affine map ``x W^T + b`` that feeds every gate (torch's ``F.linear``)."""

import numpy as np

from . import _checks

__all__ = ["affine"]


def _real(name, value):
    """An ndarray of real numbers as it is, or ``value`` checked and converted."""
    if isinstance(value, np.ndarray) and value.dtype.kind in "iuf":
        return value
    return _checks.real_numbers(name, value)


def affine(x, weight, bias=None):
    """Return ``x @ weight.T + bias`` over the last axis of ``x``.

    The rows of ``weight`` are output units, as in torch, so a weight of shape
    ``(out, in)`` maps ``(..., in)`` to ``(..., out)``. ``bias=None`` stands for
    a layer built with ``bias=False``.

    Parameters
    ----------
    x : array_like
        Input of shape ``(..., in)``.
    weight : array_like
        Matrix of shape ``(out, in)``.
    bias : array_like or None, optional
        Vector of shape ``(out,)``.

    Returns
    -------
    numpy.ndarray
        Shape ``(..., out)``.

    Raises
    ------
    ValueError
        If the shapes do not fit together or an argument holds something
        other than real numbers.

    See Also
    --------
    lstm_step : Where ``h_{t-1} W_hh^T + b_hh`` is one such map.

    Examples
    --------
    >>> import numpy as np
    >>> from lstm_ref import affine
    >>> weight, bias = np.array([[1.0, 0.0], [1.0, 1.0]]), np.array([0.5, 0.0])
    >>> affine(np.array([1.0, 2.0]), weight, bias)
    array([1.5, 3. ])
    """
    x, weight = _real("x", x), _real("weight", weight)
    if x.ndim == 0 or weight.ndim != 2 or weight.shape[1] != x.shape[-1]:
        raise ValueError(f"weight: expected shape (out, {x.shape[-1] if x.ndim else 'in'}) to "
                         f"match x's last axis, got {weight.shape} (x has shape {x.shape})")
    if bias is not None:
        bias = _real("bias", bias)
        if bias.shape != weight.shape[:1]:
            raise ValueError(f"bias: expected shape ({weight.shape[0]},), one per row of "
                             f"weight, got {bias.shape}")
    if x.ndim <= 2:
        y = x @ weight.T
    else:
        # One 2-D matrix product for all leading axes (all time steps at once):
        # numpy's matmul would otherwise loop over them, one small product each.
        y = (x.reshape(-1, x.shape[-1]) @ weight.T).reshape(x.shape[:-1] + weight.shape[:1])
    if bias is not None:
        y += bias
    return y
