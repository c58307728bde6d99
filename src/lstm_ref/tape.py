"""What a forward pass records for its backward pass: the typed tape.

``forward(..., return_cache=True)`` returns one of these as its cache. It
holds its own copies of everything the backward pass reads (the input, the
initial states and the parameters as they were), so changing any of them in
place after the forward pass does not change the gradients: they stay the
gradients of the computation that ran. It also knows the module that made
it, and ``backward`` refuses a cache from another module.
"""

from dataclasses import dataclass, field

import numpy as np

from . import _docs

__all__ = ["DirectionTape", "LayerTape", "SequenceTape", "StepTape"]


@dataclass
class DirectionTape:
    """One direction of one layer.

    Attributes
    ----------
    parameters : dict
        The direction's parameters without their suffixes (``weight_ih``,
        ``weight_hh``, ...), as the forward pass used them.
    prev : list of tuple
        ``prev[t]``: the states step ``t`` started from, in the kind's order.
    records : list of NamedTuple
        ``records[t]``: step ``t``'s record (its every intermediate).
    """

    parameters: dict
    prev: list
    records: list


@dataclass
class LayerTape:
    """One layer: its input, its directions and the dropout after it.

    Attributes
    ----------
    input : numpy.ndarray
        The layer's input, time-major ``(L, N, width)``.
    directions : list of DirectionTape
        One per direction, forward first.
    dropout : numpy.ndarray or None
        The factor each output of the layer was multiplied by (0 or
        ``1 / (1 - p)``), or None without dropout.
    """

    input: np.ndarray
    directions: list = field(default_factory=list)
    dropout: np.ndarray = None


@_docs.fill
@dataclass
class SequenceTape:
    """The cache of a layer module's ``forward(..., return_cache=True)``.

    Attributes
    ----------
    {{tape_owner}}
    mask : numpy.ndarray or None
        ``(L, N, 1)``, True at the valid steps of each batch element (with
        ``lengths``), or None.
    layers : list of LayerTape
        One per layer, the first layer first.
    """

    module: object
    batched: bool
    mask: np.ndarray
    layers: list = field(default_factory=list)


@_docs.fill
@dataclass
class StepTape:
    """The cache of a cell's ``forward(..., return_cache=True)``.

    Attributes
    ----------
    module : object
        The cell whose forward pass recorded this tape.
    batched : bool
        Whether the input had a batch axis.
    input : numpy.ndarray
        The input, ``(N, input_size)``.
    parameters : dict
        The cell's parameters as the forward pass used them.
    prev : tuple of numpy.ndarray
        The states the step started from, each ``(N, size)``.
    record : NamedTuple
        The step's record.
    """

    module: object
    batched: bool
    input: np.ndarray
    parameters: dict
    prev: tuple
    record: tuple
