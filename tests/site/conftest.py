"""Fixtures for the tests of the built site: the build itself, editions, a local server."""

import fcntl
import functools
import http.server
import os
import subprocess
import threading
from pathlib import Path

import pytest

from site_build import BUILD, ROOT, SITE


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: builds copies of the project or small sites with its "
                            "configuration, or starts the kernels' server that imports torch "
                            "(seconds to a minute or more each); `pytest -m 'not slow'` leaves "
                            "them out")


def pytest_collection_modifyitems(items):
    """The slow tests (those that build copies of the project) run first.

    The Makefile's pytest hands whole modules to its processes in this order
    (--no-loadscope-reorder): in a run of every test (`pytest -n 2 --dist loadscope
    --no-loadscope-reorder`), started first, they run beside the many quick tests
    instead of last, alone on one core.
    """
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.fixture(scope="session")
def site():
    """The assembled site in _build/html, brought up to date by the strict build first.

    Sphinx rebuilds only what changed, so on an up-to-date tree this is quick. Test
    processes running in parallel take turns: the first one builds, the others then
    find the site up to date (`make test` builds it before the tests start).
    """
    BUILD.mkdir(exist_ok=True)
    with open(BUILD / "tests.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        result = subprocess.run(["make", "--no-print-directory", "html"], cwd=ROOT,
                                capture_output=True, text=True, timeout=3000)
    if result.returncode != 0:
        pytest.fail("the strict site build failed:\n" + result.stdout[-6000:]
                    + result.stderr[-6000:], pytrace=False)
    return SITE


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def server(site):
    """The site served over HTTP on the loopback interface; yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="session")
def artifacts():
    """Folder for files a reader of the test report may want to look at (screenshots)."""
    path = Path(os.environ.get("LSTM_REF_ARTIFACTS", ROOT / "test-artifacts"))
    path.mkdir(parents=True, exist_ok=True)
    return path
