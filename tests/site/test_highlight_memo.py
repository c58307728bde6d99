"""A code block a page highlighted before is not highlighted again; a block whose highlighting
warned is never kept (docs/_ext/highlight_memo.py)."""

import logging
import sys
from types import SimpleNamespace

from sphinx.highlighting import PygmentsBridge

from site_build import DOCS

sys.path.insert(0, str(DOCS / "_ext"))
import highlight_memo  # noqa: E402


class Highlighter:
    """Stands for Pygments: counts the blocks it is asked for; warns, as Sphinx does, on a
    block its lexer rejects."""

    def __init__(self):
        self.asked = []

    def __call__(self, bridge, source, lang, opts=None, force=False, location=None, **kwargs):
        self.asked.append(source)
        if "\\u" in source:
            logging.getLogger("sphinx.sphinx.highlighting").warning("Lexing %r failed", source)
        return f"<pre>{lang} {source} {kwargs}</pre>"


highlight = Highlighter()
highlight_block = highlight_memo.remembering(highlight)
BRIDGE = PygmentsBridge("html")


def build(tmp_path, pages):
    """A stand-in for one Sphinx run writing ``pages`` ({docname: [(source, lang, kwargs)]})."""
    app = SimpleNamespace(doctreedir=str(tmp_path), env=SimpleNamespace(found_docs=set(pages)),
                          builder=SimpleNamespace(format="html", current_docname=""))
    highlight_memo.start(app)
    shown = {}
    for docname, blocks in pages.items():
        app.builder.current_docname = docname
        shown[docname] = [highlight_block(BRIDGE, source, lang, **kwargs)
                          for source, lang, kwargs in blocks]
    highlight_memo.keep(app, None)
    return shown


def test_unchanged_blocks_are_not_highlighted_again(tmp_path):
    highlight.asked.clear()
    first = build(tmp_path, {"cell": [("x = 1", "ipython3", {}), ("print(x)", "ipython3", {})],
                             "gru": [("z = 2", "python", {})]})
    assert highlight.asked == ["x = 1", "print(x)", "z = 2"]

    highlight.asked.clear()
    again = build(tmp_path, {"cell": [("x = 1", "ipython3", {}), ("print(x)", "ipython3", {}),
                                      ("y = 3", "ipython3", {}),
                                      ("x = 1", "ipython3", {"linenos": True}),
                                      ("x = 1", "python", {})]})
    assert highlight.asked == ["y = 3", "x = 1", "x = 1"]   # new code, new options, new language
    assert again["cell"][:2] == first["cell"]
    assert not (tmp_path / highlight_memo.FOLDER / "gru.json").exists()   # a removed page keeps nothing


def test_a_block_that_warned_is_highlighted_and_warns_in_every_build(tmp_path):
    highlight.asked.clear()
    warned = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = warned.append
    logger = logging.getLogger("sphinx")
    logger.addHandler(handler)
    try:
        for _ in range(2):
            build(tmp_path, {"broken": [("'\\u", "python", {})]})
    finally:
        logger.removeHandler(handler)
    assert highlight.asked == ["'\\u", "'\\u"]
    assert len(warned) == 2
