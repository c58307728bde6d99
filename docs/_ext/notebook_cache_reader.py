"""A page whose code the execution cache holds is read from it without loading jupyter-cache.

myst-nb's cached execution (``myst_nb.core.execute.cache``, and ``.direct``
beside it) imports jupyter-cache as myst-nb itself is imported, and with it
SQLAlchemy's ORM: on a rebuild after a one-page edit that was 0.6 s of the English
build's 4.3 s of CPU (a loaded machine), spent only to look up one notebook's
outputs. Here, before myst-nb is imported (this extension comes first), those two
modules are replaced by small ones whose clients are myst-nb's own once anything
but a plain lookup is needed:

- ``NotebookClientCache.start_client`` looks the page's code up in the cache's
  database (``global.db``, with the standard library's ``sqlite3``) by the hash
  jupyter-cache gives it, and merges the cached outputs into the page as
  jupyter-cache does (:func:`hashed_notebook` and :func:`merged_notebook` follow
  ``JupyterCacheBase.create_hashed_notebook`` and ``merge_match_into_notebook``
  of jupyter-cache 1.0; with other versions of it or of myst-nb, nothing is
  replaced); it touches the record, as jupyter-cache does, so that the cache
  keeps the notebooks it serves. When the code is not in the cache, or the cache
  is in any way other than expected, the call goes to myst-nb's own
  ``start_client``, which executes the page and stores it (importing
  jupyter-cache then);
- ``NotebookClientDirect`` (``nb_execution_mode = "force"``) is myst-nb's own,
  loaded when it is first used.

Extensions that wrap ``NotebookClientCache.start_client`` (``execution_freshness``,
``build_phases``) wrap this one; those that change myst-nb's own modules do so when
each is loaded (:func:`with_own_modules`). (myst-nb 1.4 imports every execution
client as it is imported, in ``myst_nb/core/execute/__init__.py``, and jupyter-cache
1.0 has no reader without SQLAlchemy, whose import is slow: sqlalchemy/sqlalchemy#11752.)
"""

import copy
import datetime
import hashlib
import importlib.abc
import importlib.util
import json
import sqlite3
import sys
from importlib import metadata
from pathlib import Path

PACKAGE = "myst_nb.core.execute"
REPLACED = ("cache", "direct")
NB_VERSION = 4            # jupyter-cache hashes and merges notebooks as version 4
NB_METADATA = ("kernelspec",)                                 # hashed
MERGED_METADATA = ("kernelspec", "language_info", "widgets")  # taken from the cached notebook
FOLLOWED = {"jupyter-cache": "1.0.", "myst-nb": "1.4."}       # the code followed here

_loaded = {}
_hooks = []


def replaced():
    """Whether myst-nb's ``cache`` and ``direct`` modules are this extension's."""
    module = sys.modules.get(f"{PACKAGE}.cache")
    return isinstance(getattr(getattr(module, "__spec__", None), "loader", None), Replacement)


def with_own_modules(callback):
    """Call ``callback(module)`` with each of myst-nb's own ``cache`` and ``direct`` modules
    when it is loaded, before any of its code runs (at once for those loaded already)."""
    _hooks.append(callback)
    for module in _loaded.values():
        callback(module)


def own_module(name):
    """myst-nb's own ``myst_nb.core.execute.<name>``, loaded from its file on first use."""
    if name not in _loaded:
        spec = importlib.util.find_spec(PACKAGE)
        path = Path(spec.submodule_search_locations[0], f"{name}.py")
        own = importlib.util.spec_from_file_location(f"{PACKAGE}._own_{name}", path)
        module = importlib.util.module_from_spec(own)
        sys.modules[own.name] = module
        own.loader.exec_module(module)
        for callback in _hooks:
            callback(module)
        _loaded[name] = module
    return _loaded[name]


def hashed_notebook(nb):
    """jupyter-cache's hash of a notebook's code cells (``create_hashed_notebook``)."""
    import nbformat as nbf

    nb = nbf.convert(copy.deepcopy(nb), to_version=NB_VERSION)
    if nb.nbformat_minor > 5:
        return None
    hash_nb = nbf.from_dict({
        "nbformat": nb.nbformat,
        "nbformat_minor": 4,
        "metadata": {k: v for k, v in nb.metadata.items() if k in NB_METADATA},
        "cells": [{"cell_type": cell.cell_type, "source": cell.source,
                   "metadata": dict(cell.metadata.items()), "execution_count": None,
                   "outputs": []}
                  for cell in nb.cells if cell.cell_type == "code"],
    })
    return hashlib.md5(nbf.writes(hash_nb, nbf.NO_CONVERT).encode()).hexdigest()


