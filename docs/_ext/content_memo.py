"""What was computed from a file's bytes, kept between builds and found by those bytes.

The steps at the end of a build (the stylesheets' trim, the font subsets) read
every built page and stylesheet, though a one-page edit changes one or two of
them. A :class:`ContentMemo` keeps, for each content it was asked about, the
result computed from it: found by a hash of the content itself and of the code
that computes the result, so a result is reused only for the very same bytes
read by the very same code, and never from a file's name or date. Results are
JSON values. Each memo is a file beside the edition's doctrees and keeps only
what the last build asked for.

Where the environment variable ``LSTM_REF_CONTENT_MEMO`` names a folder, every
build that names it keeps its memos there instead, shared (:func:`memo_folder`):
the tests set it for the small copies of the project they build, which start
with no build of their own, and would each compute the same trims and subsets
again. A shared memo keeps each result in a file of its own, written whole
(renamed into place), so builds running at once can read and add to it; it is
never pruned (``make clean`` removes it with the rest of ``_build``).
"""

import hashlib
import json
import os
from pathlib import Path

SHARED = "LSTM_REF_CONTENT_MEMO"


def shared():
    """Whether this build's memos are shared with other builds (``LSTM_REF_CONTENT_MEMO``)."""
    return bool(os.environ.get(SHARED))


def memo_folder(app, name):
    """The folder ``name`` of what this build keeps by content: beside its doctrees, or in
    the shared folder that ``LSTM_REF_CONTENT_MEMO`` names."""
    return (Path(os.environ[SHARED]) if shared() else Path(app.doctreedir)) / name


def write_whole(path, data):
    """Write ``data`` (bytes) to ``path`` through a temporary file renamed into place, so
    that a build reading it at the same moment finds all of it or nothing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    partial.write_bytes(data)
    os.replace(partial, path)


class ContentMemo:
    """Results of ``compute(content)``, by ``content`` and the code in ``code_files``
    (and ``versions``, say of a library that code calls)."""

    def __init__(self, app, name, code_files, versions=""):
        self.path = memo_folder(app, "content-memo") / f"{name}.json"
        code = hashlib.sha256(versions.encode() + b"\0")
        for path in code_files:
            code.update(Path(path).read_bytes() + b"\0")
        self.code = code.digest()
        self.shared = shared()
        if self.shared:         # one file per result, read as asked for
            self.path = self.path.with_suffix("")
            self.found = {}
        else:
            try:
                self.found = json.loads(self.path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self.found = {}
        self.used = {}

    def get(self, content, compute):
        """``compute(content)``, or what it returned for the same bytes before."""
        data = content.encode("utf-8") if isinstance(content, str) else content
        key = hashlib.sha256(self.code + data).hexdigest()
        if key not in self.used:
            if self.shared:
                self.used[key] = self._shared_get(key, content, compute)
            else:
                # Through JSON either way, so that a result is the same whether found or computed.
                self.used[key] = self.found[key] if key in self.found else \
                    json.loads(json.dumps(compute(content)))
        return self.used[key]

    def _shared_get(self, key, content, compute):
        entry = self.path / f"{key}.json"
        try:
            return json.loads(entry.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            text = json.dumps(compute(content))
            write_whole(entry, text.encode("utf-8"))
            return json.loads(text)

    def save(self):
        """Keep what this build asked for, and nothing else (a shared memo kept each
        result as it was computed)."""
        if self.shared:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(json.dumps(self.used), encoding="utf-8")
        os.replace(partial, self.path)
