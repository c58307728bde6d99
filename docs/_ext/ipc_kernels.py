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
import tempfile
import uuid

import kernel_forks
from jupyter_client import AsyncKernelManager
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


class IPCKernelManager(AsyncKernelManager):
    """An ``AsyncKernelManager`` whose kernel listens on unix sockets of its own."""

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


def use_ipc_kernels():
    """Make myst-nb's executors start every kernel with :class:`IPCKernelManager`,
    and kill it once its page has run.

    myst-nb 1.4 has no setting for the kernel manager (executablebooks/MyST-NB#721
    adds one to its parser), but jupyter-cache's ``single_nb_execution``, which
    it calls, passes extra keywords on to nbclient's ``NotebookClient``.
    """
    from myst_nb.core.execute import cache, direct

    for module in (cache, direct):
        execute = module.single_nb_execution
        if not isinstance(execute, functools.partial):
            module.single_nb_execution = functools.partial(
                execute, kernel_manager_class=IPCKernelManager, shutdown_kernel="immediate")


# What torch (OpenMP), numpy's OpenBLAS and MKL read, once, when they load.
THREAD_COUNTS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def single_threaded_kernels():
    """One thread for every kernel started from now on (where not set otherwise)."""
    for name in THREAD_COUNTS:
        os.environ.setdefault(name, "1")


def setup(app):
    use_ipc_kernels()
    single_threaded_kernels()
    return {"parallel_read_safe": True, "parallel_write_safe": True}
