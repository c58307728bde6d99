"""Kernels forked from a process that has already imported torch, numpy and matplotlib.

Every page runs in a kernel of its own, a new process. Started the usual way
(``python -m ipykernel_launcher``), each one spends seconds of CPU importing
ipykernel, torch and matplotlib before its first cell does anything: on a cold
build of both editions that was more than half of all the CPU time the pages'
execution took. Here each build process starts one server
(``kernel_forkserver.py``, with the kernel's own Python and environment) that
imports them once, and every kernel is forked from it: still a new process per
page, which no other page has run in, but one that starts with those modules
loaded. ``LSTM_REF_FORKED_KERNELS=0`` turns it off (every kernel is then started
the usual way); so does a kernel command other than ipykernel's, or an
environment other than the server's.

Under ``make html`` the editions' builds share one server (``kernel_share.py``
names a private folder for it in ``LSTM_REF_KERNELS_SHARED``): the first build
that needs a kernel starts it there, and every build whose kernels have the same
Python and environment, but for the edition's ``MATPLOTLIBRC``, connects to it,
so torch and the rest are imported once per ``make html`` instead of once per
edition. The server forks, for each build, a server of its own that takes the
build's environment and imports matplotlib (which reads ``MATPLOTLIBRC``), and
its kernels are forked from that one: each kernel has the environment and the
modules it had with a server of its build's own. Where the folder is missing or
the shared server cannot be reached, the build starts its own server.

A :class:`ForkedKernel` stands for the kernel's process where jupyter-client
keeps a ``Popen``: the kernel is the server's child, so it is watched, signalled
and killed by its pid; it leads its own process group, as a kernel started by
jupyter-client does.
"""

import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

SERVER = Path(__file__).with_name("kernel_forkserver.py")
LAUNCHER = ["-m", "ipykernel_launcher"]
# Set by jupyter-client for each kernel; the forked kernel is told its parent itself.
PER_KERNEL = ("JPY_PARENT_PID",)
# The folder of the server shared by the builds of one `make html` (kernel_share.py).
SHARED = "LSTM_REF_KERNELS_SHARED"
# What may differ between builds served by one shared server: read only by what each
# build's own server imports (kernel_forkserver.reads_edition).
PER_EDITION = ("MATPLOTLIBRC",)
# How long a shared server may take to listen after it was started.
SHARED_STARTUP = 30.0

_lock = threading.Lock()
_server = None


class ForkedKernel:
    """The parts of ``subprocess.Popen`` that jupyter-client's provisioner uses."""

    stdin = stdout = stderr = None

    def __init__(self, pid):
        self.pid = pid
        self.returncode = None

    def poll(self):
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                self.returncode = 0   # gone (its parent, the server, collected its status)
        return self.returncode

    def wait(self, timeout=None):
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            time.sleep(0.02)
        return self.returncode

    def send_signal(self, signum):
        if self.poll() is None:
            os.kill(self.pid, signum)

    def terminate(self):
        self.send_signal(signal.SIGTERM)

    def kill(self):
        self.send_signal(signal.SIGKILL)


