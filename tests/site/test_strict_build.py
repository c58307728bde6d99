"""The build is strict on every run: each class of fault fails it, run after run, until
fixed; then the build is clean, with nothing stale. Builds run in small copies of the
project (see ``site_build.project_copy``), never in the project's own tree or cache."""

import runpy
import shutil
import subprocess
import sys
import time

import pytest

from site_build import DOCS, NOTEBOOK_HEADER, make, project_copy, write_pages

sys.path.insert(0, str(DOCS / "_ext"))
import execution_freshness  # noqa: E402

INDEX = "# Planted\n\n```{toctree}\n:glob:\n\n*\n```\n"

# One page per class of fault, with the words the build log must show for it.
FAULTS = {
    "tex": ("# TeX\n\nBroken: $\\frac{1}{$ here.\n", "invalid TeX"),
    "docstring": ("# Docstring\n\n```{eval-rst}\n.. automodule:: planted_docstring\n```\n",
                  "invalid TeX"),
    "markdown": (NOTEBOOK_HEADER + "# Markdown\n\n```{code-cell} ipython3\n"
                 "from IPython.display import Markdown\nMarkdown(r'Shown: $\\frac{1}{$')\n```\n",
                 "invalid TeX"),
    "raising": (NOTEBOOK_HEADER + "# Raising\n\n```{code-cell} ipython3\n"
                "raise ValueError('planted failure')\n```\n", "Executing notebook failed"),
    "stderr": (NOTEBOOK_HEADER + "# Stderr\n\n```{code-cell} ipython3\n"
               "import sys\nprint('planted', file=sys.stderr)\n```\n",
               "stderr was found in the cell outputs"),
    "reference": ("# Reference\n\nSee {ref}`planted-label` and [this](missing-page.md).\n",
                  "planted-label"),
}
FIXED = {
    "tex": "# TeX\n\nFixed: $\\frac{1}{2}$ here.\n",
    "docstring": FAULTS["docstring"][0],
    "markdown": FAULTS["markdown"][0].replace("{$", "{2}$"),
    "raising": FAULTS["raising"][0].replace("raise ValueError('planted failure')", "print(6 * 7)"),
    "stderr": FAULTS["stderr"][0].replace(", file=sys.stderr", ""),
    "reference": None,     # deleted: its page must leave the site
}
DOCSTRING = 'r"""A planted module.\n\nIts formula :math:`{formula}` is {state}.\n"""\n'


@pytest.mark.slow
def test_every_fault_fails_every_build_until_fixed_then_nothing_stale(tmp_path):
    pages = {"index": INDEX, **{name: text for name, (text, _) in FAULTS.items()}}
    project = project_copy(tmp_path, pages)
    write_pages(project, "en", {"only-en": "# Only in English\n"})
    docstring = project / "docs" / "_ext" / "planted_docstring.py"
    docstring.write_text(DOCSTRING.format(formula="\\frac{1}{", state="broken"))
    planted_static = project / "docs" / "_static" / "planted.js"
    planted_static.write_text("// a static file, deleted before the last build\n")

    for run in (1, 2):
        status, log = make(project, "html")
        assert status != 0, f"run {run} passed with every fault planted:\n{log[-3000:]}"
        for name, (_, words) in FAULTS.items():
            named = "planted_docstring" if name == "docstring" else f"docs/en/{name}.md"
            assert any(named in line and words in line for line in log.splitlines()), \
                f"run {run}: no {words!r} at {named}:\n{log[-6000:]}"
        assert "missing-page" in log
        assert "docs/en/only-en.md has no twin" in log and "docs/ko/only-en.md is missing" in log
        report = project / "_build" / "en" / "html" / "reports" / "raising.err.log"
        assert "planted failure" in report.read_text()
        assert not (project / "_build" / "html" / "en").exists()   # nothing published
        assert (project / "_build" / "en" / "html" / "_static" / "planted.js").is_file()

    docstring.write_text(DOCSTRING.format(formula="\\frac{1}{2}", state="fine"))
    planted_static.unlink()
    for edition in ("en", "ko"):
        write_pages(project, edition, {**FIXED, "only-en": None})
    status, log = make(project, "html")
    assert status == 0, log[-6000:]
    for edition in ("en", "ko"):
        for built in (project / "_build" / "html" / edition, project / "_build" / edition / "html"):
            assert (built / "tex.html").is_file()
            for stale in ("reference.html", "only-en.html", "_sources/reference.md.txt",
                          "_sources/only-en.md.txt", "reports", "_static/planted.js",
                          "_static.previous"):
                assert not (built / stale).exists(), f"{built / stale} is stale"
    assert "42" in (project / "_build" / "html" / "en" / "raising.html").read_text()

    status, log = make(project, "html")       # no change: nothing to do
    assert status == 0 and "sphinx" not in log, log


def test_loading_the_configuration_changes_nothing(tmp_path):
    project = project_copy(tmp_path, {"index": "# A page\n"})
    (project / ".jupyter_cache" / "0123456789abcdef").mkdir(parents=True)
    before = sorted(str(p) for p in project.rglob("*"))
    runpy.run_path(str(project / "conf.py"))
    assert sorted(str(p) for p in project.rglob("*")) == before


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


def test_a_render_server_that_starts_too_slowly_is_stopped(tmp_path):
    """A server whose start timed out is still stopped, so no build output pipe stays open."""
    import sphinxcontrib.katex as katex
    import strict_katex

    with pytest.raises(katex.KaTeXError):
        katex.KaTeXServer.start_server_process(tmp_path, timeout=0.0)
    started = strict_katex._servers[-1]
    assert started.poll() is None
    strict_katex._stop_servers()                  # what runs at exit
    assert started.poll() is not None and not strict_katex._servers


def test_the_render_server_exits_with_the_build(tmp_path):
    """Node exits when the process that started it is gone, even if it was killed."""
    script = (f"import sys, os, pathlib; sys.path.insert(0, {str(DOCS / '_ext')!r})\n"
              "import sphinxcontrib.katex as katex, strict_katex\n"
              f"process, _ = katex.KaTeXServer.start_server_process(pathlib.Path({str(tmp_path)!r}), 60)\n"
              "print(process.pid, flush=True)\n"
              "os.kill(os.getpid(), 9)\n")
    build = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    node = int(build.stdout)
    for _ in range(500):
        try:
            with open(f"/proc/{node}/stat") as stat:     # gone, or exited and not yet reaped
                if stat.read().split(") ")[1].startswith("Z"):
                    break
        except FileNotFoundError:
            break
        time.sleep(0.01)
    else:
        pytest.fail(f"node {node} outlived the build that started it")


def test_the_render_server_starts_and_renders_every_time(tmp_path):
    """Start-up waits until node listens (connecting when the socket file appeared crashed)."""
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


def test_the_render_server_is_reached_over_a_unix_socket(tmp_path):
    """Not loopback TCP, where each reply waited ~40 ms on Nagle's algorithm (timed in
    ``make benchmark-site``, not here)."""
    import socket

    import sphinxcontrib.katex as katex
    import strict_katex

    process, sock = katex.KaTeXServer.start_server_process(tmp_path, timeout=60.0)
    assert sock.family == socket.AF_UNIX
    katex.KaTeXServer(tmp_path, process, sock).terminate()
    strict_katex._stop_servers()
