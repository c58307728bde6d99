"""``python -m sphinx``, ending without the interpreter's teardown.

    python docs/_ext/sphinx_build.py [sphinx-build's arguments]

Once a build is over, Python's own exit still frees every object the build
made, one by one: the environment, every doctree, and the modules of Sphinx,
docutils, myst-nb, SQLAlchemy and the rest. None of it writes anything, and it
took 0.7 s of CPU on a one-page rebuild (several seconds of wall time on a
loaded machine), longer than some of the build's own phases. Here the process
ends as soon as everything that does write is done: Python waits for the
threads that are not daemons and runs every exit handler (the execution
server's and the math renderer's shutdown, logging's flush, the build phases'
report) as usual; only then, from the last exit handler, it flushes stdout
and stderr and leaves with sphinx-build's own status.

Should sphinx-build end in any other way (an exception it does not catch), the
exit is Python's usual one.

Python's cyclic garbage collector runs, by default, after every 700 more objects
made than freed: importing the extensions and building the doctrees make millions,
so it ran thousands of times, each time walking the youngest objects, which in a
build mostly live on (modules, the environment, the doctrees being read). At one
collection after every 50,000, a one-page edit took about 14 % less CPU time than
at 700 (5.2 s against 6.1 s, four runs of each taken in turns), and the English
edition's build from nothing still spent 1.1 to 1.4 s of its 16 to 21 s of CPU in
22 collections that found little to free: the process ends when the build does, so
here the collector does not run by itself at all. What it would have freed (the
doctrees of written pages, whose nodes point to their parents) stays until the
exit: the English edition's build from nothing peaked at 240 MB instead of 166 MB.
"""

import atexit
import gc
import os
import sys

_status = None


def _leave():
    """The last exit handler (registered first): leave with sphinx-build's status."""
    if _status is None:
        return
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (AttributeError, OSError, ValueError):
            pass
    os._exit(_status)


atexit.register(_leave)   # before anything else registers: handlers run last first


def main():
    global _status
    gc.disable()       # no cyclic collection until the exit, which skips it too
    from sphinx.cmd.build import main as sphinx_build

    _status = sphinx_build(sys.argv[1:])
    return _status


if __name__ == "__main__":
    sys.path[0] = os.getcwd()   # as with `python -m sphinx` (conf.py adds docs/_ext itself)
    raise SystemExit(main())
