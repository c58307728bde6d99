// pydata-sphinx-theme's bootstrap.js (Bootstrap and Popper, 81 KiB) draws the
// theme's dropdown menus (download, colour mode), its buttons' tooltips and the
// back-to-top button; none of them does anything before the reader does. Run
// as the page loads, it was one of a phone's longest tasks there. The layout
// template leaves it unloaded (a script of type text/plain, marked
// data-load-on-demand) and it is loaded here at the reader's first move: a
// pointer over or on the page, a key, a focus, a scroll. A dropdown toggle
// clicked before it has arrived opens once it has.
"use strict";
(() => {
  const FIRST_MOVES = ["pointerover", "pointerdown", "touchstart", "keydown", "focusin", "wheel", "scroll"];
  const TOGGLE = '[data-bs-toggle="dropdown"]';
  let clicked = null;

  const holdClick = (event) => {
    const toggle = event.target.closest && event.target.closest(TOGGLE);
    if (toggle) {
      event.preventDefault();
      event.stopPropagation();
      clicked = toggle;
    }
  };

  const load = () => {
    for (const type of FIRST_MOVES) window.removeEventListener(type, load, true);
    const held = document.querySelectorAll('script[type="text/plain"][data-load-on-demand]');
    for (const [index, placeholder] of held.entries()) {
      const script = document.createElement("script");
      script.src = placeholder.getAttribute("src");
      script.async = false;   // in document order
      if (index === held.length - 1) {
        script.addEventListener("load", () => {
          document.removeEventListener("click", holdClick, true);
          if (clicked && window.bootstrap) {
            window.bootstrap.Dropdown.getOrCreateInstance(clicked).toggle();
          }
        });
      }
      document.head.append(script);   // not in the body: see theme-after-paint.js
    }
    if (!held.length) document.removeEventListener("click", holdClick, true);
  };

  document.addEventListener("click", holdClick, true);
  for (const type of FIRST_MOVES) {
    window.addEventListener(type, load, {capture: true, passive: true});
  }
})();
