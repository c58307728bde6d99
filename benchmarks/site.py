"""The site's build times and the weight of one page, measured in one run.

    python benchmarks/site.py [--page lstm-cell] [--skip-cold]

- cold build: `make html` after removing _build/ and the execution cache, so
  every page is executed and both editions are built from nothing;
- no-change rebuild: `make html` again on the unchanged tree;
- page weight: the bytes a browser (headless Chromium) transfers to show the
  page from a local server, with an empty cache, per resource type.
"""

import argparse
import collections
import functools
import http.server
import shutil
import subprocess
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed_make(target="html"):
    start = time.perf_counter()
    subprocess.run(["make", "--no-print-directory", target], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def page_weight(url_path):
    """Bytes transferred (headers and bodies) per resource type, loading one page."""
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    handler = functools.partial(_Quiet, directory=str(ROOT / "_build" / "html"))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    weights = collections.Counter()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            page = browser.new_page()
            requests = []
            page.on("requestfinished", lambda request: requests.append(request))
            page.goto(f"http://127.0.0.1:{httpd.server_address[1]}/{url_path}")
            page.wait_for_load_state("networkidle")
            for request in requests:
                sizes = request.sizes()
                weights[request.resource_type] += (sizes["responseBodySize"]
                                                   + sizes["responseHeadersSize"])
            browser.close()
    finally:
        httpd.shutdown()
    return weights


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page", default="lstm-cell")
    parser.add_argument("--skip-cold", action="store_true",
                        help="keep the current build and cache; measure only the rest")
    args = parser.parse_args()
    if not args.skip_cold:
        shutil.rmtree(ROOT / "_build", ignore_errors=True)
        shutil.rmtree(ROOT / ".jupyter_cache", ignore_errors=True)
        print(f"cold build (both editions, every page executed): {timed_make():.1f} s")
    else:
        timed_make()
    print(f"no-change rebuild (both editions): {timed_make():.1f} s")
    for edition in ("en", "ko"):
        weights = page_weight(f"{edition}/{args.page}.html")
        detail = ", ".join(f"{kind} {size / 1024:.0f} KiB" for kind, size in weights.most_common())
        print(f"page weight of {edition}/{args.page}.html: {sum(weights.values()) / 1024:.0f} KiB "
              f"({detail})")


if __name__ == "__main__":
    main()
