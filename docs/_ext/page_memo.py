"""What each written page computed, kept beside the doctrees and found by a key.

A page written again finds there what it computed when it was last written (its
rendered formulas, its highlighted code) and computes only the rest. Each page has
one file (``<folder>/<page>.json``: ``{key: value}``), replaced by what the page
used in the last build that wrote it and removed with the page. The callers choose
the keys: a key must name everything the value depends on.
"""

import json
from pathlib import Path

from content_memo import write_whole


class PageMemo:
    """The values of one kind that each page used, kept in ``doctreedir/folder``."""

    def __init__(self, folder):
        self.folder = folder
        self.start(None)

    def start(self, app):
        """Begin a build of ``app``: nothing found or used yet."""
        self.app, self.found, self.used = app, {}, {}

    def page_file(self, docname):
        return Path(self.app.doctreedir, self.folder, f"{docname}.json")

    def get(self, docname, key):
        """The value ``docname`` had under ``key`` when it was last written, or None."""
        if docname not in self.found:
            try:
                self.found[docname] = json.loads(self.page_file(docname).read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self.found[docname] = {}
        return self.found[docname].get(key)

    def use(self, docname, key, value):
        """Note that ``docname`` used ``value`` under ``key`` in this build."""
        self.used.setdefault(docname, {})[key] = value

    def keep(self, app, exception):
        """Each page written by this build keeps what it used; a removed page, nothing."""
        if exception is not None or self.app is not app:
            return
        for docname, used in self.used.items():
            if docname in app.env.found_docs:
                write_whole(self.page_file(docname), json.dumps(used).encode("utf-8"))
        folder = Path(app.doctreedir, self.folder)
        if folder.is_dir():
            for path in folder.rglob("*.json"):
                if path.relative_to(folder).with_suffix("").as_posix() not in app.env.found_docs:
                    path.unlink()
