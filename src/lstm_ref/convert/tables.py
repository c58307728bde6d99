"""Gate orders and parameter layouts of each framework, in one place.

The converters reorder blocks with these tables and the documentation prints
them, so what a page shows is what the code does. Gates are named as in
torch's equations: ``i, f, g, o`` for the LSTM (``g`` is the candidate that
colah calls ``C~`` and Keras and ONNX call ``c``), ``r, z, n`` for the GRU
(``n`` is the candidate that Keras and ONNX call ``h``) and ``h`` for the
single block of the plain RNN.
"""

import numpy as np

__all__ = ["GATE_ORDER", "FRAMEWORK_GATE_NAMES", "KINDS", "gate_order", "reorder"]

#: The block order of the stacked weights, per kind and framework, in torch's gate names.
GATE_ORDER = {
    "LSTM": {"torch": "ifgo", "keras": "ifgo", "onnx": "iofg"},
    "GRU": {"torch": "rzn", "keras": "zrn", "onnx": "zrn"},
    "RNN": {"torch": "h", "keras": "h", "onnx": "h"},
}

#: What each framework calls the candidate block (the other gates keep their letters).
FRAMEWORK_GATE_NAMES = {
    "torch": {"g": "g", "n": "n"},
    "keras": {"g": "c", "n": "h"},
    "onnx": {"g": "c", "n": "h"},
}

#: The kinds of module the converters know, with the number of stacked blocks.
KINDS = {"LSTM": 4, "GRU": 3, "RNN": 1}


def gate_order(kind, framework, spelled=False):
    """The gate order of ``kind`` in ``framework``.

    Parameters
    ----------
    kind : {"LSTM", "GRU", "RNN"}
        The kind of module, as in :data:`GATE_ORDER`.
    framework : {"torch", "keras", "onnx"}
        The framework whose block order is asked for.
    spelled : bool, optional
        Spell the gates as the framework names them (``"iofc"`` for ONNX's LSTM)
        instead of in torch's letters (``"iofg"``). Default False.

    Returns
    -------
    str
        One letter per stacked block, first block first.

    Raises
    ------
    ValueError
        If the kind or framework is unknown.

    Examples
    --------
    >>> from lstm_ref.convert import gate_order
    >>> gate_order("LSTM", "onnx"), gate_order("LSTM", "onnx", spelled=True)
    ('iofg', 'iofc')
    >>> gate_order("GRU", "keras", spelled=True)
    'zrh'
    """
    if kind not in GATE_ORDER:
        raise ValueError(f"kind: expected one of {sorted(GATE_ORDER)}, got {kind!r}")
    orders = GATE_ORDER[kind]
    if framework not in orders:
        raise ValueError(f"framework: expected one of {sorted(orders)}, got {framework!r}")
    order = orders[framework]
    if spelled:
        names = FRAMEWORK_GATE_NAMES[framework]
        order = "".join(names.get(gate, gate) for gate in order)
    return order


def reorder(stacked, source, target, axis=0):
    """Restack the gate blocks of ``stacked`` from order ``source`` to order ``target``.

    Parameters
    ----------
    stacked : numpy.ndarray
        A weight or bias whose ``axis`` stacks ``len(source)`` equal blocks.
    source, target : str
        The block orders, as permutations of the same letters (see :data:`GATE_ORDER`).
    axis : int, optional
        The stacking axis (0 for torch's and ONNX's rows, -1 for Keras's columns).
        Default 0.

    Returns
    -------
    numpy.ndarray
        A new array, blocks in the order ``target``.

    Raises
    ------
    ValueError
        If the orders are not permutations of each other, or the axis does not
        split into ``len(source)`` blocks.

    Examples
    --------
    >>> import numpy as np
    >>> from lstm_ref.convert import reorder
    >>> reorder(np.arange(4), "ifgo", "iofg")     # torch's LSTM rows into ONNX's
    array([0, 3, 1, 2])
    """
    if sorted(source) != sorted(target) or len(set(source)) != len(source):
        raise ValueError(
            f"target: expected a permutation of the gates {source!r}, got {target!r}")
    stacked = np.asarray(stacked)
    if stacked.ndim == 0 or stacked.shape[axis] % len(source):
        raise ValueError(
            f"stacked: expected axis {axis} divisible into {len(source)} blocks "
            f"({source!r}), got shape {stacked.shape}")
    blocks = dict(zip(source, np.split(stacked, len(source), axis=axis)))
    return np.concatenate([blocks[gate] for gate in target], axis=axis)
