"""Notebook kernels reached over unix sockets, so builds running at once cannot collide.

By default a Jupyter kernel is reached over loopback TCP on five ports that the
build picks by binding port 0 and closing the socket again; the kernel binds
them only once it has started. Between the two, any other process on the
machine (another build's kernel, a client connection given one of those ports
as its ephemeral port) may take a port, and the kernel exits with "Address
already in use", which the build reports as "Kernel died before replying to
kernel_info" (jupyter/jupyter_client#154, nteract/papermill#511). The slower
the start-up (a loaded machine), the wider that window.

Over IPC the kernel's sockets are files named after its own connection file,
which lives in a folder private to this build: nothing else can take them.

Each kernel is forked from a process that has imported torch and the like
already (see :mod:`kernel_forks`), and is killed once its page has run: a
polite shutdown request made the build wait one to three seconds per page
for a process whose outputs it already had.

The build's client knows a new kernel is ready once the kernel has answered a
``kernel_info`` request and published that request's idle status: jupyter-client
waits, besides, until 0.2 s pass with no message on IOPub, on every kernel
(:class:`ReadyKernelClient`).

Each kernel computes on one thread (``OMP_NUM_THREADS`` and the like are 1
unless already set): both editions build at once, each running a kernel, on a
machine with a few cores, and the pages' arrays are small, so a second thread
gains nothing while torch's and OpenBLAS's threads, which wait for work by
spinning, take the CPU from the other edition's kernel. Keras's training of the
conventions page took 21 s on a loaded machine with the default threads and 1 s
with one.
"""

import atexit
import functools
import os
import shutil
import sqlite3
import tempfile
import time
import uuid
from pathlib import Path
from queue import Empty

import kernel_forks
import zmq
import zmq.asyncio
from jupyter_client import AsyncKernelManager
from jupyter_client.asynchronous import AsyncKernelClient
from traitlets import default

_folder = None


def connection_folder():
    """A folder of this process for connection files and sockets, removed at exit."""
    global _folder
    if _folder is None:
        # Short on purpose: a unix socket's path is limited to about 100 bytes.
        _folder = tempfile.mkdtemp(prefix="lstm-ref-kernels-")
        atexit.register(shutil.rmtree, _folder, ignore_errors=True)
    return _folder


# How long IOPub may stay silent after a kernel_info reply before the request is sent
# again (its status messages were published before the channel was connected), as
# jupyter-client's own check.
IOPUB_CONNECTED_WITHIN = 0.2
# How long (ms) a client's socket waits before it tries again to connect to a kernel's
# socket that is not there yet. The client connects as soon as the kernel is forked,
# about 0.1 s before the kernel has bound its sockets: at ZeroMQ's 100 ms, the first
# requests and IOPub's subscription waited for the next try, and the kernel was taken
# as ready 0.13 to 0.37 s after its fork (0.11 s at 10 ms; eight kernels of each).
RECONNECT_AFTER = 10
# How often a killed kernel's process is looked for until it is gone.
KILLED_POLL = 0.005


class ReadyKernelClient(AsyncKernelClient):
    """An ``AsyncKernelClient`` that takes a kernel as ready as soon as it has shown so.

    jupyter-client's ``wait_for_ready`` (8.x) sends ``kernel_info`` until a reply comes
    on the shell channel and a message on IOPub, then reads IOPub until it has been
    silent for 0.2 s: a fixed 0.2 s of waiting for every page's kernel. Here IOPub is
    read until the idle status of the request that was answered, the last message the
    kernel publishes for it; what a later request to the kernel sends on IOPub is told
    apart by its parent (nbclient reads only the messages of the cell it runs).
    """

    @default("context")
    def _context_default(self):
        """The client's own context (as jupyter-client makes it), whose sockets try again
        to connect after :data:`RECONNECT_AFTER` milliseconds instead of ZeroMQ's 100."""
        self._created_context = True
        context = zmq.asyncio.Context()
        context.setsockopt(zmq.RECONNECT_IVL, RECONNECT_AFTER)
        return context

    async def wait_for_ready(self, timeout=None):
        deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
        while True:
            self.kernel_info()
            try:
                reply = await self.shell_channel.get_msg(timeout=1)
            except Empty:
                reply = None
            if reply is not None and reply["msg_type"] == "kernel_info_reply":
                if await self._idle_after(reply["parent_header"].get("msg_id")):
                    self._handle_kernel_info_reply(reply)
                    return
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")

    _async_wait_for_ready = wait_for_ready

    async def _idle_after(self, request):
        """Whether IOPub brings the idle status of ``request`` (False if it stays silent)."""
        while True:
            try:
                message = await self.iopub_channel.get_msg(timeout=IOPUB_CONNECTED_WITHIN)
            except Empty:
                return False
            if (message["msg_type"] == "status"
                    and message["content"].get("execution_state") == "idle"
                    and message["parent_header"].get("msg_id") == request):
                return True


