"""Reading a module's parameters per layer and direction, and building one back.

The converters work on one ``(layer, direction)`` at a time, with torch's
parameter names without their suffixes (``weight_ih``, ``weight_hh``,
``bias_ih``, ``bias_hh``, plus whatever extra a variant has). This module
turns a module into that list and such a list back into a module whose
sizes are read off the weights.
"""

import numpy as np

__all__ = ["module_kind", "directions_of", "build_module"]


def module_kind(module, allowed):
    """The class name of ``module`` if it is one of ``allowed`` (names of lstm_ref classes)."""
    import lstm_ref

    for name in allowed:
        cls = getattr(lstm_ref, name, None)
        if cls is not None and type(module) is cls:
            return name
    raise TypeError(
        f"module: expected an lstm_ref module of kind {', '.join(allowed)}, "
        f"got {type(module).__module__}.{type(module).__name__}")


def directions_of(module):
    """``[[forward_params, (reverse_params)], ...]``, one list per layer, arrays as copies."""
    layers = []
    for layer in range(module.num_layers):
        per_direction = []
        for direction in range(module.num_directions):
            suffix = f"_l{layer}" + ("_reverse" if direction else "")
            per_direction.append({
                name[: -len(suffix)]: value.copy()
                for name, value in module.named_parameters() if name.endswith(suffix)
            })
        layers.append(per_direction)
    return layers


def build_module(kind, layers, extra_options=None, dtype=None):
    """An lstm_ref module of class ``kind`` holding ``layers`` (as :func:`directions_of` gives).

    ``input_size`` is read from the first layer's ``weight_ih``, ``hidden_size``
    from ``weight_ih``'s rows, ``num_layers`` and ``bidirectional`` from the
    list, ``bias`` from the presence of ``bias_ih``. Every layer and direction
    must agree; otherwise a ``ValueError`` says which one does not.
    """
    import lstm_ref

    if not layers or any(len(d) not in (1, 2) or len(d) != len(layers[0]) for d in layers):
        raise ValueError(
            "layers: expected one or more layers, each with one direction or two "
            f"(bidirectional), the same for all; got {[len(d) for d in layers]} directions")
    cls = getattr(lstm_ref, kind)
    # the RNN sets its kind per instance (one per nonlinearity); it has one block
    gate_count = len(cls.kind.gates) if cls.kind is not None else 1
    first = layers[0][0]
    rows, input_size = np.shape(first["weight_ih"])
    if rows % gate_count:
        raise ValueError(
            f"weight_ih: expected {gate_count} stacked blocks of hidden_size rows for "
            f"{kind}, got {rows} rows")
    hidden_size = rows // gate_count
    bias = first.get("bias_ih") is not None
    dtype = np.dtype(dtype) if dtype is not None else np.asarray(first["weight_ih"]).dtype
    options = dict(num_layers=len(layers), bias=bias, bidirectional=len(layers[0]) == 2)
    options.update(extra_options or {})
    module = cls(input_size, hidden_size, **options, dtype=dtype)
    expected = dict(module._parameter_shapes())
    state = {}
    for layer, per_direction in enumerate(layers):
        for direction, params in enumerate(per_direction):
            suffix = f"_l{layer}" + ("_reverse" if direction else "")
            for name, value in params.items():
                if value is None:
                    continue
                key = name + suffix
                if key not in expected:
                    raise ValueError(
                        f"{key}: not a parameter of {kind}({input_size}, {hidden_size}, "
                        f"{', '.join(f'{k}={v!r}' for k, v in options.items())})")
                if np.shape(value) != expected[key]:
                    raise ValueError(
                        f"{key}: expected shape {expected[key]} (input_size={input_size}, "
                        f"hidden_size={hidden_size} read from the first layer), "
                        f"got {np.shape(value)}")
                state[key] = np.asarray(value, dtype)
    module.load_state_dict(state)
    return module
