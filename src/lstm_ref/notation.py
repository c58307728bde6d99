"""Between torch's split parameters and the textbook's ``W·[h_{t-1}, x_t] + b``.

colah's post and most textbooks write one gate as ``sigma(W_f·[h_{t-1}, x_t] + b_f)``:
one matrix times the concatenation of the previous hidden state and the
input. torch keeps the two column blocks of that matrix apart (``weight_hh``
for ``h_{t-1}``, ``weight_ih`` for ``x_t``) and has two biases that only ever
appear as their sum. The two forms compute the same numbers, since
``W·[h, x] = W_h h + W_x x``.

For GRU the merge holds for the reset and update gates only: the candidate
applies ``r_t`` to ``W_hn h + b_hn`` before adding ``W_in x + b_in``, so
``b_hn`` cannot join ``b_in``. :func:`~lstm_ref.to_textbook` therefore refuses a GRU's
parameters whose ``b_hn`` is not zero, rather than return a ``b`` that
:func:`~lstm_ref.from_textbook` would turn into another GRU. The per-gate forms of
colah and d2l, for every kind, are in :mod:`lstm_ref.convert.textbook`.
"""

import numpy as np

__all__ = ["to_textbook", "from_textbook", "gate_blocks"]


def _is_gru(weight_hh, kind):
    """Whether these are a GRU's parameters: said by ``kind``, or read off ``weight_hh``.

    A GRU's ``weight_hh`` is ``(3H, H)``; an LSTM's is ``(4H, H_out)`` with
    ``H_out <= H`` and an RNN's ``(H, H)``, so the shape alone tells a GRU apart.
    """
    if kind is None:
        rows, columns = weight_hh.shape
        return rows == 3 * columns
    if kind not in ("LSTM", "GRU", "RNN"):
        raise ValueError(f"kind: expected 'LSTM', 'GRU', 'RNN' or None (read from the shape "
                         f"of weight_hh), got {kind!r}")
    return kind == "GRU"


