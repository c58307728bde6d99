"""What a reader sees, in a real browser (headless Chromium, driven by Playwright).

Every page of both editions is opened once at a phone width (390 px) and once
at a desktop width (1366 px), in one tab per width with the HTTP cache off (so
each page costs what it costs a fresh browser); the two widths are visited at
the same time, each by a browser of its own. What each visit finds is kept and
the tests below judge it. The other tests share one browser for the module.

Skipped with a reason where no Chromium is installed; CI installs it and sets
LSTM_REF_REQUIRE_BROWSER=1, which turns that skip into a failure.
LSTM_REF_CHROMIUM names another Chromium-based browser to use.
"""

import concurrent.futures
import itertools
import json
import os
import re
from urllib.parse import quote, urlparse

import pytest
from page_metrics import (
    CHROMIUM,
    CHROMIUM_ARGS,
    MAX_CLS,
    MAX_GZIP_BYTES,
    MAX_RAW_BYTES,
    SETTLED,
    MeteredPage,
)
from test_search import code_lines, page_parts, run_search

from site_build import EDITIONS, page_names

if CHROMIUM is None:
    if os.environ.get("LSTM_REF_REQUIRE_BROWSER"):
        pytest.fail("LSTM_REF_REQUIRE_BROWSER is set but no chromium is installed "
                    "(apt-get install chromium)", pytrace=False)
    pytest.skip("no chromium on PATH (apt-get install chromium): browser tests skipped",
                allow_module_level=True)

playwright = pytest.importorskip("playwright.sync_api")
axe_playwright = pytest.importorskip("axe_playwright_python.sync_playwright")

WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}
SEARCH_QUERY = {"en": "forget gate", "ko": "망각 게이트"}
HANGUL = re.compile("[\uac00-\ud7a3]")


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def html_pages(site, edition):
    """Every page Sphinx wrote (the theme's own files under _static are not pages)."""
    root = site / edition
    return sorted(str(p.relative_to(root)) for p in root.rglob("*.html")
                  if not p.relative_to(root).parts[0].startswith("_"))


# Elements whose box pokes out of the article, or whose content is clipped by an
# `overflow: hidden` box, outside any box that scrolls sideways.
CUT_CONTENT = """() => {
  const article = document.querySelector("article.bd-article");
  if (!article) return [];
  const right = article.getBoundingClientRect().right + 1;
  const scrolls = (el) => ["auto", "scroll"].includes(getComputedStyle(el).overflowX);
  const inScroller = (el) => {
    for (let a = el.parentElement; a && a !== article; a = a.parentElement) if (scrolls(a)) return true;
    return false;
  };
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + (el.className && el.className.baseVal === undefined
       ? "." + el.className.trim().split(/\\s+/).join(".") : "")
    + ": " + (el.textContent || "").trim().slice(0, 60);
  const found = [];
  for (const el of article.querySelectorAll("*")) {
    if (found.some((f) => f.el.contains(el)) || el.closest(".katex")) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    const style = getComputedStyle(el);
    // (inline math boxes clip a pixel or two of KaTeX's struts; that is not content)
    if (["hidden", "clip"].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 3) {
      found.push({el, why: `clipped (${el.scrollWidth} px in ${el.clientWidth} px)`});
    } else if (box.right > right && !inScroller(el)) {
      found.push({el, why: `sticks out by ${Math.round(box.right - right)} px`});
    }
  }
  return found.map((f) => `${f.why}: ${name(f.el)}`);
}"""

# Every image of the article: its alt text, and the caption of its figure.
IMAGES = """() => [...document.querySelectorAll("article.bd-article img")].map((img) => {
  const figure = img.closest("figure");
  const caption = figure && figure.querySelector("figcaption");
  return {src: img.getAttribute("src"), alt: img.getAttribute("alt") || "",
          caption: caption ? caption.textContent.trim() : "",
          number: caption ? (caption.querySelector(".caption-number") || {}).textContent || "" : "",
          loaded: img.complete && img.naturalWidth > 0};
})"""

# The strings of the page's interface: text outside the article (sidebars, header,
# footer, dialogs, search results), and the labels, tooltips and placeholders of
# every element, the article's buttons, toggles and heading links included. Code,
# key caps, math and text marked as another language (lang="en") are not
# interface; nor is the title of a cross-reference to an API object, which is the
# object's full name: the title of a link that shows only code, or whose title is
# the (qualified) name it shows (lstm_ref.GRUStep for GRUStep).
UI_STRINGS = """() => {
  const otherLanguage = (el) => {
    const marked = el.closest("[lang]");
    return marked && marked.lang !== document.documentElement.lang;
  };
  const codeLink = (el) => el.matches("a") && ((el.children.length === 1
      && el.firstElementChild.matches("code")
      && el.textContent.trim() === el.firstElementChild.textContent.trim())
    || (/^[\\w.]+$/.test(el.textContent.trim())
      && ("." + el.title.trim()).endsWith("." + el.textContent.trim())));
  const skip = (el) => otherLanguage(el) || codeLink(el)
    || el.closest("code, kbd, pre, .katex, script, style, noscript, .onlyprint, #jb-print-docs-body");
  const visible = (el) => el.getClientRects().length > 0
    || el.closest("dialog, .dropdown-menu, #pst-primary-sidebar, #pst-secondary-sidebar");
  const strings = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    const text = node.textContent.trim();
    if (!text || skip(el)) continue;
    const inArticle = el.closest("article.bd-article");
    if (inArticle && !el.closest("button, summary, .headerlink, .copybtn")) continue;
    if (visible(el)) strings.push(`text: ${text}`);
  }
  const labelled = "[title], [aria-label], [placeholder], [data-tooltip], [data-bs-original-title]";
  for (const el of document.querySelectorAll(labelled)) {
    if (skip(el)) continue;
    for (const attr of ["title", "aria-label", "placeholder", "data-tooltip", "data-bs-original-title"]) {
      const value = (el.getAttribute(attr) || "").trim();
      if (value) strings.push(`${attr}: ${value}`);
    }
  }
  for (const title of document.querySelectorAll("svg title")) {
    if (!skip(title)) strings.push(`svg title: ${title.textContent.trim()}`);
  }
  return strings;
}"""

