"""myst-nb's stylesheet is in place before the pages are written, on every build.

Sphinx links each stylesheet of ``_static`` with a checksum of its content
(``mystnb.<hash>.css?v=<crc>``), computed when a page is written, if the file is
already in the output folder then. Sphinx copies its own and the theme's assets
before writing, but myst-nb (1.4) copies its stylesheet only at the end of the
build (``add_global_html_resources`` on ``build-finished``, after
sphinx-doc/sphinx#1379, in ``myst_nb/sphinx_ext.py``). So a cold build linked it
without the checksum and a later incremental build, finding the file of the
previous run, linked the pages it rewrote with one: the same source gave two
different pages. Copying the stylesheet when writing starts gives every build
the cold build's checksum as well as the incremental one's.
"""

from myst_nb import static
from myst_nb.sphinx_ext import _get_file_hash, _import_resources_path
from sphinx.util.fileutil import copy_asset_file


def copy_stylesheet(app, builder):
    if builder.format != "html":
        return
    with _import_resources_path(static, "mystnb.css") as source:
        destination = builder.outdir / "_static" / f"mystnb.{_get_file_hash(source)}.css"
        destination.parent.mkdir(parents=True, exist_ok=True)
        copy_asset_file(source, destination)


def setup(app):
    app.connect("write-started", copy_stylesheet)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
