"""Argument checks shared by the cells, layers and functions.

Every failure is a ``ValueError`` (a ``TypeError`` for a wrong kind of
object) whose message names the argument, what was expected and what came,
so that a wrong shape never reaches numpy's broadcasting or a traceback from
deep inside a matrix product.
"""

import numbers
import reprlib

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


def proj_size(value, hidden_size):
    """Return ``value`` as an int if it is 0 or a size smaller than ``hidden_size``.

    torch refuses a negative ``proj_size`` and one that is not smaller than
    ``hidden_size``; so does every function here that takes one.
    """
    value = size("proj_size", value, minimum=0)
    if value >= hidden_size:
        raise ValueError(
            f"proj_size: expected 0 (no projection) or a size smaller than "
            f"hidden_size = {hidden_size}, got {value}"
        )
    return value


def flag(name, value):
    """Return ``value`` as a bool if it is one."""
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name}: expected True or False, got {value!r}")
    return bool(value)


def choice(name, value, choices):
    """Return ``value`` if it is one of ``choices``."""
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{name}: expected one of {tuple(choices)}, got {value!r}")
    return value


def probability(name, value):
    """Return ``value`` as a float if it is a number in [0, 1]."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name}: expected a number in [0, 1], got {value!r}")
    if not 0 <= value <= 1:  # also rejects nan
        raise ValueError(f"{name}: expected a number in [0, 1], got {value}")
    return float(value)


def positive(name, value):
    """Return ``value`` as a float if it is a finite number > 0."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real) \
            or not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name}: expected a finite number > 0, got {value!r}")
    return float(value)


def float_dtype(dtype):
    """Return ``numpy.dtype(dtype)`` if it is a floating dtype; None means float32 (torch's default)."""
    if dtype is None:
        return np.dtype(np.float32)
    try:
        resolved = np.dtype(dtype)
    except TypeError:
        resolved = None
    if resolved is None or not np.issubdtype(resolved, np.floating):
        raise ValueError(
            f"dtype: expected a floating dtype such as numpy.float32, got {dtype!r}"
        )
    return resolved


def generator(name, value):
    """Return ``numpy.random.default_rng(value)`` for a seed, a Generator or None."""
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name}: expected a numpy.random.Generator, an integer seed or None, "
                        f"got {value!r}")
    try:
        return np.random.default_rng(value)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name}: expected a numpy.random.Generator, an integer seed or None, "
                        f"got {value!r} ({type(value).__name__})") from error


def real_numbers(name, value):
    """``value`` as an ndarray of real numbers, refusing what numpy would turn into nonsense."""
    if isinstance(value, (str, bytes, dict, set)) or value is None:
        raise TypeError(f"{name}: expected an array of numbers, got {type(value).__name__}")
    try:
        result = np.asarray(value)
    except (TypeError, ValueError) as error:   # ragged nested lists
        raise ValueError(f"{name}: expected an array of numbers (a rectangular nested "
                         f"list or an ndarray), got {reprlib.repr(value)}") from error
    if result.dtype.kind not in "iuf":
        what = {"b": "booleans", "c": "complex numbers", "O": "objects (ragged lists or None)"}
        raise ValueError(f"{name}: expected an array of real numbers, got "
                         f"{what.get(result.dtype.kind, f'dtype {result.dtype}')}")
    return result


def array(name, value, dtype):
    """Return ``value`` as an array of ``dtype``.

    Nested lists of real numbers are converted; an ndarray of another dtype
    is refused, as torch refuses a tensor whose dtype differs from the
    parameters'.
    """
    if isinstance(value, np.ndarray) or hasattr(value, "__array__"):
        result = np.asarray(value)
        if result.dtype.kind not in "iuf":
            real_numbers(name, result)              # says what the array holds instead
        if result.dtype != dtype:
            raise ValueError(
                f"{name}: expected dtype {dtype} (the parameters' dtype), got "
                f"{result.dtype}; convert with .astype(numpy.{dtype}) or build "
                f"the module with dtype=numpy.{result.dtype}"
            )
        return result
    return real_numbers(name, value).astype(dtype)


def real(name, value, dtype):
    """Return ``value`` (real numbers of any dtype) converted to ``dtype``."""
    return real_numbers(name, value).astype(dtype, copy=False)


