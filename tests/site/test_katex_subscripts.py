"""A lone subscript is written as one shifted span; the rest of KaTeX's output is kept."""

import re
import sys

import pytest

from site_build import DOCS

sys.path.insert(0, str(DOCS / "_ext"))
from katex_subscripts import flatten_subscripts  # noqa: E402

pytestmark = pytest.mark.site


@pytest.fixture(scope="module")
def render(tmp_path_factory):
    import sphinxcontrib.katex as katex
    import strict_katex  # configures the start-up

    rundir = tmp_path_factory.mktemp("katex")
    process, sock = katex.KaTeXServer.start_server_process(rundir, timeout=60.0)
    server = katex.KaTeXServer(rundir, process, sock)
    yield lambda tex: server.render({"latex": tex, "katex_options": {}})["html"]
    server.terminate()
    strict_katex._stop_servers()


def visible_text(html):
    return re.sub(r"<[^>]*>", "", html.split('class="katex-html"')[1]).replace("\u200b", "")


@pytest.mark.parametrize("tex, shift, kern", [
    ("x_t", "-0.15em", "margin-left:0em;"),
    ("h_{t-1}", "-0.15em", "margin-left:0em;"),
    ("W_{if}", "-0.15em", "margin-left:-0.1389em;"),
    ("f_t = \\sigma(W_{if} x_t + b_{if})", "-0.15em", "margin-left:-0.1076em;"),
])
def test_lone_subscripts_become_one_span(render, tex, shift, kern):
    katex_html = render(tex)
    flat = flatten_subscripts(katex_html)
    assert "vlist" not in flat and "pstrut" not in flat
    assert f'<span style="line-height:0;vertical-align:{shift};{kern}margin-right:0.05em;">' in flat
    assert visible_text(flat) == visible_text(katex_html)
    mathml = re.compile(r'<span class="katex-mathml">.*?</math></span>', re.S)
    assert mathml.search(flat).group(0) == mathml.search(katex_html).group(0)
    assert flat.count("<span") == flat.count("</span>")


@pytest.mark.parametrize("tex", ["h_t^2", "W_{hh}^\\top", "x^2", "\\tilde{C}", "\\tfrac{3}{4}",
                                 "\\sum_{t=1}^{T} x"])
def test_other_vertical_lists_are_kept(render, tex):
    katex_html = render(tex)
    assert flatten_subscripts(katex_html) == katex_html


def test_a_subscript_after_a_kept_one_is_still_flattened(render):
    flat = flatten_subscripts(render("h_t^2 + W_{hh}^\\top x_t"))
    assert flat.count("vlist-t2") == 2 and flat.count("line-height:0;vertical-align") == 1
