"""Each page's code runs in a kernel process of its own, forked from a server that
imported torch, numpy and matplotlib already (docs/_ext/kernel_forks.py)."""

import os
import sys

import pytest

from site_build import DOCS

# These start the kernels' server, which imports torch: seconds each.
pytestmark = pytest.mark.slow

sys.path.insert(0, str(DOCS / "_ext"))


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
