"""The build is strict: invalid TeX and a failing cell fail it, and outputs cannot go stale."""

import gc
import shutil
import subprocess
import sys

import pytest

from site_build import DOCS, ROOT

sys.path.insert(0, str(DOCS / "_ext"))
import execution_freshness  # noqa: E402

NOTEBOOK_HEADER = """---
file_format: mystnb
kernelspec:
  name: python3
  display_name: Python 3
---

# A page

"""


def build(tmp_path, page):
    """Build a one-page English edition with the site's own configuration."""
    source = tmp_path / "en"
    source.mkdir()
    (source / "index.md").write_text(page, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-c", str(ROOT), "-W", "--keep-going", "-n",
         "-b", "html", "-D", "language=en", "-d", str(tmp_path / "doctrees"),
         str(source), str(tmp_path / "html")],
        capture_output=True, text=True, timeout=600)
    return result.returncode, result.stdout + result.stderr


def test_a_valid_page_builds(tmp_path):
    status, log = build(tmp_path, "# A page\n\nThe gate $f_t = \\sigma(z)$ is fine.\n")
    assert status == 0, log
    assert 'class="katex"' in (tmp_path / "html" / "index.html").read_text()


def test_invalid_tex_fails_the_build(tmp_path):
    status, log = build(tmp_path, "# A page\n\nBroken: $\\frac{1}{$ here.\n")
    assert status != 0
    assert "invalid TeX" in log and "index.md" in log


def test_a_failing_cell_fails_the_build_and_reports_the_traceback(tmp_path):
    page = NOTEBOOK_HEADER + "```{code-cell} ipython3\nassert 1 + 1 == 3, 'arithmetic'\n```\n"
    status, log = build(tmp_path, page)
    assert status != 0
    assert "Executing notebook failed" in log
    report = tmp_path / "html" / "reports" / "index.err.log"      # kept for the reader
    assert "AssertionError" in report.read_text() and "arithmetic" in report.read_text()


def test_stderr_in_a_cell_fails_the_build(tmp_path):
    page = NOTEBOOK_HEADER + ("```{code-cell} ipython3\nimport warnings\n"
                              "warnings.warn('stray')\n```\n")
    status, log = build(tmp_path, page)
    assert status != 0 and "stderr was found in the cell outputs" in log


def test_execution_key_follows_the_package(tmp_path, monkeypatch):
    """A change to any file of lstm_ref gives a new, empty execution cache."""
    copy = tmp_path / "lstm_ref"
    shutil.copytree(execution_freshness.PACKAGE, copy)
    monkeypatch.setattr(execution_freshness, "PACKAGE", copy)
    before = execution_freshness.execution_key()
    assert execution_freshness.execution_key() == before
    with open(copy / "linear.py", "a") as source:
        source.write("\n# a change\n")
    assert execution_freshness.execution_key() != before


def test_old_caches_are_removed(tmp_path):
    old = tmp_path / ".jupyter_cache" / "0123456789abcdef"
    old.mkdir(parents=True)
    current = execution_freshness.cache_path(tmp_path)
    assert current.name == execution_freshness.execution_key()
    assert not old.exists()


# sphinxcontrib-katex's start-up opens a new socket per refused attempt and leaves the
# old ones to the garbage collector; that is its own affair, not a failure here.
LIBRARY_SOCKETS = pytest.mark.filterwarnings("ignore::ResourceWarning",
                                             "ignore::pytest.PytestUnraisableExceptionWarning")


@LIBRARY_SOCKETS
def test_a_render_server_that_starts_too_slowly_is_stopped(tmp_path):
    """A server whose start timed out is still stopped, so no build output pipe stays open."""
    import sphinxcontrib.katex as katex
    import strict_katex

    with pytest.raises(katex.KaTeXError):
        katex.KaTeXServer.start_server_process(tmp_path, timeout=0.0)
    started = strict_katex._servers[-1]
    assert started.poll() is None                 # left running by sphinxcontrib-katex
    strict_katex._stop_servers()                  # what runs at exit
    assert started.poll() is not None and not strict_katex._servers
    gc.collect()   # the library's stray sockets are reported here, under this test's filter


@LIBRARY_SOCKETS
def test_the_render_server_starts_and_renders_every_time(tmp_path):
    """Start-up retries until node listens (a refused first connection used to crash)."""
    import sphinxcontrib.katex as katex
    import strict_katex  # configures the start-up

    for k in range(10):
        rundir = tmp_path / str(k)
        rundir.mkdir()
        process, sock = katex.KaTeXServer.start_server_process(rundir, timeout=60.0)
        server = katex.KaTeXServer(rundir, process, sock)
        assert 'class="katex"' in server.render({"latex": "x^2", "katex_options": {}})["html"]
        server.terminate()
    strict_katex._stop_servers()
    gc.collect()
