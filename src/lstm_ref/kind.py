"""The step contract: what a kind of recurrent unit declares, in one place.

A kind is two functions and a record:

``step(x_proj, *prev, **parameters) -> record``
    One time step, written as its equations, one line each. ``x_proj`` is the
    input's share of the pre-activations, ``x_t W_ih^T + b_ih`` (the machinery
    computes it for all time steps at once); ``prev`` are the previous states
    in the order of ``states``; ``parameters`` are the kind's other
    parameters of one layer and direction, by name (``weight_hh``,
    ``bias_hh`` when the module has biases, and any
    ``extra_parameters``). The record is a ``NamedTuple`` of every
    intermediate, with one field per state name holding the new state.

``step_backward(step, prev, d_new, **parameters) -> (d_x_proj, d_prev, d_parameters)``
    The chain rule through one step, one line per derivative. ``step`` is the
    record, ``prev`` the states the step started from, ``d_new`` the gradients
    reaching the new states (same order). It returns the gradient of
    ``x_proj``, a tuple with the gradients of the previous states, and a dict
    with the gradient of every parameter it was given (summed over the batch).

Everything else (cells, layers, stacking, directions, ``batch_first``,
``lengths``, dropout, unbatched input and backpropagation through time) is
written once against this contract, in ``lstm_ref.cell``,
``lstm_ref.layer`` and ``lstm_ref.bptt``.
"""

import operator
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Kind"]


@dataclass(frozen=True)
class Kind:
    """One kind of recurrent unit: its gates, states, parameters and step.

    Parameters
    ----------
    name : str
        The kind's name, as in messages (``"LSTM"``).
    gates : tuple of str
        The blocks stacked in the rows of ``weight_ih``, ``weight_hh`` and the
        biases, in order (``("i", "f", "g", "o")`` for the LSTM).
    states : tuple of str
        The names of the recurrent states, the output first (``("h", "c")``).
    step : callable
        ``step(x_proj, *prev, **parameters) -> NamedTuple`` with one field per
        name in ``states``; see the module's description.
    step_backward : callable
        ``step_backward(step, prev, d_new, **parameters) -> (d_x_proj, d_prev,
        d_parameters)``; see the module's description.
    options : tuple of str, optional
        The kind's own constructor options (``("proj_size",)`` for the LSTM);
        they are passed by name to ``state_sizes`` and ``extra_parameters``.
    state_sizes : callable, optional
        ``state_sizes(hidden_size, **options) -> tuple of int``, the size of
        each state; by default every state has ``hidden_size`` units.
    extra_parameters : callable, optional
        ``extra_parameters(hidden_size, **options) -> dict``, the shapes of the
        parameters beyond ``weight_ih``, ``weight_hh``, ``bias_ih`` and
        ``bias_hh`` (such as the LSTM's projection ``weight_hr``), by name.
    fast_step : callable, optional
        The same function as ``step`` (same arguments, same record, value
        for value) computed faster at the cost of reading less like the
        equations; the layers run it when it is given. The tests check it
        equal to ``step``.

    See Also
    --------
    lstm_ref.cell.RecurrentCell : A cell of any kind.
    lstm_ref.layer.RecurrentLayer : Layers of any kind.

    Examples
    --------
    >>> from lstm_ref.lstm import LSTM_KIND
    >>> LSTM_KIND.gates, LSTM_KIND.states
    (('i', 'f', 'g', 'o'), ('h', 'c'))
    >>> LSTM_KIND.parameter_shapes(input_size=3, hidden_size=4, bias=False, proj_size=2)
    {'weight_ih': (16, 3), 'weight_hh': (16, 2), 'weight_hr': (2, 4)}
    """

    name: str
    gates: tuple
    states: tuple
    step: Callable
    step_backward: Callable
    options: tuple = ()
    state_sizes: Callable = None
    extra_parameters: Callable = None
    fast_step: Callable = None

    def sizes(self, hidden_size, **options):
        """The size of each state, in the order of ``states``.

        Parameters
        ----------
        hidden_size : int
            ``H``, the number of units.
        **options
            The kind's own options (see ``options``).

        Returns
        -------
        tuple of int
            One size per state; the first is the output's width, ``H_out``.

        Examples
        --------
        >>> from lstm_ref.lstm import LSTM_KIND
        >>> LSTM_KIND.sizes(5), LSTM_KIND.sizes(5, proj_size=3)
        ((5, 5), (3, 5))
        """
        if self.state_sizes is None:
            return (hidden_size,) * len(self.states)
        return tuple(self.state_sizes(hidden_size, **options))

    def step_parameters(self, parameters):
        """The parameters ``step`` and ``step_backward`` take: all but the input's.

        Parameters
        ----------
        parameters : dict
            One layer and direction's parameters by name, without suffixes.

        Returns
        -------
        dict
            ``parameters`` without ``weight_ih`` and ``bias_ih``, which only
            enter through ``x_proj``.

        Examples
        --------
        >>> from lstm_ref import GRUCell
        >>> cell = GRUCell(2, 3)
        >>> sorted(cell.kind.step_parameters(dict(cell.named_parameters())))
        ['bias_hh', 'weight_hh']
        """
        return {name: value for name, value in parameters.items()
                if name not in ("weight_ih", "bias_ih")}

    def new_states(self, record):
        """The new states a step's record holds, in the order of ``states``.

        Parameters
        ----------
        record : NamedTuple
            What ``step`` returned.

        Returns
        -------
        tuple of numpy.ndarray
            ``record.h`` (and ``record.c`` ...), one per state name.

        Examples
        --------
        >>> import numpy as np
        >>> from lstm_ref import LSTMCell
        >>> cell = LSTMCell(2, 3, rng=0)
        >>> record = cell.step(np.ones(2, np.float32))
        >>> [s.shape for s in cell.kind.new_states(record)]
        [(3,), (3,)]
        """
        return self._new_states(record)

    def __post_init__(self):
        pick = operator.attrgetter(*self.states)   # called once per step: kept fast
        object.__setattr__(self, "_new_states",
                           pick if len(self.states) > 1 else lambda record: (pick(record),))

    def parameter_shapes(self, input_size, hidden_size, bias=True, **options):
        """The parameters of one layer and direction, by name, in torch's order.

        Parameters
        ----------
        input_size : int
            Width of this layer's input.
        hidden_size : int
            ``H``, the number of units.
        bias : bool
            Whether ``bias_ih`` and ``bias_hh`` exist.
        **options
            The kind's own options (see ``options``).

        Returns
        -------
        dict
            Name -> shape: ``weight_ih`` ``(G * H, input_size)``, ``weight_hh``
            ``(G * H, H_out)``, then ``bias_ih`` and ``bias_hh`` ``(G * H,)``,
            then the extra parameters; ``G`` is the number of gates.
        """
        rows = len(self.gates) * hidden_size
        shapes = {"weight_ih": (rows, input_size),
                  "weight_hh": (rows, self.sizes(hidden_size, **options)[0])}
        if bias:
            shapes.update(bias_ih=(rows,), bias_hh=(rows,))
        if self.extra_parameters is not None:
            shapes.update(self.extra_parameters(hidden_size, **options))
        return shapes
