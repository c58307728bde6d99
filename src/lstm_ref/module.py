"""Parameter bookkeeping shared by cells and layers, shaped like torch's."""

import numpy as np

from . import _checks

__all__ = ["Module"]


def _to_numpy(value):
    """An array from a numpy array, a nested list or a (CPU) torch tensor."""
    if hasattr(value, "detach"):
        value = value.detach().cpu().numpy()
    return np.asarray(value)


class Module:
    """Named parameters with torch's names, shapes and initialisation.

    A subclass lists its options in ``_options`` (the constructor arguments
    torch's module of the same name has) and yields ``(name, shape)`` pairs
    from ``_parameter_shapes``; parameters are then attributes
    (``m.weight_ih_l0``), in torch's order from ``state_dict()``.

    A parameter attribute can be assigned, as in torch: the new array must
    have the parameter's shape and the module's dtype, and the module then
    uses it (the array itself, not a copy). The options and the dtype are
    fixed at construction; assigning one raises ``AttributeError``.
    """

    _options = ()

    def _init_parameters(self, dtype, rng):
        """Draw every parameter from U(-1/sqrt(hidden_size), 1/sqrt(hidden_size))."""
        self.dtype = _checks.float_dtype(dtype)
        rng = _checks.generator("rng", rng)
        bound = 1.0 / np.sqrt(self.hidden_size)
        self._parameters = {
            name: rng.uniform(-bound, bound, size=shape).astype(self.dtype)
            for name, shape in self._parameter_shapes()
        }
        self._shapes = {name: value.shape for name, value in self._parameters.items()}

    def __getattr__(self, name):
        parameters = self.__dict__.get("_parameters", {})
        if name in parameters:
            return parameters[name]
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def __setattr__(self, name, value):
        shapes = self.__dict__.get("_shapes")
        if shapes is None:                       # still being constructed
            object.__setattr__(self, name, value)
        elif name in shapes:
            value = _checks.array(name, value, self.dtype)
            _checks.shape(name, value, shapes[name], "the parameter's shape")
            self._parameters[name] = value
        elif name in self._options or name in ("dtype", "kind"):
            raise AttributeError(
                f"{name}: the options of {type(self).__name__} are fixed at construction "
                f"(the parameters' shapes follow from them); build a new module with "
                f"{name}={value!r} and load_state_dict what it should keep"
            )
        else:
            object.__setattr__(self, name, value)

    def options(self):
        """The constructor options, as torch's module of the same name takes them.

        Returns
        -------
        dict
            Option name -> value, in the constructor's order (no ``dtype``).

        See Also
        --------
        to_torch : Builds torch's module from these options.

        Examples
        --------
        >>> from lstm_ref import GRU
        >>> GRU(3, 4, num_layers=2).options()["num_layers"]
        2
        """
        return {name: getattr(self, name) for name in self._options}

    def named_parameters(self):
        """The parameters in torch's order, as ``(name, array)`` pairs.

        Returns
        -------
        list of tuple
            ``(name, numpy.ndarray)``; the arrays are the live ones, so changing
            one in place changes the module.

        See Also
        --------
        state_dict : Copies instead of the live arrays.

        Examples
        --------
        >>> from lstm_ref import LSTMCell
        >>> [name for name, _ in LSTMCell(3, 2).named_parameters()]
        ['weight_ih', 'weight_hh', 'bias_ih', 'bias_hh']
        """
        return list(self._parameters.items())

    def num_parameters(self):
        """The number of scalars in all parameters (torch: ``sum(p.numel() ...)``).

        Returns
        -------
        int

        See Also
        --------
        lstm_ref.lstm_parameter_count : The same count in closed form.

        Examples
        --------
        >>> from lstm_ref import LSTM
        >>> LSTM(10, 20).num_parameters()        # 4*20*(10+20) + 2*4*20
        2560
        """
        return sum(p.size for p in self._parameters.values())

    def state_dict(self):
        """Copies of the parameters under torch's names, in torch's order.

        ``torch_module.load_state_dict({k: torch.from_numpy(v) for k, v in
        ref.state_dict().items()})`` loads them into torch.

        Returns
        -------
        dict
            Name -> a copy of the parameter (``numpy.ndarray``).

        See Also
        --------
        load_state_dict : The way back.

        Examples
        --------
        >>> from lstm_ref import GRU
        >>> {name: p.shape for name, p in GRU(2, 3).state_dict().items()}["weight_hh_l0"]
        (9, 3)
        """
        return {name: value.copy() for name, value in self._parameters.items()}

    def load_state_dict(self, state_dict):
        """Replace every parameter; names and shapes must match exactly.

        Parameters
        ----------
        state_dict : dict
            Parameter name -> value (any mapping): a numpy array, a nested list of real
            numbers or a CPU torch tensor, of the parameter's shape; values
            are copied and converted to this module's dtype.

        Raises
        ------
        TypeError
            If ``state_dict`` is not a mapping.
        ValueError
            If a name is missing or unexpected, or a value has the wrong shape
            or is not made of real numbers; nothing is replaced then.

        See Also
        --------
        state_dict : Makes such a mapping.

        Examples
        --------
        >>> from lstm_ref import GRU
        >>> a, b = GRU(2, 3, rng=0), GRU(2, 3, rng=1)
        >>> b.load_state_dict(a.state_dict())
        >>> bool((a.weight_ih_l0 == b.weight_ih_l0).all())
        True
        """
        if not hasattr(state_dict, "keys") or not hasattr(state_dict, "__getitem__"):
            raise TypeError(f"state_dict: expected a mapping of parameter names to arrays, "
                            f"got {type(state_dict).__name__}")
        expected = dict(self._parameter_shapes())
        missing = [name for name in expected if name not in state_dict]
        unexpected = [name for name in state_dict if name not in expected]
        if missing or unexpected:
            raise ValueError(
                f"state_dict: expected exactly the keys {list(expected)}; "
                f"missing {missing}, unexpected {unexpected}"
            )
        loaded = {}
        for name, shape in expected.items():
            value = _checks.real(name, _to_numpy(state_dict[name]), self.dtype)
            _checks.shape(name, value, shape, "as this module's options imply")
            loaded[name] = value.copy()
        self._parameters = loaded

    @classmethod
    def from_torch(cls, module):
        """Build the equivalent reference module from a ``torch.nn`` module.

        Parameters
        ----------
        module : torch.nn.Module
            An instance of the class of the same name (``torch.nn.LSTM`` for
            ``lstm_ref.LSTM`` ...), on the CPU; its options, dtype and
            parameters are copied.

        Returns
        -------
        object
            A new module of this class (``lstm_ref.LSTM`` for ``torch.nn.LSTM`` ...).

        Raises
        ------
        ValueError
            If ``module`` is not the torch class of the same name.

        See Also
        --------
        to_torch : The way back.

        Examples
        --------
        >>> import torch
        >>> from lstm_ref import GRU
        >>> GRU.from_torch(torch.nn.GRU(2, 3, bidirectional=True)).num_directions
        2
        """
        import torch  # only needed for interop

        torch_class = getattr(torch.nn, cls.__name__)
        if not isinstance(module, torch_class):
            raise ValueError(
                f"module: expected a torch.nn.{cls.__name__}, got {type(module).__name__}"
            )
        state = {name: _to_numpy(value) for name, value in module.state_dict().items()}
        options = {name: getattr(module, name) for name in cls._options}
        reference = cls(**options, dtype=next(iter(state.values())).dtype)
        reference.load_state_dict(state)
        return reference

    def to_torch(self):
        """Build the equivalent ``torch.nn`` module, holding copies of the parameters.

        Returns
        -------
        torch.nn.Module
            The torch class of the same name, with this module's options,
            dtype and parameters.

        See Also
        --------
        from_torch : The way back.

        Examples
        --------
        >>> import numpy as np
        >>> from lstm_ref import LSTMCell
        >>> LSTMCell(3, 2, dtype=np.float64).to_torch().weight_hh.dtype
        torch.float64
        """
        import torch  # only needed for interop

        torch_class = getattr(torch.nn, type(self).__name__)
        dtype = torch.from_numpy(np.zeros(0, self.dtype)).dtype
        module = torch_class(**self.options(), dtype=dtype)
        module.load_state_dict(
            {name: torch.from_numpy(value) for name, value in self.state_dict().items()}
        )
        return module

    def __repr__(self):
        options = ", ".join(f"{k}={v!r}" for k, v in self.options().items())
        return f"{type(self).__name__}({options}, dtype={self.dtype.name})"
