"""An incremental build writes the search index that a build from nothing writes.

Sphinx (9.0) writes ``searchindex.js`` by loading the previous one, dropping the
pages it writes again and adding them anew. Two things of the previous index are
lost or kept on the way:

- the index entries (``indexentries``: what autodoc's ``index`` nodes add, one
  per documented object) are not in the loaded file's form and live only in the
  environment, which is saved before the pages are written; so every page not
  written again lost its entries (sphinx-doc/sphinx#12599);
- a word found only on a page that was written again, and is no longer on it,
  stayed in the index with an empty list of pages.

Here the entries of every page are kept beside the doctrees at the end of each
build and given back, in the order of the page names (the order in which a build
from nothing adds them), before the pages are written; and the index forgets a
word once no page has it.
"""

import pickle
from pathlib import Path

import sphinx.search

SAVED = "search-index-entries.pickle"


def restore_entries(app, builder):
    if builder.format != "html" or not getattr(builder, "search", False):
        return
    try:
        saved = pickle.loads(Path(builder.doctreedir, SAVED).read_bytes())
    except (OSError, EOFError, pickle.UnpicklingError):
        return
    entries = app.env._search_index_index_entries
    kept = {name: saved[name] for name in sorted(app.env.all_docs) if name in saved}
    entries.clear()
    entries.update(kept)


def save_entries(app, exception):
    indexer = getattr(app.builder, "indexer", None)
    if exception is not None or indexer is None:
        return
    saved = Path(app.builder.doctreedir, SAVED)
    temporary = saved.with_suffix(".tmp")
    temporary.write_bytes(pickle.dumps(dict(indexer._index_entries)))
    temporary.replace(saved)


def forget_words_of_no_page(prune):
    def prune_and_forget(self, docnames):
        prune(self, docnames)
        for mapping in (self._mapping, self._title_mapping):
            for word in [word for word, pages in mapping.items() if not pages]:
                del mapping[word]
    prune_and_forget.forgets_words = True
    return prune_and_forget


def setup(app):
    if not getattr(sphinx.search.IndexBuilder.prune, "forgets_words", False):
        sphinx.search.IndexBuilder.prune = forget_words_of_no_page(sphinx.search.IndexBuilder.prune)
    app.connect("write-started", restore_entries)
    app.connect("build-finished", save_entries)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
