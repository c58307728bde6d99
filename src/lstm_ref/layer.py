"""Layers of any kind: stacking, directions, layouts, lengths and dropout.

Written once against the step contract of :mod:`lstm_ref.kind`: a layer
class names its kind (and adds the kind's own options, such as the LSTM's
``proj_size``); this module runs the kind's step over time, over both
directions and over the layers, exactly as ``torch.nn.LSTM`` /
``torch.nn.GRU`` / ``torch.nn.RNN`` do, including ``pack_padded_sequence``
semantics for ``lengths``. :mod:`lstm_ref.bptt` runs the same structure
backwards from the tape the forward pass records.
"""

import warnings

import numpy as np

from . import _checks, _docs
from .bptt import backward_through_time
from .linear import affine
from .module import Module
from .tape import DirectionTape, LayerTape, SequenceTape

__all__ = ["RecurrentLayer", "run_direction"]


def run_direction(kind, x_proj, initial, parameters, mask=None, reverse=False, tape=None):
    """Run a kind's step over time in one direction.

    With a mask, a batch element's state is frozen outside its valid steps
    and its output is zero there: the forward direction keeps the state of
    its last valid step, the reverse direction starts from the initial state
    at that step.

    Parameters
    ----------
    kind : lstm_ref.kind.Kind
        What to run: its ``fast_step`` if it has one, else its ``step``.
    x_proj : numpy.ndarray
        ``(L, N, G * H)``, the input projection of every step.
    initial : sequence of numpy.ndarray
        The initial states, each ``(N, size)``, in the kind's order.
    parameters : dict
        One layer and direction's parameters, without suffixes.
    mask : numpy.ndarray or None, optional
        ``(L, N, 1)`` booleans, True at the valid steps.
    reverse : bool, optional
        Run from the last step to the first.
    tape : lstm_ref.tape.DirectionTape or None, optional
        If given, each step's starting states and record are stored in it
        at the step's time index.

    Returns
    -------
    output : numpy.ndarray
        ``(L, N, H_out)``, the first state at every step (zero past a length).
    final : tuple of numpy.ndarray
        The states after the last step, each ``(N, size)``.

    See Also
    --------
    lstm_ref.bptt.backward_through_time : The same loops, backwards.
    """
    steps = range(len(x_proj) - 1, -1, -1) if reverse else range(len(x_proj))
    step = kind.fast_step or kind.step
    recurrent = kind.step_parameters(parameters)
    states = tuple(initial)
    output = np.empty(x_proj.shape[:2] + states[0].shape[1:], states[0].dtype)
    for t in steps:
        record = step(x_proj[t], *states, **recurrent)
        new = kind.new_states(record)
        if tape is not None:
            tape.prev[t], tape.records[t] = states, record
        if mask is not None:
            new = tuple(np.where(mask[t], n, s) for n, s in zip(new, states))
            output[t] = np.where(mask[t], new[0], 0)
        else:
            output[t] = new[0]
        states = new
    return output, states


