"""Where a build's time goes, for ``make benchmark-site``.

When the environment variable ``LSTM_REF_PHASES`` names a file, each build
appends one JSON line to it: the edition, and the seconds spent starting up,
reading (executing notebooks included), executing notebooks, writing
(rendering math included), rendering math, and in all; and, outside of that
total, the seconds from the process's start to this module's import (Python's
start and the extensions imported before this one) and from the end of the build
to the process's exit (what runs at exit). Otherwise it does nothing.

Each line also holds, under ``"cpu"``, the CPU seconds of the Sphinx process
itself in the same spans (``before``: from the process's start; the kernels that
execute the pages are other processes, not counted there): on a machine that
others use at the same time, they change much less with its load than the
seconds do.
"""

import atexit
import functools
import json
import os
import time

START = time.perf_counter()   # when this module was imported, early in the build
START_CPU = time.process_time()   # this process's CPU seconds until then


def process_age():
    """Seconds since this process started (Linux), or 0.0 where that is unknown."""
    try:
        with open("/proc/self/stat") as stat:
            started = int(stat.read().rsplit(") ", 1)[1].split()[19]) / os.sysconf("SC_CLK_TCK")
        with open("/proc/uptime") as uptime:
            return max(float(uptime.read().split()[0]) - started, 0.0)
    except (OSError, ValueError, IndexError):
        return 0.0


BEFORE = process_age()      # Python's start and the imports before this module's


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

        clocks = {"seconds": time.perf_counter, "cpu": time.process_time}

        def mark(name):
            return lambda *args: marks.setdefault(name, {kind: clock()
                                                         for kind, clock in clocks.items()})

        def spans(kind, start, before):
            """(the end, the phases) by one clock: seconds, or this process's CPU seconds."""
            end = clocks[kind]()
            read_start = marks.get("read", marks.get("write", {kind: end}))[kind]
            write_start = marks.get("write", {kind: end})[kind]
            return end, {"start-up": read_start - start, "read": write_start - read_start,
                         "write": end - write_start, "total": end - start, "before": before}

        def report(app, exception):
            end, phases = spans("seconds", START, BEFORE)
            end_cpu, cpu = spans("cpu", START_CPU, START_CPU)
            phases = {"edition": app.config.language, **phases, **totals, "cpu": cpu}

            def write():     # at exit: after the exit handlers registered after this one
                phases["after"] = time.perf_counter() - end
                cpu["after"] = time.process_time() - end_cpu
                with open(target, "a", encoding="utf-8") as log:
                    log.write(json.dumps(phases) + "\n")
            atexit.register(write)

        app.connect("env-before-read-docs", mark("read"))
        app.connect("write-started", mark("write"))
        app.connect("build-finished", report)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
