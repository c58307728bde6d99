"""Where a build's time goes, for ``make benchmark-site``.

When the environment variable ``LSTM_REF_PHASES`` names a file, each build
appends one JSON line to it: the edition, and the seconds spent starting up,
reading (executing notebooks included), executing notebooks, writing
(rendering math included), rendering math, and in all. Otherwise it does nothing.
"""

import functools
import json
import os
import time

START = time.perf_counter()   # when this module was imported, early in the build


def _timed(function, totals, name):
    @functools.wraps(function)
    def timed(*args, **kwargs):
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            totals[name] += time.perf_counter() - start
    return timed


def setup(app):
    target = os.environ.get("LSTM_REF_PHASES")
    if target:
        import sphinxcontrib.katex as katex
        from myst_nb.core.execute.cache import NotebookClientCache

        marks = {}
        totals = {"execute": 0.0, "render math": 0.0}
        NotebookClientCache.start_client = _timed(NotebookClientCache.start_client, totals, "execute")
        katex.render_latex = _timed(katex.render_latex, totals, "render math")

        def mark(name):
            return lambda *args: marks.setdefault(name, time.perf_counter())

        def report(app, exception):
            end = time.perf_counter()
            read_start = marks.get("read", marks.get("write", end))
            write_start = marks.get("write", end)
            phases = {"edition": app.config.language,
                      "start-up": read_start - START,
                      "read": write_start - read_start,
                      "write": end - write_start,
                      **totals,
                      "total": end - START}
            with open(target, "a", encoding="utf-8") as log:
                log.write(json.dumps(phases) + "\n")

        app.connect("env-before-read-docs", mark("read"))
        app.connect("write-started", mark("write"))
        app.connect("build-finished", report)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
