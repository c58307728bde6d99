// Search snippets from the article's prose only: KaTeX's MathML copy (which
// carries the TeX source next to the rendered formula), the theme's buttons
// and the heading links are left out (see site_search.py).
"use strict";
Search.htmlToText = (htmlString, anchor) => {
  const page = new DOMParser().parseFromString(htmlString, "text/html");
  const article = page.querySelector("article.bd-article") || page.querySelector('[role="main"]');
  if (!article) return "";
  article
    .querySelectorAll(".headerlink, script, style, .katex-mathml, button, .copybtn")
    .forEach((element) => element.remove());
  const part = (anchor && article.querySelector(anchor)) || article;
  return part.textContent.replace(/[\s\u200b]+/g, " ").trim();
};
