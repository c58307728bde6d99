"""Backpropagation through time for ``LSTM`` and ``GRU``.

The forward pass runs layer by layer, each direction as a loop over time;
the backward pass runs the same structure the other way round: from the last
layer to the first, and in each direction from the step computed last to the
one computed first. Each step's own derivatives are in
:func:`lstm_ref.lstm_step_backward` and :func:`lstm_ref.gru_step_backward`;
this module routes the gradients between steps, directions and layers, and
through the input projection that the forward pass hoisted out of the loop.
"""

import numpy as np

from . import _checks


def layer_backward(layer, cache, grad_output, grad_state=None):
    """Gradients of every parameter, the input and the initial states (see ``backward``)."""
    directions, width = layer.num_directions, layer.output_size
    steps, batch = cache["layers"][0]["input"].shape[:2]
    d_output = _time_major(layer, cache, grad_output, steps, batch, directions * width)
    d_final = _final_state_grads(layer, cache, grad_state, batch)
    d_initial = [np.zeros_like(d) for d in d_final]
    mask = None if cache["mask"] is None else cache["mask"].astype(layer.dtype)
    grads = {name: np.zeros_like(value) for name, value in layer.named_parameters()}

    for index in reversed(range(layer.num_layers)):
        record = cache["layers"][index]
        if record["dropout"] is not None:
            d_output = d_output * record["dropout"]          # y = x * scale
        layer_input = record["input"]
        d_input = np.zeros_like(layer_input)
        for direction, run in enumerate(record["directions"]):
            k = index * directions + direction
            suffix = f"_l{index}" + ("_reverse" if direction else "")
            p = run["parameters"]
            d_x_proj, d_states, step_grads = _direction_backward(
                layer, run["records"], d_output[..., direction * width:(direction + 1) * width],
                [d[k] for d in d_final], p, mask, reverse=direction == 1)
            for store, d in zip(d_initial, d_states):
                store[k] = d
            # x_proj = x W_ih^T + b_ih, for all steps at once
            flat = d_x_proj.reshape(-1, d_x_proj.shape[-1])
            grads["weight_ih" + suffix] += flat.T @ layer_input.reshape(-1, layer_input.shape[-1])
            d_input += (flat @ p["weight_ih"]).reshape(d_input.shape)
            if layer.bias:
                grads["bias_ih" + suffix] += flat.sum(axis=0)
                if layer._fold_recurrent_bias:               # b_hh was added with b_ih
                    grads["bias_hh" + suffix] += flat.sum(axis=0)
            for name, value in step_grads.items():
                if value is not None:
                    grads[name + suffix] += value
        d_output = d_input

    grads["input"] = _input_layout(layer, cache, d_output)
    for name, d in zip(layer._state_names, d_initial):
        grads[name] = d if cache["batched"] else d[:, 0]
    return grads


def _direction_backward(layer, records, d_output, d_final, p, mask, reverse):
    """One direction, from the step computed last back to the first.

    Returns d loss / d x_proj for every step, the gradients reaching the
    initial states, and the sums of the recurrent parameters' gradients.
    """
    steps = len(d_output)
    order = range(steps) if reverse else range(steps - 1, -1, -1)
    d_states = list(d_final)
    d_x_proj = None
    sums = {}
    for t in order:
        d_new = [d_states[0] + d_output[t]] + d_states[1:]  # h_t: the output and the next step
        if mask is not None:                                 # frozen state, zero output
            d_new = [mask[t] * d for d in d_new]
        d_xp, d_prev, step_grads = layer._step_backward(records[t], d_new, p)
        if mask is not None:                                 # the state passed through
            d_prev = [dp + (1 - mask[t]) * ds for dp, ds in zip(d_prev, d_states)]
        if d_x_proj is None:
            d_x_proj = np.zeros((steps,) + d_xp.shape, layer.dtype)
        d_x_proj[t] = d_xp
        d_states = d_prev
        for name, value in step_grads.items():
            if value is not None:
                sums[name] = sums[name] + value if name in sums else value
    return d_x_proj, d_states, sums


def _time_major(layer, cache, grad_output, steps, batch, features):
    """``grad_output`` checked against the output's shape and made (L, N, features)."""
    d = np.asarray(grad_output, layer.dtype)
    if not cache["batched"]:
        expected, meaning = (steps, features), "(L, num_directions * H_out), unbatched"
    elif layer.batch_first:
        expected, meaning = (batch, steps, features), "(N, L, num_directions * H_out)"
    else:
        expected, meaning = (steps, batch, features), "(L, N, num_directions * H_out)"
    _checks.shape("grad_output", d, expected, f"{meaning}, the output's shape")
    if not cache["batched"]:
        return d[:, np.newaxis]
    return d.transpose(1, 0, 2) if layer.batch_first else d


def _final_state_grads(layer, cache, grad_state, batch):
    """The gradients of the final states, batched; None (or None inside) means zeros."""
    leading = layer.num_layers * layer.num_directions
    names = [name.replace("_0", "_n") for name in layer._state_names]
    grads = layer._states_from_hx(grad_state)
    checked = []
    for name, grad, size in zip(names, grads, layer._state_sizes()):
        if grad is None:
            checked.append(np.zeros((leading, batch, size), layer.dtype))
            continue
        grad = np.asarray(grad, layer.dtype)
        expected = (leading, batch, size) if cache["batched"] else (leading, size)
        _checks.shape(f"grad_{name}", grad, expected, f"the shape of {name}")
        checked.append(grad if cache["batched"] else grad[:, np.newaxis])
    return checked


def _input_layout(layer, cache, d_input):
    """The input's gradient in the input's own layout."""
    if not cache["batched"]:
        return d_input[:, 0]
    return d_input.transpose(1, 0, 2) if layer.batch_first else d_input
