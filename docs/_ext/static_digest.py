"""A change to a file of ``html_static_path`` writes every page again.

Sphinx links each stylesheet and script of ``_static`` with a checksum of its
content (``site.css?v=…``), computed when a page is written. But a change to a
static file alone leaves every page up to date in Sphinx's eyes, so an
incremental build kept linking the file's old checksum (and a browser could keep
its cached copy), where a build from nothing links the new one. Here the digest of
those files' bytes is a configuration value of the HTML output: when it changes,
every page is written again (none is read again), as after a change of theme
option. Sphinx then keeps the previous build information as ``.buildinfo.bak`` in
the output folder, which a build from nothing does not have: it is removed.
"""

import hashlib
from pathlib import Path


def static_files_digest(confdir, folders):
    """SHA-256 of the names and bytes of every file under ``folders``.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "site.css").write_text("a { color: red }")
    >>> before = static_files_digest(folder, ["."])
    >>> _ = (folder / "site.css").write_text("a { color: blue }")
    >>> before == static_files_digest(folder, ["."])
    False
    """
    digest = hashlib.sha256()
    for folder in folders:
        root = Path(confdir, folder)
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def set_digest(app, config):
    config.static_files_digest = static_files_digest(app.confdir, config.html_static_path)


def remove_old_build_info(app, exception):
    if app.builder.format == "html":
        Path(app.outdir, ".buildinfo.bak").unlink(missing_ok=True)


def setup(app):
    app.add_config_value("static_files_digest", "", "html", types=frozenset({str}))
    app.connect("config-inited", set_digest)
    app.connect("build-finished", remove_old_build_info)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
