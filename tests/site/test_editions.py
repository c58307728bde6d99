"""The two editions are equals: same pages, same sections, same executed cells."""

import html.parser
import re
import sys
from pathlib import Path

import pytest

from site_build import DOCS, EDITIONS, page_names

sys.path.insert(0, str(DOCS / "_ext"))
from edition_parity import Page, code_cells, same_code, same_sections, structure, untranslatable  # noqa: E402

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
    def shape(text):
        return [item[:-1] for item in structure(text)]    # lines may differ
    assert shape(read(edition, page)) == shape(read("en", page))


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("edition", [e for e in EDITIONS if e != "en"])
def test_same_code(edition, page):
    """Code cells agree but for comments and strings, which may be translated."""
    ours = [untranslatable(c) for c, _ in code_cells(read(edition, page))]
    reference = [untranslatable(c) for c, _ in code_cells(read("en", page))]
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


PAGE = """# Title

(a-label)=
## A section

```{code-cell} ipython3
x = 1  # one
print("x is", x)
```
"""


def pages(english, korean):
    return Page("en", Path("docs/en/p.md"), english), Page("ko", Path("docs/ko/p.md"), korean)


def test_the_build_accepts_translated_comments_and_strings():
    korean = PAGE.replace("# one", "# 하나").replace('"x is"', '"x의 값"').replace("Title", "제목")
    assert same_sections(None, *pages(PAGE, korean)) == []
    assert same_code(None, *pages(PAGE, korean)) == []


def test_the_build_names_a_missing_section_and_where():
    korean = PAGE.replace("(a-label)=\n## A section\n", "")
    [(line, twin_line, message)] = same_sections(None, *pages(PAGE, korean))
    assert (line, twin_line) == (3, 4) and "label '(a-label)='" in message


def test_the_build_names_a_cell_executed_in_one_edition_only():
    english = PAGE + "\n```{code-cell} ipython3\nprint(2)\n```\n"
    [(line, _, message)] = same_code(None, *pages(english, PAGE))
    assert line == 11 and "executed in one edition only" in message
    [(_, _, message)] = same_code(None, *pages(PAGE, PAGE.replace("x = 1", "x = 2")))
    assert "code cell 1 differs" in message