COPYABLE_CODE = "div.cell_input div.highlight pre, div.highlight-python pre, div.highlight-default pre"


def latin_only(string, names):
    """Whether an interface string is in Latin letters only: English left in Korean."""
    value = string.split(": ", 1)[1]
    if re.fullmatch(r"\.\w+", value):  # a file type (.md, .pdf) is a name, not a word
        return False
    for name in names:
        value = value.replace(name, "")
    return bool(re.search("[A-Za-z]{2,}", value)) and not HANGUL.search(value)


def real_alt_text(alt, src, edition):
    """Alt text that says something: words, not a file name or a hash, in the edition's language."""
    name = src.rsplit("/", 1)[-1]
    if not alt or alt == name or re.fullmatch(r"[\w./-]+\.(png|svg|jpe?g|gif|webp)", alt):
        return False
    if re.fullmatch(r"[0-9a-f]{16,}", alt) or len(alt.split()) < 3:
        return False
    return edition != "ko" or bool(HANGUL.search(alt))


def page_url(server, edition, name):
    url = f"{server}/{edition}/{name}"
    if name == "search.html":
        url += "?q=" + quote(SEARCH_QUERY[edition])
    return url


# What a visit measures of the page itself, in one call.
FINDINGS = f"""() => ({{
  overflow: document.documentElement.scrollWidth - window.innerWidth,
  cut: ({CUT_CONTENT})(),
  images: ({IMAGES})(),
  ui_strings: ({UI_STRINGS})(),
  code_blocks: document.querySelectorAll({json.dumps(COPYABLE_CODE)}).length,
  copy_buttons: document.querySelectorAll("button.copybtn").length,
  lang: document.documentElement.lang,
}})"""

