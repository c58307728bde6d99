"""What the variant modules share: torch has no module computing their equations."""

__all__ = ["NoTorchCounterpart"]


class NoTorchCounterpart:
    """Refuses :meth:`to_torch` and :meth:`from_torch`: no ``torch.nn`` module computes this kind.

    Mixed into a layer or cell class before :class:`lstm_ref.layer.RecurrentLayer`
    or :class:`lstm_ref.cell.RecurrentCell`; ``_nearest_torch`` names the torch
    module whose equations differ, for the message.
    """

    _nearest_torch = None

    def to_torch(self):
        """Refused: converting would change the output."""
        raise ValueError(
            f"module: torch.nn has no {type(self).__name__}; torch.nn.{self._nearest_torch} "
            f"computes other equations, so converting would change the output")

    @classmethod
    def from_torch(cls, module):
        """Refused: no torch module computes these equations."""
        raise ValueError(
            f"module: no torch.nn module computes {cls.__name__}'s equations; expected none, "
            f"got torch.nn.{type(module).__name__}")