@_docs.fill
class RecurrentLayer(Module):
    """Multi-layer, optionally bidirectional recurrent module of any kind (torch's ``RNNBase``).

    A subclass sets ``kind`` (a :class:`~lstm_ref.kind.Kind`) and, if the
    kind has options of its own (``kind.options``), sets them as attributes
    before calling this constructor. ``hx`` and the returned state are one
    array for a kind with one state and a tuple in the kind's order
    otherwise; each is ``(num_layers * num_directions, N, size)``.

    {{layer_parameters}}
    {{construction}}

    See Also
    --------
    lstm_ref.cell.RecurrentCell : One step of the same kind.
    lstm_ref.kind.Kind : The step contract a layer runs over time.

    Examples
    --------
    >>> from lstm_ref import GRU
    >>> gru = GRU(2, 3, num_layers=2, rng=0)
    >>> gru.kind.name, gru.output_size, gru.num_directions
    ('GRU', 3, 1)
    """

    _options = ("input_size", "hidden_size", "num_layers", "bias", "batch_first",
                "dropout", "bidirectional")
    kind = None

    def __init__(self, input_size, hidden_size, num_layers=1, bias=True,
                 batch_first=False, dropout=0.0, bidirectional=False,
                 *, dtype=np.float32, rng=None):
        self.input_size = _checks.size("input_size", input_size)
        self.hidden_size = _checks.size("hidden_size", hidden_size)
        self.num_layers = _checks.size("num_layers", num_layers)
        self.bias = _checks.flag("bias", bias)
        self.batch_first = _checks.flag("batch_first", batch_first)
        self.dropout = _checks.probability("dropout", dropout)
        self.bidirectional = _checks.flag("bidirectional", bidirectional)
        if self.dropout > 0 and self.num_layers == 1:
            warnings.warn(   # torch's warning, word for word
                "dropout option adds dropout after all but last recurrent layer, so non-zero "
                "dropout expects num_layers greater than 1, but got "
                f"dropout={dropout} and num_layers={num_layers}", UserWarning,
                stacklevel=2 if type(self).__init__ is RecurrentLayer.__init__ else 3)
        self._init_parameters(dtype, rng)

    @property
    def num_directions(self):
        """2 if bidirectional, else 1."""
        return 2 if self.bidirectional else 1

    @property
    def output_size(self):
        """Size of ``h_t`` (``H_out``): ``hidden_size``, or what the kind makes of it (``proj_size``)."""
        return self._state_sizes()[0]

    def _state_sizes(self):
        options = {name: getattr(self, name) for name in self.kind.options}
        return self.kind.sizes(self.hidden_size, **options)

    def _direction_shapes(self, layer):
        options = {name: getattr(self, name) for name in self.kind.options}
        width = self.input_size if layer == 0 else self.num_directions * self.output_size
        return self.kind.parameter_shapes(width, self.hidden_size, self.bias, **options)

    def _parameter_shapes(self):
        for layer in range(self.num_layers):
            for suffix in ("", "_reverse")[: self.num_directions]:
                for name, shape in self._direction_shapes(layer).items():
                    yield f"{name}_l{layer}{suffix}", shape

    def direction_parameters(self, layer, direction=0):
        """The parameters of one layer and direction, without the suffixes.

        Parameters
        ----------
        layer : int
            In ``[0, num_layers)``.
        direction : int, optional
            0 (forward) or, if bidirectional, 1 (reverse).

        Returns
        -------
        dict
            ``weight_ih``, ``weight_hh`` and, as the module has them,
            ``bias_ih``, ``bias_hh`` and the kind's extra parameters
            (``weight_hr``); the live arrays.

        Raises
        ------
        ValueError
            If ``layer`` or ``direction`` is out of range.

        Examples
        --------
        >>> from lstm_ref import LSTM
        >>> lstm = LSTM(3, 4, proj_size=2, bias=False)
        >>> {name: p.shape for name, p in lstm.direction_parameters(0).items()}
        {'weight_ih': (16, 3), 'weight_hh': (16, 2), 'weight_hr': (2, 4)}
        """
        layer = _checks.index("layer", layer, self.num_layers)
        direction = _checks.index("direction", direction, self.num_directions)
        suffix = f"_l{layer}" + ("_reverse" if direction else "")
        return {name: self._parameters[name + suffix] for name in self._direction_shapes(layer)}

    # -- argument checks -------------------------------------------------

    def _to_time_major(self, d, batched):
        """A sequence in the input's layout as ``(L, N, width)``."""
        if not batched:
            return d[:, np.newaxis]
        return d.transpose(1, 0, 2) if self.batch_first else d

    def _from_time_major(self, d, batched):
        """A time-major ``(L, N, width)`` sequence in the input's layout."""
        if not batched:
            return d[:, 0]
        return d.transpose(1, 0, 2) if self.batch_first else d

    def _states_in(self, names, value, batch, batched, convert, container="hx"):
        """One array per state, each ``(num_layers * num_directions, N, size)``; None: zeros."""
        leading = self.num_layers * self.num_directions
        where = "dimension 0" if self.batch_first else "dimension 1"
        checked = []
        for name, state, size in zip(names, _checks.group(container, value, names),
                                     self._state_sizes()):
            if state is None:
                checked.append(np.zeros((leading, batch, size), self.dtype))
                continue
            state = convert(name, state, self.dtype)
            if batched:
                _checks.shape(name, state, (leading, batch, size),
                              f"(num_layers * num_directions, N, {size}) with N = {batch} "
                              f"from input {where} (batch_first={self.batch_first}; "
                              f"states are never batch-first)")
            else:
                _checks.shape(name, state, (leading, size),
                              f"(num_layers * num_directions, {size}) for an unbatched input")
            checked.append(state if batched else state[:, np.newaxis])
        return checked

    @staticmethod
    def _mask(lengths, steps, batch, batched):
        """Return a ``(L, N, 1)`` mask of valid steps, or None for full length."""
        if lengths is None:
            return None
        if not batched:
            raise ValueError("lengths: given for an unbatched (2-D) input; lengths needs a batch")
        lengths = np.asarray(lengths)
        if lengths.shape != (batch,):
            raise ValueError(f"lengths: expected shape ({batch},), one per batch element, "
                             f"got {lengths.shape}")
        if not np.issubdtype(lengths.dtype, np.integer):
            raise ValueError(f"lengths: expected integers, got dtype {lengths.dtype}")
        bad = np.flatnonzero((lengths < 1) | (lengths > steps))
        if bad.size:
            raise ValueError(f"lengths: expected values in [1, L] = [1, {steps}], "
                             f"got {lengths[bad[0]]} at position {bad[0]}")
        return (np.arange(steps)[:, np.newaxis] < lengths)[:, :, np.newaxis]

    def _state_out(self, states, batched):
        """Final states as ``forward`` returns them: one array, or a tuple."""
        states = tuple(s if batched else s[:, 0] for s in states)
        return states if len(states) > 1 else states[0]

    # -- the computation -------------------------------------------------

    def forward(self, input, hx=None, lengths=None, *, return_cache=False, training=False,
                rng=None):
        """Run the layers over a sequence, as ``torch.nn`` does.

        Parameters
        ----------
        input : array_like
            ``(L, N, input_size)``, ``(N, L, input_size)`` with
            ``batch_first=True``, or ``(L, input_size)`` unbatched; the
            module's dtype (lists of real numbers are converted).
        hx : numpy.ndarray or tuple of numpy.ndarray or None, optional
            Initial state: one array per state of the kind, each
            ``(num_layers * num_directions, N, size)`` (without the ``N``
            axis when unbatched); a tuple ``(h_0, c_0)`` for the LSTM, the
            array ``h_0`` for the GRU and RNN; None for zeros.
        lengths : array_like of int or None, optional
            Valid length of each batch element, shape ``(N,)``, in [1, L].
            The result equals torch's ``pack_padded_sequence(input, lengths,
            enforce_sorted=False)`` -> module -> ``pad_packed_sequence(total_length=L)``:
            zeros in the output past each length, final states taken at each
            element's own last valid step, and the reverse direction starting there.
        return_cache : bool, optional
            Also return what :meth:`backward` needs. The plain call
            ``module(input, hx)`` keeps nothing.
        training : bool, optional
            Apply dropout between layers (if ``dropout > 0``).
        rng : numpy.random.Generator or int or None, optional
            Source of the dropout masks when ``training``.

        Returns
        -------
        output : numpy.ndarray
            The last layer's ``h_t`` for every t, both directions
            concatenated: ``(L, N, num_directions * H_out)`` (batch first
            with ``batch_first=True``, no ``N`` unbatched).
        state : numpy.ndarray or tuple of numpy.ndarray
            Final states of every layer and direction, shaped like ``hx``.
        cache : lstm_ref.tape.SequenceTape
            Only with ``return_cache=True``.

        Raises
        ------
        ValueError
            If an argument has the wrong shape, dtype or value; the message
            names it, says what was expected and what came.
        TypeError
            If ``rng`` is not a Generator, a seed or None.

        See Also
        --------
        backward : Backpropagation through time, from the cache.

        Examples
        --------
        >>> import numpy as np
        >>> from lstm_ref import GRU
        >>> gru = GRU(2, 3, bidirectional=True, rng=0)
        >>> x = np.ones((5, 4, 2), np.float32)
        >>> output, h_n = gru.forward(x, lengths=[5, 3, 1, 2])
        >>> output.shape, h_n.shape, bool(output[3:, 1].any())   # zero past length 3
        ((5, 4, 6), (2, 4, 3), False)
        """
        keep = _checks.flag("return_cache", return_cache)
        training = _checks.flag("training", training)
        masks = None if rng is None else _checks.generator("rng", rng)
        x = _checks.array("input", input, self.dtype)
        if x.ndim not in (2, 3) or x.shape[-1] != self.input_size:
            layout = "(N, L, input_size)" if self.batch_first else "(L, N, input_size)"
            raise ValueError(
                f"input: expected a 3-D array {layout} with batch_first={self.batch_first}, "
                f"or a 2-D unbatched array (L, input_size), with input_size = "
                f"{self.input_size}; got shape {x.shape}")
        batched = x.ndim == 3
        x = self._to_time_major(x, batched)
        steps, batch = x.shape[:2]
        if steps == 0:
            raise ValueError(f"input: expected a sequence length L >= 1, got shape "
                             f"{np.shape(input)}")
        mask = self._mask(lengths, steps, batch, batched)
        names = tuple(f"{state}_0" for state in self.kind.states)
        initial = self._states_in(names, hx, batch, batched, _checks.array)
        dropout = training and self.dropout > 0 and self.num_layers > 1
        if dropout and masks is None:
            masks = np.random.default_rng()
        tape = SequenceTape(self, batched, mask) if keep else None
        if keep:   # the tape keeps what it reads, as it was
            x, initial = np.ascontiguousarray(x).copy(), [state.copy() for state in initial]
        final = [np.empty_like(state) for state in initial]

        layer_input = x
        for layer in range(self.num_layers):
            layer_tape = LayerTape(layer_input) if keep else None
            outputs = []
            for direction in range(self.num_directions):
                k = layer * self.num_directions + direction
                p = self._loop_parameters(layer, direction, keep)
                direction_tape = DirectionTape(p, [None] * steps, [None] * steps) if keep else None
                # The input enters every gate only through x_t W_ih^T + b_ih, which does
                # not depend on the recurrence: one matrix product for all time steps
                # (as cuDNN does) instead of L small ones inside the loop.
                x_proj = affine(layer_input, p["weight_ih"], p.get("bias_ih"))
                output, last = run_direction(self.kind, x_proj, [s[k] for s in initial], p,
                                             mask, direction == 1, direction_tape)
                outputs.append(output)
                for store, state in zip(final, last):
                    store[k] = state
                if keep:
                    layer_tape.directions.append(direction_tape)
            layer_input = outputs[0] if len(outputs) == 1 else np.concatenate(outputs, axis=-1)
            if dropout and layer < self.num_layers - 1:
                scale = self._dropout_scale(layer_input.shape, masks)
                layer_input = layer_input * scale
                if keep:
                    layer_tape.dropout = scale
            if keep:
                tape.layers.append(layer_tape)

        result = (self._from_time_major(layer_input, batched), self._state_out(final, batched))
        return result + (tape,) if keep else result

    __call__ = forward

    def _loop_parameters(self, layer, direction, copy):
        """One direction's parameters, arranged for the loop over time."""
        p = self.direction_parameters(layer, direction)
        if copy:
            p = {name: value.copy() for name, value in p.items()}
        # h_{t-1} W_hh^T reads W_hh by columns; a column-major copy (same values,
        # same shape) lets the BLAS read it contiguously, which is faster.
        p["weight_hh"] = np.asfortranarray(p["weight_hh"])
        return p

    def _dropout_scale(self, shape, rng):
        """Inverted dropout: each value's factor, 0 with probability p and else 1/(1-p)."""
        if self.dropout == 1:
            return np.zeros(shape, self.dtype)
        keep = rng.random(shape) >= self.dropout
        return (keep / (1 - self.dropout)).astype(self.dtype)

    def backward(self, cache, grad_output, grad_state=None):
        """Backpropagation through time: the gradients of a scalar loss.

        Parameters
        ----------
        cache : lstm_ref.tape.SequenceTape
            From this module's ``forward(..., return_cache=True)``.
        grad_output : array_like
            d loss / d output, in the output's shape and layout (real
            numbers; converted to the module's dtype).
        grad_state : numpy.ndarray or tuple or None, optional
            d loss / d final state, as the forward returned it: ``(grad_h_n,
            grad_c_n)`` for the LSTM, ``grad_h_n`` for the GRU and RNN; None
            (or a None inside the tuple) means zeros.

        Returns
        -------
        dict
            The gradient of every parameter under torch's names, and of
            ``input``, ``h_0`` and (LSTM) ``c_0``, each shaped like what it
            is the gradient of.

        Raises
        ------
        TypeError
            If ``cache`` is not a layer's cache.
        ValueError
            If ``cache`` came from another module, or a gradient has the
            wrong shape or is not an array of real numbers.

        See Also
        --------
        forward : Makes the cache.
        lstm_ref.bptt.backward_through_time : The chain rule through time.

        Examples
        --------
        >>> import numpy as np
        >>> from lstm_ref import LSTM
        >>> lstm = LSTM(2, 3, dtype=np.float64, rng=0)
        >>> output, (h_n, c_n), cache = lstm.forward(np.ones((4, 2)), return_cache=True)
        >>> grads = lstm.backward(cache, np.ones_like(output))
        >>> grads["input"].shape, grads["weight_hh_l0"].shape, grads["c_0"].shape
        ((4, 2), (12, 3), (1, 3))
        """
        tape = _checks.tape(self, cache, SequenceTape)
        first = tape.layers[0].input
        steps, batch = first.shape[:2]
        width = self.num_directions * self.output_size
        d_output = _checks.real("grad_output", grad_output, self.dtype)
        if not tape.batched:
            expected, meaning = (steps, width), "(L, num_directions * H_out), unbatched"
        elif self.batch_first:
            expected, meaning = (batch, steps, width), "(N, L, num_directions * H_out)"
        else:
            expected, meaning = (steps, batch, width), "(L, N, num_directions * H_out)"
        _checks.shape("grad_output", d_output, expected, f"{meaning}, the output's shape")
        d_output = self._to_time_major(d_output, tape.batched)
        names = tuple(f"grad_{state}_n" for state in self.kind.states)
        d_final = self._states_in(names, grad_state, batch, tape.batched, _checks.real,
                                  container="grad_state")
        d_input, d_initial, d_parameters = backward_through_time(self.kind, tape, d_output,
                                                                 d_final)
        grads = {}
        for layer, directions in enumerate(d_parameters):
            for direction, d in enumerate(directions):
                suffix = f"_l{layer}" + ("_reverse" if direction else "")
                grads.update((name + suffix, value) for name, value in d.items())
        grads = {name: grads[name] for name in self._parameters}     # torch's order
        grads["input"] = self._from_time_major(d_input, tape.batched)
        for state, d in zip(self.kind.states, d_initial):
            grads[f"{state}_0"] = d if tape.batched else d[:, 0]
        return grads
