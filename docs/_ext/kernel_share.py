"""Run a command (``make``'s build of the editions) with one kernel fork server for all its builds.

    python docs/_ext/kernel_share.py COMMAND [ARGUMENT ...]

Each edition's build forks its pages' kernels from a server that has imported
torch, matplotlib and ipykernel (``kernel_forks.py``); two servers, one per
edition, imported the same modules twice. Here COMMAND runs with
``LSTM_REF_KERNELS_SHARED`` naming a new private folder, where the first build
that needs a kernel starts the server that the builds of this command share
(``kernel_forks.shared_server``). When COMMAND ends, every server started there
is stopped and the folder removed, and this exits with COMMAND's status; a
server also exits by itself once this process is gone (killed, say). Two
commands run at once each have a folder and a server of their own.

Only the standard library: ``make html`` runs this before it installs anything.
"""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

SHARED = "LSTM_REF_KERNELS_SHARED"


def stop_servers(folder):
    for pid in Path(folder).glob("*.pid"):
        try:
            os.kill(int(pid.read_text()), signal.SIGTERM)
        except (ValueError, OSError):
            pass


def main(command):
    # Short on purpose: a unix socket's path is limited to about 100 bytes.
    folder = tempfile.mkdtemp(prefix="lstm-ref-share-")
    try:
        Path(folder, "owner").write_text(str(os.getpid()))
        process = subprocess.Popen(command, env={**os.environ, SHARED: folder}, close_fds=False)
        while True:
            try:
                status = process.wait()
                break
            except KeyboardInterrupt:   # the command got the same signal: wait for it to end
                continue
    finally:
        stop_servers(folder)
        shutil.rmtree(folder, ignore_errors=True)
    return status if status >= 0 else 128 - status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
