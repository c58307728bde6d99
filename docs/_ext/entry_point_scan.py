"""The installed packages' entry points read once per build, not at every lookup.

``importlib.metadata.entry_points(group=...)`` reads the metadata of every
installed distribution on each call, and the site's environment has hundreds
(torch, keras, jupyter ...): pybtex and sphinxcontrib-bibtex look up their
plugins that way a dozen times per build, about 0.3 s of CPU in all, also on a
one-page edit (python/importlib_metadata#324; pygments caches its own lookups
since pygments/pygments#2979). Here every lookup with arguments selects from
one reading of them all, as ``entry_points`` itself does; a call without
arguments is left to ``importlib.metadata``. No package is installed while a
build runs.

Listed first among the extensions: the bibliography's modules take
``entry_points`` by name when they are imported.
"""

import functools
import importlib.metadata

_scan = None


def read_once(entry_points):
    @functools.wraps(entry_points)
    def cached(**params):
        global _scan
        if not params:
            return entry_points()
        if _scan is None:
            _scan = entry_points()     # every distribution's entry points, grouped
        return _scan.select(**params)

    cached.reads_once = True
    return cached


def setup(app):
    if not getattr(importlib.metadata.entry_points, "reads_once", False):
        importlib.metadata.entry_points = read_once(importlib.metadata.entry_points)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
