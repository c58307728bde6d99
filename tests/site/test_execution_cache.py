"""The execution cache both editions share keeps every notebook they store at once."""

import multiprocessing
import sys

import nbformat
import pytest

from site_build import ROOT

EXTENSIONS = ROOT / "docs" / "_ext"
STORES_PER_PROCESS = 40


def store_notebooks(cache_path, writer):
    """Store distinct executed notebooks in the cache, as one edition's build does."""
    sys.path.insert(0, str(EXTENSIONS))
    import execution_freshness
    from jupyter_cache import get_cache
    from jupyter_cache.cache.main import CacheBundleIn

    execution_freshness.lock_each_store()
    cache = get_cache(cache_path)
    for index in range(STORES_PER_PROCESS):
        code = nbformat.v4.new_code_cell(f"x = {writer * 1000 + index}", execution_count=1)
        notebook = nbformat.v4.new_notebook(cells=[code])
        notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                           "language": "python"}
        cache.cache_notebook_bundle(CacheBundleIn(notebook, uri=f"{writer}/{index}.md"),
                                    check_validity=False, overwrite=True)


def test_two_builds_storing_at_once_lose_no_notebook(tmp_path):
    from jupyter_cache import get_cache

    get_cache(tmp_path).db.dispose()   # the tables, as execution_freshness creates them first
    spawn = multiprocessing.get_context("spawn")
    writers = [spawn.Process(target=store_notebooks, args=(tmp_path, writer)) for writer in (1, 2)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=120)
    if any(writer.exitcode != 0 for writer in writers):
        pytest.fail("a build storing its notebooks failed (its traceback is above)", pytrace=False)
    records = get_cache(tmp_path).list_cache_records()
    assert len(records) == 2 * STORES_PER_PROCESS
    for record in records:
        assert (tmp_path / "executed" / record.hashkey / "base.ipynb").is_file()