def to_textbook(weight_ih, weight_hh, bias_ih=None, bias_hh=None, *, kind=None):
    """Return ``(W, b)`` with ``W = [weight_hh | weight_ih]`` and ``b = bias_ih + bias_hh``.

    The columns of ``W`` follow the concatenation ``[h_{t-1}, x_t]``: first the
    hidden-state columns, then the input columns.

    Parameters
    ----------
    weight_ih : numpy.ndarray
        ``(G * hidden_size, input_size)``.
    weight_hh : numpy.ndarray
        ``(G * hidden_size, H_out)``.
    bias_ih, bias_hh : numpy.ndarray or None
        ``(G * hidden_size,)`` each; None counts as zeros.
    kind : str, optional
        Whose parameters these are, ``"LSTM"``, ``"GRU"`` or ``"RNN"``; by
        default read from ``weight_hh``'s shape (a GRU's is ``(3H, H)``).

    Returns
    -------
    W : numpy.ndarray
        ``(G * hidden_size, H_out + input_size)``.
    b : numpy.ndarray
        ``(G * hidden_size,)``.

    Raises
    ------
    ValueError
        If the shapes do not fit, or for a GRU whose ``b_hn`` (the candidate
        block of ``bias_hh``) is not zero: that bias acts inside ``r_t * (...)``,
        so no single ``b`` keeps the GRU's output.

    Examples
    --------
    >>> import numpy as np
    >>> from lstm_ref import LSTMCell, to_textbook
    >>> cell = LSTMCell(3, 2, dtype=np.float64, rng=0)
    >>> W, b = to_textbook(cell.weight_ih, cell.weight_hh,
    ...                    cell.bias_ih, cell.bias_hh)
    >>> W.shape, b.shape
    ((8, 5), (8,))
    >>> h, x = np.array([0.1, -0.2]), np.array([1.0, 2.0, 3.0])
    >>> split = cell.weight_hh @ h + cell.weight_ih @ x + cell.bias_ih + cell.bias_hh
    >>> bool(np.allclose(W @ np.concatenate([h, x]) + b, split))
    True
    """
    weight_ih, weight_hh = np.asarray(weight_ih), np.asarray(weight_hh)
    if weight_ih.ndim != 2 or weight_hh.ndim != 2 or weight_ih.shape[0] != weight_hh.shape[0]:
        raise ValueError(
            f"weight_ih, weight_hh: expected two matrices with the same number of rows, "
            f"got shapes {weight_ih.shape} and {weight_hh.shape}"
        )
    rows = weight_ih.shape[0]
    if bias_hh is not None and np.shape(bias_hh) == (rows,) and _is_gru(weight_hh, kind):
        b_hn = np.asarray(bias_hh)[2 * rows // 3:]
        if np.any(b_hn):
            raise ValueError(
                "bias_hh: a GRU's b_hn (the last third of bias_hh) acts inside "
                "r_t * (W_hn h + b_hn) and cannot be added to b_in; expected it zero to "
                f"merge the biases, got max |b_hn| = {np.max(np.abs(b_hn)):.3g}. Keep torch's "
                "two biases, or see lstm_ref.convert.textbook for the GRU's per-gate forms")
    b = np.zeros(rows, np.result_type(weight_ih, weight_hh))
    for name, bias in (("bias_ih", bias_ih), ("bias_hh", bias_hh)):
        if bias is not None:
            if np.shape(bias) != (rows,):
                raise ValueError(f"{name}: expected shape ({rows},), got {np.shape(bias)}")
            b = b + bias
    return np.concatenate([weight_hh, weight_ih], axis=1), b


def from_textbook(W, b, input_size):
    """Split a textbook ``(W, b)`` into torch's ``weight_ih, weight_hh, bias_ih, bias_hh``.

    Only the sum of torch's two biases matters, so the split of ``b`` is a
    choice: all of it goes to ``bias_ih`` and ``bias_hh`` is zero.

    Parameters
    ----------
    W : numpy.ndarray
        ``(rows, H_out + input_size)``, columns in the order ``[h_{t-1}, x_t]``.
    b : numpy.ndarray
        ``(rows,)``.
    input_size : int
        Number of trailing columns of ``W`` that multiply ``x_t``.

    Returns
    -------
    tuple of numpy.ndarray
        ``(weight_ih, weight_hh, bias_ih, bias_hh)``.

    Examples
    --------
    >>> import numpy as np
    >>> from lstm_ref import from_textbook, to_textbook
    >>> W, b = np.arange(12.0).reshape(4, 3), np.ones(4)
    >>> w_ih, w_hh, b_ih, b_hh = from_textbook(W, b, input_size=2)
    >>> w_ih.shape, w_hh.shape
    ((4, 2), (4, 1))
    >>> W_back, b_back = to_textbook(w_ih, w_hh, b_ih, b_hh)
    >>> np.array_equal(W_back, W) and np.array_equal(b_back, b)
    True
    """
    W, b = np.asarray(W), np.asarray(b)
    if W.ndim != 2 or not 0 < input_size < W.shape[1]:
        raise ValueError(
            f"W: expected a matrix with more than input_size = {input_size} columns, "
            f"got shape {W.shape}"
        )
    if b.shape != (W.shape[0],):
        raise ValueError(f"b: expected shape ({W.shape[0]},), one per row of W, got {b.shape}")
    weight_hh, weight_ih = W[:, :-input_size].copy(), W[:, -input_size:].copy()
    return weight_ih, weight_hh, b.copy(), np.zeros_like(b)


def gate_blocks(stacked, gates):
    """Split a stacked parameter into its gate blocks, by name.

    Parameters
    ----------
    stacked : numpy.ndarray
        A weight or bias whose rows stack the gates, such as ``weight_ih``.
    gates : sequence of str
        The block names in torch's order: ``"ifgo"`` for LSTM, ``"rzn"`` for GRU.

    Returns
    -------
    dict
        Gate name -> block (a view).

    Examples
    --------
    >>> from lstm_ref import LSTMCell, gate_blocks
    >>> cell = LSTMCell(3, 2, rng=0)
    >>> {k: v.shape for k, v in gate_blocks(cell.weight_ih, "ifgo").items()}
    {'i': (2, 3), 'f': (2, 3), 'g': (2, 3), 'o': (2, 3)}
    """
    stacked = np.asarray(stacked)
    if stacked.ndim == 0 or stacked.shape[0] % len(gates):
        raise ValueError(
            f"stacked: expected a leading dimension divisible by {len(gates)} "
            f"(one block per gate {list(gates)}), got shape {stacked.shape}"
        )
    return dict(zip(gates, np.split(stacked, len(gates), axis=0)))
