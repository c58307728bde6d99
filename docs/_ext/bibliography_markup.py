"""The references as a list that assistive technology reads right, each work in its language.

- **List items.** docutils writes the citations of a bibliography as
  ``<div role="list">`` around ``<div role="doc-biblioentry">`` entries. DPUB-ARIA
  1.1 deprecated ``doc-biblioentry`` because it is not a list item
  (w3c/dpub-aria#22), so the list has no items for a screen reader and axe-core
  reports ``aria-required-children`` (critical); dequelabs/axe-core#3253 records
  that axe keeps flagging it. docutils 0.23 still writes the old role
  (``visit_citation`` in ``docutils/writers/_html_base.py``); this writes each
  entry as ``role="listitem"``, as the deprecation note asks. Drop it once docutils
  does the same.
- **Language.** A bibliographic entry is in the language of the work it names: an
  English paper's entry, and the tooltip of each citation of it (sphinxcontrib-bibtex
  puts the whole entry in the link's ``title``), stay English in the Korean
  edition. Both are marked with ``lang`` (docutils writes ``lang`` for a
  ``language-<code>`` class) when the work's language is not the page's. The
  language is the entry's ``langid`` or ``language`` field, else
  ``bibliography_default_language`` ("en").
"""

import re

from docutils import nodes
from sphinx.writers.html5 import HTML5Translator

# biblatex's language names (langid) of the languages a work here may be in.
LANGUAGE_NAMES = {"english": "en", "american": "en", "british": "en", "korean": "ko",
                  "german": "de", "ngerman": "de", "french": "fr", "japanese": "ja",
                  "chinese": "zh"}


def visit_citation(self, node):
    if not isinstance(node.previous_sibling(), type(node)):
        self.body.append('<div role="list" class="citation-list">\n')
    self.body.append(self.starttag(node, "div", classes=[node.tagname], role="listitem"))


def work_language(entry, default):
    """The BCP 47 code of the language of a pybtex entry's work."""
    value = (entry.fields.get("langid") or entry.fields.get("language") or "").strip().lower()
    if re.fullmatch(r"[a-z]{2,3}(-[a-z0-9]+)*", value):
        return value
    return LANGUAGE_NAMES.get(value, default)


def mark_languages(app, doctree, docname):
    if app.builder.format != "html":
        return
    domain = app.env.get_domain("cite")
    page_language = app.config.language
    default = app.config.bibliography_default_language
    entries = {}  # the link to a citation, as written on this page -> the work's language
    own = {}      # the id of a citation on this page -> the work's language
    for citation in domain.citations:
        language = work_language(citation.entry, default)
        where = citation.bibliography_key.docname
        if where == docname:
            own[citation.citation_id] = language
            entries["#" + citation.citation_id] = language
        else:
            uri = app.builder.get_relative_uri(docname, where)
            entries[f"{uri}#{citation.citation_id}"] = language
    marks = []
    for group in doctree.findall(nodes.inline):
        if "bibtex-citation" not in group["classes"]:
            continue
        for reference in group.findall(nodes.reference):
            target = reference.get("refuri") or "#" + reference.get("refid", "")
            marks.append((reference, entries.get(target)))
    marks += [(citation, own.get(citation["ids"][0]))
              for citation in doctree.findall(nodes.citation) if citation["ids"]]
    for node, language in marks:
        if language and language != page_language:
            node["classes"].append(f"language-{language}")


def setup(app):
    app.setup_extension("sphinxcontrib.bibtex")
    app.add_config_value("bibliography_default_language", "en", "env", types=(str,))
    app.add_node(nodes.citation, override=True,
                 html=(visit_citation, HTML5Translator.depart_citation))
    app.connect("doctree-resolved", mark_languages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
