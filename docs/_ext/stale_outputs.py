"""The built edition holds what the current sources make, and nothing older.

Sphinx writes the pages it builds but removes nothing: the page of a deleted
source stays, with its copied source and its images, and myst-nb's report of
a cell that failed stays after the cell was fixed. After every HTML build this
removes, from the output folder,

- pages and copied sources (``_sources/``) of documents the project no longer has;
- ``reports/*.err.log`` not written by this build (myst-nb writes one for each
  page whose execution failed, on every build: see ``failed_builds``);
- images (``_images/``) and downloads (``_downloads/``) no current page refers to.

Pages, reports and files written by this build are kept whatever their names.
"""

import time
from pathlib import Path

from sphinx.util import logging

logger = logging.getLogger(__name__)

ASSET_FOLDERS = ("_static", "_images", "_downloads", "_sources", "reports")


def note_start(app):
    # A second of margin: what the previous build wrote is older than that.
    app._stale_outputs_start = time.time() - 1.0


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
