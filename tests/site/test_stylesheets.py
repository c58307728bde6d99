"""Every page links the stylesheets it needs, without an extra round trip: Sphinx's
``basic.css`` in place of the theme's ``styles/theme.css``, which only imports it
(docs/_templates/layout.html)."""

import re
from pathlib import Path

import pydata_sphinx_theme
import pytest

from site_build import EDITIONS, page_names

STYLESHEET = re.compile(r'<link href="([^"?]+)(?:\?[^"]*)?" rel="stylesheet"')
THEME_CSS = (Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme"
             / "static" / "styles" / "theme.css")


def stylesheets(page):
    return [href.rsplit("_static/", 1)[-1] for href in STYLESHEET.findall(page)]


def test_the_themes_stylesheet_only_imports_basic_css():
    """What linking basic.css in its place relies on: theme.css has no rule of its own."""
    rules = re.sub(r"/\*.*?\*/", "", THEME_CSS.read_text(encoding="utf-8"), flags=re.S).split()
    assert rules == ['@import', '"../basic.css";'], THEME_CSS.read_text(encoding="utf-8")


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_page_links_basic_css_first_and_not_the_themes_import(site, edition):
    wrong = []
    for name in page_names(edition) + ["search", "genindex"]:
        linked = stylesheets((site / edition / f"{name}.html").read_text(encoding="utf-8"))
        if linked[:1] != ["basic.css"] or "styles/theme.css" in linked:
            wrong.append(f"{name}: {linked}")
    assert not wrong, "\n".join(wrong)
