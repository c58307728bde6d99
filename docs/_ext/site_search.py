"""Search results that put the page about the words first, with clean, light snippets.

- ``_static/search-scorer.js`` (Sphinx's ``html_search_scorer``) ranks a page
  whose title holds every query word first, then pages with a heading that
  does, then the rest. Sphinx alone scores a word in any section title like one
  in the page title, and then orders ties by name.
- Snippets: Sphinx's searchtools.js fetches the whole HTML page of each result
  (``_displayItem``: ``contentRoot + docName + FILE_SUFFIX``) and cuts its
  snippet from the text of ``[role="main"]``; a search that finds most pages
  loads the whole site, and the text holds code, KaTeX's TeX source and the
  theme's buttons. Here each page's prose is written at build time next to the
  page, as ``<page>.prose.txt``: a small HTML fragment with the article's
  sections (their ids kept, for results that point at a section) and their text
  only, without code cells, code blocks, KaTeX's MathML copy, tooltips, buttons
  or toggles, and without what Sphinx's index leaves out (class ``no-search``).
  ``_static/search-summary.js``, on the search page only, points Sphinx's
  request at those files and fills in every snippet before its result is
  shown, so nothing moves while the results arrive. (Sphinx has no setting for
  where snippets come from; see sphinx-doc/sphinx#11943 on its summaries.)
- The search page leaves out the stylesheets and scripts that only articles
  use (math, notebook cells, code highlighting, copy buttons).

Both editions use them; the Korean splitting of words is korean_search.py's.
"""

import html
from html.parser import HTMLParser
from pathlib import Path

STATIC = Path(__file__).resolve().parents[1] / "_static"
PROSE_SUFFIX = ".prose.txt"

# Elements that are not prose, left out with all they hold: by tag, by class, by role.
NOT_PROSE_TAGS = {"script", "style", "pre", "button", "summary", "template", "noscript"}
NOT_PROSE_CLASSES = {"cell", "highlight", "katex-mathml", "copybtn", "no-search", "headerlink"}
NOT_PROSE_ROLES = {"tooltip"}
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
             "source", "track", "wbr"}
INLINE_TAGS = {"a", "abbr", "b", "cite", "code", "em", "i", "kbd", "mark", "math", "q", "s",
               "samp", "small", "span", "strong", "sub", "sup", "svg", "u", "var"}

# Stylesheets and scripts only an article uses; the search page shows none of it.
ARTICLE_ONLY_ASSETS = ("katex", "mystnb", "pygments.css", "copybutton", "clipboard", "claims.css")


class ProseExtractor(HTMLParser):
    """The prose of a page body as a small HTML fragment (see the module's docstring).

    Elements with an ``id`` are kept as ``<div id=...>`` around their text, so
    ``[role="main"] #id`` finds a section as in the page; every other element
    gives only its text, with a space where a block begins or ends.
    """

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = []
        self.stack = []  # (tag, skipped, kept as a div)
        self.skipping = 0

    @staticmethod
    def _not_prose(tag, attrs):
        classes = set((attrs.get("class") or "").split())
        return (tag in NOT_PROSE_TAGS or bool(classes & NOT_PROSE_CLASSES)
                or attrs.get("role") in NOT_PROSE_ROLES)

    def handle_starttag(self, tag, attrs):
        if tag in VOID_TAGS:
            if tag == "br" and not self.skipping:
                self.out.append(" ")
            return
        attrs = dict(attrs)
        skip = self._not_prose(tag, attrs)
        kept = not (skip or self.skipping) and bool(attrs.get("id"))
        self.stack.append((tag, skip, kept))
        if skip:
            self.skipping += 1
        elif not self.skipping:
            if kept:
                self.out.append(f'<div id="{html.escape(attrs["id"])}">')
            elif tag not in INLINE_TAGS:
                self.out.append(" ")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag not in (open_tag for open_tag, _, _ in self.stack):
            return  # a stray end tag, or one whose element HTML closed already
        while self.stack:
            open_tag, skip, kept = self.stack.pop()
            if skip:
                self.skipping -= 1
            elif not self.skipping:
                if kept:
                    self.out.append("</div>")
                elif open_tag not in INLINE_TAGS:
                    self.out.append(" ")
            if open_tag == tag:
                break

    def handle_data(self, data):
        if not self.skipping:
            self.out.append(html.escape(data, quote=False))

    def fragment(self):
        text = " ".join("".join(self.out).replace("\u200b", " ").split())
        return f'<div role="main">{text}</div>'


def prose_of(body):
    """The prose fragment of a page body (Sphinx's rendered ``body``)."""
    parser = ProseExtractor()
    parser.feed(body)
    parser.close()
    return parser.fragment()


def use_scorer(app, config):
    config.html_search_scorer = str(STATIC / "search-scorer.js")


def write_prose(app, pagename, templatename, context, doctree):
    """Next to every page written, its prose for the search page's snippets."""
    if doctree is None or "body" not in context or app.builder.format != "html":
        return
    path = Path(app.outdir, pagename + PROSE_SUFFIX)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(prose_of(context["body"]), encoding="utf-8")


def lighten_search_page(app, pagename, templatename, context, doctree):
    """The search page: its snippet script, and none of the articles' assets."""
    if pagename != "search":
        return
    app.add_js_file("search-summary.js", defer="defer")
    uses = lambda asset: not any(name in str(asset.filename) for name in ARTICLE_ONLY_ASSETS)  # noqa: E731
    context["css_files"] = [asset for asset in context["css_files"] if uses(asset)]
    context["script_files"] = [asset for asset in context["script_files"] if uses(asset)]


def pages_without_prose(app, env, added, changed, removed):
    """Pages whose prose file is missing (a build from before it existed): read and written again."""
    outdir = Path(app.outdir)
    return [name for name in env.found_docs
            if name not in added | changed and not (outdir / (name + PROSE_SUFFIX)).is_file()]


def remove_stale_prose(app, exception):
    """Prose files of pages the project no longer has."""
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    for path in outdir.rglob("*" + PROSE_SUFFIX):
        name = path.relative_to(outdir).as_posix().removesuffix(PROSE_SUFFIX)
        if name not in app.env.found_docs:
            path.unlink()


def setup(app):
    app.connect("config-inited", use_scorer)
    app.connect("env-get-outdated", pages_without_prose)
    app.connect("html-page-context", write_prose)
    # Last, so that assets other extensions add to the page are seen too.
    app.connect("html-page-context", lighten_search_page, priority=900)
    app.connect("build-finished", remove_stale_prose)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
