"""Where the site's sources and build live, and which pages each edition has."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
BUILD = ROOT / "_build"
SITE = BUILD / "html"
EDITIONS = ("en", "ko")


def page_names(edition):
    """Page names of an edition's source tree, e.g. ``lstm-cell``."""
    tree = DOCS / edition
    return sorted(str(p.relative_to(tree).with_suffix("")) for p in tree.rglob("*.md"))
