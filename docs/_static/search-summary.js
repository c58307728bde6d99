// Search snippets from each page's prose, fetched small, shown with their
// result (see site_search.py).
//
// Sphinx's searchtools.js fetches the whole HTML page of every result and adds
// its snippet whenever that arrives, after the result is listed, so the list
// below it moves. Here Sphinx's own fetch is switched off
// (DOCUMENTATION_OPTIONS.SHOW_SEARCH_SUMMARY), the prose of the pages found
// (<page>.prose.txt, written by the build: the article's text with its section
// ids, without code, TeX source, tooltips or buttons) is fetched before the
// results are listed, and each result gets its snippet from Sphinx's own
// Search.makeSearchSummary as it is added to the list, before it is drawn.
// The result count is written before the list too, for the same reason, and
// the list is marked aria-busy until its last result is in.
"use strict";
(() => {
  const PROSE_SUFFIX = ".prose.txt";
  const options = DOCUMENTATION_OPTIONS;
  options.SHOW_SEARCH_SUMMARY = false;
  const contentRoot = document.documentElement.dataset.content_root;
  const prose = new Map();

  const loadProse = (docName) => fetch(contentRoot + docName + PROSE_SUFFIX)
    .then((response) => (response.ok ? response.text() : ""))
    .catch(() => "")
    .then((text) => prose.set(docName, text));

  // A listed result's page and anchor, from its link (docName + LINK_SUFFIX + anchor).
  const target = (link) => {
    const [path, hash] = link.getAttribute("href").split("#");
    const docName = path.endsWith(options.LINK_SUFFIX)
      ? path.slice(0, path.length - options.LINK_SUFFIX.length) : path;
    return [docName, hash === undefined ? "" : `#${hash}`];
  };

  const addSnippet = (item, searchTerms, highlightTerms) => {
    const link = item.querySelector("a");
    // Sphinx shows a description instead of a snippet for API objects.
    if (!link || item.querySelector(":scope > span")) return;
    const [docName, anchor] = target(link);
    const text = prose.get(docName);
    if (!text) return;
    const summary = Search.makeSearchSummary(text, searchTerms, anchor);
    if (!summary) return;
    item.appendChild(summary);
    if (typeof SPHINX_HIGHLIGHT_ENABLED !== "undefined" && SPHINX_HIGHLIGHT_ENABLED) {
      highlightTerms.forEach((term) => _highlightText(item, term, "highlighted"));
    }
  };

  const sphinxQuery = Search.query;
  Search.query = (query) => {
    const parsed = Search._parseQuery(query);
    const [, searchTerms, , highlightTerms] = parsed;
    const results = Search._performSearch(...parsed);
    const pages = new Set(results.filter(([, , , descr]) => !descr).map(([docName]) => docName));
    const list = Search.output;
    if (results.length) list.setAttribute("aria-busy", "true");
    Promise.all([...pages].map(loadProse)).then(() => {
      // Mutation observers run before the page is drawn again.
      new MutationObserver((records) => {
        records.forEach((record) => record.addedNodes.forEach(
          (node) => node.nodeName === "LI" && addSnippet(node, searchTerms, highlightTerms),
        ));
        if (list.children.length >= results.length) list.removeAttribute("aria-busy");
      }).observe(list, { childList: true });
      _finishSearch(results.length);
      sphinxQuery(query);
    });
  };
})();
