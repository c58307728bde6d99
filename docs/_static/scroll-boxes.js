// A box that scrolls sideways (a wide formula, table or cell output) can be
// reached with the keyboard and scrolled with the arrow keys. pydata-sphinx-theme
// does this for code blocks and tables only; here for every box that overflows.
"use strict";
window.addEventListener("load", () => {
  const boxes = ".katex-display, .pst-scrollable-table-container, .cell_output .output, .bd-article pre";
  for (const box of document.querySelectorAll(boxes)) {
    if (box.scrollWidth > box.clientWidth + 1 && !box.hasAttribute("tabindex")) {
      box.setAttribute("tabindex", "0");
    }
  }
});