class ForkServer:
    """One server process and the socket to it, for kernels run by ``python`` with ``env``:
    a server of this build's own, or one forked for it by the shared server.

    Made as soon as the server is started (or the shared one is asked for a server of
    this build's own); the first :meth:`fork` waits until it has imported what it
    preloads. Nothing here runs in a thread of its own: started from a thread beside the
    build's own start-up, it left in each build a forked child that waited forever on a
    lock, with the shared server's lock file open, and the other edition's build waited
    for that file until the first build ended."""

    def __init__(self, python, env):
        self.python, self.env, self.owner = python, comparable(env), os.getpid()
        self.process = self.replies = None
        self.socket = shared_server(python, env)
        if self.socket is not None:
            try:
                self.socket.sendall(json.dumps({"env": comparable(env)}).encode() + b"\n")
                return
            except OSError:     # the shared server is gone: this build starts its own
                self.socket.close()
        ours, theirs = socket.socketpair()
        self.process = subprocess.Popen([python, str(SERVER), str(theirs.fileno())],
                                        pass_fds=[theirs.fileno()], env=comparable(env),
                                        stdin=subprocess.DEVNULL)
        theirs.close()
        self.socket = ours

    def _wait_ready(self):
        """Wait, the first time, until the server has imported what it preloads."""
        if self.replies is not None:
            return
        self.replies = self.socket.makefile("rb")
        if not json.loads(self.replies.readline() or b"{}").get("ready"):
            self.close()
            raise OSError("the kernel fork server did not start")

    def serves(self, python, env):
        return (self.owner == os.getpid() and self.socket.fileno() != -1
                and (self.process is None or self.process.poll() is None)
                and python == self.python and comparable(env) == self.env)

    def fork(self, argv, cwd, env):
        self._wait_ready()
        request = {"argv": argv, "cwd": str(cwd), "env": env}
        self.socket.sendall(json.dumps(request).encode() + b"\n")
        reply = self.replies.readline()
        if not reply:
            raise OSError("the kernel fork server exited")
        return ForkedKernel(json.loads(reply)["pid"])

    def close(self):
        if self.replies is not None:
            self.replies.close()
        self.socket.close()             # the server exits at end of input
        if self.process is None:
            return
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def comparable(env):
    return {k: v for k, v in env.items() if k not in PER_KERNEL}


def shared_server(python, env):
    """A socket to the shared server for kernels run by ``python`` with ``env`` (started if
    none is running), or None where there is none to share (``LSTM_REF_KERNELS_SHARED``)."""
    folder = os.environ.get(SHARED)
    if not folder or not os.path.isfile(os.path.join(folder, "owner")):
        return None
    import fcntl

    common = {k: v for k, v in comparable(env).items() if k not in PER_EDITION}
    key = hashlib.sha256(json.dumps([python, sorted(common.items())]).encode()).hexdigest()[:16]
    path = os.path.join(folder, f"{key}.sock")
    with open(os.path.join(folder, "lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)      # one build starts it; the others connect to it
        connection = connected(path)
        if connection is not None:
            return connection
        with open(os.path.join(folder, "owner")) as owner:
            owner = owner.read().strip()
        process = subprocess.Popen([python, str(SERVER), "--shared", path, owner], env=common,
                                   stdin=subprocess.DEVNULL)
        with open(os.path.join(folder, f"{key}.pid"), "w") as pid:
            pid.write(str(process.pid))     # kernel_share.py stops it at the end
        deadline = time.monotonic() + SHARED_STARTUP
        while connection is None:
            if process.poll() is not None or time.monotonic() > deadline:
                return None
            time.sleep(0.005)
            connection = connected(path)
        return connection


def connected(path):
    """A socket connected to the server listening at ``path``, or None."""
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        connection.connect(path)
    except OSError:
        connection.close()
        return None
    return connection


def enabled():
    return os.environ.get("LSTM_REF_FORKED_KERNELS", "1") != "0" and hasattr(os, "fork")


def start_early(env):
    """Start the server that this build's first kernel will be forked from, for
    ``python -m ipykernel_launcher`` with ``env``, and return at once: it imports while
    the build goes on. The first kernel waits for it; a kernel that turns out to need
    another Python or environment gets a server of its own, as without this."""
    global _server
    if not enabled():
        return
    with _lock:
        if _server is None:
            try:
                _server = ForkServer(sys.executable, env)
            except OSError:
                pass


def fork_kernel(kernel_cmd, env, cwd):
    """A :class:`ForkedKernel` running ``kernel_cmd``, or None where it cannot be forked."""
    global _server
    if not enabled() or list(kernel_cmd[1:3]) != LAUNCHER or env is None or cwd is None:
        return None
    with _lock:
        try:
            if _server is None or not _server.serves(kernel_cmd[0], env):
                if _server is not None and _server.owner == os.getpid():
                    _server.close()
                _server = ForkServer(kernel_cmd[0], env)
            return _server.fork(list(kernel_cmd[3:]), cwd, env)
        except OSError:
            _server = None
            return None
