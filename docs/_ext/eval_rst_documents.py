"""Nodes of an ``{eval-rst}`` block belong to the page's own document.

myst-parser parses an ``{eval-rst}`` block (our API pages' autodoc directives)
into a document of its own, whose settings are the page's, and then moves its
nodes into the page (``render_restructuredtext`` in
``myst_parser/mdit_to_docutils/base.py``, myst-parser 5.2; no upstream issue
yet). Each moved node still points to that other document, and so to its
settings, which hold the whole build environment. When Sphinx pickles the
page's doctree it clears the environment from the page's own settings only: the
pickle of each API page then carried a copy of the environment (0.8 to 1 MB a
page, against 0.1 MB for a long page without them), unpickled again each time
any step reads the page's doctree. Figure numbering reads every doctree on every
build, so a one-page edit spent about a second unpickling those copies, and a
node that asked for its document got an out-of-date environment.

Here, once a page is read, every node that points to another document points to
the page's own. Nothing in the page changes: a node asks for its document only
to find the settings, the reporter or the environment, which are the page's.
"""

def own_document(app, doctree):
    for node in doctree.findall():
        if getattr(node, "_document", None) not in (None, doctree):
            node._document = doctree


def setup(app):
    # Last, after every other handler that may add or move nodes.
    app.connect("doctree-read", own_document, priority=999)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

