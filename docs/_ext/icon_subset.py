"""Icon fonts cut down to the icons the site's stylesheets can still draw.

pydata-sphinx-theme draws its icons (menu, contents, search, light/dark, download,
previous/next, back to top) with FontAwesome's webfont: 115 KiB for about fifteen
glyphs. The theme's stylesheet maps each icon class to its character
(``.fa-bars{--fa:"\\f0c9"}``); once unused_css has removed the rules of icons
no page shows, the characters left in ``content`` and custom property values
are the ones a page can ask for. Every font under ``_static`` that is an icon
font (most of its characters in Unicode's Private Use Area) is rewritten, in
its own format and under its own name, with only those characters, so the
theme's markup, classes and ``@font-face`` rules stay as they are.

The theme's own weight is pydata-sphinx-theme issue #2379 (open in 0.20.0); a
subsetting step in the theme was drafted in its pull request #2386 and closed.
"""

import hashlib
import io
import logging
import shutil
import time
from pathlib import Path

import fontTools
import tinycss2
from content_memo import ContentMemo, memo_folder, shared, write_whole

_FONT_SUFFIXES = (".woff2", ".woff", ".ttf", ".otf")

# fontTools reports each table it prunes at INFO level, into the build's output.
logging.getLogger("fontTools").setLevel(logging.WARNING)


def is_private_use(codepoint):
    return 0xE000 <= codepoint <= 0xF8FF or 0xF0000 <= codepoint <= 0x10FFFD


def drawn_characters(css):
    """Characters of the strings in ``content`` and custom property values of ``css``."""
    found = set()

    def strings(tokens):
        for token in tokens:
            if token.type == "string":
                found.update(ord(c) for c in token.value)
            elif getattr(token, "content", None) is not None and token.type != "at-rule":
                strings(token.content)
            elif token.type == "function":
                strings(token.arguments)

    def walk(nodes):
        for node in nodes:
            if node.type == "declaration" and (node.lower_name == "content"
                                               or node.name.startswith("--")):
                strings(node.value)
            elif node.type in ("qualified-rule", "at-rule") and node.content is not None:
                walk(tinycss2.parse_blocks_contents(node.content, skip_comments=True,
                                                    skip_whitespace=True))

    walk(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))
    return found


def is_icon_font(data):
    """Whether the font file ``data`` (bytes) is an icon font."""
    from fontTools.ttLib import TTFont  # on demand: most builds reuse what it found

    codepoints = TTFont(io.BytesIO(data), lazy=True).getBestCmap() or {}
    return bool(codepoints) and sum(map(is_private_use, codepoints)) > len(codepoints) / 2


def subset_font(path, characters, cache=None):
    """Rewrite the font at ``path`` with only ``characters``; its size before and after.

    With ``cache`` (a folder), a subset made earlier of the same font file for the
    same characters, by the same fontTools and this code, is copied instead of made
    again: the subset depends on nothing else. Sphinx copies the shipped fonts again on every
    build, so ``path`` always holds the whole font here.
    """
    before = path.stat().st_size
    entry = None
    if cache is not None:
        key = hashlib.sha256(path.read_bytes() + Path(__file__).read_bytes())
        key.update(f"{fontTools.version}|{sorted(characters)}".encode())
        entry = Path(cache) / (key.hexdigest() + path.suffix)
        if entry.is_file():
            entry.touch()  # kept by prune_cache
            shutil.copyfile(entry, path)
            return before, path.stat().st_size
    from fontTools import subset  # on demand: most builds reuse a subset
    from fontTools.ttLib import TTFont

    font = TTFont(path, recalcTimestamp=False)   # the shipped font's time: the same bytes every build
    options = subset.Options()
    options.flavor = font.flavor
    options.layout_features = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(characters & set(font.getBestCmap())))
    subsetter.subset(font)
    font.save(path)
    if entry is not None:
        write_whole(entry, path.read_bytes())   # whole, for builds that share the cache
    return before, path.stat().st_size


def subset_cache(app, name):
    """The folder of ``name``'s subsets kept between builds (beside the doctrees, or in
    the shared memo folder: content_memo.memo_folder)."""
    return memo_folder(app, "font-subsets") / name


def prune_cache(cache, since):
    """Remove the subsets in ``cache`` this build (started at ``since``) did not use
    (none from a shared cache: other builds use them)."""
    if shared():
        return
    for entry in Path(cache).glob("*"):
        if entry.stat().st_mtime < since:
            entry.unlink()


def subset_icon_fonts(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    started = time.time() - 1
    static = Path(app.outdir) / "_static"
    cache = subset_cache(app, "icons")
    sheets = ContentMemo(app, "css-drawn-characters", [__file__])
    icon_fonts = ContentMemo(app, "icon-fonts", [__file__], fontTools.version)
    characters = set()
    for sheet in static.rglob("*.css"):
        characters.update(sheets.get(sheet.read_text(encoding="utf-8"),
                                     lambda css: sorted(drawn_characters(css))))
    for path in sorted(static.rglob("*")):
        if path.suffix in _FONT_SUFFIXES and icon_fonts.get(path.read_bytes(), is_icon_font):
            subset_font(path, characters, cache)
    prune_cache(cache, started)
    sheets.save()
    icon_fonts.save()


def setup(app):
    # After unused_css (priority 800) has trimmed the stylesheets.
    app.connect("build-finished", subset_icon_fonts, priority=850)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
