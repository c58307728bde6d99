"""Link text reads as it should: no TeX source where a link names a section with math."""

import re
from html.parser import HTMLParser

import pytest

from site_build import EDITIONS, page_names

CODE = {"code", "pre", "kbd", "samp"}
VOID = {"br", "img", "wbr", "hr", "input", "meta", "link", "source"}
TEX_SOURCE = re.compile(r"\\[A-Za-z]+|\$|\b[A-Za-z]_[A-Za-z0-9{]")


class LinkTexts(HTMLParser):
    """The prose text of each link of a page, and whether it has typeset math.

    Code (``code``, ``pre``) and KaTeX's output are left out of the text: only
    prose can show TeX source by mistake.
    """

    def __init__(self):
        super().__init__()
        self.links = []   # [href, text, has typeset math]
        self.stack = []   # open elements inside the current link: (tag, left out)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and not self.stack:
            self.links.append([attrs.get("href", ""), "", False])
            self.stack.append(("a", False))
        elif self.stack:
            katex = "katex" in (attrs.get("class") or "").split()
            if katex:
                self.links[-1][2] = True
            left_out = katex or tag in CODE or self.stack[-1][1]
            if tag not in VOID:
                self.stack.append((tag, left_out))

    def handle_endtag(self, tag):
        if self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if self.stack and not self.stack[-1][1]:
            self.links[-1][1] += data


@pytest.mark.parametrize("edition", EDITIONS)
def test_no_link_shows_tex_source(site, edition):
    found = []
    for page in page_names(edition):
        parser = LinkTexts()
        parser.feed((site / edition / f"{page}.html").read_text(encoding="utf-8"))
        found += [f"{page}: {href} reads {text.strip()!r}" for href, text, _ in parser.links
                  if TEX_SOURCE.search(text)]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("edition", EDITIONS)
def test_link_to_a_section_with_math_typesets_it(site, edition):
    """The forget-gate page points to the section on why the output uses tanh again."""
    parser = LinkTexts()
    parser.feed((site / edition / "forget-gate.html").read_text(encoding="utf-8"))
    links = [link for link in parser.links if link[0].endswith("output-gate.html#why-tanh-again")]
    assert links and all(typeset for _, _, typeset in links)
