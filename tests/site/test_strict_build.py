"""The build is strict on every run: each class of fault fails it, run after run, until
fixed; then the build is clean, with nothing stale. Builds run in small copies of the
project (see ``site_build.project_copy``), never in the project's own tree or cache."""

import os
import runpy
import shutil
import subprocess
import sys
import threading
import time

import pytest
import yaml

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

    docstring.write_text(DOCSTRING.format(formula="\\frac{1}{2}", state="fine"))
    for edition in ("en", "ko"):
        write_pages(project, edition, {**FIXED, "only-en": None})
    status, log = make(project, "html")
    assert status == 0, log[-6000:]
    for edition in ("en", "ko"):
        for built in (project / "_build" / "html" / edition, project / "_build" / edition / "html"):
            assert (built / "tex.html").is_file()
            for stale in ("reference.html", "only-en.html", "_sources/reference.md.txt",
                          "_sources/only-en.md.txt", "reports"):
                assert not (built / stale).exists(), f"{built / stale} is stale"
    assert "42" in (project / "_build" / "html" / "en" / "raising.html").read_text()

    status, log = make(project, "html")       # no change: nothing to do
    assert status == 0 and "sphinx" not in log, log


@pytest.mark.slow
def test_two_fresh_clones_build_at_once_and_stay_clean(tmp_path):
    """Empty caches, both builds at the same moment: both pass, and neither leaves a
    tracked file changed (nor an untracked one outside _build and the cache)."""
    page = NOTEBOOK_HEADER + "# A page\n\n```{code-cell} ipython3\nimport lstm_ref\nprint(2 + 2)\n```\n"
    projects = []
    for name in ("one", "two"):
        (tmp_path / name).mkdir()
        project = project_copy(tmp_path / name, {"index": page})
        (project / ".gitignore").write_text((DOCS.parent / ".gitignore").read_text())
        old_cache = project / ".jupyter_cache" / "0123456789abcdef"
        old_cache.mkdir(parents=True)
        subprocess.run("git init -q && git add -A && git -c user.name=t -c user.email=t@t "
                       "commit -qm copy", shell=True, cwd=project, check=True)
        projects.append(project)
    results = {}
    threads = [threading.Thread(target=lambda p=p: results.__setitem__(p, make(p, "html")))
               for p in projects]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for project in projects:
        status, log = results[project]
        assert status == 0, log[-6000:]
        assert "4" in (project / "_build" / "html" / "ko" / "index.html").read_text()
        status = subprocess.run(["git", "status", "--porcelain"], cwd=project,
                                capture_output=True, text=True, check=True).stdout
        assert status == "", status
        caches = [p.name for p in (project / ".jupyter_cache").iterdir()]
        assert caches == [execution_freshness.execution_key()]   # the older one was removed


@pytest.mark.slow
def test_read_the_docs_commands_build_an_edition(tmp_path):
    """Run .readthedocs.yaml's commands as Read the Docs would, in a one-page copy."""
    (tmp_path / "project").mkdir()
    project = project_copy(tmp_path / "project", {"index": "# A page\n\nThe gate $f_t$.\n"})
    output = tmp_path / "output"
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}
    env.update(READTHEDOCS="True", READTHEDOCS_LANGUAGE="ko", READTHEDOCS_VERSION="latest",
               READTHEDOCS_OUTPUT=str(output))
    config = yaml.safe_load((DOCS.parent / ".readthedocs.yaml").read_text())
    for command in config["build"]["commands"]:
        result = subprocess.run(["bash", "-c", command], cwd=project, env=env,
                                capture_output=True, text=True, timeout=900)
        assert result.returncode == 0, f"{command}\n{result.stdout[-3000:]}{result.stderr[-3000:]}"
    page = (output / "html" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ko"' in page and 'class="katex"' in page


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


def run_notebooks(*sources, cwd):
    """Execute one-cell notebooks as the build does; each one's outputs, in order."""
    import ipc_kernels
    import nbformat
    from jupyter_cache.executors.utils import single_nb_execution
    from myst_nb.core.execute import cache

    ipc_kernels.use_ipc_kernels()
    outputs = []
    for source in sources:
        notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
        notebook.metadata.kernelspec = {"name": "python3", "display_name": "Python 3",
                                        "language": "python"}
        result = cache.single_nb_execution(notebook, cwd=str(cwd), timeout=120, allow_errors=False)
        assert cache.single_nb_execution is not single_nb_execution
        outputs.append((result.err, [o.get("text", "") for o in notebook.cells[0].outputs]))
    return outputs


def test_each_page_runs_in_a_new_process_that_no_other_page_ran_in(tmp_path):
    """Kernels are forked from a server that imported torch: a fresh process all the same."""
    import kernel_forks

    first, second, failing = run_notebooks(
        "import os, sys\nleft_behind = 1\nsys.modules['torch'].planted = 1\nprint(os.getpid())",
        "import os, sys, torch\nprint(os.getpid(), 'left_behind' in globals(), hasattr(torch, 'planted'),"
        " os.getcwd())",
        "raise ValueError('planted failure')", cwd=tmp_path)
    assert first[0] is None and second[0] is None
    pid, (other_pid, leftover, planted, cwd) = first[1][0].split()[0], second[1][0].split()
    assert pid != other_pid and (leftover, planted, cwd) == ("False", "False", str(tmp_path))
    assert failing[0] is not None and "planted failure" in str(failing[0])
    server = kernel_forks._server
    assert server is not None and server.process.poll() is None      # the kernels were forked
    for kernel_pid in (pid, other_pid):
        assert not os.path.exists(f"/proc/{kernel_pid}")            # killed once its page ran
    server.close()
    assert server.process.poll() is not None


def test_forked_kernels_can_be_turned_off(tmp_path, monkeypatch):
    import kernel_forks

    monkeypatch.setenv("LSTM_REF_FORKED_KERNELS", "0")
    monkeypatch.setattr(kernel_forks, "_server", None)
    [(error, [text])] = run_notebooks("print(6 * 7)", cwd=tmp_path)
    assert error is None and text == "42\n" and kernel_forks._server is None
