"""Give every <img> of a page the intrinsic width and height of its file.

With both attributes a browser knows an image's aspect ratio before the file
arrives and reserves its box, so the text below does not jump when it loads
(cumulative layout shift). docutils writes a size only when the source gives
one, and then as CSS; site.css keeps images fluid (``max-width: 100%;
height: auto``), so the attributes fix the ratio, not the displayed size.
"""

import html
import posixpath
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import imagesize

_IMG = re.compile(r"<img\b[^>]*>")
_SRC = re.compile(r'\ssrc="([^"]+)"')
_LENGTH = re.compile(r"^\s*([0-9.]+)\s*(px)?\s*$")


def svg_size(path):
    """Width and height of an SVG in CSS pixels, from its attributes or its viewBox."""
    root = ElementTree.parse(path).getroot()
    width, height = (_LENGTH.match(root.get(name) or "") for name in ("width", "height"))
    if width and height:
        return float(width.group(1)), float(height.group(1))
    box = (root.get("viewBox") or "").replace(",", " ").split()
    if len(box) == 4:
        return float(box[2]), float(box[3])
    return None


def intrinsic_size(path):
    path = Path(path)
    if path.suffix.lower() == ".svg":
        return svg_size(path)
    width, height = imagesize.get(str(path))
    return (width, height) if width > 0 and height > 0 else None


def source_of_images(app):
    """Map from an image's URL in the output (``_images/x.png``) to its source file."""
    sources = {}
    for source, name in app.builder.images.items():
        sources[posixpath.join(app.builder.imagedir, name)] = Path(app.srcdir) / source
    return sources


def add_sizes(body, page_dir, sources, static_dirs):
    """``body`` with width and height added to each <img> whose file is known."""

    def sized(match):
        tag = match.group(0)
        src = _SRC.search(tag)
        if src is None or re.search(r"\s(width|height)=", tag):
            return tag
        url = html.unescape(src.group(1)).split("#")[0].split("?")[0]
        target = posixpath.normpath(posixpath.join(page_dir, url))
        path = sources.get(target)
        if path is None and target.startswith("_static/"):
            path = next((d / target[len("_static/"):] for d in static_dirs
                         if (d / target[len("_static/"):]).is_file()), None)
        size = intrinsic_size(path) if path is not None and Path(path).is_file() else None
        if size is None:
            return tag
        end = "/>" if tag.endswith("/>") else ">"
        return (tag[:-len(end)].rstrip()
                + f' width="{round(size[0])}" height="{round(size[1])}" {end}')

    return _IMG.sub(sized, body)


def on_page_context(app, pagename, templatename, context, doctree):
    if "body" not in context:
        return
    static_dirs = [Path(app.confdir) / d for d in app.config.html_static_path]
    page_dir = posixpath.dirname(pagename)
    context["body"] = add_sizes(context["body"], page_dir, source_of_images(app), static_dirs)


def setup(app):
    app.connect("html-page-context", on_page_context)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
