"""The affine map ``x W^T + b`` that feeds every gate (torch's ``F.linear``)."""


__all__ = ["affine"]


def affine(x, weight, bias=None):
    """Return ``x @ weight.T + bias`` over the last axis of ``x``.

    The rows of ``weight`` are output units, as in torch, so a weight of shape
    ``(out, in)`` maps ``(..., in)`` to ``(..., out)``. ``bias=None`` stands for
    a layer built with ``bias=False``.

    Parameters
    ----------
    x : numpy.ndarray
        Input of shape ``(..., in)``.
    weight : numpy.ndarray
        Matrix of shape ``(out, in)``.
    bias : numpy.ndarray or None
        Vector of shape ``(out,)``.

    Returns
    -------
    numpy.ndarray
        Shape ``(..., out)``.

    Examples
    --------
    >>> import numpy as np
    >>> from lstm_ref import affine
    >>> weight, bias = np.array([[1.0, 0.0], [1.0, 1.0]]), np.array([0.5, 0.0])
    >>> affine(np.array([1.0, 2.0]), weight, bias)
    array([1.5, 3. ])
    """
    if x.ndim <= 2:
        y = x @ weight.T
    else:
        # One 2-D matrix product for all leading axes (all time steps at once):
        # numpy's matmul would otherwise loop over them, one small product each.
        y = (x.reshape(-1, x.shape[-1]) @ weight.T).reshape(x.shape[:-1] + weight.shape[:1])
    if bias is not None:
        y += bias
    return y
