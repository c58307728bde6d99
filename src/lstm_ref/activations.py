"""The two squashing functions of the gate equations: sigma and tanh."""

import numpy as np

from . import _checks, _docs

__all__ = ["sigmoid", "tanh"]


def _as_float(z):
    """``z`` as a floating array: floating dtypes are kept, other real numbers become float64."""
    if isinstance(z, np.ndarray) and z.dtype.kind == "f":
        return z
    z = _checks.real_numbers("z", z)
    return z if z.dtype.kind == "f" else z.astype(np.float64)


@_docs.fill
def sigmoid(z):
    """Logistic sigmoid, ``1 / (1 + exp(-z))``, element-wise.

    The result lies in [0, 1] for every input (strictly inside (0, 1) while
    ``|z|`` is small enough for the dtype to tell the result from 0 and 1).
    Large negative inputs make ``exp(-z)`` overflow to ``inf``; the quotient
    is then exactly 0, so the warning numpy would raise is switched off.
    Floating dtypes are kept; other inputs become float64.

    {{squash_argument}}

    Returns
    -------
    numpy.ndarray
        ``sigma(z)``, same shape as ``z``.

    {{raises_real}}

    See Also
    --------
    tanh : The other squashing function.

    Examples
    --------
    >>> import numpy as np
    >>> from lstm_ref import sigmoid
    >>> sigmoid(np.array([-1000.0, 0.0, 1000.0]))
    array([0. , 0.5, 1. ])
    >>> sigmoid(np.float32(2.0)).dtype
    dtype('float32')
    """
    z = _as_float(z)
    with np.errstate(over="ignore", under="ignore"):
        if z.ndim == 0:
            return 1.0 / (1.0 + np.exp(-z))
        denominator = np.exp(-z)
        denominator += 1.0                                  # in place: one array, not three
        return np.reciprocal(denominator, out=denominator)  # 1 / (1 + exp(-z))


@_docs.fill
def tanh(z):
    """Hyperbolic tangent, element-wise; values in [-1, 1].

    {{squash_argument}}

    Returns
    -------
    numpy.ndarray
        ``tanh(z)``, same shape and floating dtype as ``z``.

    {{raises_real}}

    See Also
    --------
    sigmoid : The gates' squashing function.

    Examples
    --------
    >>> from lstm_ref import tanh
    >>> tanh([-50.0, 0.0, 50.0])
    array([-1.,  0.,  1.])
    """
    return np.tanh(_as_float(z))
