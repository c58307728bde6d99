"""Backpropagation through time, for any kind, from the forward pass's tape.

The forward pass runs layer by layer, each direction as a loop over time;
the backward pass runs the same structure the other way round: from the last
layer to the first, and in each direction from the step computed last to the
one computed first. Each step's own derivatives are the kind's
``step_backward`` (:func:`lstm_ref.lstm_step_backward`,
:func:`lstm_ref.gru_step_backward`, :func:`lstm_ref.rnn_step_backward`, or a
new kind's); this module routes the gradients between steps, directions and
layers, through the masks of ``lengths`` and the dropout between layers, and
through the input projection that the forward pass hoisted out of the loop.
It reads only the step contract (:class:`lstm_ref.kind.Kind`) and the tape
(:mod:`lstm_ref.tape`).
"""

import numpy as np

__all__ = ["backward_through_time", "direction_backward"]


def backward_through_time(kind, tape, d_output, d_final):
    """The gradients of every parameter, the input and the initial states.

    Parameters
    ----------
    kind : lstm_ref.kind.Kind
        The kind whose steps the tape recorded.
    tape : lstm_ref.tape.SequenceTape
        What the forward pass recorded.
    d_output : numpy.ndarray
        d loss / d output, time-major ``(L, N, num_directions * H_out)``.
    d_final : list of numpy.ndarray
        d loss / d final states, one per state of the kind, each
        ``(num_layers * num_directions, N, size)``.

    Returns
    -------
    d_input : numpy.ndarray
        ``(L, N, input_size)``, time-major.
    d_initial : list of numpy.ndarray
        Like ``d_final``, for the initial states.
    d_parameters : list of list of dict
        ``d_parameters[layer][direction]``: each parameter's gradient by its
        name without suffix.

    See Also
    --------
    direction_backward : One direction of one layer.
    lstm_ref.layer.run_direction : The loop this one reverses.
    """
    d_initial = [np.zeros_like(d) for d in d_final]
    mask = None if tape.mask is None else tape.mask.astype(d_output.dtype)
    d_parameters = [None] * len(tape.layers)
    for index in reversed(range(len(tape.layers))):
        layer = tape.layers[index]
        if layer.dropout is not None:
            d_output = d_output * layer.dropout                   # y = x * scale
        width = d_output.shape[-1] // len(layer.directions)
        d_input = np.zeros_like(layer.input)
        d_parameters[index] = []
        for direction, run in enumerate(layer.directions):
            k = index * len(layer.directions) + direction
            d_x, d_states, d = direction_backward(
                kind, run, layer.input, d_output[..., direction * width:(direction + 1) * width],
                [s[k] for s in d_final], mask, reverse=direction == 1)
            d_input += d_x
            for store, value in zip(d_initial, d_states):
                store[k] = value
            d_parameters[index].append(d)
        d_output = d_input
    return d_output, d_initial, d_parameters


def direction_backward(kind, run, layer_input, d_output, d_final, mask=None, reverse=False):
    """One direction of one layer, from the step computed last back to the first.

    Parameters
    ----------
    kind : lstm_ref.kind.Kind
        The kind whose steps ``run`` recorded.
    run : lstm_ref.tape.DirectionTape
        The direction's parameters, starting states and records.
    layer_input : numpy.ndarray
        ``(L, N, width)``, what the layer read.
    d_output : numpy.ndarray
        ``(L, N, H_out)``, d loss / d this direction's output.
    d_final : sequence of numpy.ndarray
        d loss / d the direction's final states, each ``(N, size)``.
    mask : numpy.ndarray or None, optional
        ``(L, N, 1)``, 1 at valid steps and 0 past each length.
    reverse : bool, optional
        Whether the forward pass ran from the last step to the first.

    Returns
    -------
    d_input : numpy.ndarray
        ``(L, N, width)``, the gradient reaching the layer's input.
    d_initial : tuple of numpy.ndarray
        The gradients reaching the initial states.
    d_parameters : dict
        Each parameter's gradient, summed over the steps and the batch.
    """
    p = run.parameters
    recurrent = kind.step_parameters(p)
    steps = len(d_output)
    order = range(steps) if reverse else range(steps - 1, -1, -1)
    d_states = tuple(d_final)
    d_x_proj = None
    sums = {}
    for t in order:
        d_new = (d_states[0] + d_output[t],) + d_states[1:]  # h_t: the output and the next step
        if mask is not None:                                 # frozen state, zero output
            d_new = tuple(mask[t] * d for d in d_new)
        d_xp, d_prev, d_step = kind.step_backward(run.records[t], run.prev[t], d_new, **recurrent)
        if mask is not None:                                 # the state passed through
            d_prev = tuple(dp + (1 - mask[t]) * ds for dp, ds in zip(d_prev, d_states))
        if d_x_proj is None:
            d_x_proj = np.empty((steps,) + d_xp.shape, d_xp.dtype)
        d_x_proj[t] = d_xp
        d_states = d_prev
        for name, value in d_step.items():
            if value is None:
                continue
            if name in sums:
                sums[name] += value
            else:
                sums[name] = value        # a new array of the step's: added to in place
    # x_proj = x W_ih^T + b_ih, for all steps at once
    flat = d_x_proj.reshape(-1, d_x_proj.shape[-1])
    sums["weight_ih"] = flat.T @ layer_input.reshape(-1, layer_input.shape[-1])
    if "bias_ih" in p:
        sums["bias_ih"] = flat.sum(axis=0)
    d_input = (flat @ p["weight_ih"]).reshape(layer_input.shape)
    return d_input, d_states, sums
