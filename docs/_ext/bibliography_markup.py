"""The references as a list whose entries assistive technology reads as its items.

docutils writes the citations of a bibliography as ``<div role="list">`` around
``<div role="doc-biblioentry">`` entries. DPUB-ARIA 1.1 deprecated
``doc-biblioentry`` because it is not a list item (w3c/dpub-aria#22), so the list
has no items for a screen reader and axe-core reports ``aria-required-children``
(critical); dequelabs/axe-core#3253 records that axe keeps flagging it. docutils
0.23 still writes the old role (``visit_citation`` in
``docutils/writers/_html_base.py``); this writes each entry as ``role="listitem"``,
as the deprecation note asks. Drop it once docutils does the same.
"""

from docutils import nodes
from sphinx.writers.html5 import HTML5Translator


def visit_citation(self, node):
    if not isinstance(node.previous_sibling(), type(node)):
        self.body.append('<div role="list" class="citation-list">\n')
    self.body.append(self.starttag(node, "div", classes=[node.tagname], role="listitem"))


def setup(app):
    app.add_node(nodes.citation, override=True,
                 html=(visit_citation, HTML5Translator.depart_citation))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
