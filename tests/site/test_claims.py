"""A claim must name a check that ran and passed, or a citation; both editions make the same claims.

Each test builds a small copy of the site (one page, the site's own configuration)
in a temporary folder, strictly, as `make html` does.
"""

import subprocess
import sys

import pytest

from site_build import ROOT

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


def build(tmp_path, pages):
    """Build the edition(s) in ``pages`` ({edition: page source}); the first one's result."""
    for edition, page in pages.items():
        source = tmp_path / edition
        source.mkdir()
        (source / "index.md").write_text(page, encoding="utf-8")
    edition = next(iter(pages))
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-c", str(ROOT), "-W", "--keep-going", "-n",
         "-b", "html", "-D", f"language={edition}", "-d", str(tmp_path / "doctrees"),
         str(tmp_path / edition), str(tmp_path / "html")],
        capture_output=True, text=True, timeout=600)
    return result.returncode, result.stdout + result.stderr


def test_a_claim_backed_by_a_passing_check_builds_and_shows_its_mark(tmp_path):
    page = HEADER + CHECK + "One and one make {claim}`two <one-and-one>`.\n"
    status, log = build(tmp_path, {"en": page})
    assert status == 0, log
    html = (tmp_path / "html" / "index.html").read_text(encoding="utf-8")
    assert 'href="#check-one-and-one"' in html             # the mark links to the check
    assert 'id="check-one-and-one"' in html                # which is the cell
    assert "assert total == 2, &#x27;arithmetic&#x27;" in html or \
        "assert total == 2, 'arithmetic'" in html           # the assert, shown on hover


def test_a_passage_backed_by_a_check_builds(tmp_path):
    page = HEADER + CHECK + ":::{claim} one-and-one\nOne and one make two.\n\nAlways.\n:::\n"
    status, log = build(tmp_path, {"en": page})
    assert status == 0, log
    html = (tmp_path / "html" / "index.html").read_text(encoding="utf-8")
    assert "claim-block" in html and 'href="#check-one-and-one"' in html


@pytest.mark.parametrize("claim, message", [
    ("{claim}`two`", "claim names no check and no citation"),
    ("{claim}`two <one-and-two>`", "claim names check 'one-and-two', which no page defines"),
    (":::{claim}\nTwo.\n:::", "claim names no check and no citation"),
])
def test_a_claim_without_an_existing_check_fails_the_build_at_its_line(tmp_path, claim, message):
    page = HEADER + CHECK + "One and one make\n" + claim + "\n"
    status, log = build(tmp_path, {"en": page})
    assert status != 0
    line = page.splitlines().index(claim.splitlines()[0]) + 1
    assert message in log
    assert f"index.md:{line}" in log or f"index.md:{line - 1}" in log, log


def test_a_claim_whose_check_did_not_run_fails_the_build(tmp_path):
    check = CHECK.replace(":check: one-and-one", ":check: one-and-one\n:tags: [skip-execution]")
    page = HEADER + check + "One and one make {claim}`two <one-and-one>`.\n"
    status, log = build(tmp_path, {"en": page})
    assert status != 0
    assert "claim names check 'one-and-one', whose cell did not run" in log


def test_a_claim_whose_check_fails_fails_the_build(tmp_path):
    page = HEADER + CHECK.replace("total == 2", "total == 3") + \
        "One and one make {claim}`three <one-and-one>`.\n"
    status, log = build(tmp_path, {"en": page})
    assert status != 0
    assert "claim names check 'one-and-one', whose cell failed" in log


def test_a_check_with_no_assert_cannot_back_a_claim(tmp_path):
    page = HEADER + CHECK.replace("assert total == 2, 'arithmetic'", "total") + \
        "One and one make {claim}`two <one-and-one>`.\n"
    status, log = build(tmp_path, {"en": page})
    assert status != 0
    assert "whose cell asserts nothing" in log


def test_a_claim_from_the_literature_names_its_citation(tmp_path):
    page = HEADER + ("The LSTM is from {claim}`1997 <cite:hochreiter1997long>`.\n\n"
                     "```{bibliography}\n```\n")
    status, log = build(tmp_path, {"en": page})
    assert status == 0, log
    html = (tmp_path / "html" / "index.html").read_text(encoding="utf-8")
    assert "long short-term memory" in html.lower() and "[<a" in html      # numbered, listed


def test_the_editions_must_make_the_same_claims(tmp_path):
    english = HEADER + CHECK + "One and one make {claim}`two <one-and-one>`.\n"
    korean = HEADER + CHECK + "1 더하기 1은 2입니다.\n"           # the claim is missing here
    status, log = build(tmp_path, {"en": english, "ko": korean})
    assert status != 0
    assert "the ko edition of this page has other claims" in log and "<one-and-one>" in log
