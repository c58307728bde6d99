"""A claim must name a check that ran and passed, or a citation; both editions make the same claims.

The tests build small copies of the site (the site's own configuration) in a
temporary folder, strictly, as `make html` does: the pages that must build in
one build, each page that must fail the build in another (every failure is
reported, each at its own page, beside a page whose editions disagree).
"""

import subprocess
import sys

import pytest

from site_build import ROOT, copy_env

# Each fixture builds a small site with the project's configuration: seconds each.
pytestmark = pytest.mark.slow

HEADER = """---
file_format: mystnb
kernelspec:
  name: python3
  display_name: Python 3
---

# A page

"""

CHECK = """```{code-cell} ipython3
:check: one-and-one
total = 1 + 1
assert total == 2, 'arithmetic'
```

"""


def build(folder, pages):
    """Build the edition(s) in ``pages`` ({edition: {page name: source}}); the first one's
    status and log. The first edition's index page lists its other pages."""
    for edition, sources in pages.items():
        source = folder / edition
        source.mkdir()
        others = sorted(set(sources) - {"index"})
        index = sources.get("index", "# Pages\n")
        if others:
            index += "\n```{toctree}\n" + "\n".join(others) + "\n```\n"
        for name, page in {**sources, "index": index}.items():
            (source / f"{name}.md").write_text(page, encoding="utf-8")
    edition = next(iter(pages))
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-c", str(ROOT), "-W", "--keep-going", "-n",
         "-b", "html", "-D", f"language={edition}", "-d", str(folder / "doctrees"),
         str(folder / edition), str(folder / "html")],
        capture_output=True, text=True, timeout=600, env=copy_env())
    return result.returncode, result.stdout + result.stderr


# -- pages that build ----------------------------------------------------------------

PASSING = {
    "claim": HEADER + CHECK + "One and one make {claim}`two <one-and-one>`.\n",
    "passage": HEADER + CHECK + ":::{claim} one-and-one\nOne and one make two.\n\nAlways.\n:::\n",
    "citation": HEADER + ("The LSTM is from {claim}`1997 <cite:hochreiter1997long>`.\n\n"
                          "```{bibliography}\n```\n"),
}


@pytest.fixture(scope="module")
def passing(tmp_path_factory):
    """The folder of one build of every page that must build, and that build's log."""
    folder = tmp_path_factory.mktemp("passing")
    status, log = build(folder, {"en": PASSING})
    assert status == 0, log
    return folder / "html"


def test_a_claim_backed_by_a_passing_check_builds_and_shows_its_mark(passing):
    html = (passing / "claim.html").read_text(encoding="utf-8")
    assert 'href="#check-one-and-one"' in html             # the mark links to the check
    assert 'id="check-one-and-one"' in html                # which is the cell
    assert "assert total == 2, &#x27;arithmetic&#x27;" in html or \
        "assert total == 2, 'arithmetic'" in html           # the assert, shown on hover


def test_a_passage_backed_by_a_check_builds(passing):
    html = (passing / "passage.html").read_text(encoding="utf-8")
    assert "claim-block" in html and 'href="#check-one-and-one"' in html


def test_a_claim_from_the_literature_names_its_citation(passing):
    html = (passing / "citation.html").read_text(encoding="utf-8")
    assert "long short-term memory" in html.lower() and "[<a" in html      # numbered, listed


# -- pages that each fail the build ------------------------------------------------------

UNBACKED = [
    ("{claim}`two`", "claim names no check and no citation"),
    ("{claim}`two <one-and-two>`", "claim names check 'one-and-two', which no page defines"),
    (":::{claim}\nTwo.\n:::", "claim names no check and no citation"),
]
FAILING = {
    **{f"unbacked-{k}": HEADER + CHECK + "One and one make\n" + claim + "\n"
       for k, (claim, _) in enumerate(UNBACKED)},
    "not-run": HEADER + CHECK.replace(":check: one-and-one", ":check: one-and-one\n:tags: [skip-execution]")
    + "One and one make {claim}`two <one-and-one>`.\n",
    "failing": HEADER + CHECK.replace("total == 2", "total == 3")
    + "One and one make {claim}`three <one-and-one>`.\n",
    "no-assert": HEADER + CHECK.replace("assert total == 2, 'arithmetic'", "total")
    + "One and one make {claim}`two <one-and-one>`.\n",
}


# Both editions of this page make the same check; the Korean one lacks the claim.
ENGLISH = HEADER + CHECK + "One and one make {claim}`two <one-and-one>`.\n"
KOREAN = HEADER + CHECK + "1 더하기 1은 2입니다.\n"


@pytest.fixture(scope="module")
def failing(tmp_path_factory):
    """The status and log of one build of every page that must fail it, the English
    edition's, with a Korean edition whose one page disagrees with its English twin
    (the other pages have none, which fails the build too)."""
    return build(tmp_path_factory.mktemp("failing"),
                 {"en": {**FAILING, "editions": ENGLISH}, "ko": {"editions": KOREAN}})


def lines_about(log, page):
    return [line for line in log.splitlines() if f"{page}.md" in line]


@pytest.mark.parametrize("k", range(len(UNBACKED)))
def test_a_claim_without_an_existing_check_fails_the_build_at_its_line(failing, k):
    status, log = failing
    claim, message = UNBACKED[k]
    page = FAILING[f"unbacked-{k}"]
    assert status != 0
    line = page.splitlines().index(claim.splitlines()[0]) + 1
    reported = [text for text in lines_about(log, f"unbacked-{k}") if message in text]
    assert any(f"unbacked-{k}.md:{line}" in text or f"unbacked-{k}.md:{line - 1}" in text
               for text in reported), log


def test_a_claim_whose_check_did_not_run_fails_the_build(failing):
    status, log = failing
    assert status != 0
    assert any("claim names check 'one-and-one', whose cell did not run" in line
               for line in lines_about(log, "not-run")), log


def test_a_claim_whose_check_fails_fails_the_build(failing):
    status, log = failing
    assert status != 0
    assert any("claim names check 'one-and-one', whose cell failed" in line
               for line in lines_about(log, "failing")), log


def test_a_check_with_no_assert_cannot_back_a_claim(failing):
    status, log = failing
    assert status != 0
    assert any("whose cell asserts nothing" in line for line in lines_about(log, "no-assert")), log


# -- editions that disagree -----------------------------------------------------------

def test_the_editions_must_make_the_same_claims(failing):
    status, log = failing
    assert status != 0
    assert any("other claims than the twin" in line and "<one-and-one>" in line
               for line in lines_about(log, "editions")), log
