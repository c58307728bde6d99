"""Figure numbering from an outline of each page, not from its whole doctree.

With ``numfig``, Sphinx numbers the figures (and tables and captioned code
blocks) of the whole site again after every build, however few pages it read:
``TocTreeCollector.assign_figure_numbers`` unpickles every page's doctree and
walks all of it, about 0.6 s of a one-page edit's 3 s here, whatever the page.
(Sphinx keeps no record of where the numbered nodes are; see
sphinx-doc/sphinx#12883 on unpickling doctrees again and again.)

Here, as each page is read, its outline is kept with the environment: the same
tree cut down to what the numbering looks at, in the same order — the sections
(with their ids), the toctrees, every node that a domain numbers (whole), and
the elements on the way to them. The numbering then walks these outlines, by
Sphinx's own code; a page without one yet (read before this code changed) gets
its outline from its doctree, once.
"""

import hashlib
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.environment.collectors.toctree import TocTreeCollector

_assign_figure_numbers = TocTreeCollector.assign_figure_numbers
# Outlines made by other code than this are not used.
CODE = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


def outlines(env):
    """The outlines kept with ``env`` by this very code, by page."""
    kept = getattr(env, "figure_outlines", None)
    if kept is None or kept.get("code") != CODE:
        kept = env.figure_outlines = {"code": CODE, "pages": {}}
    return kept["pages"]


def outline(node, figtype):
    """``node`` cut down to what figure numbering reads, or None if nothing."""
    if isinstance(node, addnodes.toctree) or (figtype(node) and not isinstance(node, nodes.section)):
        return node.deepcopy()
    kept = [part for part in (outline(child, figtype) for child in node.children
                              if isinstance(child, nodes.Element)) if part is not None]
    if not kept and not isinstance(node, nodes.section):
        return None
    copy = node.copy()   # its attributes (ids among them), without its children
    copy.extend(kept)
    return copy


def page_outline(doctree, figtype):
    """The outline of a page: a plain element (no settings, no reporter) holding its parts."""
    root = nodes.Element()
    root.extend(part for part in (outline(child, figtype) for child in doctree.children
                                  if isinstance(child, nodes.Element)) if part is not None)
    for node in root.findall():
        node._document = None   # a copy points to the page's document, which stays out
    return root


def figure_type(env):
    """Whether a domain numbers a node (Sphinx's own test, as its numbering makes it)."""
    def figtype(node):
        return any(domain.get_enumerable_node_type(node) for domain in env.domains.sorted())
    return figtype


def keep_outline(app, doctree):
    outlines(app.env)[app.env.docname] = page_outline(doctree, figure_type(app.env))


def purge_outline(app, env, docname):
    outlines(env).pop(docname, None)


def merge_outlines(app, env, docnames, other):
    theirs = outlines(other)
    outlines(env).update((docname, theirs[docname]) for docname in docnames if docname in theirs)


def assign_figure_numbers(self, env):
    pages = outlines(env)
    get_doctree = env.get_doctree

    def get_outline(docname):
        # A page read before this code kept outlines: made from its doctree, once.
        if docname not in pages:
            pages[docname] = page_outline(get_doctree(docname), figure_type(env))
        return pages[docname]

    env.get_doctree = get_outline
    try:
        return _assign_figure_numbers(self, env)
    finally:
        del env.get_doctree


def setup(app):
    TocTreeCollector.assign_figure_numbers = assign_figure_numbers
    # Last, once every other handler has changed the page.
    app.connect("doctree-read", keep_outline, priority=999)
    app.connect("env-purge-doc", purge_outline)
    app.connect("env-merge-info", merge_outlines)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
