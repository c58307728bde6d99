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


# -- In the built pages: absolute alternate, canonical, Open Graph and sitemap URLs --

import re  # noqa: E402
from urllib.parse import urlsplit  # noqa: E402

import pytest  # noqa: E402

from site_build import EDITIONS, page_names  # noqa: E402


def head_links(html):
    return {
        "alternate": dict(re.findall(r'<link rel="alternate" hreflang="(\w+)" href="([^"]+)"', html)),
        "canonical": re.search(r'<link rel="canonical" href="([^"]+)"', html).group(1),
        "og": dict(re.findall(r'<meta property="og:(\w+(?::\w+)?)" content="([^"]*)"', html)),
        "description": re.findall(r'<meta name="description" content="([^"]*)"', html),
    }


@pytest.mark.parametrize("edition", EDITIONS)
def test_pages_link_their_editions_absolutely(site, edition):
    for page in page_names(edition):
        links = head_links((site / edition / f"{page}.html").read_text(encoding="utf-8"))
        canonical = links["canonical"]
        assert urlsplit(canonical).scheme in ("http", "https"), canonical
        assert canonical.endswith(f"/{edition}/{page}.html")
        assert set(links["alternate"]) == set(EDITIONS)
        assert links["alternate"][edition] == canonical
        for code, url in links["alternate"].items():
            assert url == canonical.replace(f"/{edition}/{page}.html", f"/{code}/{page}.html")
        og = links["og"]
        assert og["url"] == canonical and og["title"] and og["image"].startswith("http")
        assert len(links["description"]) == 1, f"{page}: one meta description"
        description = links["description"][0]
        assert 40 < len(description) <= 161 and "\\" not in description, (page, description)
        assert og["description"] == description


@pytest.mark.parametrize("edition", EDITIONS)
def test_sitemap_lists_every_page(site, edition):
    sitemap = (site / edition / "sitemap.xml").read_text(encoding="utf-8")
    listed = set(re.findall(r"<loc>([^<]+)</loc>", sitemap))
    for page in page_names(edition):
        assert any(url.endswith(f"/{edition}/{page}.html") for url in listed), page
    assert all(urlsplit(url).scheme in ("http", "https") for url in listed)
