"""The per-gate parameters of two textbook notations: colah's post and d2l.

colah ("Understanding LSTM Networks", 2015) writes one matrix per gate acting
on the concatenation ``[h_{t-1}, x_t]`` and one bias per gate::

    f_t = sigma(W_f . [h_{t-1}, x_t] + b_f)     (and W_i, W_C, W_o with b_i, b_C, b_o)

d2l (Dive into Deep Learning, ch. 10) multiplies row vectors from the right,
``I_t = sigma(X_t W_xi + H_{t-1} W_hi + b_i)``, so ``W_xi`` is torch's block
transposed, ``(input_size, H)``. Both have one bias per gate: torch's two
become their sum, and coming back the sum is ``bias_ih`` with ``bias_hh = 0``.

Both write the GRU with the reset gate *before* the product,
``tanh(W . [r_t * h_{t-1}, x_t])`` (colah) and ``tanh(X W_xh + (R * H) W_hh + b_h)``
(d2l): that is :class:`lstm_ref.ResetBeforeGRU`, not torch's GRU, which
these forms cannot hold and so refuse. colah's GRU has no biases and its
``z_t`` is the share of the *new* state, ``h_t = (1 - z_t) h_{t-1} + z_t h~_t``:
its ``W_z`` is the negative of ours, since ``1 - sigma(a) = sigma(-a)``.
"""

import numpy as np

from ._modules import build_module, directions_of, module_kind
from .tables import GATE_ORDER

__all__ = ["to_colah", "from_colah", "to_d2l", "from_d2l"]

# torch gate letter -> the notation's name of that gate
_COLAH = {"LSTM": {"i": "i", "f": "f", "g": "C", "o": "o"},
          "ResetBeforeGRU": {"r": "r", "z": "z", "n": ""},
          "RNN": {"h": ""}}
_D2L = {"LSTM": {"i": "i", "f": "f", "g": "c", "o": "o"},
        "ResetBeforeGRU": {"r": "r", "z": "z", "n": "h"},
        "RNN": {"h": "h"}}
_TORCH_KIND = {"LSTM": "LSTM", "ResetBeforeGRU": "GRU", "RNN": "RNN"}


def _name(symbol, gate):
    return f"{symbol}_{gate}" if gate else symbol


def _one_direction(module, layer, direction, allowed, notation):
    kind = module_kind(module, allowed + ("GRU",))
    if kind == "GRU":
        raise ValueError(
            f"module: {notation}'s GRU applies the reset gate before the product "
            f"(lstm_ref.ResetBeforeGRU); torch's GRU applies it after, which {notation}'s "
            f"form cannot hold. Expected one of {', '.join(allowed)}, got GRU")
    if getattr(module, "proj_size", 0):
        raise ValueError(f"module: {notation}'s LSTM has no projection; expected proj_size=0, "
                         f"got {module.proj_size}")
    for name, value, bound in (("layer", layer, module.num_layers),
                               ("direction", direction, module.num_directions)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) \
                or not 0 <= value < bound:
            raise ValueError(f"{name}: expected an integer in [0, {bound - 1}], got {value!r}")
    return kind, directions_of(module)[layer][direction]


def _blocks(kind, params):
    """Per torch gate letter: (W_ih block, W_hh block, b_ih + b_hh block or None)."""
    order = GATE_ORDER[_TORCH_KIND[kind]]["torch"]
    split = lambda a: dict(zip(order, np.split(a, len(order), axis=0)))  # noqa: E731
    w_ih, w_hh = split(params["weight_ih"]), split(params["weight_hh"])
    bias = None if params.get("bias_ih") is None else split(params["bias_ih"] + params["bias_hh"])
    return order, {g: (w_ih[g], w_hh[g], None if bias is None else bias[g]) for g in order}


