"""The two editions of the site: language checks, the switcher, alternate links.

Each edition is built from ``docs/<language>/`` with ``-D language=<language>``.
Pages have the same names in both trees, so the same page in the other edition
is at ``../<other>/<pagename>.html`` from the edition's root on one site, and at
``../../<other>/<version>/<pagename>.html`` on Read the Docs, which serves each
language as a project of its own under ``/<language>/<version>/``.
"""

import os
from pathlib import Path
from urllib.parse import urljoin

from sphinx.errors import ConfigError

EDITIONS = {"en": "English", "ko": "한국어"}

# Theme labels that come from theme options rather than from message catalogs.
THEME_LABELS = {
    "en": {"toc_title": "Contents", "search_bar_text": "Search this site..."},
    "ko": {"toc_title": "목차", "search_bar_text": "사이트 검색..."},
}
# The authors as each edition names them (footer and copyright line).
AUTHORS = {"en": "the lstm-ref authors", "ko": "lstm-ref 저자들"}


def check_edition(app, config):
    edition = Path(app.srcdir).name
    if edition not in EDITIONS:
        raise ConfigError(f"source directory {app.srcdir}: expected docs/<edition> with an "
                          f"edition in {sorted(EDITIONS)}")
    if config.language != edition:
        raise ConfigError(f"language: expected {edition!r} for {app.srcdir} "
                          f"(pass -D language={edition}), got {config.language!r}")
    config.html_theme_options = {**config.html_theme_options, **THEME_LABELS[edition]}
    config.copyright = config.copyright.replace(config.author, AUTHORS[edition])
    config.author = AUTHORS[edition]
    config.html_baseurl = edition_base_url(config.html_baseurl, edition)
    config.ogp_site_url = config.html_baseurl


def edition_base_url(site_url, edition):
    """The URL of an edition's root: Read the Docs' canonical URL names the edition
    already (``/<language>/<version>/``); on one site each edition is a folder."""
    if os.environ.get("READTHEDOCS_CANONICAL_URL"):
        return site_url
    return site_url.rstrip("/") + f"/{edition}/"


def edition_links(pagename, current, rtd_version=None):
    """``(code, label, relative url, is_current)`` for every edition of ``pagename``.

    ``rtd_version`` is the Read the Docs version being built, if any.
    """
    to_edition_root = "../" * pagename.count("/")
    links = []
    for code, label in EDITIONS.items():
        if rtd_version:
            url = f"{to_edition_root}../../{code}/{rtd_version}/{pagename}.html"
        else:
            url = f"{to_edition_root}../{code}/{pagename}.html"
        links.append((code, label, url, code == current))
    return links


def add_edition_context(app, pagename, templatename, context, doctree):
    on_rtd = os.environ.get("READTHEDOCS") == "True"
    links = edition_links(pagename, app.config.language,
                          os.environ.get("READTHEDOCS_VERSION") if on_rtd else None)
    context["edition_links"] = links
    # Absolute alternate links, the page itself included, as search engines expect.
    page_url = urljoin(app.config.html_baseurl, app.builder.get_target_uri(pagename))
    context["metatags"] = context.get("metatags", "") + "".join(
        f'\n<link rel="alternate" hreflang="{code}" href="{urljoin(page_url, url)}">'
        for code, _, url, _ in links)


def setup(app):
    app.connect("config-inited", check_edition)
    app.connect("html-page-context", add_edition_context)
    app.connect("build-finished", complete_sitemap, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


def complete_sitemap(app, exception):
    """Put every page in sphinx-sitemap's list, not only those written by this build.

    sphinx-sitemap collects pages as they are written, so an incremental build's
    sitemap lists only the changed pages (sphinx-sitemap issue #13). Runs before
    its writer (priority 500); drop once the issue is fixed.
    """
    links = getattr(app, "sitemap_links", None)
    if exception or links is None:
        return
    written = {}
    while not links.empty():
        link, last_updated = links.get_nowait()
        written[link] = last_updated
    for docname in sorted(app.env.found_docs):
        written.setdefault(app.builder.get_target_uri(docname), None)
    for link, last_updated in sorted(written.items()):
        links.put((link, last_updated))
