"""One time step of any kind, with torch's cell interface (``LSTMCell``, ``GRUCell``).

Everything here is written once against the step contract of
:mod:`lstm_ref.kind`: a cell class only names its kind.
"""

import numpy as np

from . import _checks, _docs
from .linear import affine
from .module import Module
from .tape import StepTape

__all__ = ["RecurrentCell"]


@_docs.fill
class RecurrentCell(Module):
    """One time step of a recurrent unit, with torch's cell interface.

    A subclass sets ``kind`` (a :class:`~lstm_ref.kind.Kind`); the
    parameters, the checks, the step with its input projection, and the
    backward pass follow from it. ``hx`` and the returned state are one
    array for a kind with one state (``h``) and a tuple in the kind's order
    otherwise (``(h, c)``).

    {{cell_parameters}}
    {{construction}}

    See Also
    --------
    lstm_ref.kind.Kind : The step contract a cell runs.
    lstm_ref.layer.RecurrentLayer : The same kind over a sequence.

    Examples
    --------
    >>> import numpy as np
    >>> from lstm_ref import GRUCell
    >>> cell = GRUCell(3, 4, rng=0)
    >>> cell.kind.states, cell(np.ones(3, np.float32)).shape
    (('h',), (4,))
    """

    _options = ("input_size", "hidden_size", "bias")
    kind = None

    def __init__(self, input_size, hidden_size, bias=True, *, dtype=np.float32, rng=None):
        self.input_size = _checks.size("input_size", input_size)
        self.hidden_size = _checks.size("hidden_size", hidden_size)
        self.bias = _checks.flag("bias", bias)
        self._init_parameters(dtype, rng)

    def _parameter_shapes(self):
        return self.kind.parameter_shapes(self.input_size, self.hidden_size, self.bias).items()

    def _states_in(self, group, values, n, batched, convert):
        """Check one array per state (None: zeros); return them each ``(N, size)``."""
        checked = []
        for name, value, size in zip(group, values, self.kind.sizes(self.hidden_size)):
            if value is None:
                checked.append(np.zeros((n, size), self.dtype))
                continue
            value = convert(name, value, self.dtype)
            units = "hidden_size" if size == self.hidden_size else str(size)
            if batched:
                _checks.shape(name, value, (n, size), f"(N, {units}) with N = {n} from input")
            else:
                _checks.shape(name, value, (size,), f"({units},), unbatched like input")
            checked.append(value if batched else value[np.newaxis])
        return tuple(checked)

    def _forward(self, input, hx, keep):
        """Run the step; return its record (batched) and, with ``keep``, the tape."""
        x = _checks.array("input", input, self.dtype)
        if x.ndim not in (1, 2) or x.shape[-1] != self.input_size:
            raise ValueError(
                f"input: expected shape (N, {self.input_size}) = (batch, input_size) "
                f"or ({self.input_size},) unbatched, got {x.shape}"
            )
        batched = x.ndim == 2
        x = x if batched else x[np.newaxis]
        values = _checks.group("hx", hx, self.kind.states)
        prev = self._states_in(self.kind.states, values, x.shape[0], batched, _checks.array)
        parameters = dict(self._parameters)
        if keep:   # the tape keeps what it read, as it was
            x, prev = x.copy(), tuple(state.copy() for state in prev)
            parameters = {name: value.copy() for name, value in parameters.items()}
        x_proj = affine(x, parameters["weight_ih"], parameters.get("bias_ih"))
        record = self.kind.step(x_proj, *prev, **self.kind.step_parameters(parameters))
        tape = StepTape(self, batched, x, parameters, prev, record) if keep else None
        return record, batched, tape

    def step(self, input, hx=None):
        """One step returning every intermediate of the kind's record.

        Parameters
        ----------
        input : array_like
            ``x_t``, shape ``(N, input_size)`` or ``(input_size,)`` unbatched.
        hx : numpy.ndarray or tuple of numpy.ndarray or None, optional
            The previous state(s), each ``(N, size)`` (or ``(size,)``
            unbatched); one array for a one-state kind, a tuple otherwise;
            None for zeros.

        Returns
        -------
        NamedTuple
            The kind's record (``LSTMStep``, ``GRUStep``), unbatched like the input.

        Raises
        ------
        ValueError
            If an argument has the wrong shape or dtype (the message names it).

        See Also
        --------
        forward : The new state only, and the cache for :meth:`backward`.

        Examples
        --------
        >>> import numpy as np
        >>> from lstm_ref import LSTMCell
        >>> s = LSTMCell(3, 2, rng=0).step(np.ones(3, np.float32))
        >>> s._fields, s.c.shape
        (('i', 'f', 'g', 'o', 'c', 'h'), (2,))
        """
        record, batched, _ = self._forward(input, hx, keep=False)
        return record if batched else type(record)(*(value[0] for value in record))

    def forward(self, input, hx=None, return_cache=False):
        """The new state, as ``torch.nn.LSTMCell`` / ``GRUCell`` return it.

        Parameters
        ----------
        input : array_like
            ``x_t``, shape ``(N, input_size)`` or ``(input_size,)`` unbatched.
        hx : numpy.ndarray or tuple of numpy.ndarray or None, optional
            The previous state(s) (see :meth:`step`); None for zeros.
        return_cache : bool, optional
            Also return what :meth:`backward` needs.

        Returns
        -------
        state : numpy.ndarray or tuple of numpy.ndarray
            ``h_1`` for a one-state kind, ``(h_1, c_1)`` for the LSTM.
        cache : lstm_ref.tape.StepTape
            Only with ``return_cache=True``.

        Raises
        ------
        ValueError
            If an argument has the wrong shape, dtype or type.

        See Also
        --------
        backward : The gradients, from the cache.

        Examples
        --------
        >>> import numpy as np
        >>> from lstm_ref import LSTMCell
        >>> h, c, cache = LSTMCell(3, 2, rng=0).forward(np.ones((4, 3), np.float32),
        ...                                             return_cache=True)
        >>> h.shape, c.shape
        ((4, 2), (4, 2))
        """
        keep = _checks.flag("return_cache", return_cache)
        record, batched, tape = self._forward(input, hx, keep)
        states = tuple(state if batched else state[0] for state in self.kind.new_states(record))
        if keep:   # the caller may change what it gets; the tape keeps its own
            states = tuple(state.copy() for state in states)
        result = states if len(states) > 1 else states[0]
        if not keep:
            return result
        return (*states, tape) if len(states) > 1 else (result, tape)

    def __call__(self, input, hx=None):
        """The new state: ``cell(input, hx)`` is ``cell.forward(input, hx)``.

        Parameters
        ----------
        input : array_like
            ``x_t``, shape ``(N, input_size)`` or ``(input_size,)`` unbatched.
        hx : numpy.ndarray or tuple of numpy.ndarray or None, optional
            The previous state(s); None for zeros.

        Returns
        -------
        numpy.ndarray or tuple of numpy.ndarray
            ``h_1``, or ``(h_1, c_1)`` for the LSTM.

        Examples
        --------
        >>> import numpy as np
        >>> from lstm_ref import GRUCell
        >>> GRUCell(3, 2, rng=0)(np.ones((5, 3), np.float32)).shape
        (5, 2)
        """
        return self.forward(input, hx)

    def backward(self, cache, *grad_states, **grad_by_name):
        """The gradients of a loss, given its gradients with respect to the new state.

        Parameters
        ----------
        cache : lstm_ref.tape.StepTape
            From this cell's ``forward(..., return_cache=True)``.
        *grad_states : array_like or None
            d loss / d of each new state, in the kind's order (``grad_h``,
            then ``grad_c`` for the LSTM), shaped like the state; None or
            left out means zeros.
        **grad_by_name : array_like or None
            The same by name: ``grad_h=...``, ``grad_c=...``.

        Returns
        -------
        dict
            ``input``, one entry per state (``h``, ``c``), and every
            parameter under torch's names, each shaped like what it is the
            gradient of.

        Raises
        ------
        TypeError
            If ``cache`` is not a cell's cache, or a gradient is given twice
            or under an unknown name.
        ValueError
            If ``cache`` came from another cell, or a gradient has the wrong
            shape or is not an array of real numbers.

        See Also
        --------
        forward : Makes the cache.
        lstm_ref.numerical_gradient : Finite differences, an independent check.

        Examples
        --------
        >>> import numpy as np
        >>> from lstm_ref import LSTMCell
        >>> lstm_cell = LSTMCell(3, 2, dtype=np.float64, rng=0)
        >>> *state, cache = lstm_cell.forward(np.ones((4, 3)), return_cache=True)
        >>> grads = lstm_cell.backward(cache, np.ones((4, 2)), grad_c=np.zeros((4, 2)))
        >>> grads["input"].shape, grads["c"].shape, grads["weight_hh"].shape
        ((4, 3), (4, 2), (8, 2))
        """
        tape = _checks.tape(self, cache, StepTape)
        names = tuple(f"grad_{state}" for state in self.kind.states)
        grads = _by_name(names, grad_states, grad_by_name)
        n = tape.input.shape[0]
        d_new = self._states_in(names, grads, n, tape.batched, _checks.real)
        p = tape.parameters
        d_x_proj, d_prev, d_parameters = self.kind.step_backward(
            tape.record, tape.prev, d_new, **self.kind.step_parameters(p))
        result = {"input": d_x_proj @ p["weight_ih"]}        # x_proj = x W_ih^T + b_ih
        result.update(zip(self.kind.states, d_prev))
        if not tape.batched:
            result = {name: value[0] for name, value in result.items()}
        result["weight_ih"] = d_x_proj.T @ tape.input
        if "bias_ih" in p:
            result["bias_ih"] = d_x_proj.sum(axis=0)
        result.update((name, d) for name, d in d_parameters.items() if d is not None)
        return result


def _by_name(names, positional, named):
    """One gradient per name from positional and keyword arguments (None if absent)."""
    if len(positional) > len(names):
        raise TypeError(f"expected at most {len(names)} gradients ({', '.join(names)}), "
                        f"got {len(positional)}")
    values = dict(zip(names, positional))
    for name, value in named.items():
        if name not in names:
            raise TypeError(f"{name}: unexpected; the gradients are {', '.join(names)}")
        if name in values:
            raise TypeError(f"{name}: given twice, by position and by name")
        values[name] = value
    return tuple(values.get(name) for name in names)