def to_colah(module, layer=0, direction=0):
    """colah's ``W_f, W_i, W_C, W_o`` and ``b_*`` (LSTM) of one layer and direction.

    Parameters
    ----------
    module : lstm_ref.LSTM, lstm_ref.ResetBeforeGRU or lstm_ref.RNN
        The layer to read.
    layer, direction : int, optional
        Which layer (from 0) and direction (0 forward, 1 reverse). Default 0.

    Returns
    -------
    dict of str to numpy.ndarray
        LSTM: ``W_f, W_i, W_C, W_o`` of shape ``(H, H + input_size)`` (columns
        ``[h_{t-1} | x_t]``) and ``b_f, b_i, b_C, b_o``. GRU: ``W_z, W_r, W``
        (no biases; ``W_z`` for colah's ``z``, the share of the new state).
        RNN: ``W`` and ``b``.

    Raises
    ------
    TypeError
        If ``module`` is not an lstm_ref layer of those kinds.
    ValueError
        For torch's GRU (reset after the product), a projection, a GRU
        with biases (colah's has none), or a layer or direction out of range.

    Examples
    --------
    >>> import lstm_ref
    >>> from lstm_ref.convert import to_colah
    >>> {k: v.shape for k, v in to_colah(lstm_ref.LSTM(3, 2, rng=0)).items()}
    {'W_i': (2, 5), 'b_i': (2,), 'W_f': (2, 5), 'b_f': (2,), 'W_C': (2, 5), 'b_C': (2,), \
'W_o': (2, 5), 'b_o': (2,)}
    """
    kind, params = _one_direction(module, layer, direction, tuple(_COLAH), "colah")
    order, blocks = _blocks(kind, params)
    gates = {}
    for g in order:
        w_ih, w_hh, b = blocks[g]
        W = np.concatenate([w_hh, w_ih], axis=1)
        if kind == "ResetBeforeGRU":
            if b is not None and np.any(b):
                raise ValueError("module: colah's GRU has no biases; expected all biases zero "
                                 "(or bias=False), got non-zero ones")
            gates[_name("W", _COLAH[kind][g])] = -W if g == "z" else W
            continue
        gates[_name("W", _COLAH[kind][g])] = W
        gates[_name("b", _COLAH[kind][g])] = np.zeros(len(W), W.dtype) if b is None else b
    return gates


def to_d2l(module, layer=0, direction=0):
    """d2l's ``W_x*, W_h*, b_*`` of one layer and direction.

    Parameters
    ----------
    module : lstm_ref.LSTM, lstm_ref.ResetBeforeGRU or lstm_ref.RNN
        The layer to read.
    layer, direction : int, optional
        Which layer (from 0) and direction (0 forward, 1 reverse). Default 0.

    Returns
    -------
    dict of str to numpy.ndarray
        LSTM: ``W_xi, W_hi, b_i`` and likewise for ``f``, ``o`` and ``c`` (the
        candidate); GRU: ``r``, ``z``, ``h``; RNN: ``W_xh, W_hh, b_h``.
        ``W_x*`` is ``(input_size, H)``, ``W_h*`` is ``(H, H)``.

    Raises
    ------
    TypeError
        If ``module`` is not an lstm_ref layer of those kinds.
    ValueError
        For torch's GRU (reset after the product), a projection, or a layer
        or direction out of range.

    Examples
    --------
    >>> import lstm_ref
    >>> from lstm_ref.convert import to_d2l
    >>> sorted(to_d2l(lstm_ref.ResetBeforeGRU(3, 2, rng=0)))
    ['W_hh', 'W_hr', 'W_hz', 'W_xh', 'W_xr', 'W_xz', 'b_h', 'b_r', 'b_z']
    """
    kind, params = _one_direction(module, layer, direction, tuple(_D2L), "d2l")
    order, blocks = _blocks(kind, params)
    gates = {}
    for g in order:
        w_ih, w_hh, b = blocks[g]
        name = _D2L[kind][g]
        gates[f"W_x{name}"], gates[f"W_h{name}"] = w_ih.T.copy(), w_hh.T.copy()
        gates[f"b_{name}"] = np.zeros(len(w_ih), w_ih.dtype) if b is None else b
    return gates


def _kind_of(gates, table, symbols):
    keys = set(gates)
    for kind, names in table.items():
        if keys == {_name(s, names[g]) for g in names for s in symbols(kind)}:
            return kind
    expected = {kind: sorted(_name(s, n[g]) for g in n for s in symbols(kind))
                for kind, n in table.items()}
    raise ValueError(f"gates: expected the keys of one kind, {expected}; got {sorted(keys)}")


def _from_gates(kind, layers, read, batch_first, dtype):
    """A module from per-layer (or per-layer, per-direction) gate dicts."""
    if isinstance(layers, dict):
        layers = [layers]
    layers = [[d] if isinstance(d, dict) else list(d) for d in layers]
    built = []
    for per_direction in layers:
        built.append([])
        for gates in per_direction:
            order = GATE_ORDER[_TORCH_KIND[kind]]["torch"]
            parts = [read(gates, g) for g in order]
            params = {"weight_ih": np.concatenate([p[0] for p in parts]),
                      "weight_hh": np.concatenate([p[1] for p in parts])}
            if parts[0][2] is not None:
                params["bias_ih"] = np.concatenate([p[2] for p in parts])
                params["bias_hh"] = np.zeros_like(params["bias_ih"])
            built[-1].append(params)
    return build_module(kind, built, {"batch_first": batch_first}, dtype)


