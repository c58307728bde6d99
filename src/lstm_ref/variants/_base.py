"""What the variant layers share: torch's layer options, no torch counterpart."""

import numpy as np

from ..layer import RecurrentLayer

__all__ = ["VariantLayer", "LSTMStateLayer"]


class VariantLayer(RecurrentLayer):
    """A layer with ``torch.nn.GRU``'s options whose equations torch does not offer.

    Parameters and the calls (``forward``, ``backward``, ``lengths``,
    ``state_dict``) are those of :class:`lstm_ref.GRU`; there is no torch
    module to convert to or from, so :meth:`to_torch` and :meth:`from_torch`
    refuse.
    """

    #: The name of the nearest torch module, for the refusal's message.
    _nearest_torch = None

    def to_torch(self):
        """Refused: torch has no module computing these equations."""
        raise ValueError(
            f"module: torch.nn has no {type(self).__name__}; torch.nn.{self._nearest_torch} "
            f"computes other equations, so converting would change the output")

    @classmethod
    def from_torch(cls, module):
        """Refused: no torch module computes these equations."""
        raise ValueError(
            f"module: no torch.nn module computes {cls.__name__}'s equations "
            f"(got {type(module).__name__})")


class LSTMStateLayer(VariantLayer):
    """A variant whose state is an LSTM's pair ``(h, c)``."""

    _state_names = ("h_0", "c_0")
    _nearest_torch = "LSTM"

    def _state_sizes(self):
        return (self.hidden_size, self.hidden_size)

    def _states_from_hx(self, hx):
        if hx is None:
            return None, None
        if not isinstance(hx, (tuple, list)) or len(hx) != 2:
            raise ValueError(f"hx: expected a pair (h_0, c_0), got {type(hx).__name__}")
        return tuple(hx)

    def _hx_from_states(self, states):
        return tuple(states)


def split_blocks(stacked, count):
    """The ``count`` equal blocks of the last axis (views)."""
    return np.split(stacked, count, axis=-1)
