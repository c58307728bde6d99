"""The classic variants that torch does not offer, as kinds of the step contract.

- :class:`~lstm_ref.ResetBeforeGRU`: the reset gate before the product (Cho et al. 2014,
  Keras ``reset_after=False``, ONNX ``linear_before_reset=0``);
- :class:`~lstm_ref.PeepholeLSTM`: gates that read the cell state (Gers & Schmidhuber 2000);
- :class:`~lstm_ref.CoupledGateLSTM`: the forget gate tied to ``1 - i_t`` (CIFG, Greff et al. 2017).

Each is a :class:`~lstm_ref.kind.Kind`: one step function with its equations
one line each and its derivative; layers, cells, directions, lengths and
backpropagation through time come from the shared machinery.
"""

from .coupled_gate_lstm import (
                                COUPLED_GATE_LSTM_KIND,
                                CoupledGateLSTM,
                                CoupledGateLSTMCell,
                                CoupledGateLSTMStep,
                                coupled_gate_lstm_step,
                                coupled_gate_lstm_step_backward,
)
from .peephole_lstm import (
                                PEEPHOLE_LSTM_KIND,
                                PeepholeLSTM,
                                PeepholeLSTMCell,
                                PeepholeLSTMStep,
                                peephole_lstm_step,
                                peephole_lstm_step_backward,
)
from .reset_before_gru import (
                                RESET_BEFORE_GRU_KIND,
                                ResetBeforeGRU,
                                ResetBeforeGRUCell,
                                ResetBeforeGRUStep,
                                reset_before_gru_step,
                                reset_before_gru_step_backward,
)

__all__ = [
    "ResetBeforeGRU", "ResetBeforeGRUCell", "ResetBeforeGRUStep", "reset_before_gru_step",
    "reset_before_gru_step_backward", "RESET_BEFORE_GRU_KIND",
    "PeepholeLSTM", "PeepholeLSTMCell", "PeepholeLSTMStep", "peephole_lstm_step",
    "peephole_lstm_step_backward", "PEEPHOLE_LSTM_KIND",
    "CoupledGateLSTM", "CoupledGateLSTMCell", "CoupledGateLSTMStep", "coupled_gate_lstm_step",
    "coupled_gate_lstm_step_backward", "COUPLED_GATE_LSTM_KIND",
]
