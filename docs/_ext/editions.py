"""The two editions of the site: language checks, the switcher, alternate links.

Each edition is built from ``docs/<language>/`` with ``-D language=<language>``.
Pages have the same names in both trees, so the same page in the other edition
is always at ``../<other>/<pagename>.html`` relative to the edition root.
"""

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


def edition_links(pagename, current):
    """``(code, label, relative url, is_current)`` for every edition of ``pagename``."""
    to_site_root = "../" * (pagename.count("/") + 1)
    return [(code, label, f"{to_site_root}{code}/{pagename}.html", code == current)
            for code, label in EDITIONS.items()]


def add_edition_context(app, pagename, templatename, context, doctree):
    links = edition_links(pagename, app.config.language)
    context["edition_links"] = links
    context["metatags"] = context.get("metatags", "") + "".join(
        f'\n<link rel="alternate" hreflang="{code}" href="{url}">'
        for code, _, url, current in links if not current)


def setup(app):
    app.connect("config-inited", check_edition)
    app.connect("html-page-context", add_edition_context)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
