// pydata-sphinx-theme.js sets up the theme's buttons, the page list's and the
// contents' dialogs and the contents' highlighting of the section in view. As a
// deferred script it runs before DOMContentLoaded, most often before the page
// has been drawn even once, and its first steps measure the page: where the
// page list's current link is (to scroll the list to it) and how tall the
// header is. Measured before the first frame, that lays out the whole page in
// the middle of the script, a forced layout that was one of a phone's longest
// tasks as the page loads. The layout template leaves the script unrun (a
// script of type text/plain, marked data-load-after-paint, preloaded in the
// head) and it is run here once the browser has painted the page, when the
// layout is done and the measurements cost nothing. A click on one of the
// buttons it sets up, or the search shortcut (Ctrl+K or ⌘K), made before it has
// run, is held and made again once it has.
//
// Run after the load event, the script would also start at once its own pass
// over the page's scrollable boxes (`addTabStopsToScrollableElements`), which
// it otherwise adds as a load listener: that pass lays out the sections not
// drawn yet too, and scroll-boxes.js does its job box by box. While the script
// runs, the document reads as not loaded yet and its load listener, its only
// one, is not added.
"use strict";
(() => {
  const held = document.querySelector('script[type="text/plain"][data-load-after-paint]');
  if (!held) return;
  const BUTTONS = [".primary-toggle", ".secondary-toggle", ".search-button__button",
                   ".theme-change-button"].join(", ");
  let clicked = null;
  let pressed = null;

  const holdClick = (event) => {
    const button = event.target.closest && event.target.closest(BUTTONS);
    if (button) {
      event.preventDefault();
      event.stopPropagation();
      clicked = button;
    }
  };

  const holdShortcut = (event) => {
    if ((event.ctrlKey || event.metaKey) && !event.shiftKey && !event.altKey
        && /^k$/i.test(event.key)) {
      event.preventDefault();
      pressed = {key: event.key, ctrlKey: event.ctrlKey, metaKey: event.metaKey};
    }
  };

  const addEventListener = window.addEventListener;
  const withoutLoadListener = function (type, listener, options) {
    if (type === "load" && document.currentScript === script) return undefined;
    return addEventListener.call(this, type, listener, options);
  };

  const script = document.createElement("script");
  script.src = held.getAttribute("src");
  const ran = (event) => {
    delete document.readyState;
    window.addEventListener = addEventListener;
    document.removeEventListener("click", holdClick, true);
    window.removeEventListener("keydown", holdShortcut, true);
    if (event.type !== "load") return;
    if (clicked) clicked.click();
    if (pressed) {
      window.dispatchEvent(new KeyboardEvent("keydown", {...pressed, bubbles: true, cancelable: true}));
    }
  };
  script.addEventListener("load", ran);
  script.addEventListener("error", ran);

  let started = false;
  const run = () => {
    if (started) return;
    started = true;
    Object.defineProperty(document, "readyState", {value: "interactive", configurable: true});
    window.addEventListener = withoutLoadListener;
    // Into the head, the placeholder left where it is: adding or removing a child of
    // the body makes Chromium restyle the whole body (rules such as `legend + *` and
    // `summary ~ *` depend on siblings), some 2,300 elements here, which the script's
    // first measurement then waits for.
    document.head.append(script);
  };

  document.addEventListener("click", holdClick, true);
  window.addEventListener("keydown", holdShortcut, true);
  if (PerformanceObserver.supportedEntryTypes.includes("paint")) {
    // The observer's callback is a task of its own, after the painted frame.
    new PerformanceObserver((list, observer) => {
      observer.disconnect();
      run();
    }).observe({type: "paint", buffered: true});
  } else {
    addEventListener.call(window, "load", run);
  }
})();
