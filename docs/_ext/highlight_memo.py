"""Pygments' HTML for a code block kept with the page that showed it: unchanged code is not
highlighted again.

Sphinx highlights every code block of a page it writes (code cells, their
outputs, listings) with Pygments, and Pygments compiles the regular expressions
of each lexer the first time a process uses it: a one-page edit spent about a
tenth of its time there, on blocks it had highlighted in the build before. The
HTML Pygments makes for a block depends only on the block's text, its language,
the lexer's and formatter's options and the code of Pygments, Sphinx and the
lexers (``PygmentsBridge.highlight_block`` reads nothing else), so the HTML a
build got for a block is the HTML the next build would get.

Each written page keeps, beside the doctrees (``highlight-memo/<page>.json``),
the HTML of every block it highlighted, found by a hash of the block, its
language and options, and the versions of what highlights it. A page written
again looks its blocks up there first and highlights only the others. A block
whose highlighting warned (a lexer that is not known, text the lexer rejects) is
never kept, so the warning, an error in the strict build, comes again in every
build. A page's file is replaced by what it highlighted in the last build that
wrote it, and removed with the page.
"""

import hashlib
import json
import logging
from importlib import metadata

from page_memo import PageMemo
from sphinx import highlighting

FOLDER = "highlight-memo"
# Where the lexers and the formatter come from: their versions are part of every key.
PACKAGES = ("pygments", "sphinx", "myst-nb", "ipython")

_memo = PageMemo(FOLDER)
_state = {"code": None}


class WarningCount(logging.Handler):
    """Counts the warnings logged through Sphinx's loggers as they are logged. (Sphinx's own
    count, ``app._warncount``, grows only when the warnings it holds back while writing,
    under ``--keep-going``, are let out at the end.)"""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record):
        self.count += 1


_warnings = WarningCount()


def package_version(name):
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def highlighter_code(bridge):
    """What, besides a block and its options, makes the HTML: versions, formatter and style."""
    style = bridge.formatter_args.get("style")
    return json.dumps([[package_version(name) for name in PACKAGES], bridge.dest,
                       f"{bridge.formatter.__module__}.{bridge.formatter.__qualname__}",
                       f"{getattr(style, '__module__', '')}.{getattr(style, '__qualname__', style)}"])


def lexer_name(lang):
    """A lexer that an extension added under ``lang`` (``app.add_lexer``), by its class."""
    lexer = highlighting.lexers.get(lang)
    return None if lexer is None else f"{type(lexer).__module__}.{type(lexer).__qualname__}"


def remembering(highlight_block):
    def highlight_remembered(self, source, lang, opts=None, force=False, location=None,
                             **kwargs):
        app = _memo.app
        if app is None or self.dest != "html" or getattr(app.builder, "format", None) != "html":
            return highlight_block(self, source, lang, opts, force, location, **kwargs)
        if isinstance(source, bytes):
            source = source.decode()
        if _state["code"] is None:
            _state["code"] = highlighter_code(self)
        docname = getattr(app.builder, "current_docname", "") or ""
        key = hashlib.sha256(json.dumps(
            [_state["code"], source, lang, lexer_name(lang), opts or {}, force, kwargs],
            sort_keys=True, default=repr).encode()).hexdigest()
        html = _memo.get(docname, key)
        if html is None:
            warnings = _warnings.count
            html = highlight_block(self, source, lang, opts, force, location, **kwargs)
            if _warnings.count != warnings:   # warned: never kept, so it warns again
                return html
        _memo.use(docname, key, html)
        return html

    highlight_remembered.remembers = True
    return highlight_remembered


def keep(app, exception):
    """Each page written by this build keeps the blocks it highlighted; a removed page, none."""
    _memo.keep(app, exception)


def start(app):
    _state["code"] = None
    _memo.start(app)
    sphinx_logger = logging.getLogger("sphinx")   # where every Sphinx logger's records go
    if _warnings not in sphinx_logger.handlers:
        sphinx_logger.addHandler(_warnings)


def setup(app):
    bridge = highlighting.PygmentsBridge
    if not getattr(bridge.highlight_block, "remembers", False):
        bridge.highlight_block = remembering(bridge.highlight_block)
    app.connect("builder-inited", start)
    app.connect("build-finished", keep)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
