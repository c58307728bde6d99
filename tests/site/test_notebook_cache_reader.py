"""A page whose code the execution cache holds is read from it as jupyter-cache reads it, and
a build that executes nothing imports neither jupyter-cache nor SQLAlchemy
(docs/_ext/notebook_cache_reader.py)."""

import subprocess
import sys

import nbformat as nbf
from jupyter_cache import get_cache
from jupyter_cache.base import CacheBundleIn

from site_build import DOCS, ROOT

sys.path.insert(0, str(DOCS / "_ext"))
import notebook_cache_reader  # noqa: E402


def notebook(code, outputs=None):
    nb = nbf.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "P"}})
    nb.cells = [nbf.v4.new_markdown_cell("Some prose.")]
    for index, source in enumerate(code):
        cell = nbf.v4.new_code_cell(source, metadata={"tags": ["hide-input"]})
        if outputs is not None:
            cell.outputs = [nbf.v4.new_output("stream", name="stdout", text=outputs[index])]
            cell.execution_count = index + 1
        nb.cells.append(cell)
        nb.cells.append(nbf.v4.new_markdown_cell(f"After cell {index}."))
    return nb


def test_a_cached_page_is_merged_as_jupyter_cache_merges_it(tmp_path):
    cache = get_cache(tmp_path)
    executed = notebook(["x = 1\nprint(x)", "print(x + 1)"], outputs=["1\n", "2\n"])
    executed.metadata["language_info"] = {"name": "python"}
    record = cache.cache_notebook_bundle(CacheBundleIn(executed, "page.ipynb",
                                                       data={"execution_seconds": 1.5}),
                                         check_validity=False)
    page = notebook(["x = 1\nprint(x)", "print(x + 1)"])

    pk, created, data, cached = notebook_cache_reader.cached_run(tmp_path, page)
    assert (pk, created, data) == (record.pk, record.created, {"execution_seconds": 1.5})
    ours = notebook_cache_reader.merged_notebook(page, cached)
    _, theirs = cache.merge_match_into_notebook(page)
    assert nbf.writes(ours) == nbf.writes(theirs)
    assert [cell.outputs[0].text for cell in ours.cells if cell.cell_type == "code"] == ["1\n", "2\n"]


def test_other_code_is_not_found_in_the_cache(tmp_path):
    cache = get_cache(tmp_path)
    cache.cache_notebook_bundle(CacheBundleIn(notebook(["print(1)"], outputs=["1\n"]), "a.ipynb"),
                                check_validity=False)
    assert notebook_cache_reader.cached_run(tmp_path, notebook(["print(2)"])) is None
    assert notebook_cache_reader.cached_run(tmp_path / "none", notebook(["print(1)"])) is None


def test_myst_nb_is_imported_without_jupyter_cache_or_sqlalchemy():
    script = (f"import sys; sys.path.insert(0, {str(DOCS / '_ext')!r}); "
              "import notebook_cache_reader, myst_nb.sphinx_ext; "
              "from myst_nb.core.execute import cache, create_client; "
              "print(sorted(m for m in sys.modules if m.split('.')[0] in "
              "('jupyter_cache', 'sqlalchemy')))")
    imported = subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=True,
                              capture_output=True, text=True).stdout.strip()
    assert imported == "[]"


def test_the_rest_of_myst_nbs_module_is_its_own():
    from jupyter_cache.executors.utils import single_nb_execution
    from myst_nb.core.execute import cache

    assert notebook_cache_reader.replaced()
    execute = cache.single_nb_execution      # (ipc_kernels wraps it in a partial)
    assert getattr(execute, "func", execute) is single_nb_execution
