"""What a page costs a reader's browser: bytes, requests and layout shift.

Shared by the browser tests (tests/site/test_browser.py) and the page benchmark
(benchmarks/pages.py). Every measurement is of one page opened in a Playwright
page whose HTTP cache is switched off, so each page is measured as a fresh
browser would load it.
"""

import functools
import gzip
import http.server
import io
import os
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

CHROMIUM = (os.environ.get("LSTM_REF_CHROMIUM") or shutil.which("chromium")
            or shutil.which("chromium-browser"))

# Chromium's own background traffic is switched off, so any request that is not
# to the local server comes from the page.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-default-apps"]

# Limits per page, as transferred to a fresh browser: 600 KiB raw and 200 KiB
# gzipped. The heaviest pages are the Korean LSTM cell page (about 550 KiB raw at
# 390 px, 258 KiB of it its own HTML, mostly typeset formulas) and the gradients page
# (about 160 KiB gzipped, its plots). The search page with a query is held to the
# same limits: it fetches a small prose file per result for the snippets.
MAX_RAW_BYTES = 600 * 1024
MAX_GZIP_BYTES = 200 * 1024
MAX_CLS = 0.1

# Sums every layout shift not caused by input: an upper bound of the CLS metric
# (which takes the worst 5 s window), so a page under the limit here is under it there.
LAYOUT_SHIFT_OBSERVER = """(() => {
  window.__layoutShift = 0;
  const addShifts = (entries) => {
    for (const entry of entries) {
      if (!entry.hadRecentInput) window.__layoutShift += entry.value;
    }
  };
  const observer = new PerformanceObserver((list) => addShifts(list.getEntries()));
  observer.observe({type: "layout-shift", buffered: true});
  // The shifts so far, those not yet handed to the observer's callback included.
  window.__layoutShiftNow = () => {
    addShifts(observer.takeRecords());
    return window.__layoutShift;
  };
})();
"""

# Resolves once the page's fonts have loaded and two frames have been drawn
# after that, so that the layout they cause has happened and been measured.
SETTLED = """() => document.fonts.ready.then(() => new Promise((resolve) => {
  requestAnimationFrame(() => requestAnimationFrame(resolve));
}))"""

COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml",
                "application/xml", "font/ttf", "application/x-font-ttf")


def compressible(content_type):
    return content_type.split(";")[0].strip().startswith(COMPRESSIBLE)


@dataclass
class PageLoad:
    """The responses one page load fetched: (url, content type, body bytes, bytes on the wire)."""

    url: str
    responses: list = field(default_factory=list)
    layout_shift: float = 0.0

    @property
    def requests(self):
        return len(self.responses)

    @property
    def raw_bytes(self):
        return sum(body for _, _, body, _ in self.responses)

    @property
    def transferred_bytes(self):
        return sum(wire for _, _, _, wire in self.responses)

    def gzip_bytes(self, site):
        """Bytes as a server that gzips text sends them (level 6, like nginx's default),
        from the served files under ``site`` (the base URL's root)."""
        total = 0
        for url, kind, body, _ in self.responses:
            path = served_file(site, url)
            total += gzipped_size(path) if path and compressible(kind) else body
        return total

    def heaviest(self, count=5):
        return sorted(((body, url) for url, _, body, _ in self.responses), reverse=True)[:count]


def served_file(site, url):
    path = Path(site, unquote(urlsplit(url).path).lstrip("/"))
    if path.is_dir():
        path = path / "index.html"
    return path if path.is_file() else None


@functools.cache
def gzipped_size(path):
    return len(gzip.compress(path.read_bytes(), 6))


class MeteredPage:
    """One browser tab, reused across pages, that measures each page it opens.

    The HTTP cache is off (through the DevTools protocol), so every page is
    loaded as by a fresh browser while the browser and tab stay the same. Sizes
    come from the protocol's network events: bytes of each body as decoded, and
    bytes on the wire.
    """

    def __init__(self, context):
        self.page = context.new_page()
        self.page.add_init_script(LAYOUT_SHIFT_OBSERVER)
        self.cdp = context.new_cdp_session(self.page)
        self.cdp.send("Network.enable")
        self.cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        self._pending = {}
        self._in_flight = set()
        self._load = None
        self.cdp.on("Network.requestWillBeSent", self._request)
        self.cdp.on("Network.responseReceived", self._response)
        self.cdp.on("Network.dataReceived", self._data)
        self.cdp.on("Network.loadingFinished", self._finished)
        self.cdp.on("Network.loadingFailed", self._failed)

    def _request(self, event):
        if not event["request"]["url"].startswith(("data:", "blob:")):
            self._in_flight.add(event["requestId"])

    def _failed(self, event):
        self._in_flight.discard(event["requestId"])
        self._pending.pop(event["requestId"], None)

    def _response(self, event):
        response = event["response"]
        if response["url"].startswith(("data:", "blob:")) or response["status"] in (204, 304):
            return
        self._pending[event["requestId"]] = [response["url"], response.get("mimeType", ""), 0]

    def _data(self, event):
        if event["requestId"] in self._pending:
            self._pending[event["requestId"]][2] += event["dataLength"]

    def _finished(self, event):
        self._in_flight.discard(event["requestId"])
        entry = self._pending.pop(event["requestId"], None)
        if entry is not None and self._load is not None:
            self._load.responses.append((*entry, int(event["encodedDataLength"])))

    def open(self, url, timeout_ms=30000):
        """Load ``url`` and wait until it has settled; a PageLoad.

        Settled: the load event has fired (the page, its stylesheets, scripts and
        images are in), its fonts have loaded and been laid out, and every request
        the page started has finished, those started after the load event too.
        """
        self._pending.clear()
        self._in_flight.clear()
        self._load = PageLoad(url)
        self.page.goto(url, timeout=timeout_ms)
        self.page.evaluate(SETTLED)
        waited = 0
        while self._in_flight:
            if waited >= timeout_ms:
                raise TimeoutError(f"{url}: {len(self._in_flight)} requests still open")
            self.page.wait_for_timeout(10)  # lets the protocol's events arrive
            waited += 10
            if not self._in_flight:  # what they brought is laid out too
                self.page.evaluate(SETTLED)
        self._load.layout_shift = self.page.evaluate("window.__layoutShiftNow()")
        load, self._load = self._load, None
        return load


class _GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files, gzipped when the client accepts it and the type is text."""

    def log_message(self, *args):
        pass

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        kind = self.guess_type(path)
        if ("gzip" not in self.headers.get("Accept-Encoding", "") or not compressible(kind)
                or not os.path.isfile(path)):
            return super().send_head()
        with open(path, "rb") as f:
            body = gzip.compress(f.read(), 6)
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=3600")
        self.end_headers()
        return io.BytesIO(body)


def serve(directory, compress=True):
    """Serve ``directory`` on the loopback interface; returns (base URL, stop function)."""
    handler_class = _GzipHandler if compress else http.server.SimpleHTTPRequestHandler
    handler = functools.partial(handler_class, directory=str(directory))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()

    def stop():
        httpd.shutdown()
        httpd.server_close()

    return f"http://127.0.0.1:{httpd.server_address[1]}", stop
