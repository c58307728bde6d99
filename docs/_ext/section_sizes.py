"""Give each article section an estimate of its height, for the browser's first layout.

site.css leaves the sections of a page out of layout until they come near the
screen (``content-visibility: auto``). Until a section has been drawn, the
browser lays it out at its ``contain-intrinsic-size`` (50rem in site.css), and
Chromium draws, in the frame that first shows the page, every section within one
and a half screens of the view *as placed by those sizes*. A first section much
taller than 50rem (the LSTM cell page's notation tables make its first section
about 2,200 px tall on a phone) brings the one or two sections after it within
that distance: they are styled and laid out in that frame, then left out again
in the next one, once the first section has its real height. On the Korean LSTM
cell page that was two thousand elements laid out for nothing.

Each nested ``<section>`` is written with ``contain-intrinsic-block-size: auto
<estimate>``: its height on a phone (the narrowest layout, where a section is
tallest), estimated from its doctree: lines of prose at the column's width, lines
of code, display equations, table rows, images at their aspect ratio. It need not
be exact: the browser replaces it with the real height once the section is drawn
(``auto``). Too small, a later section is drawn for nothing, as before; too
large, a later section is drawn a frame later, still before it comes in view.

The first frame: the first section of a page is in or near the first screen, so it
is always drawn in that frame, and its estimate only decides where the sections
after it are placed when the browser chooses what else to draw. On the LSTM cell
page the first section (the notation table) already starts at the bottom of a
phone's first screen, and the section after it, wholly below, doubled the work of
the frame that first shows the page (its code and outputs: a third of the
elements laid out). Where the page's opening and its first section together are
taller than a phone's screen (so that the second section starts below it), the
first section's estimate is at least ``FIRST_FRAME_PX``: the sections after it
then lie beyond the distance the browser draws ahead in the first frame (one and
a half screens below the view: 2,060 px on a 412 x 823 phone, 2,250 px on a
1366 x 900 desktop) and are drawn in the frame after, long before a reader can
scroll to them. The first section's real height replaces the estimate in the
first frame, so it is never seen.
"""

import math
import re
import unicodedata
from pathlib import Path

from docutils import nodes
from image_sizes import intrinsic_size

# A phone's column: about 350 CSS px of 16 px type, 1.65 line height.
COLUMN_PX = 350
LINE_PX = 27
CODE_LINE_PX = 20
BLOCK_GAP_PX = 16
TABLE_CELL_MIN_PX = 96   # site.css: table cells of words keep 6rem
IMAGE_PX = 260           # an image whose file is not found
SCREEN_PX = 844          # a phone's screen: 390 x 844
FIRST_FRAME_PX = 2400    # from the first section's top, beyond 1.5 screens below the first

_SECTION = re.compile(r'<section\b[^>]*?\bid="([^"]+)"')


def text_width(text):
    """Width of ``text`` in px at 16 px: a wide (CJK) character is 1 em, any other half."""
    return sum(16 if unicodedata.east_asian_width(c) in "WF" else 8 for c in text)


def lines(text, width):
    return max(1, math.ceil(text_width(text) / width))


def image_height(node, srcdir):
    size = None
    uri = node.get("uri", "")
    for candidate in (Path(srcdir, uri), Path(uri)):
        if candidate.is_file():
            size = intrinsic_size(candidate)
            break
    if not size:
        return IMAGE_PX
    width, height = size
    return height * min(1.0, COLUMN_PX / width)


def estimate(node, srcdir, width=COLUMN_PX):
    """Height in px of ``node`` laid out in a column ``width`` px wide on a phone."""
    if isinstance(node, nodes.Text):
        return 0
    if isinstance(node, (nodes.title, nodes.paragraph, nodes.rubric, nodes.term)):
        return lines(node.astext(), width) * LINE_PX + BLOCK_GAP_PX
    if isinstance(node, (nodes.literal_block, nodes.doctest_block)):
        return node.astext().count("\n") * CODE_LINE_PX + CODE_LINE_PX + 2 * BLOCK_GAP_PX
    if isinstance(node, nodes.math_block):
        return (node.astext().count("\\\\") + 1) * 40 + BLOCK_GAP_PX
    if isinstance(node, nodes.image):
        return image_height(node, srcdir) + BLOCK_GAP_PX
    if isinstance(node, nodes.raw):
        return node.astext().count("\n") * CODE_LINE_PX
    if isinstance(node, nodes.table):
        return table_height(node) + BLOCK_GAP_PX
    indent = 24 if isinstance(node, (nodes.list_item, nodes.definition, nodes.Admonition)) else 0
    inner = sum(estimate(child, srcdir, width - indent) for child in node.children)
    return inner + (32 if isinstance(node, nodes.Admonition) else 0)


def table_height(table):
    total = 0
    for row in table.findall(nodes.row):
        cells = [entry for entry in row.children if isinstance(entry, nodes.entry)]
        cell_px = max(TABLE_CELL_MIN_PX, COLUMN_PX // max(1, len(cells)))
        total += max((lines(cell.astext(), cell_px) for cell in cells), default=1) * LINE_PX + 16
    return total


def section_estimates(doctree, srcdir):
    """``{section id: estimated px}`` for every section inside another section; the
    first of a page's sections at least ``FIRST_FRAME_PX`` when the page's opening and
    that section fill more than a phone's screen (see the module's docstring)."""
    out = {}
    for section in doctree.findall(nodes.section):
        if isinstance(section.parent, nodes.section) and section["ids"]:
            out[section["ids"][0]] = round(estimate(section, srcdir))
    for page in doctree.findall(nodes.section):
        if isinstance(page.parent, nodes.section):
            continue
        children = [child for child in page.children if isinstance(child, nodes.section)]
        if not children or not children[0]["ids"] or children[0]["ids"][0] not in out:
            continue
        first = children[0]
        opening = sum(estimate(child, srcdir) for child in page.children[:page.index(first)])
        key = first["ids"][0]
        if opening + out[key] > SCREEN_PX:
            out[key] = max(out[key], FIRST_FRAME_PX)
    return out


def add_estimates(app, pagename, templatename, context, doctree):
    if doctree is None or "body" not in context:
        return
    sizes = section_estimates(doctree, app.srcdir)
    if not sizes:
        return

    def sized(match):
        px = sizes.get(match.group(1))
        if px is None:
            return match.group(0)
        return f'{match.group(0)} style="contain-intrinsic-block-size: auto {px}px"'

    context["body"] = _SECTION.sub(sized, context["body"])


def setup(app):
    app.connect("html-page-context", add_estimates)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