def shape(name, value, expected, meaning):
    """Refuse ``value`` unless its shape is ``expected``; ``meaning`` spells it out."""
    if value.shape != tuple(expected):
        raise ValueError(
            f"{name}: expected shape {tuple(expected)} = {meaning}, got {value.shape}"
        )
    return value


def group(name, value, names):
    """Split ``value`` into one entry per name in ``names``; None means all None.

    One name: ``value`` itself. Several: a tuple or list of that length.
    """
    if value is None:
        return (None,) * len(names)
    if len(names) == 1:
        return (value,)
    if not isinstance(value, (tuple, list)) or len(value) != len(names):
        count = "a pair" if len(names) == 2 else f"a tuple of {len(names)}"
        got = (f"{type(value).__name__} of length {len(value)}"
               if isinstance(value, (tuple, list)) else type(value).__name__)
        raise ValueError(f"{name}: expected {count} ({', '.join(names)}), got {got}")
    return tuple(value)


def index(name, value, stop):
    """Return ``value`` as an int if it is an integer in [0, stop)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral) \
            or not 0 <= value < stop:
        raise ValueError(f"{name}: expected an integer in [0, {stop - 1}], got {value!r}")
    return int(value)


def tape(module, cache, tape_type):
    """Return ``cache`` if it is a ``tape_type`` that ``module``'s forward pass recorded."""
    if not isinstance(cache, tape_type):
        raise TypeError(f"cache: expected the {tape_type.__name__} that "
                        f"forward(..., return_cache=True) returned, got {type(cache).__name__}")
    if cache.module is not module:
        raise ValueError(f"cache: expected a cache from this module's forward pass, got one "
                         f"from another module, {cache.module!r}")
    return cache


def step_arrays(function, gates, x_proj, weight_hh, bias_hh=None, weight_hr=None,
                states=(), per_unit=()):
    """Refuse the arrays of a step function unless their shapes fit together.

    ``weight_hh`` is ``(gates * H, H_out)``, which fixes the rest: ``x_proj`` is
    ``(*batch, gates * H)``, ``bias_hh`` ``(gates * H,)``, a projection ``weight_hr``
    ``(H_out, H)``, the first of ``states`` (``h_prev``) ``(*batch, H_out)``, every
    other state ``(*batch, H)`` and every ``per_unit`` weight ``(H,)``. ``states``
    and ``per_unit`` are ``(name, array)`` pairs; ``batch`` is ``x_proj``'s.
    The layers check their inputs once and call the steps many times, so the
    shapes are compared first and the messages are built only for a misfit.
    """
    named = (("x_proj", x_proj), ("weight_hh", weight_hh), ("bias_hh", bias_hh),
             ("weight_hr", weight_hr), *states, *per_unit)
    for name, value in named:
        if value is not None and not isinstance(value, np.ndarray):
            raise TypeError(f"{function}: {name}: expected a numpy.ndarray, "
                            f"got {type(value).__name__}")
    if weight_hh.ndim != 2 or weight_hh.shape[0] % gates:
        raise ValueError(f"{function}: weight_hh: expected shape ({gates} * hidden_size, H_out), "
                         f"got {weight_hh.shape}")
    H, H_out = weight_hh.shape[0] // gates, weight_hh.shape[1]
    if x_proj.ndim not in (1, 2):
        raise ValueError(f"{function}: x_proj: expected shape (N, {gates} * hidden_size) or "
                         f"({gates} * hidden_size,), got {x_proj.shape}")
    batch = x_proj.shape[:-1]
    expected = [("x_proj", x_proj, (*batch, gates * H)), ("bias_hh", bias_hh, (gates * H,)),
                ("weight_hr", weight_hr, (H_out, H))]
    expected += [(name, value, (*batch, H_out if k == 0 else H))
                 for k, (name, value) in enumerate(states)]
    expected += [(name, value, (H,)) for name, value in per_unit]
    for name, value, fitting in expected:
        if value is not None and value.shape != fitting:
            shape(f"{function}: {name}", value, fitting,
                  f"hidden_size = {H} and H_out = {H_out} from weight_hh")
