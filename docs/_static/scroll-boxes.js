// A box that scrolls (a wide formula, table, code block or cell output) can be
// reached with the keyboard and scrolled with the arrow keys; a box that does
// not scroll is no tab stop.
//
// pydata-sphinx-theme does this for code blocks, cell outputs and tables
// (`addTabStopsToScrollableElements`, added by pydata-sphinx-theme pull requests
// #1777 and #1787) by measuring every such box at the load event: that lays out
// the whole page at once, sections a reader has not scrolled to included
// (site.css leaves those out of layout until they come near the screen), and was
// the page's longest task on a phone. Its pass is left out (see
// theme-after-paint.js) and this one measures each box when the browser lays
// the box out: once the page has been painted, a ResizeObserver reports a box
// when it is first drawn and whenever its size changes (a resized window), the
// boxes on screen are measured again when a font arrives, and all of them at a
// keyboard reader's first Tab. Started after the first paint, the observer's
// first report is not part of the page's first frame, the longest one.
"use strict";
(() => {
  const BOXES = [
    "pre",                               // code blocks
    ".cell_output .output",              // MyST-NB cell outputs
    ".pst-scrollable-table-container",   // tables
    ".katex-display",                    // display math
  ].join(", ");

  const scrolls = (box, style) =>
    (box.scrollWidth > box.clientWidth + 1 && /auto|scroll/.test(style.overflowX))
    || (box.scrollHeight > box.clientHeight + 1 && /auto|scroll/.test(style.overflowY));

  const drawn = new Set();
  const stops = new WeakSet();
  const update = (boxes) => {
    // Every box is measured first, then the tab stops are set: the page is laid
    // out once, not once per box.
    const found = boxes.map((box) => [box, scrolls(box, getComputedStyle(box))]);
    for (const [box, scrollable] of found) {
      if (scrollable && !box.hasAttribute("tabindex")) {
        box.tabIndex = 0;
        stops.add(box);
      } else if (!scrollable && stops.has(box)) {
        box.removeAttribute("tabindex");
        stops.delete(box);
      }
    }
  };

  const resized = new ResizeObserver((entries) => {
    const boxes = [];
    for (const entry of entries) {
      if (entry.contentRect.width > 0) {
        drawn.add(entry.target);
        boxes.push(entry.target);
      } else {
        drawn.delete(entry.target);
      }
    }
    update(boxes);
  });

  const observe = () => {
    for (const box of document.querySelectorAll(`.bd-article :is(${BOXES})`)) {
      resized.observe(box);
    }
    document.fonts.addEventListener("loadingdone", () => {
      requestAnimationFrame(() => update(
        [...drawn].filter((box) => box.checkVisibility({contentVisibilityAuto: true}))));
    });
  };
  if (PerformanceObserver.supportedEntryTypes.includes("paint")) {
    // The observer's callback is a task of its own, after the painted frame.
    new PerformanceObserver((list, observer) => {
      observer.disconnect();
      observe();
    }).observe({type: "paint", buffered: true});
  } else {
    document.addEventListener("DOMContentLoaded", observe);
  }

  // A keyboard reader may Tab into a section not drawn yet, past a box that was
  // never measured: at the first Tab every box is measured (the whole page is
  // laid out, once) before the focus moves.
  const measureAll = (event) => {
    if (event.key !== "Tab") return;
    document.removeEventListener("keydown", measureAll, true);
    update([...document.querySelectorAll(`.bd-article :is(${BOXES})`)]);
  };
  document.addEventListener("keydown", measureAll, true);
})();