# Text that axe's color-contrast rule would judge from exactly the same inputs as
# an element already checked is checked once. The rule's outcome for a text element
# depends only on its colour, font size and weight, text shadow and stroke, whether
# it is disabled, and the colours behind it; axe spends most of its time (about
# 7 ms an element, 80 % of the pass) on the thousands of syntax-highlighting spans
# of code blocks, which differ only in colour. An element is left to a first one
# of the same look when, besides that look, it has the same background: the
# nearest ancestor (or itself) with a background, known by its colour when that is
# opaque, with every element on the way static, transparent, fully opaque and
# unfiltered, no pseudo-element with a background or a position on the way, and no
# positioned or floating element (or positioned pseudo-element's containing block)
# over it; the first one is shown and not clipped, so axe does check it. Such
# elements are marked data-contrast-as="<index of the first one>" and the rule's
# selector leaves them out; every other rule, and the rule for every other element,
# runs as before. test_contrast_is_judged_once_per_look proves the marks on pages
# made to fail.
SAME_CONTRAST_INPUTS = r"""() => {
  // Read for every element: whether it is positioned or floats, and whether a ::before or
  // ::after of it is drawn with a background or a position. The rest (its look, its own
  // background, whether it is neutral) is read only for the elements whose text is judged
  // and the ancestors on the way to their background.
  const styles = new Map();
  const style = (el) => {
    let s = styles.get(el);
    if (!s) {
      const c = getComputedStyle(el);
      s = {c, positioned: c.position !== "static" || c.float !== "none", plainPseudos: true};
      for (const which of ["::before", "::after"]) {
        const p = getComputedStyle(el, which);
        if (p.content !== "none" && p.content !== "normal"
            && !(p.backgroundColor === "rgba(0, 0, 0, 0)" && p.backgroundImage === "none"
                 && p.position === "static" && p.float === "none")) s.plainPseudos = false;
      }
      styles.set(el, s);
    }
    return s;
  };
  const details = (el) => {
    const s = style(el);
    if (s.look === undefined) {
      const c = s.c;
      s.clear = c.backgroundColor === "rgba(0, 0, 0, 0)" && c.backgroundImage === "none";
      s.opaque = /^rgb\(/.test(c.backgroundColor) && c.backgroundImage === "none";
      s.background = c.backgroundColor;
      s.neutral = c.opacity === "1" && c.filter === "none" && c.mixBlendMode === "normal"
        && !s.positioned && c.transform === "none"
        && c.visibility === "visible" && c.backdropFilter === "none";
      s.look = [c.color, c.fontSize, c.fontWeight, c.textShadow, c.webkitTextStrokeWidth].join("|");
    }
    return s;
  };
  const containingBlock = (el) => {
    for (let a = el; a; a = a.parentElement) if (style(a).positioned) return a;
    return null;
  };
  // What may be drawn over text: every positioned or floating element that has a box, and
  // the containing block of every drawn pseudo-element; each once, by its box.
  const elements = [...document.body.querySelectorAll("*")];
  const overlays = new Map();
  for (const el of elements) {
    const s = style(el);
    if (s.positioned && !overlays.has(el) && el.getClientRects().length > 0) {
      overlays.set(el, el.getBoundingClientRect());
    }
    if (!s.plainPseudos) {
      const block = containingBlock(el);
      // A drawn pseudo-element with no positioned ancestor may lie over any text: none is left out.
      if (!block) return 0;
      if (!overlays.has(block)) overlays.set(block, block.getBoundingClientRect());
    }
  }
  // The overlays by the bands of 256 px of height they cross: text can only meet those of
  // its own bands.
  const BAND = 256;
  const bands = new Map();
  const bandsOf = (r) => {
    const out = [];
    for (let k = Math.floor(r.top / BAND); k <= Math.floor(r.bottom / BAND); k++) out.push(k);
    return out;
  };
  for (const [o, r] of overlays) {
    for (const k of bandsOf(r)) {
      if (!bands.has(k)) bands.set(k, []);
      bands.get(k).push([o, r]);
    }
  }
  const meets = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  const covered = (el, box) => bandsOf(box).some((k) => (bands.get(k) || []).some(
    ([o, r]) => meets(box, r) && !o.contains(el) && !el.contains(o)));
  const hasText = (el) => {
    for (let n = el.firstChild; n; n = n.nextSibling) {
      if (n.nodeType === 3 && n.textContent.trim()) return true;
    }
    return false;
  };
  const whole = (el, box) => {
    for (let a = el.parentElement; a; a = a.parentElement) {
      if (getComputedStyle(a).overflow === "visible") continue;
      const r = a.getBoundingClientRect();
      if (box.left < r.left || box.right > r.right || box.top < r.top || box.bottom > r.bottom) return false;
    }
    return true;
  };
  const backgroundIds = new Map();
  const first = new Map();
  const marks = [];
  elements.forEach((el, index) => {
    if (!hasText(el)) return;
    let background = null;
    for (let a = el; a; a = a.parentElement) {
      const s = style(a);
      if (!s.plainPseudos) break;
      if (!details(a).clear) { background = a; break; }
      if (!s.neutral) break;
    }
    if (!background) return;
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height) return;
    if (covered(el, box)) return;
    // An opaque background is known by its colour; any other by the element itself.
    const b = details(background);
    if (!b.opaque && !backgroundIds.has(background)) backgroundIds.set(background, backgroundIds.size);
    const disabled = el.closest(":disabled, [aria-disabled=true], [inert]") !== null;
    const key = `${b.opaque ? b.background : backgroundIds.get(background)}|${details(el).look}|${disabled}`;
    if (!first.has(key)) {
      // The one checked is one axe checks: shown (not transparent, not hidden) and whole.
      const shown = el.checkVisibility({opacityProperty: true, visibilityProperty: true});
      if (shown && whole(el, box)) first.set(key, index);
    } else {
      marks.push([el, first.get(key)]);
    }
  });
  for (const [el, as] of marks) el.setAttribute("data-contrast-as", as);
  return marks.length;
}"""

# Sections not yet scrolled to are not drawn (content-visibility, site.css), and
# axe misjudges the colours of what is not drawn (dequelabs/axe-core#2768): every
# section is drawn first, and axe starts two frames later, once the page's own
# scripts have seen them drawn (scroll-boxes.js makes the boxes that scroll tab stops).
DRAW_EVERY_SECTION = """() => {
  document.head.insertAdjacentHTML("beforeend",
    "<style>.bd-article section { content-visibility: visible !important; }</style>");
  return new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
}"""

# Starts axe-core (injected into the page first) without waiting for it; AXE_RESULT
# then waits for its violations. KaTeX's visual copy of each formula is aria-hidden
# (readers get its MathML); leaving its thousands of spans out keeps axe quick.
AXE_START = f"""() => {{
  ({SAME_CONTRAST_INPUTS})();
  axe.configure({{rules: [{{id: "color-contrast", selector: "*:not([data-contrast-as])"}}]}});
  window.__axeViolations = axe.run({{exclude: [[".katex-html"]]}}, {{resultTypes: ["violations"]}})
    .then((results) => results.violations.map((v) => ({{
      id: v.id, impact: v.impact, targets: v.nodes.slice(0, 3).map((node) => node.target)}})));
}}"""
AXE_RESULT = "() => window.__axeViolations"

