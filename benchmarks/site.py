"""The site's build times, per phase, and the weight of one page, measured in one run.

    python benchmarks/site.py [--page lstm-cell] [--skip-cold] [--skip-install] [--skip-weight]

- install: what `make` runs when pyproject.toml changed (pip, with every package present);
- cold build: `make html` after removing _build/ and the execution cache, so every page is
  executed and both editions are built from nothing;
- no-change rebuild: `make html` again on the unchanged tree;
- one-page edit: `make html` after a sentence is added to one page's prose (then undone);
- per phase and edition (from docs/_ext/build_phases.py): start-up, read (execution
  included), execute, write (math included), render math; "assemble and make" is the
  rest of `make html`'s time (copying each edition into _build/html, make itself);
- page weight: the bytes a browser (headless Chromium) transfers to show the page from a
  local server, with an empty cache, per resource type.

The machine's load average is printed with the numbers: on a shared machine, compare
numbers of one run (ratios) rather than runs made under different loads.
"""

import argparse
import collections
import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PHASES = ("start-up", "read", "execute", "write", "render math", "total")


def timed_make(target="html"):
    """Seconds `make target` takes, and the phases its Sphinx builds reported."""
    with tempfile.NamedTemporaryFile("r", suffix=".jsonl") as phases:
        env = {**os.environ, "LSTM_REF_PHASES": phases.name}
        start = time.perf_counter()
        subprocess.run(["make", "--no-print-directory", target], cwd=ROOT, check=True, env=env,
                       stdout=subprocess.DEVNULL)
        seconds = time.perf_counter() - start
        reports = [json.loads(line) for line in phases.read().splitlines()]
    return seconds, reports


def report(label, seconds, phases):
    print(f"{label}: {seconds:.1f} s")
    for edition in phases:
        detail = ", ".join(f"{name} {edition[name]:.1f} s" for name in PHASES)
        print(f"    {edition['edition']}: {detail}")
    if phases:
        longest = max(edition["total"] for edition in phases)
        print(f"    assemble and make: {max(seconds - longest, 0.0):.1f} s")


def timed_install():
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    "-e", ".[test,docs]"], cwd=ROOT, check=True)
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
    parser.add_argument("--skip-install", action="store_true")
    parser.add_argument("--skip-weight", action="store_true")
    args = parser.parse_args()
    print(f"load average before: {', '.join(f'{x:.1f}' for x in os.getloadavg())} "
          f"on {os.cpu_count()} cores")
    if not args.skip_install:
        print(f"install (every package present): {timed_install():.1f} s")
    if not args.skip_cold:
        shutil.rmtree(ROOT / "_build", ignore_errors=True)
        shutil.rmtree(ROOT / ".jupyter_cache", ignore_errors=True)
        report("cold build (both editions, every page executed)", *timed_make())
    else:
        timed_make()
    report("no-change rebuild (both editions)", *timed_make())
    page = ROOT / "docs" / "en" / f"{args.page}.md"
    original = page.read_bytes()
    try:
        page.write_bytes(original + b"\nA sentence added to time a rebuild.\n")
        report(f"one-page edit (a sentence added to en/{args.page})", *timed_make())
    finally:
        page.write_bytes(original)
    timed_make()
    if not args.skip_weight:
        for edition in ("en", "ko"):
            weights = page_weight(f"{edition}/{args.page}.html")
            detail = ", ".join(f"{kind} {size / 1024:.0f} KiB" for kind, size in weights.most_common())
            print(f"page weight of {edition}/{args.page}.html: {sum(weights.values()) / 1024:.0f} KiB "
                  f"({detail})")
    print(f"load average after: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
