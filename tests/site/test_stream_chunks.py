"""A line printed in several chunks is shown as one line (docs/_ext/stream_chunks.py)."""

import doctest
import sys

import myst_nb.core.render
from nbformat.v4 import new_output

from site_build import DOCS

sys.path.insert(0, str(DOCS / "_ext"))
import stream_chunks  # noqa: E402


def stdout(text):
    return new_output("stream", name="stdout", text=text)


# What the kernel sends for `print("h_n", (1, 3))` when its buffer is flushed
# between the two writes, then a figure, then one more line.
SENT = [stdout("h_n"), stdout(" (1, 3)\n"), new_output("display_data", data={"text/plain": "<Figure>"}),
        stdout("done\n")]


def test_myst_nb_alone_breaks_the_line():
    # Without the extension (myst-nb 1.4's own merge), the line is cut in two:
    # this is what the extension exists for.
    merge = myst_nb.core.utils.coalesce_streams
    assert merge([output.copy() for output in SENT])[0]["text"] == "h_n\n (1, 3)\ndone\n"


def test_the_line_is_shown_as_printed():
    stream_chunks.setup(app=None)
    stream_chunks.setup(app=None)  # a second Sphinx run in the same process wraps it once
    merged = myst_nb.core.render.coalesce_streams([output.copy() for output in SENT])
    assert [output["output_type"] for output in merged] == ["stream", "display_data"]
    assert merged[0]["text"] == "h_n (1, 3)\ndone\n"
    assert [output["text"] for output in SENT if "text" in output] == ["h_n", " (1, 3)\n", "done\n"]


def test_other_streams_and_outputs_keep_their_order():
    stderr = new_output("stream", name="stderr", text="warning\n")
    chunks = [stdout("a"), stderr, stdout("b\n")]
    assert stream_chunks.joined_chunks(chunks) == chunks
    assert stream_chunks.joined_chunks([]) == []


def test_examples_in_the_docstrings():
    failed, tried = doctest.testmod(stream_chunks)
    assert tried and not failed