# axe leaves out KaTeX's visual copy of each formula (above), so the formulas'
# colours are checked here, with axe-core's own colour functions (loaded with it):
# every colour of text inside a visible formula, over the formula's background
# (the page's backgrounds from the nearest opaque one down to the formula), at
# WCAG's 4.5:1, or 3:1 for large text, as axe's color-contrast rule judges text.
# Each look (colour, background, size class) is judged once; returns how many
# looks were judged and those below the ratio.
FAINT_MATH = """() => {
  const {Color, getContrast, flattenColors} = axe.commons.color;
  const parse = (css) => { const c = new Color(); c.parseString(css); return c; };
  const behind = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c.alpha > 0) { layers.push(c); if (c.alpha >= 1) break; }
    }
    return layers.reverse().reduce((bg, c) => flattenColors(c, bg), parse("rgb(255, 255, 255)"));
  };
  const judged = new Map();
  for (const root of document.querySelectorAll(".katex-html")) {
    if (!root.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
    const bg = behind(root);
    for (const el of [root, ...root.querySelectorAll("*")]) {
      if (![...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.data.trim())) continue;
      const style = getComputedStyle(el);
      const px = parseFloat(style.fontSize);
      const large = px >= 24 || (px >= 18.66 && parseInt(style.fontWeight, 10) >= 700);
      const key = [style.color, bg.toHexString(), large].join(" ");
      if (judged.has(key)) continue;
      const ratio = getContrast(bg, flattenColors(parse(style.color), bg));
      const text = el.textContent.trim().slice(0, 20);
      judged.set(key, ratio < (large ? 3 : 4.5)
        ? `${text}: ${style.color} on ${bg.toHexString()}, ${ratio.toFixed(2)}:1` : null);
    }
  }
  return {judged: judged.size, faint: [...judged.values()].filter(Boolean).slice(0, 3)};
}"""


# The search page lists its results after it loads: its count first, then the
# results one by one with their snippets, the list marked aria-busy until the
# last is in (docs/_static/search-summary.js).
SEARCH_DONE = "#search-results:has(.search-summary:not(:empty)) ul.search:not([aria-busy])"


def wait_for_search(page, timeout=15000):
    page.locator(SEARCH_DONE).wait_for(state="attached", timeout=timeout)


def serious(violations):
    return [f"{v['id']} ({v['impact']}): "
            + "; ".join(t[0] if isinstance(t[0], str) else str(t) for t in v["targets"])
            for v in violations if v["impact"] in ("serious", "critical")]


# What the previous page left in the origin's storage, which a fresh browser does not
# have: the search page leaves its words for Sphinx's highlighting (sphinx_highlight.js),
# which adds a "hide search matches" link to the top of the next page opened, and that
# page's layout shift would then depend on the order of the visits.
FORGET_STORAGE = """() => {
  if (location.protocol.startsWith("http")) { localStorage.clear(); sessionStorage.clear(); }
}"""


def visit_at_width(width, pages, server):
    """What each of ``pages`` ([(edition, page)]) showed at ``width``: {(width, edition, page): findings}.

    One browser of its own (Playwright's sync API is one instance per thread) and
    one tab, in which each page is opened (with the HTTP cache off and the origin's
    storage empty, as by a fresh browser), measured, then checked by axe-core.
    """
    axe_script = axe_playwright.Axe().axe_script
    found = {}
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            metered = MeteredPage(browser.new_context(viewport=WIDTHS[width]))
            page = metered.page
            errors = []
            page.on("console", lambda m: m.type == "error" and errors.append(m.text))
            page.on("pageerror", lambda e: errors.append(str(e)))
            for edition, name in pages:
                errors.clear()
                page.evaluate(FORGET_STORAGE)
                load = metered.open(page_url(server, edition, name))
                if name == "search.html":
                    wait_for_search(page)
                findings = {"load": load, **page.evaluate(FINDINGS), "console_errors": list(errors)}
                page.evaluate(DRAW_EVERY_SECTION)
                page.evaluate(axe_script)
                page.evaluate(AXE_START)
                findings["serious"] = serious(page.evaluate(AXE_RESULT))
                findings["math_contrast"] = page.evaluate(FAINT_MATH)
                found[(width, edition, name)] = findings
        finally:
            browser.close()
    return found


@pytest.fixture(scope="module")
def visits(site, server):
    """What every page showed at each width: {(width, edition, page): findings}.

    The widths are visited at the same time, each in its own thread and browser.
    A page's load, its measures and axe-core's check (which holds the page's main
    thread until it is done) each keep one renderer busy: one tab at a time left
    a core of two idle. With one browser per width, each page still loads with a
    core to itself, as when the widths took turns, so what it weighs and how its
    layout shifts are measured as before.
    """
    pages = [(edition, name) for edition in EDITIONS for name in html_pages(site, edition)]
    with concurrent.futures.ThreadPoolExecutor(len(WIDTHS)) as pool:
        visited = [pool.submit(visit_at_width, width, pages, server) for width in WIDTHS]
        return {key: findings for future in visited for key, findings in future.result().items()}


def failures(visits, check):
    """``page: problem`` for every visit where ``check(key, findings)`` names a problem."""
    out = []
    for key, findings in visits.items():
        problem = check(key, findings)
        if problem:
            out.append(f"{'/'.join(key)}: {problem}")
    return out


def test_every_page_stays_local_and_loads_cleanly(visits):
    def check(key, v):
        foreign = [url for url, _, _, _ in v["load"].responses
                   if urlparse(url).scheme not in ("data", "blob")
                   and urlparse(url).hostname != "127.0.0.1"]
        return foreign or v["console_errors"] or (v["lang"] != key[1] and f"lang={v['lang']}")
    assert not failures(visits, check)


