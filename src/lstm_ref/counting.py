"""Parameter counts in closed form, as the pages derive them."""

from . import _checks, _docs

__all__ = ["lstm_parameter_count", "gru_parameter_count"]


def _count(gates, input_size, hidden_size, num_layers, bias, bidirectional, proj_size):
    input_size = _checks.size("input_size", input_size)
    hidden_size = _checks.size("hidden_size", hidden_size)
    num_layers = _checks.size("num_layers", num_layers)
    directions = 2 if _checks.flag("bidirectional", bidirectional) else 1
    h_out = proj_size or hidden_size
    total = 0
    for layer in range(num_layers):
        layer_input = input_size if layer == 0 else directions * h_out
        per_direction = gates * hidden_size * (layer_input + h_out)   # weight_ih, weight_hh
        if _checks.flag("bias", bias):
            per_direction += 2 * gates * hidden_size                    # bias_ih, bias_hh
        per_direction += proj_size * hidden_size                      # weight_hr
        total += directions * per_direction
    return total


@_docs.fill
def lstm_parameter_count(input_size, hidden_size, num_layers=1, bias=True,
                         bidirectional=False, proj_size=0):
    """Number of scalars in ``torch.nn.LSTM(...)`` with these options.

    Per layer and direction: ``4H(H_in + H_out)`` weights, ``2 * 4H`` biases
    (torch keeps two; the textbook's single ``b`` would be ``4H``) and
    ``proj_size * H`` for the projection.

    {{count_arguments}}
    proj_size : int, optional
        0, or the projected size ``H_out``, smaller than ``hidden_size``
        (torch refuses anything else, and so does this function).

    Returns
    -------
    int
        The count, for one LSTM module.

    {{count_raises}}

    See Also
    --------
    gru_parameter_count : The same for the GRU.
    lstm_ref.module.Module.num_parameters : The count of a module.

    Examples
    --------
    >>> from lstm_ref import lstm_parameter_count
    >>> lstm_parameter_count(10, 20)          # 4*20*(10+20) + 2*4*20
    2560
    """
    proj_size = _checks.proj_size(proj_size, _checks.size("hidden_size", hidden_size))
    return _count(4, input_size, hidden_size, num_layers, bias, bidirectional, proj_size)


@_docs.fill
def gru_parameter_count(input_size, hidden_size, num_layers=1, bias=True, bidirectional=False):
    """Number of scalars in ``torch.nn.GRU(...)`` with these options: 3 blocks, not 4.

    Per layer and direction: ``3H(H_in + H)`` weights and ``2 * 3H`` biases.

    {{count_arguments}}

    Returns
    -------
    int
        The count, for one GRU module.

    {{count_raises}}

    See Also
    --------
    lstm_parameter_count : The same for the LSTM, four blocks.

    Examples
    --------
    >>> from lstm_ref import gru_parameter_count
    >>> gru_parameter_count(10, 20)           # 3*20*(10+20) + 2*3*20
    1920
    """
    return _count(3, input_size, hidden_size, num_layers, bias, bidirectional, 0)
