"""KaTeX's HTML for a formula kept with the page that showed it, so unchanged math is not rendered again.

KaTeX renders a formula from its TeX and its options alone (each request to the
render server carries its own options; nothing persists between requests), so
the HTML a build got for a formula is the HTML the next build would get, as long
as KaTeX, the render server's script and the options are the same. A one-page
edit writes that page (and its parents in the toctree) again: without this, it
started node and rendered every formula of those pages anew.

Each written page keeps, beside the doctrees (``katex-memo/<page>.json``), the
HTML of every formula it rendered, found by a hash of the formula, its options
and the bytes of KaTeX and of the server's script. A page written again looks
its formulas up there first and asks the server only for the others; the render
server starts only when some formula is not found. A formula KaTeX rejects is
never kept, so invalid TeX fails every build, as before (``strict_katex``). A
page's file is replaced by what it rendered in the last build that wrote it, and
removed with the page.
"""

import hashlib
import json
import os
from pathlib import Path

import sphinxcontrib.katex as katex
from page_memo import PageMemo

FOLDER = "katex-memo"

_memo = PageMemo(FOLDER)
_state = {"code": None}


def renderer_code():
    """A hash of what makes KaTeX's output: its script, the server's and the default options."""
    digest = hashlib.sha256(json.dumps(katex.KATEX_DEFAULT_OPTIONS, sort_keys=True).encode())
    command = katex.KaTeXServer.build_command()
    scripts = [katex.SCRIPT_PATH]
    if "--katex" in command:   # the library, as the server's require() resolves it
        scripts.append(os.path.join(katex.SRC_DIR, command[command.index("--katex") + 1] + ".js"))
    for script in scripts:
        digest.update(b"\0" + Path(script).read_bytes())
    return digest.digest()


def remembering(render):
    def render_latex(latex, options=None):
        app = _memo.app
        if app is None or getattr(app.builder, "format", None) != "html":
            return render(latex, options)
        if _state["code"] is None:
            _state["code"] = renderer_code()
        docname = getattr(app.builder, "current_docname", "") or ""
        key = hashlib.sha256(_state["code"] + json.dumps([latex, options], sort_keys=True)
                             .encode()).hexdigest()
        html = _memo.get(docname, key)
        if html is None:
            html = render(latex, options)   # raises KaTeXError on invalid TeX: never kept
        _memo.use(docname, key, html)
        return html

    render_latex.remembers = True
    return render_latex


def keep(app, exception):
    """Each page written by this build keeps the formulas it rendered; a removed page, none."""
    _memo.keep(app, exception)


def start(app):
    _state["code"] = None
    _memo.start(app)


def setup(app):
    if not getattr(katex.render_latex, "remembers", False):
        katex.render_latex = remembering(katex.render_latex)
    app.connect("builder-inited", start)
    app.connect("build-finished", keep)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