def test_no_page_scrolls_sideways(visits):
    assert not failures(visits, lambda key, v: v["overflow"] > 0 and f"{v['overflow']} px too wide")


def test_nothing_is_cut_off(visits):
    assert not failures(visits, lambda key, v: v["cut"][:5])


def test_pages_are_light(visits, site):
    """Every page, the search page with a query among them, within the weight limits."""
    def check(key, v):
        load = v["load"]
        gzipped = load.gzip_bytes(site)
        if load.raw_bytes > MAX_RAW_BYTES or gzipped > MAX_GZIP_BYTES:
            return (f"{load.raw_bytes / 1024:.0f} KiB raw, {gzipped / 1024:.0f} KiB "
                    f"gzipped; heaviest {load.heaviest(3)}")
        return None
    assert not failures(visits, check)


def test_nothing_jumps_while_loading(visits):
    # (the search page too, with a query: its results arrive after it loads)
    assert not failures(visits, lambda key, v: v["load"].layout_shift >= MAX_CLS
                        and f"layout shift {v['load'].layout_shift:.3f}")


def test_every_image_is_a_numbered_figure_with_real_alt_text(visits):
    def check(key, v):
        bad = [f"{image['src']} (alt {image['alt'][:40]!r}, caption {image['caption'][:30]!r})"
               for image in v["images"]
               if not (image["loaded"] and image["caption"] and image["number"].strip()
                       and real_alt_text(image["alt"], image["src"], key[1]))]
        return bad
    assert not failures(visits, check)


def test_korean_pages_have_no_english_interface_strings(visits):
    names = ("lstm-ref", "Ctrl", "PyTorch", "LSTM", "GRU", "RNN", "API")

    def check(key, v):
        if key[1] != "ko":
            return None
        return sorted({s for s in v["ui_strings"] if latin_only(s, names)})
    assert not failures(visits, check)


def test_the_english_interface_check_can_fail(visits):
    """The English edition's own interface is English: the check above would see it."""
    assert any(latin_only(s, ()) for v in (visits[("phone", "en", "lstm-cell.html")],)
               for s in v["ui_strings"])


def test_no_serious_accessibility_violation(visits):
    assert not failures(visits, lambda key, v: v["serious"])


def test_formulas_have_enough_contrast(visits):
    assert sum(v["math_contrast"]["judged"] for v in visits.values()) > 0
    assert not failures(visits, lambda key, v: v["math_contrast"]["faint"])


MATH_PAGE = """<!doctype html><html lang="en"><head><title>math</title><style>
  body { background: #fff; color: #222; }  .dark { background: #222; color: #eee; }
  .faint { color: #bbb; }  .ink { color: #333; }  .veil { background: rgba(0, 0, 0, 0.5); }
</style></head><body><main>
  <p>A <span class="katex"><span class="katex-mathml">x</span><span class="katex-html"
     aria-hidden="true"><span class="base"><span class="mord CLASS">x</span></span></span></span>.</p>
</main></body></html>"""


def test_the_formula_contrast_check_can_fail(browser):
    """A faint formula is found, over a light page or a dark one; a legible one is not."""
    page = browser.new_page()
    try:
        page.set_content(MATH_PAGE.replace("CLASS", ""))
        page.evaluate(axe_playwright.Axe().axe_script)
        assert page.evaluate(FAINT_MATH) == {"judged": 1, "faint": []}
        page.set_content(MATH_PAGE.replace("CLASS", "faint"))
        page.evaluate(axe_playwright.Axe().axe_script)
        faint = page.evaluate(FAINT_MATH)["faint"]
        assert len(faint) == 1 and faint[0].startswith("x: rgb(187, 187, 187) on #ffffff"), faint
        page.set_content(MATH_PAGE.replace("CLASS", "").replace("<main>", '<main class="dark">'))
        page.evaluate(axe_playwright.Axe().axe_script)
        assert page.evaluate(FAINT_MATH)["faint"] == []             # #eee on #222
        page.set_content(MATH_PAGE.replace("CLASS", "ink").replace("<main>", '<main class="dark">'))
        page.evaluate(axe_playwright.Axe().axe_script)
        assert page.evaluate(FAINT_MATH)["faint"]                   # #333 on #222
        page.set_content(MATH_PAGE.replace("CLASS", "").replace("<p>", '<p class="veil">'))
        page.evaluate(axe_playwright.Axe().axe_script)
        assert page.evaluate(FAINT_MATH)["faint"]                   # #222 on the veiled white
    finally:
        page.close()


CONTRAST_PAGE = """<!doctype html><html lang="en"><head><title>contrast</title><style>
  body { background: #fff; color: #222; font: 16px sans-serif; }
  pre { background: #f4f4f4; }  .dark { background: #222; }
  .ok { color: #222; }  .faint { color: #bbb; }  .light { color: #eee; }
  .hidden { opacity: 0; }
  .cover { position: absolute; left: 0; top: 0; width: 100%; height: 3em; background: #111; }
</style></head><body><main>
  <pre><span class="hidden"><span class="faint">x</span></span>CODE</pre>
  <p class="dark"><span class="light">light on dark</span> <span class="light">again</span></p>
</main></body></html>"""


