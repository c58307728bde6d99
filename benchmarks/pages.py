"""Per page of both editions: weight, requests, layout shift, and Lighthouse's scores.

    python benchmarks/pages.py [--pages lstm-cell,glossary] [--lighthouse-pages lstm-cell]
                               [--no-lighthouse] [--no-weights] [--lighthouse-reports DIR]
                               [--traces N] [--site DIR]

Measures the built site in _build/html (run `make html` first; ``--site DIR``
measures another copy of it, e.g. an older revision's, for a comparison in one
sitting), served from the
loopback interface with gzip, as a fresh browser (headless Chromium, HTTP cache
off) loads it at 390 px and at 1366 px:

- raw: bytes of every response body, uncompressed;
- gzip: the same responses with text gzipped (level 6), as the browser tests
  measure them against the limits of tests/site/page_metrics.py;
- requests: responses the page needed;
- CLS: the sum of its layout shifts (an upper bound of the CLS metric). The
  search page (with a query) is measured once its results have all arrived,
  so the shifts they cause count.

Then Lighthouse 12.2.3 (from npm, through npx) on the same Chromium, offline
against the local server: performance, accessibility, best practices and SEO,
mobile form factor with Lighthouse's simulated throttling.

With ``--traces N``, each Lighthouse page is also loaded N times at Lighthouse's
phone size (412 x 823) under a performance trace, each time in a new browser (as
Lighthouse starts one, with no font looked up yet), and the medians are printed:
milliseconds of style, layout and paint on the page's main thread, the part of
style and layout the thread spent computing (its CPU time; the rest it waited),
the elements styled and layout objects laid out, and the font requests: on Linux
the renderer asks the browser process, synchronously, for every font family it
looks up, for the rendering settings of each family at each size and weight, and
for the fallback font of a character no listed font has, and the main thread
waits for each answer, longer when the machine is busy (Lighthouse counts the
wait as blocking time, four times over). The counts do not depend on the
machine's load, where the milliseconds and Lighthouse's scores do.
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "site"))

from page_metrics import CHROMIUM, CHROMIUM_ARGS, MeteredPage, serve  # noqa: E402

from site_build import EDITIONS, SITE, page_names  # noqa: E402

LIGHTHOUSE = "lighthouse@12.2.3"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
WIDTHS = {"phone": (390, 844), "desktop": (1366, 900)}
SEARCH_QUERY = {"en": "forget gate", "ko": "망각 게이트"}


def measure_pages(base, pages):
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for width_name, (width, height) in WIDTHS.items():
            context = browser.new_context(viewport={"width": width, "height": height})
            metered = MeteredPage(context)
            for edition, page in pages:
                url = f"{base}/{edition}/{page}.html"
                if page == "search":
                    url += "?q=" + quote(SEARCH_QUERY[edition])
                load = metered.open(url)
                if page == "search":
                    # Sphinx writes the result count last, once every result is shown.
                    metered.page.locator("#search-results .search-summary").filter(
                        has_text=re.compile(r"\S")).wait_for(timeout=30000)
                    metered.page.wait_for_timeout(500)
                    load.layout_shift = metered.page.evaluate("window.__layoutShift")
                rows.append((edition, page, width_name, load))
            context.close()
        browser.close()
    return rows


TRACE_EVENTS = {"UpdateLayoutTree": "style", "Layout": "layout", "PrePaint": "paint", "Paint": "paint",
                "Layerize": "paint"}


# The renderer's synchronous requests to the browser process for fonts (Linux): family
# look-ups, each family's rendering settings at a size and weight, fallback fonts.
FONT_REQUESTS = ("WebSandboxSupportLinux::", "FontDataManager::onMatchFamilyStyle",
                 "FontServiceThread::makeTypeface")


def trace_totals(playwright, url):
    """Style, layout and paint ms (all and CPU), the elements styled and objects laid out,
    and the font requests and ms waited for them, while ``url`` loads at Lighthouse's
    phone size in a new browser (and for a second after its load event)."""
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    context = browser.new_context(viewport={"width": 412, "height": 823}, device_scale_factor=1.75,
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    browser.start_tracing(page=page, categories=["devtools.timeline", "fonts"])
    page.goto(url, wait_until="load")
    page.wait_for_timeout(1000)
    events = json.loads(browser.stop_tracing())["traceEvents"]
    browser.close()
    main = {(e["pid"], e["tid"]) for e in events if e.get("name") == "ParseHTML"}
    totals = dict.fromkeys(["style", "layout", "paint", "style+layout CPU", "styled", "laid out",
                            "font requests", "font wait"], 0)
    requests = []
    for event in events:
        if event.get("ph") != "X" or (event.get("pid"), event.get("tid")) not in main:
            continue
        name, data = event["name"], event.get("args", {})
        if name in TRACE_EVENTS:
            totals[TRACE_EVENTS[name]] += event.get("dur", 0) / 1000
        if name in ("UpdateLayoutTree", "Layout"):
            totals["style+layout CPU"] += event.get("tdur", event.get("dur", 0)) / 1000
        if name == "UpdateLayoutTree":
            totals["styled"] += data.get("elementCount") or 0
        elif name == "Layout":
            totals["laid out"] += data.get("beginData", {}).get("dirtyObjects", 0)
        elif name.startswith(FONT_REQUESTS):
            requests.append((event["ts"], event["ts"] + event.get("dur", 0)))
    totals["font requests"] = len(requests)
    end = 0  # the time waited, requests nested in one another counted once
    for start, stop in sorted(requests):
        totals["font wait"] += max(0, stop - max(start, end)) / 1000
        end = max(end, stop)
    return totals


def print_traces(base, pages, runs):
    from playwright.sync_api import sync_playwright

    print(f"\nTraces at 412 x 823, median of {runs} loads, each in a new browser, the pages "
          f"in turns (load average {os.getloadavg()[0]:.1f} before):")
    loads = {page: [] for page in pages}
    with sync_playwright() as p:
        for _ in range(runs):
            for edition, page in pages:
                loads[edition, page].append(trace_totals(p, f"{base}/{edition}/{page}.html"))
    for (edition, page), runs_of_page in loads.items():
        print(f"{edition + '/' + page:<22} " + ", ".join(
            f"{name} {statistics.median(load[name] for load in runs_of_page):.0f}"
            + (" ms" if name in ("style", "layout", "paint", "style+layout CPU", "font wait") else "")
            for name in runs_of_page[0]))
    print(f"(load average {os.getloadavg()[0]:.1f} after)")


def lighthouse(url, save_to=None):
    """Lighthouse's four scores (0-100) for ``url``, or the reason it could not run;
    the whole report is also written to the file ``save_to`` when given."""
    flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
    result = subprocess.run(
        ["npx", "--yes", LIGHTHOUSE, url, "--quiet", "--output=json", "--output-path=stdout",
         f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={flags}"],
        capture_output=True, text=True, env={**os.environ, "CHROME_PATH": CHROMIUM}, timeout=300)
    if result.returncode != 0:
        return result.stderr.strip().splitlines()[-1:] or ["lighthouse failed"]
    report = json.loads(result.stdout)
    if save_to is not None:
        Path(save_to).write_text(result.stdout, encoding="utf-8")
    scores = {name: round(100 * report["categories"][name]["score"]) for name in CATEGORIES}
    audits = report["audits"]
    scores["LCP s"] = round(audits["largest-contentful-paint"]["numericValue"] / 1000, 1)
    scores["CLS"] = round(audits["cumulative-layout-shift"]["numericValue"], 3)
    return scores


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", help="comma-separated page names (default: every page)")
    parser.add_argument("--lighthouse-pages", default="lstm-cell",
                        help="comma-separated page names for Lighthouse, or 'all'")
    parser.add_argument("--no-lighthouse", action="store_true")
    parser.add_argument("--lighthouse-reports", type=Path, metavar="DIR",
                        help="also write each Lighthouse report (JSON) into DIR")
    parser.add_argument("--no-weights", action="store_true",
                        help="leave out the weight, requests and CLS of every page")
    parser.add_argument("--traces", type=int, default=0, metavar="N",
                        help="also trace N loads of each Lighthouse page: style, layout, paint "
                             "and font requests")
    parser.add_argument("--site", type=Path, default=SITE, metavar="DIR",
                        help="the built site to measure (default: _build/html)")
    args = parser.parse_args()

    site = args.site
    if not (site / "en" / "index.html").exists():
        sys.exit(f"no built site in {site}: run `make html` first")
    wanted = args.pages.split(",") if args.pages else None
    pages = [(edition, page) for edition in EDITIONS for page in [*page_names(edition), "search"]
             if wanted is None or page in wanted]
    base, stop = serve(site, compress=True)
    try:
        rows = [] if args.no_weights else measure_pages(base, pages)
        if rows:
            print_weights(rows, site)
        lh_pages = None if args.lighthouse_pages == "all" else args.lighthouse_pages.split(",")
        if args.traces:
            print_traces(base, [(e, p) for e, p in pages if lh_pages is None or p in lh_pages],
                         args.traces)
        if not args.no_lighthouse:
            print(f"\nLighthouse ({LIGHTHOUSE}, mobile, simulated throttling, gzip served; "
                  f"load average {os.getloadavg()[0]:.1f} before):")
            if args.lighthouse_reports:
                args.lighthouse_reports.mkdir(parents=True, exist_ok=True)
            for edition, page in pages:
                if lh_pages is None or page in lh_pages:
                    save_to = (args.lighthouse_reports / f"{edition}-{page}.json"
                               if args.lighthouse_reports else None)
                    print(f"{edition + '/' + page:<22} "
                          f"{lighthouse(f'{base}/{edition}/{page}.html', save_to)} "
                          f"(load average {os.getloadavg()[0]:.1f} after)")
    finally:
        stop()


def print_weights(rows, site):
    """The weight, requests and layout shift of every page, and the heaviest page's largest files."""
    print(f"{'page':<22} {'width':<8} {'raw KiB':>8} {'gzip KiB':>9} {'requests':>9} "
          f"{'CLS':>6}")
    for edition, page, width, load in rows:
        print(f"{edition + '/' + page:<22} {width:<8} {load.raw_bytes / 1024:>8.0f} "
              f"{load.gzip_bytes(site) / 1024:>9.0f} {load.requests:>9} {load.layout_shift:>6.3f}")
    worst = max(rows, key=lambda row: row[3].raw_bytes)
    print(f"heaviest: {worst[0]}/{worst[1]} at {worst[2]}: "
          + ", ".join(f"{url.rsplit('/', 1)[-1]} {size / 1024:.0f} KiB"
                      for size, url in worst[3].heaviest()))


if __name__ == "__main__":
    main()