def _checked(gates, name, ndim):
    value = np.asarray(gates[name])
    if value.ndim != ndim:
        raise ValueError(f"{name}: expected a {ndim}-D array, got shape {value.shape}")
    return value


def from_colah(gates, *, batch_first=False, dtype=None):
    """Build a module from colah's per-gate parameters; the kind is read from the keys.

    Parameters
    ----------
    gates : dict or list of dict or list of tuple of dict
        One layer's gates, as :func:`to_colah` returns them; or a list of them,
        one per layer; or, for a bidirectional module, a list of pairs
        ``(forward, reverse)``, one per layer.
    batch_first : bool, optional
        The module's layout. Default False.
    dtype : numpy.dtype, optional
        By default the arrays'.

    Returns
    -------
    lstm_ref.LSTM, lstm_ref.ResetBeforeGRU or lstm_ref.RNN
        ``input_size`` is read from the width of ``W`` minus its height.

    Raises
    ------
    ValueError
        If the keys are not those of one kind, or an array's shape does not fit.

    Examples
    --------
    >>> import numpy as np
    >>> import lstm_ref
    >>> from lstm_ref.convert import from_colah, to_colah
    >>> lstm = lstm_ref.LSTM(3, 2, dtype=np.float64, rng=0)
    >>> back = from_colah(to_colah(lstm))
    >>> x = np.ones((4, 1, 3))
    >>> bool(np.allclose(back(x)[0], lstm(x)[0], rtol=1e-14, atol=0))
    True
    """
    first = gates if isinstance(gates, dict) else gates[0]
    first = first if isinstance(first, dict) else first[0]
    symbols = lambda kind: ("W",) if kind == "ResetBeforeGRU" else ("W", "b")  # noqa: E731
    kind = _kind_of(first, _COLAH, symbols)

    def read(gates, g):
        name = _COLAH[kind][g]
        W = _checked(gates, _name("W", name), 2)
        hidden = W.shape[0]
        if W.shape[1] <= hidden:
            raise ValueError(f"{_name('W', name)}: expected shape (H, H + input_size) with "
                             f"input_size >= 1, got {W.shape}")
        w_hh, w_ih = W[:, :hidden], W[:, hidden:]
        if kind == "ResetBeforeGRU":
            sign = -1 if g == "z" else 1
            return sign * w_ih, sign * w_hh, None
        return w_ih, w_hh, _checked(gates, _name("b", name), 1)

    return _from_gates(kind, gates, read, batch_first, dtype)


def from_d2l(gates, *, batch_first=False, dtype=None):
    """Build a module from d2l's per-gate parameters; the kind is read from the keys.

    Parameters
    ----------
    gates : dict or list of dict or list of tuple of dict
        One layer's gates, as :func:`to_d2l` returns them; or a list of them,
        one per layer; or, for a bidirectional module, a list of pairs
        ``(forward, reverse)``, one per layer.
    batch_first : bool, optional
        The module's layout. Default False.
    dtype : numpy.dtype, optional
        By default the arrays'.

    Returns
    -------
    lstm_ref.LSTM, lstm_ref.ResetBeforeGRU or lstm_ref.RNN
        ``input_size`` and ``hidden_size`` are read from ``W_x*``.

    Raises
    ------
    ValueError
        If the keys are not those of one kind, or an array's shape does not fit.

    Examples
    --------
    >>> import numpy as np
    >>> import lstm_ref
    >>> from lstm_ref.convert import from_d2l, to_d2l
    >>> rnn = lstm_ref.RNN(3, 2, dtype=np.float64, rng=0)
    >>> back = from_d2l(to_d2l(rnn))
    >>> bool(np.array_equal(back.weight_hh_l0, rnn.weight_hh_l0))
    True
    """
    first = gates if isinstance(gates, dict) else gates[0]
    first = first if isinstance(first, dict) else first[0]

    keys = set(first)
    kind = None
    for candidate, names in _D2L.items():
        expected = {f"W_x{n}" for n in names.values()} | {f"W_h{n}" for n in names.values()} \
            | {f"b_{n}" for n in names.values()}
        if keys == expected:
            kind = candidate
    if kind is None:
        raise ValueError(f"gates: expected d2l's keys of an LSTM (W_xi, W_hi, b_i, ... c), "
                         f"GRU (r, z, h) or RNN (W_xh, W_hh, b_h); got {sorted(keys)}")

    def read(gates, g):
        name = _D2L[kind][g]
        w_x, w_h = _checked(gates, f"W_x{name}", 2), _checked(gates, f"W_h{name}", 2)
        return w_x.T, w_h.T, _checked(gates, f"b_{name}", 1)

    return _from_gates(kind, gates, read, batch_first, dtype)
