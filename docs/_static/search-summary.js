// Search snippets from the article's prose only (see site_search.py).
//
// Sphinx's searchtools.js takes a snippet from the text of the page's
// [role="main"] (or the result's section in it) after removing the elements it
// knows are not prose: heading links, scripts and styles. Its list has no hook,
// and the theme's [role="main"] also holds the page's buttons, so the page is
// first reduced here to its article, without what is not prose either:
// code (code cells, their outputs and every code block), KaTeX's MathML copy of
// each formula (which carries the TeX source next to the rendered one),
// tooltips, buttons and toggles, and anything Sphinx's index leaves out
// (class "no-search"). Sphinx's own function then does the rest.
"use strict";
(() => {
  const sphinxHtmlToText = Search.htmlToText;
  const NOT_PROSE = [
    "div.cell", "pre", "div.highlight", ".katex-mathml", "[role=tooltip]",
    "button", "summary", ".copybtn", ".no-search",
  ].join(", ");
  Search.htmlToText = (htmlString, anchor) => {
    const page = new DOMParser().parseFromString(htmlString, "text/html");
    const article = page.querySelector("article.bd-article");
    if (!article) return sphinxHtmlToText(htmlString, anchor);
    article.querySelectorAll(NOT_PROSE).forEach((element) => element.remove());
    const main = page.createElement("div");
    main.setAttribute("role", "main");
    main.append(article);
    return sphinxHtmlToText(main.outerHTML, anchor).replace(/[\s\u200b]+/g, " ").trim();
  };
})();
