"""The two editions of the site: language checks, the switcher, alternate links.

Each edition is built from ``docs/<language>/`` with ``-D language=<language>``.
Pages have the same names in both trees, so the same page in the other edition
is at ``../<other>/<pagename>.html`` from the edition's root on one site, and at
``../../<other>/<version>/<pagename>.html`` on Read the Docs, which serves each
language as a project of its own under ``/<language>/<version>/``.
"""

import os
from pathlib import Path

from sphinx.errors import ConfigError

EDITIONS = {"en": "English", "ko": "한국어"}

# Theme labels that come from theme options rather than from message catalogs.
THEME_LABELS = {
    "en": {"toc_title": "Contents"},
    "ko": {"toc_title": "목차"},
}


def check_edition(app, config):
    edition = Path(app.srcdir).name
    if edition not in EDITIONS:
        raise ConfigError(f"source directory {app.srcdir}: expected docs/<edition> with an "
                          f"edition in {sorted(EDITIONS)}")
    if config.language != edition:
        raise ConfigError(f"language: expected {edition!r} for {app.srcdir} "
                          f"(pass -D language={edition}), got {config.language!r}")
    config.html_theme_options = {**config.html_theme_options, **THEME_LABELS[edition]}


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
    context["metatags"] = context.get("metatags", "") + "".join(
        f'\n<link rel="alternate" hreflang="{code}" href="{url}">'
        for code, _, url, current in links if not current)


def setup(app):
    app.connect("config-inited", check_edition)
    app.connect("html-page-context", add_edition_context)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
