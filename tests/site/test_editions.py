"""The two editions are equals: same pages, same sections, same executed cells."""

import html.parser
import re

import pytest

from myst_pages import code_cells, structure, untranslatable
from site_build import DOCS, EDITIONS, page_names

PAGES = page_names("en")
NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?")


def read(edition, page):
    return (DOCS / edition / f"{page}.md").read_text(encoding="utf-8")


def test_every_page_exists_in_every_edition():
    for edition in EDITIONS:
        assert page_names(edition) == PAGES, f"pages differ between en and {edition}"


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("edition", [e for e in EDITIONS if e != "en"])
def test_same_sections(edition, page):
    assert structure(read(edition, page)) == structure(read("en", page))


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("edition", [e for e in EDITIONS if e != "en"])
def test_same_code(edition, page):
    """Code cells agree but for comments and strings, which may be translated."""
    ours = [untranslatable(c) for c in code_cells(read(edition, page))]
    reference = [untranslatable(c) for c in code_cells(read("en", page))]
    assert ours == reference


class CellOutputs(html.parser.HTMLParser):
    """The executed outputs a reader sees: per ``div.cell_output``, its text and images."""

    def __init__(self):
        super().__init__()
        self.cells, self.open_divs = [], []

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag == "div":
            starts = "cell_output" in classes and not any(self.open_divs)
            if starts:
                self.cells.append({"text": [], "images": 0})
            self.open_divs.append(starts or (bool(self.open_divs) and self.open_divs[-1]))
        elif tag == "img" and any(self.open_divs):
            self.cells[-1]["images"] += 1

    def handle_endtag(self, tag):
        if tag == "div" and self.open_divs:
            self.open_divs.pop()

    def handle_data(self, data):
        if any(self.open_divs):
            self.cells[-1]["text"].append(data)


def outputs(site, edition, page):
    """Each executed cell's output as (number of images, the numbers in its text)."""
    parser = CellOutputs()
    parser.feed((site / edition / f"{page}.html").read_text(encoding="utf-8"))
    return [(cell["images"], NUMBER.findall("".join(cell["text"]))) for cell in parser.cells]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("edition", [e for e in EDITIONS if e != "en"])
def test_same_outputs(site, edition, page):
    """Executed outputs have the same kinds and the same numbers in both editions."""
    ours, reference = outputs(site, edition, page), outputs(site, "en", page)
    assert ours == reference
    if code_cells(read("en", page)):
        assert reference, f"{page} has code cells but no outputs were found"
