"""What was computed from a file's bytes, kept between builds and found by those bytes.

The steps at the end of a build (the stylesheets' trim, the font subsets) read
every built page and stylesheet, though a one-page edit changes one or two of
them. A :class:`ContentMemo` keeps, for each content it was asked about, the
result computed from it: found by a hash of the content itself and of the code
that computes the result, so a result is reused only for the very same bytes
read by the very same code, and never from a file's name or date. Results are
JSON values. Each memo is a file beside the edition's doctrees and keeps only
what the last build asked for.
"""

import hashlib
import json
import os
from pathlib import Path


class ContentMemo:
    """Results of ``compute(content)``, by ``content`` and the code in ``code_files``
    (and ``versions``, say of a library that code calls)."""

    def __init__(self, app, name, code_files, versions=""):
        self.path = Path(app.doctreedir) / "content-memo" / f"{name}.json"
        code = hashlib.sha256(versions.encode() + b"\0")
        for path in code_files:
            code.update(Path(path).read_bytes() + b"\0")
        self.code = code.digest()
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
            # Through JSON either way, so that a result is the same whether found or computed.
            self.used[key] = self.found[key] if key in self.found else \
                json.loads(json.dumps(compute(content)))
        return self.used[key]

    def save(self):
        """Keep what this build asked for, and nothing else."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(json.dumps(self.used), encoding="utf-8")
        os.replace(partial, self.path)