def test_contrast_is_judged_once_per_look(browser):
    """Elements left to a first one of the same look are exactly those that look the
    same over the same background, and a faint colour is still found through its first one."""
    page = browser.new_page()
    try:
        code = "".join(f'<span class="ok">ok{k}</span> <span class="faint">faint{k}</span>\n'
                       for k in range(20))
        page.set_content(CONTRAST_PAGE.replace("CODE", code))
        page.evaluate(axe_playwright.Axe().axe_script)
        page.evaluate(AXE_START)
        violations = page.evaluate(AXE_RESULT)
        marked = page.evaluate("() => [...document.querySelectorAll('[data-contrast-as]')]"
                               ".map((el) => el.textContent)")
        # 19 of each look in the code block, and the second light span: not the
        # hidden faint span, nor the first visible one, which axe checks.
        assert sorted(marked) == sorted([f"ok{k}" for k in range(1, 20)]
                                        + [f"faint{k}" for k in range(1, 20)] + ["again"])
        contrast = [v for v in violations if v["id"] == "color-contrast"]
        assert contrast and any("faint0" in page.locator(t[0]).text_content()
                                for v in contrast for t in v["targets"]), violations

        # Something drawn over the text, or another background: checked on its own.
        page.set_content(CONTRAST_PAGE.replace("CODE", '<span class="ok">a</span> <span class="ok">b</span>')
                         .replace("<main>", '<main style="position: relative">'
                                  '<div class="cover"></div>'))
        page.evaluate(axe_playwright.Axe().axe_script)
        page.evaluate(AXE_START)
        assert page.evaluate("() => document.querySelectorAll('[data-contrast-as]').length") == 0

        # The same when the text lies far below the top of the box drawn over it.
        page.set_content(CONTRAST_PAGE.replace("CODE", '<span class="ok">a</span> <span class="ok">b</span>')
                         .replace("<main>", '<main style="position: relative">'
                                  '<div class="cover" style="height: 3000px"></div>'
                                  '<div style="height: 1000px"></div>'))
        page.evaluate(axe_playwright.Axe().axe_script)
        page.evaluate(AXE_START)
        assert page.evaluate("() => document.querySelectorAll('[data-contrast-as]').length") == 0
    finally:
        page.close()


def test_code_cells_have_copy_buttons(visits):
    assert any(v["code_blocks"] for v in visits.values())
    assert not failures(visits, lambda key, v: v["copy_buttons"] < v["code_blocks"]
                        and f"{v['copy_buttons']} buttons for {v['code_blocks']} code blocks")


# -- The search page with a query: light, still, with prose snippets ------------

# What the search page may weigh with a query, gzipped, whatever it finds.
SEARCH_MAX_GZIP_BYTES = 200 * 1024

def code_only_word(site, edition):
    """A word of the edition's code that no page's prose holds and the search finds.

    The first such word in alphabetical order: the search then lists pages for a word
    that is only in their code, so each snippet must come from their prose anyway.
    """
    prose, code = set(), set()
    for page in page_names(edition):
        parts = page_parts(site / edition / f"{page}.html")
        code |= {w.lower() for block in parts.code for w in re.findall(r"[A-Za-z][A-Za-z_]{5,}", block)}
        prose |= {w.lower() for w in re.findall(r"\w+", " ".join(parts.prose))}
    candidates = sorted(code - prose)[:40]
    found = run_search(site, edition, candidates)
    words = [w for w in candidates if found[w]["docnames"] and found[w]["terms"] == [w]]
    assert words, f"{edition}: no word found only in code: the check would be empty"
    return words[0]


SEARCH_RESULTS = """() => [...document.querySelectorAll("#search-results ul.search > li")].map((li) => ({
  href: li.querySelector("a").getAttribute("href"),
  object: li.querySelector(":scope > span") !== null,
  snippet: (li.querySelector("p.context") || {}).textContent || null,
}))"""


@pytest.fixture(scope="module")
def searches(browser, site, server):
    """The search page with words of each kind, at each width, in each edition:
    {(width, edition, kind): (query, load, results)}."""
    queries = {"en": {"words": "gradient", "code": code_only_word(site, "en")},
               "ko": {"words": "기울기", "code": code_only_word(site, "ko")}}
    found = {}
    for width, viewport in WIDTHS.items():
        context = browser.new_context(viewport=viewport)
        try:
            metered = MeteredPage(context)
            for edition, kind in itertools.product(EDITIONS, ("words", "code")):
                query = queries[edition][kind]
                load = metered.open(f"{server}/{edition}/search.html?q={quote(query)}")
                wait_for_search(metered.page)
                found[(width, edition, kind)] = (query, load, metered.page.evaluate(SEARCH_RESULTS))
        finally:
            context.close()
    return found


def test_search_page_is_light_and_fetches_no_page(searches, site):
    for (width, edition, _), (query, load, results) in searches.items():
        where = f"{width}/{edition}/{query!r}"
        assert results, f"{where}: nothing found"
        pages = [url for url, _, _, _ in load.responses
                 if urlparse(url).path.endswith(".html") and not urlparse(url).path.endswith("/search.html")]
        assert not pages, f"{where}: whole pages fetched for snippets: {pages[:3]}"
        gzipped = load.gzip_bytes(site)
        assert gzipped <= SEARCH_MAX_GZIP_BYTES, f"{where}: {gzipped / 1024:.0f} KiB gzipped"
        assert load.raw_bytes <= MAX_RAW_BYTES, f"{where}: {load.raw_bytes / 1024:.0f} KiB raw"


