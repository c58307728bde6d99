"""Argument checks shared by the cells and layers.

Every failure is a ``ValueError`` whose message names the argument, what was
expected and what came, so that a wrong shape never reaches numpy's
broadcasting or a traceback from deep inside a matrix product.
"""

import numbers

import numpy as np


def size(name, value, minimum=1):
    """Return ``value`` as an int if it is an integer >= ``minimum``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise ValueError(
            f"{name}: expected an integer >= {minimum}, got {value!r} "
            f"({type(value).__name__})"
        )
    if value < minimum:
        raise ValueError(f"{name}: expected an integer >= {minimum}, got {value}")
    return int(value)


def flag(name, value):
    """Return ``value`` as a bool if it is one."""
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name}: expected True or False, got {value!r}")
    return bool(value)


def probability(name, value):
    """Return ``value`` as a float if it is a number in [0, 1]."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name}: expected a number in [0, 1], got {value!r}")
    if not 0 <= value <= 1:  # also rejects nan
        raise ValueError(f"{name}: expected a number in [0, 1], got {value}")
    return float(value)


def float_dtype(dtype):
    """Return ``numpy.dtype(dtype)`` if it is a floating dtype."""
    try:
        resolved = np.dtype(dtype)
    except TypeError:
        resolved = None
    if resolved is None or not np.issubdtype(resolved, np.floating):
        raise ValueError(
            f"dtype: expected a floating dtype such as numpy.float32, got {dtype!r}"
        )
    return resolved


def array(name, value, dtype):
    """Return ``value`` as an array of ``dtype``.

    Nested lists are converted; an ndarray of another dtype is refused, as
    torch refuses a tensor whose dtype differs from the parameters'.
    """
    if isinstance(value, np.ndarray) or hasattr(value, "__array__"):
        result = np.asarray(value)
        if result.dtype != dtype:
            raise ValueError(
                f"{name}: expected dtype {dtype} (the parameters' dtype), got "
                f"{result.dtype}; convert with .astype(numpy.{dtype}) or build "
                f"the module with dtype=numpy.{result.dtype}"
            )
        return result
    try:
        return np.asarray(value, dtype=dtype)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name}: expected an array of numbers, got {value!r}") from error


def shape(name, value, expected, meaning):
    """Refuse ``value`` unless its shape is ``expected``; ``meaning`` spells it out."""
    if value.shape != tuple(expected):
        raise ValueError(
            f"{name}: expected shape {tuple(expected)} = {meaning}, got {value.shape}"
        )
    return value
