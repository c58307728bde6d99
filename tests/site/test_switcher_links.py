"""Where the language switcher points, on one site and on Read the Docs."""

import sys

from site_build import DOCS

sys.path.insert(0, str(DOCS / "_ext"))
from editions import edition_links  # noqa: E402


def test_one_site_layout():
    assert edition_links("lstm-cell", "ko") == [
        ("en", "English", "../en/lstm-cell.html", False),
        ("ko", "한국어", "../ko/lstm-cell.html", True),
    ]


def test_nested_page():
    links = dict((code, url) for code, _, url, _ in edition_links("api/lstm", "en"))
    assert links["ko"] == "../../ko/api/lstm.html"


def test_read_the_docs_layout():
    links = dict((code, url) for code, _, url, _ in edition_links("index", "en", "latest"))
    assert links["ko"] == "../../ko/latest/index.html"
