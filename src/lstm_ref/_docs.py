"""Docstring sections that several classes share word for word, written once.

A docstring names a section on a line of its own as ``{{name}}``; :func:`fill`
replaces that line by the section, indented like the line (as scipy's
``doccer`` and matplotlib's ``_docstring`` do). The rendered docstring, in
``help()`` and in the API reference, reads as if written out in full.
"""

import re
import textwrap

SECTIONS = {}
SECTIONS.update({
    "sizes": """\
input_size : int
    Size of ``x_t``.
hidden_size : int
    Number of units ``H``: the size of ``h_t`` (and of ``c_t``).""",
    "cell_options": """\
bias : bool, optional
    Whether ``bias_ih`` and ``bias_hh`` exist. Default True.""",
    "layer_options": """\
num_layers : int, optional
    Stacked layers; layer ``k > 0`` reads the output of layer ``k - 1``.
bias : bool, optional
    Whether the ``bias_ih_l*`` and ``bias_hh_l*`` parameters exist.
batch_first : bool, optional
    Input and output are ``(N, L, features)`` instead of ``(L, N, features)``;
    the states (``h_0``, ``h_n``, ...) never are.
dropout : float, optional
    Dropout on the outputs of every layer but the last, applied only in
    ``forward(..., training=True)``; with one layer it has nothing to act
    on, and a ``UserWarning`` says so, as torch's does.
bidirectional : bool, optional
    Add a reverse direction per layer; outputs are concatenated.""",
    "dtype_rng": """\
dtype : numpy dtype or None, optional
    Parameter dtype; float32 (torch's default) if None.
rng : numpy.random.Generator or int or None, optional
    Source of the initial parameters, drawn from U(-1/sqrt(H), 1/sqrt(H)).""",
    "raises_options": """\
Raises
------
ValueError
    If an option is out of range or of the wrong type; the message names it.
TypeError
    If ``rng`` is neither a Generator, a seed nor None.""",
    "raises_real": """\
Raises
------
ValueError
    If ``z`` holds something other than real numbers (None, complex, bool).
TypeError
    If ``z`` is a string or another object that is no array.""",
    "tape_owner": """\
module : object
    The module whose forward pass recorded this tape.
batched : bool
    Whether the input had a batch axis.""",
})
# The arguments every kind's step and backward step take (see lstm_ref.kind).
SECTIONS["step_arguments"] = """\
x_proj : numpy.ndarray
    ``affine(x_t, weight_ih, bias_ih)``, the input's share of the
    pre-activations, shape ``(N, G * hidden_size)`` for ``G`` gates.
h_prev : numpy.ndarray
    Previous hidden state ``h_{t-1}``, shape ``(N, H_out)``."""
SECTIONS["step_raises"] = """\
Raises
------
TypeError
    If an array argument is not a ``numpy.ndarray``.
ValueError
    If a shape does not fit ``weight_hh``; the message names the array,
    the shape that fits and the shape given."""
SECTIONS["backward_arguments"] = """\
step : NamedTuple
    The step's record, as the forward step returned it.
prev : tuple of numpy.ndarray
    The states the step started from, in the kind's order, each ``(N, size)``.
d_new : tuple of numpy.ndarray
    d loss / d of each new state (everything that reaches it), in the same
    order and shapes."""
SECTIONS["squash_argument"] = """\
Parameters
----------
z : array_like
    Pre-activation values: real numbers, any shape."""
SECTIONS["count_arguments"] = """\
Parameters
----------
input_size : int
    Size of ``x_t``.
hidden_size : int
    Number of units ``H``.
num_layers : int, optional
    Stacked layers.
bias : bool, optional
    Whether the biases exist.
bidirectional : bool, optional
    Two directions per layer."""
SECTIONS["count_raises"] = """\
Raises
------
ValueError
    If an argument is out of range or of the wrong type (as torch refuses it)."""
# Whole openings and endings of the constructors' parameter lists.
SECTIONS["cell_parameters"] = "\n".join(
    ["Parameters", "----------", SECTIONS["sizes"], SECTIONS["cell_options"]])
SECTIONS["layer_parameters"] = "\n".join(
    ["Parameters", "----------", SECTIONS["sizes"], SECTIONS["layer_options"]])
SECTIONS["construction"] = SECTIONS["dtype_rng"] + "\n\n" + SECTIONS["raises_options"]

_MARKER = re.compile(r"^(?P<indent>[ ]*)\{\{(?P<name>\w+)\}\}$", re.MULTILINE)


def fill(obj):
    """Replace each ``{{name}}`` line of ``obj.__doc__`` by its section; return ``obj``."""
    obj.__doc__ = _MARKER.sub(
        lambda m: textwrap.indent(SECTIONS[m["name"]], m["indent"]), obj.__doc__)
    return obj
