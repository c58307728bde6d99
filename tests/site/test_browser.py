"""What a reader sees, in a real browser (headless Chromium, driven by Playwright).

Skipped with a reason where no Chromium is installed; CI installs it and sets
LSTM_REF_REQUIRE_BROWSER=1, which turns that skip into a failure.
LSTM_REF_CHROMIUM names another Chromium-based browser to use.
"""

import os
import shutil
from urllib.parse import urlparse

import pytest

from site_build import EDITIONS

CHROMIUM = (os.environ.get("LSTM_REF_CHROMIUM") or shutil.which("chromium")
            or shutil.which("chromium-browser"))
if CHROMIUM is None:
    if os.environ.get("LSTM_REF_REQUIRE_BROWSER"):
        pytest.fail("LSTM_REF_REQUIRE_BROWSER is set but no chromium is installed "
                    "(apt-get install chromium)", pytrace=False)
    pytest.skip("no chromium on PATH (apt-get install chromium): browser tests skipped",
                allow_module_level=True)

playwright = pytest.importorskip("playwright.sync_api")

# Chromium's own background traffic is switched off, so any request that is not
# to the local server comes from the page.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-default-apps"]


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Visit:
    """A page opened in a fresh context, with every request and console message kept."""

    def __init__(self, browser, url, locale="en-US", color_scheme="light"):
        self.context = browser.new_context(locale=locale, color_scheme=color_scheme,
                                           viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.requests, self.failed, self.console_errors = [], [], []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("requestfailed", lambda r: self.failed.append(r.url))
        self.page.on("response", lambda r: r.status >= 400 and self.failed.append(
            f"{r.status} {r.url}"))
        self.page.on("console", lambda m: m.type == "error" and self.console_errors.append(
            m.text))
        self.page.on("pageerror", lambda e: self.console_errors.append(str(e)))
        self.page.goto(url)
        self.page.wait_for_load_state("networkidle")

    def close(self):
        self.context.close()


def html_pages(site, edition):
    """Every page Sphinx wrote (the theme's own files under _static are not pages)."""
    root = site / edition
    return sorted(str(p.relative_to(root)) for p in root.rglob("*.html")
                  if not p.relative_to(root).parts[0].startswith("_"))


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_page_loads_cleanly_and_stays_local(browser, site, server, edition):
    for name in html_pages(site, edition):
        visit = Visit(browser, f"{server}/{edition}/{name}")
        try:
            foreign = [u for u in visit.requests
                       if urlparse(u).scheme not in ("data", "blob")
                       and urlparse(u).hostname != "127.0.0.1"]
            assert not foreign, f"{edition}/{name} requested other hosts: {foreign}"
            assert not visit.failed, f"{edition}/{name} had failed requests: {visit.failed}"
            assert not visit.console_errors, f"{edition}/{name}: {visit.console_errors}"
            assert visit.page.evaluate("document.documentElement.lang") == edition
        finally:
            visit.close()


VISIBLE_TEXT_WITHOUT_MATH = """() => {
  const article = document.querySelector("article").cloneNode(true);
  article.querySelectorAll(".katex, pre, .highlight, .cell_output").forEach((e) => e.remove());
  return article.textContent;
}"""


@pytest.mark.parametrize("edition", EDITIONS)
def test_math_is_rendered_at_build_time(browser, server, edition):
    visit = Visit(browser, f"{server}/{edition}/lstm-cell.html")
    try:
        page = visit.page
        assert page.locator(".katex").count() > 20
        assert page.locator(".katex-display").count() >= 2
        text = page.evaluate(VISIBLE_TEXT_WITHOUT_MATH)
        for raw in ("$", "\\frac", "\\sigma", "\\tanh", "\\begin", "\\odot", "_{t-1}"):
            assert raw not in text, f"raw TeX {raw!r} left on the page"
        assert not [u for u in visit.requests if "katex" in u and u.endswith(".js")], \
            "math should need no script at view time"
        # The KaTeX fonts load from the site itself.
        assert any(u.endswith(".woff2") and "/_static/katex/fonts/" in u for u in visit.requests)
    finally:
        visit.close()


@pytest.mark.parametrize("edition, other", [("en", "ko"), ("ko", "en")])
def test_language_switcher_keeps_the_page(browser, server, edition, other):
    visit = Visit(browser, f"{server}/{edition}/lstm-cell.html")
    try:
        visit.page.locator(f".edition-switcher a[hreflang={other}]").click()
        visit.page.wait_for_load_state("networkidle")
        assert visit.page.url == f"{server}/{other}/lstm-cell.html"
        assert visit.page.evaluate("document.documentElement.lang") == other
    finally:
        visit.close()


@pytest.mark.parametrize("locale, edition", [("ko-KR", "ko"), ("en-GB", "en"), ("fr-FR", "en")])
def test_root_page_picks_the_readers_language(browser, server, locale, edition):
    visit = Visit(browser, f"{server}/", locale=locale)
    try:
        visit.page.wait_for_url(f"{server}/{edition}/index.html")
    finally:
        visit.close()


@pytest.mark.parametrize("edition, query, expected", [
    ("ko", "곱셈", "lstm-cell"),
    ("ko", "셀 상태", "lstm-cell"),
    ("en", "Hadamard", "lstm-cell"),
])
def test_search_box(browser, server, edition, query, expected):
    visit = Visit(browser, f"{server}/{edition}/index.html")
    try:
        page = visit.page
        page.keyboard.press("Control+k")
        box = page.locator("#pst-search-dialog input[name=q]")
        box.fill(query)
        box.press("Enter")
        page.wait_for_url(f"**/{edition}/search.html?q=*")
        results = page.locator("#search-results ul.search li a")
        results.first.wait_for(timeout=15000)
        hrefs = [results.nth(k).get_attribute("href") for k in range(results.count())]
        assert any(h.split("#")[0].startswith(expected) for h in hrefs), hrefs
        assert not visit.console_errors
    finally:
        visit.close()


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshot(browser, server, artifacts, edition, scheme):
    """A full-page picture of the math-heavy page, kept for a reader of the test report."""
    visit = Visit(browser, f"{server}/{edition}/lstm-cell.html", color_scheme=scheme)
    try:
        path = artifacts / f"{edition}-lstm-cell-{scheme}.png"
        visit.page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 50_000
    finally:
        visit.close()
