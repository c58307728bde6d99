"""A process that has imported what every page's kernel imports, and forks kernels from it.

Run by :mod:`kernel_forks` with the kernel's own Python, as
``python kernel_forkserver.py FD``: FD is a unix socket to the build. The
server imports ipykernel and the heavy libraries the pages use (torch alone
takes seconds of CPU), then answers each request, a JSON line
``{"argv": [...], "cwd": ..., "env": {...}}``, by forking a child that becomes
``python -m ipykernel_launcher argv...`` in ``cwd`` with exactly ``env``, and
replies ``{"pid": ...}``. Each kernel is a new process that no page has run in:
the child of a server that never runs page code. The server exits when the
build closes its end of the socket (it ended or was killed); a kernel exits when
the server is gone (ipykernel's parent poller), as it would with the build.

Only libraries whose import depends on nothing but the environment are
imported here (the server's environment is the kernels' own, which
:mod:`kernel_forks` checks on every request); keras, for one, reads
``KERAS_BACKEND`` that a page sets, so the page imports it itself. Nothing
here has run a computation when a kernel is forked; numpy's OpenBLAS has
started its thread pool, which it stops and restarts across a fork itself
(``pthread_atfork``), as it does under ``multiprocessing``.

Shared by the editions of one ``make html`` (``kernel_share.py``), it runs as
``python kernel_forkserver.py --shared PATH OWNER``: it listens on the unix
socket PATH and imports what depends on nothing that differs between the
editions (all but matplotlib, which reads the edition's ``MATPLOTLIBRC`` as it
is imported). Each build that connects sends a JSON line ``{"env": {...}}``, its
kernels' environment; the server forks a child that takes that environment,
imports the rest (matplotlib), replies ``{"ready": true}`` and then serves that
build alone, as above. The shared server exits when the process OWNER (the
``make html`` that made it) is gone, or when it is told to (SIGTERM).
"""

import contextlib
import json
import os
import select
import signal
import socket
import sys

# What a kernel imports before any page code (ipykernel, IPython, and the debugger that
# every ipykernel kernel sets up as it starts, about 0.3 s of CPU each) and what the pages
# import first; each import here is one a forked kernel no longer pays for. torch._dynamo
# is imported by keras 3's torch backend at its own import (keras/src/backend/torch/
# random.py and image.py, for ``@dynamo.disable()``; no setting avoids it), which three
# pages of each edition make: 2.5 s of CPU each time, or once here. myst_nb.ext.glue is what
# `myst_nb.glue` imports at its first call, in nearly every page (nbformat, jsonschema and
# docutils with it: 0.08 s of CPU a page); psutil, what ipykernel imports as it runs a kernel.
PRELOADED = ("ipykernel.kernelapp", "ipykernel.debugger", "numpy", "torch", "torch._dynamo",
             "myst_nb.ext.glue", "psutil", "matplotlib.pyplot")
# LSTM_REF_KERNEL_PRELOAD, where set, lists (comma-separated) what to import instead: the
# tests' small copies of the project, whose pages import none of the heavy libraries, set it.
if "LSTM_REF_KERNEL_PRELOAD" in os.environ:
    PRELOADED = tuple(filter(None, os.environ["LSTM_REF_KERNEL_PRELOAD"].split(",")))
# ipykernel sets this, when unset, before any page code runs: matplotlib reads it at import.
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"


# debugpy, as ipykernel's debugger imports it, writes to stderr that frozen modules may
# make breakpoints missed. A kernel started the usual way writes that while its output
# goes to no cell (nothing of a kernel's start-up does), and no page uses the debugger:
# here it goes nowhere too, rather than into the build's output.
SILENT = ("ipykernel.debugger",)


@contextlib.contextmanager
def stderr_discarded():
    sys.stderr.flush()
    saved = os.dup(2)
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 2)
    os.close(null)
    try:
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)


def reads_edition(name):
    """Whether importing ``name`` reads what differs between the editions (matplotlib's rc file)."""
    return name == "matplotlib" or name.startswith("matplotlib.")


def preload(names=PRELOADED):
    if any(reads_edition(name) for name in names):
        os.environ.setdefault("MPLBACKEND", INLINE_BACKEND)
    for name in names:
        try:
            with stderr_discarded() if name in SILENT else contextlib.nullcontext():
                __import__(name)
        except ImportError:   # a page that needs it will fail on its own import
            pass


def become_kernel(connection, request):
    """In the forked child: turn into a fresh kernel, as ``python -m ipykernel_launcher``."""
    connection.close()
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)   # the server's setting, not a kernel's
    os.setsid()            # its own process group, which the build signals (interrupt, kill)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"], JPY_PARENT_PID=str(os.getppid()))
    os.environ.setdefault("MPLBACKEND", INLINE_BACKEND)
    import numpy.random
    numpy.random.seed()    # a fresh process draws its own seed; do not share the server's
    from ipykernel import kernelapp

    sys.argv = ["ipykernel_launcher", *request["argv"],
                f"--IPKernelApp.parent_handle={os.getppid()}"]
    try:
        kernelapp.launch_new_instance()
    finally:
        os._exit(0)        # never return into the server's loop


def serve(connection, lines=None):
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)   # kernels are reaped when they exit
    lines = lines or connection.makefile("rb")
    for line in lines:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            lines.close()
            become_kernel(connection, request)
        connection.sendall(json.dumps({"pid": pid}).encode() + b"\n")


def serve_build(connection):
    """In a child of the shared server: take the build's environment, import the rest, serve it."""
    lines = connection.makefile("rb")
    request = json.loads(lines.readline() or b"{}")
    if "env" not in request:
        return
    os.environ.clear()
    os.environ.update(request["env"])
    preload([name for name in PRELOADED if reads_edition(name)])
    connection.sendall(b'{"ready": true}\n')
    serve(connection, lines)


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


def serve_shared(path, owner):
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(8)     # builds that connect while the imports run wait here
    preload([name for name in PRELOADED if not reads_edition(name)])
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)   # each build's server is reaped when it exits
    try:
        while alive(owner):
            if not select.select([listener], [], [], 0.5)[0]:
                continue
            connection, _ = listener.accept()
            if os.fork() == 0:
                listener.close()
                try:
                    serve_build(connection)
                finally:
                    os._exit(0)
            connection.close()
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)


def main():
    del sys.path[0]        # this script's folder: a kernel's path does not hold it
    if sys.argv[1] == "--shared":
        serve_shared(sys.argv[2], int(sys.argv[3]))
        return
    connection = socket.socket(fileno=int(sys.argv[1]))
    preload()
    connection.sendall(b'{"ready": true}\n')
    serve(connection)


if __name__ == "__main__":
    main()
