"""A build after an edit writes the very site that a build from nothing writes for the
same sources: an incremental build leaves no trace of the build before it."""

import filecmp
import shutil

import pytest

from site_build import EDITIONS, NOTEBOOK_HEADER, make, project_copy, write_pages

INDEX = "# Index\n\n```{toctree}\n:glob:\n\n*\n```\n"
PAGES = {
    "index": INDEX,
    "executed": NOTEBOOK_HEADER + "# Executed\n\n```{code-cell} ipython3\nprint(6 * 7)\n```\n",
    # Documented objects put index entries in the search index.
    "api": "# API\n\n```{eval-rst}\n.. autofunction:: lstm_ref.sigmoid\n\n"
           ".. autofunction:: lstm_ref.tanh\n```\n",
    "prose": "# Prose\n\nThe forget gate $f_t$ keeps part of $c_{t-1}$.\n",
}
# The edit drops a word ("part") that no other page has, and brings a new one; the
# stylesheet every page links changes too.
EDITED = {"prose": "# Prose\n\nThe forget gate $f_t$ keeps a share of $c_{t-1}$, unit by unit.\n"}


def differences(comparison, where=""):
    """Every file that is in one tree only, or in both with other bytes."""
    found = [f"{where}{name} in one tree only" for name in comparison.left_only + comparison.right_only]
    _, mismatch, errors = filecmp.cmpfiles(comparison.left, comparison.right,
                                           comparison.common_files, shallow=False)
    found += [f"{where}{name} differs" for name in mismatch + errors]
    for name, sub in comparison.subdirs.items():
        found += differences(sub, f"{where}{name}/")
    return found


@pytest.mark.slow
def test_an_edit_rebuilds_what_a_cold_build_writes(tmp_path):
    project = project_copy(tmp_path / "project", PAGES)
    status, log = make(project, "html")
    assert status == 0, log[-6000:]
    for edition in EDITIONS:
        write_pages(project, edition, EDITED)
    with (project / "docs" / "_static" / "site.css").open("a", encoding="utf-8") as css:
        css.write("\n.edited { color: inherit; }\n")     # every page links it with a checksum
    status, log = make(project, "html")
    assert status == 0 and "prose" in log, log[-6000:]
    site = project / "_build" / "html"
    assert "keeps a share" in (site / "en" / "prose.html").read_text(encoding="utf-8")
    incremental = shutil.move(site, tmp_path / "incremental")

    status, log = make(project, "clean", "html")
    assert status == 0, log[-6000:]
    assert differences(filecmp.dircmp(incremental, site, ignore=[])) == []
