"""What ``LSTMCell`` and ``GRUCell`` share: options, parameters, argument checks."""

import numpy as np

from . import _checks
from .linear import affine
from .module import Module

__all__ = ["RecurrentCell"]


class RecurrentCell(Module):
    """One time step of a gated recurrent unit, with torch's cell interface.

    Subclasses set ``gate_count`` (blocks stacked in each weight),
    ``_state_names`` and ``_step_function`` (the step equations, called as
    ``f(x_proj, *states, weight_hh, bias_hh)``).
    """

    _options = ("input_size", "hidden_size", "bias")
    gate_count = None
    _state_names = ()
    _step_function = None

    def __init__(self, input_size, hidden_size, bias=True, *, dtype=np.float32, rng=None):
        self.input_size = _checks.size("input_size", input_size)
        self.hidden_size = _checks.size("hidden_size", hidden_size)
        self.bias = _checks.flag("bias", bias)
        self._init_parameters(dtype, rng)

    def _parameter_shapes(self):
        rows = self.gate_count * self.hidden_size
        yield "weight_ih", (rows, self.input_size)
        yield "weight_hh", (rows, self.hidden_size)
        if self.bias:
            yield "bias_ih", (rows,)
            yield "bias_hh", (rows,)

    def _check_step(self, input, states):
        """Return ``(x, states, batched)`` with a leading batch axis on everything.

        ``states`` is a tuple with one entry per name in ``_state_names``, each
        an array or None (zeros).
        """
        x = _checks.array("input", input, self.dtype)
        if x.ndim not in (1, 2) or x.shape[-1] != self.input_size:
            raise ValueError(
                f"input: expected shape (N, {self.input_size}) = (batch, input_size) "
                f"or ({self.input_size},) unbatched, got {x.shape}"
            )
        batched = x.ndim == 2
        x = x if batched else x[np.newaxis]
        n = x.shape[0]
        checked = []
        for name, state in zip(self._state_names, states):
            expected = (n, self.hidden_size) if batched else (self.hidden_size,)
            if state is None:
                checked.append(np.zeros((n, self.hidden_size), self.dtype))
                continue
            state = _checks.array(name, state, self.dtype)
            meaning = (
                f"(N, hidden_size) with N = {n} from input"
                if batched
                else "(hidden_size,), unbatched like input"
            )
            _checks.shape(name, state, expected, meaning)
            checked.append(state if batched else state[np.newaxis])
        return x, tuple(checked), batched

    def _forward_step(self, input, states):
        """Run one step; return its named values (unbatched like the input) and the cache."""
        x, states, batched = self._check_step(input, states)
        p = self._parameters
        x_proj = affine(x, p["weight_ih"], p.get("bias_ih"))
        step = self._step_function(x_proj, *states, p["weight_hh"], p.get("bias_hh"))
        cache = {"x": x, "states": states, "step": step, "batched": batched}
        return self._unbatch(step, batched), cache

    def _check_grads(self, cache, grads):
        """Each gradient of a state, batched like the cache; None becomes zeros."""
        n = cache["x"].shape[0]
        expected = (n, self.hidden_size) if cache["batched"] else (self.hidden_size,)
        checked = []
        for name, grad in zip(("grad_h", "grad_c"), grads):
            if grad is None:
                checked.append(np.zeros((n, self.hidden_size), self.dtype))
                continue
            grad = np.asarray(grad, self.dtype)
            _checks.shape(name, grad, expected, "the shape of the state it belongs to")
            checked.append(grad if cache["batched"] else grad[np.newaxis])
        return checked

    def _gather_grads(self, cache, grads, d_input_proj, d_hidden_proj, d_weight_hh):
        """Add the parameters' gradients and drop the batch axis of an unbatched call."""
        grads["weight_ih"] = d_input_proj.T @ cache["x"]
        grads["weight_hh"] = d_weight_hh
        if self.bias:
            grads["bias_ih"] = d_input_proj.sum(axis=0)
            grads["bias_hh"] = d_hidden_proj.sum(axis=0)
        if not cache["batched"]:
            for name in ("input",) + self._state_names:
                grads[name] = grads[name][0]
        return grads

    @staticmethod
    def _unbatch(step, batched):
        """Drop the batch axis that ``_check_step`` added to an unbatched call."""
        return step if batched else type(step)(*(a[0] for a in step))
