"""The classic variants that torch does not offer, as layers with torch's options.

- :class:`ResetBeforeGRU`: the reset gate before the product (Cho et al. 2014,
  Keras ``reset_after=False``, ONNX ``linear_before_reset=0``);
- :class:`PeepholeLSTM`: gates that read the cell state (Gers & Schmidhuber 2000);
- :class:`CoupledGateLSTM`: the forget gate tied to ``1 - i_t`` (CIFG, Greff et al. 2017).

Each has one step function with its equations one line each, and its
derivative, run through time, directions and layers by the same loop as
:class:`lstm_ref.LSTM`.
"""

from .coupled_gate_lstm import (CoupledGateLSTM, CoupledGateLSTMStep, coupled_gate_lstm_step,
                                coupled_gate_lstm_step_backward)
from .peephole_lstm import (PeepholeLSTM, PeepholeLSTMStep, peephole_lstm_step,
                            peephole_lstm_step_backward)
from .reset_before_gru import (ResetBeforeGRU, ResetBeforeGRUStep, reset_before_gru_step,
                               reset_before_gru_step_backward)

__all__ = [
    "ResetBeforeGRU", "ResetBeforeGRUStep", "reset_before_gru_step",
    "reset_before_gru_step_backward",
    "PeepholeLSTM", "PeepholeLSTMStep", "peephole_lstm_step", "peephole_lstm_step_backward",
    "CoupledGateLSTM", "CoupledGateLSTMStep", "coupled_gate_lstm_step",
    "coupled_gate_lstm_step_backward",
]
