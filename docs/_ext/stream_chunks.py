"""A cell's printed text is shown as it was printed, however the kernel sent it.

A kernel sends what a cell prints in chunks, split wherever its output buffer
happened to be flushed: ``print(a, b)`` writes ``a``, a space and ``b`` one
after the other, and a flush between them (more likely on a busy machine) cuts
the line in two. myst-nb (1.4) merges a cell's stream outputs with
``coalesce_streams`` (``myst_nb/core/utils.py``), which strips each chunk's
trailing white space and ends it with a line break, so such a line was shown
broken in two, and a page's output depended on the machine's load.

Here, before myst-nb merges them, chunks of the same stream that follow each
other are joined exactly as they were sent; myst-nb's merge then runs as before
(streams interleaved with other outputs are still gathered in its way).
"""

import myst_nb.core.render


def joined_chunks(outputs):
    """``outputs`` with each run of consecutive chunks of one stream joined into one.

    >>> from nbformat.v4 import new_output
    >>> chunks = [new_output("stream", name="stdout", text=text) for text in ("h_n", " (1, 3)\\n")]
    >>> [output["text"] for output in joined_chunks(chunks)]
    ['h_n (1, 3)\\n']
    """
    joined = []
    for output in outputs or []:
        previous = joined[-1] if joined else None
        if (output["output_type"] == "stream" and previous is not None
                and previous["output_type"] == "stream" and previous["name"] == output["name"]):
            joined[-1] = previous = previous.copy()
            previous["text"] = previous["text"] + output["text"]
        else:
            joined.append(output)
    return joined


def setup(app):
    merge = myst_nb.core.render.coalesce_streams
    if not getattr(merge, "joins_chunks_first", False):
        def coalesce_streams(outputs):
            return merge(joined_chunks(outputs))
        coalesce_streams.joins_chunks_first = True
        myst_nb.core.render.coalesce_streams = coalesce_streams
    return {"parallel_read_safe": True, "parallel_write_safe": True}