class IPCKernelManager(AsyncKernelManager):
    """An ``AsyncKernelManager`` whose kernel listens on unix sockets of its own, and
    whose client is a :class:`ReadyKernelClient`."""

    @default("client_factory")
    def _default_client_factory(self):
        return ReadyKernelClient

    @default("transport")
    def _default_transport(self):
        return "ipc"

    @default("connection_file")
    def _default_connection_file(self):
        return os.path.join(connection_folder(), f"{uuid.uuid4().hex[:12]}.json")

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        """Fork the kernel from :mod:`kernel_forks`' server where it can, else start it."""
        kernel = kernel_forks.fork_kernel(kernel_cmd, kw.get("env"), kw.get("cwd"))
        if kernel is None:
            await super()._async_launch_kernel(kernel_cmd, **kw)
            return
        provisioner = self.provisioner
        provisioner.process, provisioner.pid, provisioner.pgid = kernel, kernel.pid, kernel.pid
        provisioner.cwd = kw["cwd"]
        self._reconcile_connection_info(provisioner.connection_info)

    async def _async_wait(self, pollinterval=0.1):
        """Wait until the killed kernel is gone, looking every few milliseconds.

        jupyter-client (8.x) looks every 0.1 s (its shutdown's waits are
        jupyter/jupyter_client#756); a kernel killed once its page has run is gone
        within a few tens of milliseconds, and each page's build waited for the next
        look: 0.1 s or more per page, with nothing else to do.
        """
        await super()._async_wait(pollinterval=min(pollinterval, KILLED_POLL))


def use_ipc_kernels():
    """Make myst-nb's executors start every kernel with :class:`IPCKernelManager`,
    and kill it once its page has run.

    myst-nb 1.4 has no setting for the kernel manager (executablebooks/MyST-NB#721
    adds one to its parser), but jupyter-cache's ``single_nb_execution``, which
    it calls, passes extra keywords on to nbclient's ``NotebookClient``.
    """
    import notebook_cache_reader

    def use_in(module):
        execute = module.single_nb_execution
        if not isinstance(execute, functools.partial):
            module.single_nb_execution = functools.partial(
                execute, kernel_manager_class=IPCKernelManager, shutdown_kernel="immediate")

    if notebook_cache_reader.replaced():     # myst-nb's own modules, loaded when first used
        notebook_cache_reader.with_own_modules(use_in)
        return
    from myst_nb.core.execute import cache, direct

    for module in (cache, direct):
        use_in(module)


# What torch (OpenMP), numpy's OpenBLAS and MKL read, once, when they load.
THREAD_COUNTS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def single_threaded_kernels():
    """One thread for every kernel started from now on (where not set otherwise)."""
    for name in THREAD_COUNTS:
        os.environ.setdefault(name, "1")


def cached_notebooks(cache_path):
    """How many notebooks the execution cache holds (read with ``sqlite3``: jupyter-cache's
    own reader would import SQLAlchemy, which a build that executes nothing does without)."""
    database = Path(cache_path, "global.db")
    if not database.is_file():
        return 0
    connection = sqlite3.connect(database, timeout=30)
    try:
        return connection.execute("SELECT COUNT(*) FROM nbcache").fetchone()[0]
    except sqlite3.Error:
        return 0
    finally:
        connection.close()


def start_kernel_server_early(app, config):
    """Where pages are surely executed (the execution cache holds fewer notebooks than the
    edition has pages with code: a cold build, or new package code), start the kernels'
    fork server as soon as the configuration is complete, so that it imports while Sphinx
    makes its builder and environment and reads the pages without code, rather than at
    the first page executed (``kernel_forks.start_early``): torch's import alone takes
    seconds, and the first page waits for all of it. It runs after the handlers that key
    the execution cache and set the edition's ``MATPLOTLIBRC`` (``execution_freshness``,
    ``figure_style``), which the server and its kernels read."""
    if config.nb_execution_mode != "cache":
        return
    suffixes = tuple(config.source_suffix)
    with_code = [path for path in Path(app.srcdir).rglob("*")
                 if path.suffix in suffixes and path.is_file()
                 and "{code-cell}" in path.read_text(encoding="utf-8")]
    if not with_code:
        return
    if cached_notebooks(config.nb_execution_cache_path) < len(with_code):
        kernel_env = {k: v for k, v in os.environ.items() if k != "PYTHONEXECUTABLE"}
        kernel_forks.start_early(kernel_env)   # as jupyter-client gives the kernel


def setup(app):
    use_ipc_kernels()
    single_threaded_kernels()
    app.connect("config-inited", start_kernel_server_early, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
