"""KaTeX's fonts cut down to the characters the site's formulas draw.

Formulas are rendered to HTML at build time (``katex_prerender``), so every
character a KaTeX font can be asked for is in the text of a ``.katex-html``
element of some built page (or in a ``content`` string of KaTeX's stylesheet).
Each KaTeX font under ``_static`` is rewritten, in its own format and under its
own name, with only those characters: KaTeX_Main-Regular goes from 26 to about
13 KiB, and every page with a formula loads it. A font no formula uses keeps
one glyph and is never fetched (the browser asks for a font only when text
needs it). The stylesheet and the markup stay as KaTeX wrote them.
"""

import html
import re
import time
from pathlib import Path

from content_memo import ContentMemo
from icon_subset import drawn_characters, prune_cache, subset_cache, subset_font

_FONT_SUFFIXES = (".woff2", ".woff", ".ttf", ".otf")


_FORMULA_START = re.compile(r'<span class="katex-html"[^>]*>')
_TOKEN = re.compile(r"<(/?)span\b[^>]*>|<[^>]*>|([^<]+)")


def formula_text(page):
    """The text inside the ``.katex-html`` spans of ``page`` (HTML as KaTeX writes it:
    spans inside spans, and a few void or SVG elements)."""
    for start in _FORMULA_START.finditer(page):
        depth, position = 1, start.end()
        while depth:
            token = _TOKEN.match(page, position)
            closing, text = token.groups()
            if text is not None:
                yield html.unescape(text)
            elif token.group(0).startswith("<span") or closing:
                depth += -1 if closing else 1
            position = token.end()


def page_characters(page):
    """Characters drawn by the formulas of ``page`` (its HTML), sorted."""
    return sorted({ord(c) for text in formula_text(page) for c in text})


def formula_characters(outdir, memo=None):
    """Characters drawn by the formulas of every page of ``outdir`` (each page's found
    through ``memo``, a :class:`ContentMemo`, where given)."""
    characters = set()
    for page in Path(outdir).rglob("*.html"):
        if page.relative_to(outdir).parts[0] != "_static":
            text = page.read_text(encoding="utf-8")
            characters.update(memo.get(text, page_characters) if memo else page_characters(text))
    return characters


def subset_math_fonts(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    started = time.time() - 1
    outdir = Path(app.outdir)
    katex = outdir / "_static" / "katex"
    if not katex.is_dir():
        return
    cache = subset_cache(app, "katex")
    pages = ContentMemo(app, "formula-characters", [__file__])
    characters = formula_characters(outdir, pages)
    pages.save()
    for sheet in katex.rglob("*.css"):
        characters |= drawn_characters(sheet.read_text(encoding="utf-8"))
    for path in sorted(katex.rglob("*")):
        if path.suffix in _FONT_SUFFIXES:
            subset_font(path, characters, cache)
    prune_cache(cache, started)


def setup(app):
    # After the pages are written; alongside icon_subset (850), before failed_builds (900).
    app.connect("build-finished", subset_math_fonts, priority=860)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