def merged_notebook(nb, cached):
    """``nb`` with the outputs of ``cached`` (jupyter-cache's ``merge_match_into_notebook``)."""
    import nbformat as nbf

    nb = nbf.convert(copy.deepcopy(nb), NB_VERSION)
    for key in MERGED_METADATA:
        if key in cached.metadata:
            nb.metadata[key] = cached.metadata[key]
    for idx in range(len(nb.cells)):
        if nb.cells[idx].cell_type == "code":
            cache_cell = cached.cells.pop(0)
            if nb.nbformat_minor >= 5:
                cache_cell.id = nb.cells[idx].id
            else:
                cache_cell.pop("id", None)
            nb.cells[idx] = cache_cell
    return nb


def cached_run(cache_path, notebook):
    """``(pk, created, data, cached notebook)`` of ``notebook``'s code in the cache, or None."""
    import nbformat as nbf

    database = Path(cache_path, "global.db")
    hashkey = hashed_notebook(notebook)
    if hashkey is None or not database.is_file():
        return None
    path = Path(cache_path, "executed", hashkey, "base.ipynb")
    connection = sqlite3.connect(database, timeout=30)
    try:
        with connection:
            row = connection.execute("SELECT pk, created, data FROM nbcache WHERE hashkey = ?",
                                     (hashkey,)).fetchone()
            if row is None or not path.is_file():
                return None
            pk, created, data = row
            now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
            connection.execute("UPDATE nbcache SET accessed = ? WHERE pk = ?",   # as SQLAlchemy
                               (now.isoformat(" ", "microseconds"), pk))
    finally:
        connection.close()
    cached = nbf.reads(path.read_text(encoding="utf8"), nbf.NO_CONVERT)
    return pk, datetime.datetime.fromisoformat(created), json.loads(data or "null") or {}, cached


def cache_module():
    from myst_nb.core.execute.base import NotebookClientBase

    class NotebookClientCache(NotebookClientBase):
        """myst-nb's client of the execution cache, reading a cached page without jupyter-cache."""

        def start_client(self):
            try:
                found = cached_run(self.nb_config.execution_cache_path or ".jupyter_cache",
                                   self.notebook)
            except (sqlite3.Error, OSError, ValueError, KeyError, IndexError, AttributeError):
                found = None
            if found is None:
                own_module("cache").NotebookClientCache.start_client(self)
                return
            pk, created, data, cached = found
            self.logger.info(f"Using cached notebook: ID={pk}")
            self._notebook = merged_notebook(self.notebook, cached)
            self.exec_metadata = {
                "mtime": created.timestamp(),
                "runtime": data.get("execution_seconds", None),
                "method": self.nb_config.execution_mode,
                "succeeded": True,
                "error": None,
                "traceback": None,
            }

    return {"NotebookClientCache": NotebookClientCache}


def direct_module():
    from myst_nb.core.execute.base import NotebookClientBase

    class NotebookClientDirect(NotebookClientBase):
        """myst-nb's client that executes the page, loaded when it is first used."""

        def start_client(self):
            own_module("direct").NotebookClientDirect.start_client(self)

    return {"NotebookClientDirect": NotebookClientDirect}


class Replacement(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds the replaced modules of ``myst_nb.core.execute`` and makes them."""

    makers = {"cache": cache_module, "direct": direct_module}

    def find_spec(self, fullname, path=None, target=None):
        package, _, name = fullname.rpartition(".")
        if package == PACKAGE and name in REPLACED:
            return importlib.util.spec_from_loader(fullname, self)
        return None

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        name = module.__name__.rpartition(".")[2]
        module.__dict__.update(self.makers[name]())

        def own_attribute(attribute):
            """What else myst-nb's module has (``single_nb_execution``, say): its own."""
            if attribute.startswith("__"):
                raise AttributeError(attribute)
            return getattr(own_module(name), attribute)

        module.__getattr__ = own_attribute


def followed_versions():
    """Whether the installed jupyter-cache and myst-nb are those this module follows."""
    try:
        return all(metadata.version(name).startswith(version)
                   for name, version in FOLLOWED.items())
    except metadata.PackageNotFoundError:
        return False


def install():
    """Replace the modules, unless myst-nb's execution was imported already, or jupyter-cache
    or myst-nb are other versions than those followed here (then nothing)."""
    if (PACKAGE in sys.modules or not followed_versions()
            or any(isinstance(finder, Replacement) for finder in sys.meta_path)):
        return
    sys.meta_path.insert(0, Replacement())


install()


def setup(app):
    return {"parallel_read_safe": True, "parallel_write_safe": True}
