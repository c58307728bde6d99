"""Search results that put the page about the words first, with clean snippets.

- ``_static/search-scorer.js`` (Sphinx's ``html_search_scorer``) ranks a page
  whose title holds every query word first, then pages with a heading that
  does, then the rest. Sphinx alone scores a word in any section title like one
  in the page title, and then orders ties by name.
- ``_static/search-summary.js``, on the search page only, takes each snippet
  from the article's text without KaTeX's MathML copy (which carries the TeX
  source) and without the theme's buttons.

Both editions use them; the Korean splitting of words is korean_search.py's.
"""

from pathlib import Path

STATIC = Path(__file__).resolve().parents[1] / "_static"


def use_scorer(app, config):
    config.html_search_scorer = str(STATIC / "search-scorer.js")


def add_summary_script(app, pagename, templatename, context, doctree):
    if pagename == "search":
        app.add_js_file("search-summary.js", defer="defer")


def setup(app):
    app.connect("config-inited", use_scorer)
    app.connect("html-page-context", add_summary_script)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