def test_search_page_does_not_move_while_results_arrive(searches):
    for (width, edition, _), (query, load, _) in searches.items():
        assert load.layout_shift < MAX_CLS, f"{width}/{edition}/{query!r}: {load.layout_shift:.3f}"


def test_every_search_result_has_a_prose_snippet_showing_the_word(searches, site):
    for (width, edition, kind), (query, _, results) in searches.items():
        if kind != "words":
            continue
        terms = run_search(site, edition, [query])[query]["terms"]
        for result in results:
            if result["object"]:
                continue
            assert result["snippet"], f"{width}/{edition}/{query!r}: no snippet for {result['href']}"
        first = results[0]["snippet"].lower()
        assert any(term in first for term in terms), (query, terms, first)


def test_a_word_found_only_in_code_shows_no_code(searches, site):
    for (width, edition, kind), (query, _, results) in searches.items():
        if kind != "code":
            continue
        for result in results:
            if result["object"]:
                continue
            page = result["href"].split("#")[0].removesuffix(".html")
            snippet = result["snippet"]
            assert snippet, f"{width}/{edition}/{query!r}: no snippet for {page}"
            assert query not in snippet.lower(), f"{edition}/{page}: code in the snippet: {snippet}"
            leaks = [line for line in code_lines(page_parts(site / edition / f"{page}.html"))
                     if line in snippet]
            assert not leaks, f"{edition}/{page}: code in the snippet: {leaks[:2]}"


# -- Navigation: the page list and the contents open and close ----------------

@pytest.fixture(scope="module", params=list(WIDTHS))
def tab(request, browser):
    context = browser.new_context(viewport=WIDTHS[request.param])
    page = context.new_page()
    yield request.param, page
    context.close()


def open_page(page, url):
    """Load ``url``: its load event, then its fonts laid out (page_metrics.SETTLED)."""
    page.goto(url)
    page.evaluate(SETTLED)


@pytest.mark.parametrize("edition", EDITIONS)
def test_page_list_toggle_opens_and_closes(tab, server, edition):
    width, page = tab
    open_page(page, f"{server}/{edition}/lstm-cell.html")
    toggle = page.locator(".primary-toggle").filter(visible=True)
    assert toggle.count() == 1
    link = page.locator("nav.bd-links a[href='shapes.html']")
    if width == "phone":
        assert not link.is_visible()
        toggle.click()
        dialog = page.locator("#pst-primary-sidebar-modal")
        dialog.locator("a[href='shapes.html']").wait_for(state="visible", timeout=5000)
        page.keyboard.press("Escape")
        dialog.wait_for(state="hidden", timeout=5000)
    else:
        assert link.is_visible()
        toggle.click()
        link.wait_for(state="hidden", timeout=5000)
        toggle.click()
        link.wait_for(state="visible", timeout=5000)


@pytest.mark.parametrize("edition", EDITIONS)
def test_contents_toggle_opens_and_closes(tab, server, edition):
    width, page = tab
    open_page(page, f"{server}/{edition}/lstm-cell.html")
    entry = page.locator("nav.page-toc a.nav-link").first
    toggle = page.locator(".secondary-toggle").filter(visible=True)
    if width == "desktop":
        assert entry.is_visible(), "the contents should be shown beside the page"
        return
    assert toggle.count() == 1 and not entry.is_visible()
    toggle.click()
    dialog = page.locator("#pst-secondary-sidebar-modal")
    dialog.locator("a.nav-link").first.wait_for(state="visible", timeout=5000)
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden", timeout=5000)


def test_no_top_bar(tab, server):
    width, page = tab
    open_page(page, f"{server}/en/index.html")
    assert not page.locator("#pst-header").is_visible()
    assert page.locator("#pst-header button").count() == 0


# -- Other behaviour -----------------------------------------------------------

VISIBLE_TEXT_WITHOUT_MATH = """() => {
  const article = document.querySelector("article").cloneNode(true);
  article.querySelectorAll(".katex, pre, .highlight, .cell_output").forEach((e) => e.remove());
  return article.textContent;
}"""


@pytest.mark.parametrize("edition", EDITIONS)
def test_math_is_rendered_at_build_time(tab, server, edition):
    _, page = tab
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    open_page(page, f"{server}/{edition}/lstm-cell.html")
    assert page.locator(".katex").count() > 20
    assert page.locator(".katex-display").count() >= 2
    text = page.evaluate(VISIBLE_TEXT_WITHOUT_MATH)
    for raw in ("$", "\\frac", "\\sigma", "\\tanh", "\\begin", "\\odot", "_{t-1}"):
        assert raw not in text, f"raw TeX {raw!r} left on the page"
    assert not [u for u in requests if "katex" in u and u.endswith(".js")], \
        "math should need no script at view time"


