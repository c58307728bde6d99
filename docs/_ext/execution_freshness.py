"""Never-stale executed pages.

myst-nb's cache is keyed by a page's code cells only, so a change to the
package a page imports would serve the old outputs, and Sphinx would not even
re-read an unchanged page. Here the cache folder is named by a hash of the
package's code and of the versions of what the pages import (a change gives a
fresh, empty cache), and every executed page depends on the package's files
(a change makes Sphinx re-read it).
"""

import hashlib
import importlib.metadata
import platform
import shutil
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "lstm_ref"
LIBRARIES = ("numpy", "torch", "matplotlib", "myst-nb")


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
    return digest.hexdigest()[:16]


def cache_path(root):
    """The cache folder for the current key; caches of older keys are removed."""
    caches = Path(root) / ".jupyter_cache"
    current = caches / execution_key()
    if caches.is_dir():
        for old in caches.iterdir():
            if old != current and old.is_dir():
                shutil.rmtree(old, ignore_errors=True)
    return current


def note_package_dependency(app, docname, source):
    if "{code-cell}" in source[0]:
        for path in package_files():
            app.env.note_dependency(str(path))


def setup(app):
    app.connect("source-read", note_package_dependency)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
