"""Never-stale executed pages, and one execution cache shared by editions built at once.

myst-nb's cache is keyed by a page's code cells only, so a change to the
package a page imports would serve the old outputs, and Sphinx would not even
re-read an unchanged page. Here the cache folder configured in
``nb_execution_cache_path`` gets a subfolder named by a hash of the package's
code and of the versions of what the pages import (a change gives a fresh,
empty cache; older ones are removed after a build that passed), and every
executed page depends on the package's files (a change makes Sphinx re-read it).

Both editions run the same code, so the second one finds the first one's
results in the cache. When they are built at once, a page is executed by
whichever edition comes to it first while the other waits for it (a lock per
page's code), and the Korean edition reads its pages with code in reverse order,
so the two execute different pages at the same time. Pages without code are read
first, while the kernels' fork server starts (``ipc_kernels``).
"""

import contextlib
import hashlib
import importlib.metadata
import json
import platform
import re
import shutil
import sqlite3
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "lstm_ref"
FIGURE_STYLE = Path(__file__).resolve().with_name("figure_style.py")   # fonts of every figure
LIBRARIES = ("numpy", "torch", "matplotlib", "myst-nb")
KEY = re.compile(r"^[0-9a-f]{16}$")

try:
    import fcntl
except ImportError:  # not POSIX: pages are executed without the lock
    fcntl = None


def package_files():
    return sorted(PACKAGE.rglob("*.py"))


def execution_key():
    """A hash of the package's code and of the library versions the pages run with."""
    digest = hashlib.sha256(platform.python_version().encode())
    for name in LIBRARIES:
        try:
            digest.update(f"{name}=={importlib.metadata.version(name)}".encode())
        except importlib.metadata.PackageNotFoundError:
            digest.update(f"{name} absent".encode())
    for path in package_files():
        digest.update(str(path.relative_to(PACKAGE)).encode() + b"\0" + path.read_bytes())
    if FIGURE_STYLE.is_file():
        digest.update(b"figure_style.py\0" + FIGURE_STYLE.read_bytes())
    return digest.hexdigest()[:16]


def key_the_cache(app, config):
    """Point myst-nb at the subfolder of the configured cache for the current key."""
    base = Path(app.confdir, config.nb_execution_cache_path or ".jupyter_cache")
    config.nb_execution_cache_path = str(base / execution_key())
    create_cache_database(Path(config.nb_execution_cache_path))


def create_cache_database(path):
    """Create the cache's database before any page is executed, one process at a time.

    jupyter-cache creates its tables when a page first uses the cache; two editions
    doing so at once both try ``CREATE TABLE`` and one fails ("table nbcache already
    exists"). Created here under a lock, the tables exist before either edition reads.
    """
    if has_cache_tables(path):
        return
    from jupyter_cache import get_cache

    path.mkdir(parents=True, exist_ok=True)
    if fcntl is None:
        get_cache(path).db.dispose()   # reading .db creates the tables
        return
    with open(path / "create.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            get_cache(path).db.dispose()   # reading .db creates the tables
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def has_cache_tables(path):
    """Whether the cache's database has its tables already (read with ``sqlite3``, which
    needs no SQLAlchemy: a build that executes nothing does without it)."""
    database = Path(path, "global.db")
    if not database.is_file():
        return False
    connection = sqlite3.connect(database, timeout=30)
    try:
        tables = {row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.Error:
        return False
    finally:
        connection.close()
    return {"nbcache", "nbproject"} <= tables


def remove_older_caches(app, exception):
    """After a build that passed, remove the caches of other keys (older package code)."""
    current = Path(app.config.nb_execution_cache_path)
    if exception is not None or getattr(app, "_warncount", 0) or not current.parent.is_dir():
        return
    for other in current.parent.iterdir():
        if other != current and KEY.match(other.name) and other.is_dir():
            shutil.rmtree(other, ignore_errors=True)


def note_package_dependency(app, docname, source):
    if "{code-cell}" in source[0]:
        for path in [*package_files(), FIGURE_STYLE]:
            app.env.note_dependency(str(path))


def read_in_edition_order(app, env, docnames):
    """Pages without code first (read while the kernels' fork server starts), then those
    with code: the English edition's first to last, the other one's last to first."""
    with_code = [name for name in docnames
                 if "{code-cell}" in Path(env.doc2path(name)).read_text(encoding="utf-8")]
    if app.config.language != "en":
        with_code.reverse()
    docnames[:] = [name for name in docnames if name not in with_code] + with_code


@contextlib.contextmanager
def code_lock(cache_path, notebook):
    """Held while one process looks up, or executes and stores, a notebook's code."""
    if fcntl is None:
        yield
        return
    code = [cell.source for cell in notebook.cells if cell.cell_type == "code"]
    name = hashlib.sha256(json.dumps(code).encode()).hexdigest()[:24]
    locks = Path(cache_path) / "locks"
    locks.mkdir(parents=True, exist_ok=True)
    with open(locks / name, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@contextlib.contextmanager
def cache_write_lock(cache_path):
    """Held while one process stores a notebook in the cache shared by both editions.

    jupyter-cache (1.0) trims its records after each store in two queries, the
    records to keep and then every other one; a record another process adds
    between them is removed at once, before its notebook is written, which fails
    with "Notebook file does not exist for cache record". One store at a time
    (the execution itself is not under this lock) closes that gap.
    """
    if fcntl is None:
        yield
        return
    Path(cache_path).mkdir(parents=True, exist_ok=True)
    with open(Path(cache_path) / "write.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def lock_each_store():
    """Make jupyter-cache store one notebook at a time across processes."""
    from jupyter_cache.cache.main import JupyterCacheBase

    store = JupyterCacheBase.cache_notebook_bundle
    if getattr(store, "locked", False):
        return

    def locked_store(self, *args, **kwargs):
        with cache_write_lock(self.path):
            return store(self, *args, **kwargs)

    locked_store.locked = True
    JupyterCacheBase.cache_notebook_bundle = locked_store


def lock_each_execution():
    """Make myst-nb's cached execution take :func:`code_lock` (it has no hook for it)."""
    from myst_nb.core.execute.cache import NotebookClientCache

    start_client = NotebookClientCache.start_client
    if getattr(start_client, "locked", False):
        return

    def locked_start_client(self):
        with code_lock(self.nb_config.execution_cache_path, self.notebook):
            start_client(self)

    locked_start_client.locked = True
    NotebookClientCache.start_client = locked_start_client


def setup(app):
    lock_each_execution()
    import notebook_cache_reader

    if notebook_cache_reader.replaced():   # jupyter-cache is imported with myst-nb's own client
        notebook_cache_reader.with_own_modules(lambda module: lock_each_store())
    else:
        lock_each_store()
    app.connect("config-inited", key_the_cache)
    app.connect("source-read", note_package_dependency)
    app.connect("env-before-read-docs", read_in_edition_order)
    app.connect("build-finished", remove_older_caches)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