@pytest.mark.parametrize("edition, other", [("en", "ko"), ("ko", "en")])
def test_language_switcher_keeps_the_page_section_and_search(tab, server, edition, other):
    _, page = tab
    open_page(page, f"{server}/{edition}/search.html?q=gate")
    page.locator(f".edition-switcher a[hreflang={other}]").click()
    page.wait_for_url(f"{server}/{other}/search.html?q=gate")

    open_page(page, f"{server}/{edition}/lstm-cell.html")
    sections = page.locator("article section section[id]")
    third = sections.nth(2).get_attribute("id")
    open_page(page, f"{server}/{edition}/lstm-cell.html#{third}")
    page.locator(f".edition-switcher a[hreflang={other}]").click()
    page.wait_for_url(re.compile(rf".*/{other}/lstm-cell\.html#.+"))
    page.wait_for_load_state("load")
    landed = page.evaluate("decodeURIComponent(location.hash.slice(1))")
    position = page.evaluate(
        "(id) => [...document.querySelectorAll('article section section[id]')]"
        ".findIndex((s) => s.id === id)", landed)
    assert position == 2, f"landed on #{landed}, section {position}, not the third section"
    assert page.evaluate("document.documentElement.lang") == other


@pytest.mark.parametrize("locale, edition", [("ko-KR", "ko"), ("en-GB", "en"), ("fr-FR", "en")])
def test_root_page_picks_the_readers_language(browser, server, locale, edition):
    context = browser.new_context(locale=locale)
    try:
        page = context.new_page()
        page.goto(f"{server}/")
        page.wait_for_url(f"{server}/{edition}/index.html")
    finally:
        context.close()


@pytest.mark.parametrize("edition, query, expected, first", [
    ("ko", "곱셈", "lstm-cell", False),
    ("ko", "셀 상태", "lstm-cell", False),
    ("en", "Hadamard", "lstm-cell", False),
    ("en", "forget", "forget-gate", True),
    ("ko", "망각", "forget-gate", True),
])
def test_search_box_finds_the_page_with_clean_snippets(tab, server, edition, query, expected,
                                                       first):
    _, page = tab
    open_page(page, f"{server}/{edition}/index.html")
    page.keyboard.press("Control+k")
    box = page.locator("#pst-search-dialog input[name=q]")
    box.fill(query)
    box.press("Enter")
    page.wait_for_url(f"**/{edition}/search.html?q=*")
    # Wait for the whole list, so every check below sees it.
    wait_for_search(page, timeout=30000)
    summary = page.locator("#search-results .search-summary")
    results = page.locator("#search-results ul.search li")
    hrefs = [h.split("#")[0] for h in results.locator("a").evaluate_all(
        "(links) => links.map((a) => a.getAttribute('href'))")]
    if first:
        assert hrefs[0] == f"{expected}.html", hrefs
    else:
        assert f"{expected}.html" in hrefs, hrefs
    page.locator("#search-results li p.context").first.wait_for(timeout=15000)
    snippets = " ".join(page.locator("#search-results li p.context").all_text_contents())
    for leak in ("\\", "System Settings", "시스템 설정", "Toggle", "Copy"):
        assert leak not in snippets, f"{leak!r} in the snippets: {snippets[:300]}"
    if edition == "ko":
        count = summary.text_content()
        assert HANGUL.search(count), count


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_colour_scheme_and_screenshot(browser, server, artifacts, edition, scheme):
    """The page follows the reader's light or dark setting; the picture is kept."""
    context = browser.new_context(color_scheme=scheme, viewport=WIDTHS["phone"])
    try:
        page = context.new_page()
        open_page(page, f"{server}/{edition}/lstm-cell.html")
        page.screenshot(path=str(artifacts / f"{edition}-lstm-cell-{scheme}.png"), full_page=True)
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        red, green, blue = (int(c) for c in re.findall(r"\d+", background)[:3])
        luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
        assert (luminance > 200) if scheme == "light" else (luminance < 60), background
        assert page.locator("article figure img").first.evaluate("(img) => img.naturalWidth") > 0
        # The formulas' colours in this scheme (the pass over every page sees the light one).
        page.evaluate(DRAW_EVERY_SECTION)
        page.evaluate(axe_playwright.Axe().axe_script)
        math = page.evaluate(FAINT_MATH)
        assert math["judged"] > 0 and not math["faint"], math
    finally:
        context.close()


@pytest.mark.parametrize("edition", EDITIONS)
def test_a_page_opened_from_search_does_not_move(tab, server, edition):
    # The search page leaves its words for sphinx_highlight.js, which then adds a
    # "hide search matches" button to the next page opened, once it has loaded.
    # The words are left from another tab of the same browser, so that the measured tab
    # opens only the page measured (nothing of a page before it still in flight).
    width, tab_page = tab
    tab_page.goto(page_url(server, edition, "index.html"))
    tab_page.evaluate("localStorage.setItem('sphinx_highlight_terms', 'gate')")
    metered = MeteredPage(tab_page.context)
    page = metered.page
    try:
        load = metered.open(page_url(server, edition, "forget-gate.html"))
        button = page.locator("#searchbox .highlight-link a")
        assert button.is_visible() and button.evaluate(
            "a => { const r = a.getBoundingClientRect();"
            " return r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth; }")
        assert page.locator(".bd-article .highlighted").count() > 0
        assert load.layout_shift < 0.01, f"{width}: layout shift {load.layout_shift:.3f}"
        button.click()
        assert page.locator("#searchbox .highlight-link").count() == 0
    finally:
        tab_page.evaluate("localStorage.clear()")
        page.close()
