"""What ``LSTM``, ``GRU`` and ``RNN`` share: stacking, directions, layouts, lengths.

A subclass supplies one time step (``_step``) and how its state looks; this
module runs that step over time, over both directions and over the layers,
exactly as ``torch.nn.LSTM`` / ``torch.nn.GRU`` do, including
``pack_padded_sequence`` semantics for ``lengths``.
"""

import numpy as np

from . import _checks
from .linear import affine
from .module import Module

__all__ = ["RecurrentLayer"]


class RecurrentLayer(Module):
    """Multi-layer, optionally bidirectional recurrent module (torch's ``RNNBase``)."""

    _options = ("input_size", "hidden_size", "num_layers", "bias", "batch_first",
                "dropout", "bidirectional")
    gate_count = None
    _state_names = ()
    proj_size = 0
    # Whether b_hh may be added together with b_ih (true when the recurrence only
    # ever uses their sum; GRU's b_hn sits inside the reset gate, so not there).
    _fold_recurrent_bias = False

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
        self._init_parameters(dtype, rng)

    @property
    def num_directions(self):
        """2 if bidirectional, else 1."""
        return 2 if self.bidirectional else 1

    @property
    def output_size(self):
        """Size of ``h_t`` (``H_out``), which is ``hidden_size`` unless projected."""
        return self.hidden_size

    # A single state h by default (RNN, GRU); LSTM adds its cell state.
    def _state_sizes(self):
        return (self.hidden_size,)

    def _states_from_hx(self, hx):
        return (hx,)

    def _hx_from_states(self, states):
        return states[0]

    def _parameter_shapes(self):
        rows = self.gate_count * self.hidden_size
        for layer in range(self.num_layers):
            layer_input = self.input_size if layer == 0 else self.num_directions * self.output_size
            for suffix in ("", "_reverse")[: self.num_directions]:
                yield f"weight_ih_l{layer}{suffix}", (rows, layer_input)
                yield f"weight_hh_l{layer}{suffix}", (rows, self.output_size)
                if self.bias:
                    yield f"bias_ih_l{layer}{suffix}", (rows,)
                    yield f"bias_hh_l{layer}{suffix}", (rows,)
                if self.proj_size:
                    yield f"weight_hr_l{layer}{suffix}", (self.proj_size, self.hidden_size)

    def direction_parameters(self, layer, direction=0):
        """The parameters of one layer and direction, without the suffixes.

        Returns a dict with ``weight_ih``, ``weight_hh``, ``bias_ih``,
        ``bias_hh`` and ``weight_hr``; absent parameters are None.
        """
        suffix = "_reverse" if direction == 1 else ""
        return {
            name: self._parameters.get(f"{name}_l{layer}{suffix}")
            for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh", "weight_hr")
        }

    # -- argument checks -------------------------------------------------

    def _check_input(self, input):
        """Return the input as ``(L, N, H_in)`` and whether it was batched."""
        x = _checks.array("input", input, self.dtype)
        layout = "(N, L, input_size)" if self.batch_first else "(L, N, input_size)"
        if x.ndim not in (2, 3) or x.shape[-1] != self.input_size:
            raise ValueError(
                f"input: expected a 3-D array {layout} with batch_first={self.batch_first}, "
                f"or a 2-D unbatched array (L, input_size), with input_size = "
                f"{self.input_size}; got shape {x.shape}"
            )
        batched = x.ndim == 3
        if not batched:
            x = x[:, np.newaxis]
        elif self.batch_first:
            x = x.transpose(1, 0, 2)
        if x.shape[0] == 0:
            raise ValueError(f"input: expected a sequence length L >= 1, got shape {np.shape(input)}")
        return x, batched

    def _check_states(self, hx, batch, batched):
        """Return the initial states, each ``(num_layers * num_directions, N, size)``."""
        leading = self.num_layers * self.num_directions
        where = "dimension 0" if self.batch_first else "dimension 1"
        checked = []
        for name, state, size in zip(self._state_names, self._states_from_hx(hx),
                                     self._state_sizes()):
            if state is None:
                checked.append(np.zeros((leading, batch, size), self.dtype))
                continue
            state = _checks.array(name, state, self.dtype)
            if batched:
                expected = (leading, batch, size)
                meaning = (f"(num_layers * num_directions, N, {size}) with N = {batch} "
                           f"from input {where} (batch_first={self.batch_first}; "
                           f"states are never batch-first)")
            else:
                expected = (leading, size)
                meaning = f"(num_layers * num_directions, {size}) for an unbatched input"
            _checks.shape(name, state, expected, meaning)
            checked.append(state if batched else state[:, np.newaxis])
        return checked

    @staticmethod
    def _check_lengths(lengths, steps, batch, batched):
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

    # -- the computation -------------------------------------------------

    def forward(self, input, hx=None, lengths=None, *, return_cache=False, training=False,
                rng=None):
        """Run the layers over a sequence, as ``torch.nn`` does.

        Parameters
        ----------
        input : numpy.ndarray
            ``(L, N, input_size)``, ``(N, L, input_size)`` with
            ``batch_first=True``, or ``(L, input_size)`` unbatched.
        hx : optional
            Initial state (see the subclass); zeros if None.
        lengths : array_like of int, optional
            Valid length of each batch element, in [1, L]. The result equals
            torch's ``pack_padded_sequence(input, lengths, enforce_sorted=False)``
            -> module -> ``pad_packed_sequence(total_length=L)``: zeros in the
            output past each length, final states taken at each element's own
            last valid step, and the reverse direction starting there.
        training : bool
            Apply dropout between layers (if ``dropout > 0``).
        rng : numpy.random.Generator or int, optional
            Source of the dropout masks when ``training``.
        return_cache : bool
            Also return what :meth:`backward` needs: every step's gates and
            states. The plain call ``module(input, hx)`` keeps nothing.

        Returns
        -------
        output : numpy.ndarray
            Last layer's ``h_t`` for every t, both directions concatenated.
        state
            Final states of every layer and direction (see the subclass).
        cache : dict
            Only with ``return_cache=True``.
        """
        x, batched = self._check_input(input)
        steps, batch, _ = x.shape
        mask = self._check_lengths(lengths, steps, batch, batched)
        initial = self._check_states(hx, batch, batched)
        final = [np.empty_like(state) for state in initial]
        rng = np.random.default_rng(rng) if training and self.dropout else None
        cache = {"batched": batched, "mask": mask, "layers": []} if return_cache else None

        layer_input = x
        for layer in range(self.num_layers):
            outputs, directions = [], []
            for direction in range(self.num_directions):
                k = layer * self.num_directions + direction
                p = self._loop_parameters(layer, direction)
                # The input enters every gate only through x_t W_ih^T + b_ih, which does
                # not depend on the recurrence: one matrix product for all time steps
                # (as cuDNN does) instead of L small ones inside the loop.
                x_proj = affine(layer_input, p["weight_ih"], p["bias_ih"])
                records = [None] * steps if return_cache else None
                output, last = self._run_direction(
                    x_proj, [state[k] for state in initial], p, mask, direction == 1, records)
                outputs.append(output)
                directions.append({"records": records, "parameters": p})
                for store, state in zip(final, last):
                    store[k] = state
            if return_cache:
                cache["layers"].append({"input": layer_input, "directions": directions,
                                        "dropout": None})
            layer_input = np.concatenate(outputs, axis=-1)
            if rng is not None and layer < self.num_layers - 1:
                layer_input, scale = self._dropout(layer_input, rng)
                if return_cache:
                    cache["layers"][-1]["dropout"] = scale

        output = layer_input
        if not batched:
            output, final = output[:, 0], [state[:, 0] for state in final]
        elif self.batch_first:
            output = output.transpose(1, 0, 2)
        if return_cache:
            return output, self._hx_from_states(final), cache
        return output, self._hx_from_states(final)

    def _loop_parameters(self, layer, direction):
        """One direction's parameters, arranged for the loop over time."""
        p = self.direction_parameters(layer, direction)
        if self._fold_recurrent_bias and p["bias_hh"] is not None:
            # b_hh is added to the same pre-activations as b_ih at every step:
            # add both once, with the input projection, instead of L times.
            p["bias_ih"], p["bias_hh"] = p["bias_ih"] + p["bias_hh"], None
        # h_{t-1} W_hh^T reads W_hh by columns; a column-major copy (same values,
        # same shape) lets the BLAS read it contiguously, which is faster.
        p["weight_hh"] = np.asfortranarray(p["weight_hh"])
        return p

    __call__ = forward

    def _run_direction(self, x_proj, states, p, mask, reverse, records=None):
        """Run ``_step`` over time in one direction; return outputs and final states.

        With a mask, a batch element's state is frozen outside its valid steps
        and its output is zero there: the forward direction keeps the state of
        its last valid step, the reverse direction starts from the initial
        state at that step. With ``records`` (a list), what each step's
        backward pass needs is stored at its time index.
        """
        steps = range(len(x_proj) - 1, -1, -1) if reverse else range(len(x_proj))
        output = np.zeros(x_proj.shape[:2] + (self.output_size,), self.dtype)
        for t in steps:
            if records is None:
                new = self._step(x_proj[t], states, p)
            else:
                new, records[t] = self._step_record(x_proj[t], states, p)
            if mask is None:
                output[t] = new[0]
            else:
                new = [np.where(mask[t], n, s) for n, s in zip(new, states)]
                output[t] = np.where(mask[t], new[0], 0)
            states = new
        return output, states

    def _dropout(self, values, rng):
        """Inverted dropout: zero each value with probability p, scale the rest by 1/(1-p).

        Returns the values and the factor each was multiplied by.
        """
        if self.dropout == 1:
            scale = np.zeros_like(values)
        else:
            keep = rng.random(values.shape) >= self.dropout
            scale = (keep / (1 - self.dropout)).astype(self.dtype)
        return values * scale, scale

    def backward(self, cache, grad_output, grad_state=None):
        """Backpropagation through time: the gradients of a scalar loss.

        Parameters
        ----------
        cache : dict
            From ``forward(..., return_cache=True)``.
        grad_output : numpy.ndarray
            d loss / d output, in the output's shape and layout.
        grad_state : optional
            d loss / d final state, as the forward returned it: ``(grad_h_n,
            grad_c_n)`` for LSTM, ``grad_h_n`` for GRU; None (or a None inside
            the pair) means zeros.

        Returns
        -------
        dict
            The gradient of every parameter under torch's names, and of
            ``input``, ``h_0`` and (LSTM) ``c_0``.
        """
        from .bptt import layer_backward  # the chain rule lives in its own module
        return layer_backward(self, cache, grad_output, grad_state)
