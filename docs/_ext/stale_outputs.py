"""The built edition holds what the current sources make, and nothing older.

Sphinx writes the pages it builds but removes nothing: the page of a deleted
source stays, with its copied source and its images, and myst-nb's report of
a cell that failed stays after the cell was fixed. After every HTML build this
removes, from the output folder,

- pages and copied sources (``_sources/``) of documents the project no longer has;
- ``reports/*.err.log`` not written by this build (myst-nb writes one for each
  page whose execution failed, on every build: see ``failed_builds``);
- images (``_images/``) and downloads (``_downloads/``) no current page refers to;
- static files (``_static/``) no static folder holds any more: Sphinx copies the static
  folders into ``_static`` on every build, keeping the copies' times, and never removes a
  copy whose source went, so the ``_static`` of the last build is set aside as the build
  starts, and removed once the build has written its own (sphinx-doc/sphinx#14327).

Pages, reports and files written by this build are kept whatever their names.
"""

import shutil
import time
from pathlib import Path

from sphinx.util import logging

logger = logging.getLogger(__name__)

ASSET_FOLDERS = ("_static", "_images", "_downloads", "_sources", "reports")
PREVIOUS_STATIC = "_static.previous"


def note_start(app):
    # A second of margin: what the previous build wrote is older than that.
    app._stale_outputs_start = time.time() - 1.0
    set_aside_static(app)


def set_aside_static(app):
    """Move the last build's ``_static`` aside, so this build writes every static file anew."""
    if app.builder.format != "html":
        return
    static, aside = Path(app.outdir) / "_static", Path(app.outdir) / PREVIOUS_STATIC
    shutil.rmtree(aside, ignore_errors=True)      # left by a build that did not finish
    if static.is_dir():
        static.rename(aside)


def _older(path, start):
    return path.stat().st_mtime < start


def stale_files(app):
    """The output files of this HTML build that the current sources did not make."""
    outdir, env = Path(app.outdir), app.env
    start = getattr(app, "_stale_outputs_start", time.time())
    docs = env.found_docs
    stale = []
    for page in outdir.rglob("*.html"):
        relative = page.relative_to(outdir)
        if relative.parts[0] in ASSET_FOLDERS:
            continue
        if str(relative.with_suffix("")) not in docs and _older(page, start):
            stale.append(page)
    sources = outdir / "_sources"
    if sources.is_dir():
        for copy in sources.rglob("*.txt"):
            name = str(copy.relative_to(sources)).removesuffix(".txt")
            if Path(name).with_suffix("").as_posix() not in docs and _older(copy, start):
                stale.append(copy)
    reports = outdir / "reports"
    if reports.is_dir():
        stale += [report for report in reports.rglob("*") if report.is_file() and _older(report, start)]
    images = {unique for _, unique in env.images.values()}
    downloads = {unique for _, unique in env.dlfiles.values()}
    for folder, wanted in (("_images", images), ("_downloads", downloads)):
        root = outdir / folder
        if root.is_dir():
            stale += [path for path in root.rglob("*") if path.is_file()
                      and path.relative_to(root).as_posix() not in wanted and _older(path, start)]
    return stale


def remove_stale_files(app, exception):
    if app.builder.format != "html" or not Path(app.outdir).is_dir():
        return
    shutil.rmtree(Path(app.outdir) / PREVIOUS_STATIC, ignore_errors=True)
    for path in stale_files(app):
        logger.info("removing %s: the current sources do not make it", path)
        path.unlink()
    for folder in sorted(Path(app.outdir).rglob("*"), reverse=True):
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()


def setup(app):
    app.connect("builder-inited", note_start)
    app.connect("build-finished", remove_stale_files)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
