"""Finite differences: an independent check of any gradient."""

import numpy as np

from . import _checks

__all__ = ["numerical_gradient"]


def numerical_gradient(loss, array, eps=1e-6):
    """d loss() / d array by central differences, one entry at a time.

    ``array`` is perturbed in place (and restored), so ``loss`` must read it:
    pass a parameter of a module, or an input that ``loss`` uses. The error of
    central differences is of order ``eps**2``; use float64.

    Parameters
    ----------
    loss : callable
        No arguments, returns a float.
    array : numpy.ndarray
        A float64, C-contiguous array that ``loss`` depends on, any shape.
    eps : float, optional
        The step, a finite number > 0.

    Returns
    -------
    numpy.ndarray
        Same shape as ``array``.

    Raises
    ------
    TypeError
        If ``loss`` is not callable.
    ValueError
        If ``array`` is not a C-contiguous float64 ndarray or ``eps`` is not > 0.

    See Also
    --------
    lstm_ref.layer.RecurrentLayer.backward : The gradients this checks.

    Examples
    --------
    >>> import numpy as np
    >>> from lstm_ref import numerical_gradient
    >>> w = np.array([1.0, -2.0])
    >>> numerical_gradient(lambda: float(np.sum(w ** 3)), w).round(6)   # 3 w^2
    array([ 3., 12.])
    """
    if not callable(loss):
        raise TypeError(f"loss: expected a callable that returns a float, got "
                        f"{type(loss).__name__}")
    eps = _checks.positive("eps", eps)
    if not isinstance(array, np.ndarray) or array.dtype != np.float64 \
            or not array.flags.c_contiguous:
        raise ValueError(
            "array: expected a C-contiguous float64 numpy array (perturbed in place), got "
            f"{type(array).__name__} {getattr(array, 'dtype', '')}".rstrip())
    flat = array.reshape(-1)
    grad = np.zeros(flat.size)
    for k in range(flat.size):
        kept = flat[k]
        flat[k] = kept + eps
        up = loss()
        flat[k] = kept - eps
        down = loss()
        flat[k] = kept
        grad[k] = (up - down) / (2 * eps)
    return grad.reshape(array.shape)
