"""A failed build stays failed until its cause is fixed.

Sphinx keeps what it read in a saved environment and, on the next run, reads
and writes again only the pages whose sources changed. A page that warned
(invalid TeX, a failing cell, stderr, a broken reference, ...) and was not
edited is then neither read nor written again, so its warning is not raised
again and the strict build passes with the broken page in it. Sphinx already
discards the environment after a build that raised; here it is also discarded
after a build that warned, or that did not finish (killed, interrupted): the
next run reads every page again, from the execution cache, and reports the
same warnings until their causes are fixed.

A file in the doctree folder marks a build that has not yet passed: written
when the build starts, removed when it ends without a warning.
"""

from pathlib import Path

from sphinx.application import ENV_PICKLE_FILENAME
from sphinx.util import logging

logger = logging.getLogger(__name__)

MARK = "build-not-passed"


def discard_environment_of_failed_build(app, config):
    doctrees = Path(app.doctreedir)
    if (doctrees / MARK).exists() and (doctrees / ENV_PICKLE_FILENAME).exists():
        logger.info("the last build did not pass: reading every page again")
        (doctrees / ENV_PICKLE_FILENAME).unlink()


def mark_build_started(app):
    Path(app.doctreedir).mkdir(parents=True, exist_ok=True)
    (Path(app.doctreedir) / MARK).touch()


def mark_build_passed(app, exception):
    if exception is None and getattr(app, "_warncount", 0) == 0:
        (Path(app.doctreedir) / MARK).unlink(missing_ok=True)


def setup(app):
    app.connect("config-inited", discard_environment_of_failed_build)
    app.connect("builder-inited", mark_build_started)
    app.connect("build-finished", mark_build_passed, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
