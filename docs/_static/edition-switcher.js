// The language switcher keeps what the reader was looking at: the search (?q=,
// ?highlight=) and the section. Section ids differ between the editions (they
// come from the headings' words), so the section is carried as its position
// among the page's sections and looked up on the other edition's page.
"use strict";
(() => {
  const KEY = "lstm-ref:section";
  const sections = () => [...document.querySelectorAll("article.bd-article section[id]")];

  document.addEventListener("click", (event) => {
    const link = event.target.closest(".edition-switcher a[hreflang]");
    if (!link) return;
    const target = new URL(link.href);
    target.search = window.location.search;
    const id = decodeURIComponent(window.location.hash.slice(1));
    const anchor = id && document.getElementById(id);
    const section = anchor && anchor.closest("section[id]");
    if (section) {
      sessionStorage.setItem(KEY, String(sections().indexOf(section)));
      target.hash = window.location.hash;
    }
    event.preventDefault();
    window.location.assign(target.href);
  });

  // On arrival: a section id this edition does not have is found by position.
  document.addEventListener("DOMContentLoaded", () => {
    const position = sessionStorage.getItem(KEY);
    sessionStorage.removeItem(KEY);
    const id = decodeURIComponent(window.location.hash.slice(1));
    if (position === null || !id || document.getElementById(id)) return;
    const section = sections()[Number(position)];
    if (section) {
      history.replaceState(null, "", `#${section.id}`);
      section.scrollIntoView();
    }
  });
})();
