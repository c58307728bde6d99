"""Where the site's sources and build live, which pages each edition has, and small
copies of the project to build in a temporary folder."""

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
BUILD = ROOT / "_build"
SITE = BUILD / "html"
EDITIONS = ("en", "ko")

# What a copy of the project needs to build: its configuration, Makefile, package and the
# shared parts of docs/ (each edition's pages are the test's own).
PROJECT_FILES = ("conf.py", "Makefile", "pyproject.toml", "docs/references.bib")
PROJECT_FOLDERS = ("src/lstm_ref", "docs/_ext", "docs/_static", "docs/_templates", "docs/locale",
                   "docs/root")

NOTEBOOK_HEADER = """---
file_format: mystnb
kernelspec:
  name: python3
  display_name: Python 3
---

"""


def page_names(edition):
    """Page names of an edition's source tree, e.g. ``lstm-cell``."""
    tree = DOCS / edition
    return sorted(str(p.relative_to(tree).with_suffix("")) for p in tree.rglob("*.md"))


def project_copy(folder, pages):
    """A copy of the project in ``folder`` whose editions hold ``pages`` ({name: text}).

    It shares the project's .venv (its pyproject.toml keeps its time, so `make` does not
    install again) but has its own build and execution cache.
    """
    folder = Path(folder)
    for name in PROJECT_FILES:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, folder / name)
    for name in PROJECT_FOLDERS:
        shutil.copytree(ROOT / name, folder / name, ignore=shutil.ignore_patterns(
            "__pycache__", "*.mo"))
    (folder / ".venv").symlink_to(ROOT / ".venv")
    for edition in EDITIONS:
        (folder / "docs" / edition).mkdir()
        write_pages(folder, edition, pages)
    return folder


def write_pages(folder, edition, pages):
    for name, text in pages.items():
        path = Path(folder) / "docs" / edition / f"{name}.md"
        if text is None:
            path.unlink(missing_ok=True)
        else:
            path.write_text(text, encoding="utf-8")


# How the builds of copies differ from the project's own, where that changes no outcome:
# - what the end of a build computes from the bytes of each page, stylesheet and font (the
#   stylesheets' trim, the font subsets) is kept in one folder that every copy shares
#   (docs/_ext/content_memo.py), found by those bytes and the code that computes it, so a
#   copy reuses what an earlier copy computed for the very same bytes instead of starting cold;
# - the kernels' fork server (docs/_ext/kernel_forkserver.py) imports ipykernel alone, not
#   torch, matplotlib and the rest: the copies' pages import none of them (a page that did
#   would import it itself), and a copy runs too few pages to pay those imports back.
COPY_ENV = {
    "LSTM_REF_CONTENT_MEMO": str(BUILD / "copies-memo"),
    "LSTM_REF_KERNEL_PRELOAD": "ipykernel.kernelapp,ipykernel.debugger",
}


def copy_env(**more):
    """The environment for a build of a copy: this one, without make's variables (a copy
    is built by a `make` of its own), with COPY_ENV and ``more``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}
    return {**env, **COPY_ENV, **more}


def make(folder, *targets, timeout=900):
    """Run `make` in ``folder``; return its status and its whole output."""
    env = copy_env()
    result = subprocess.run(["make", "--no-print-directory", *targets], cwd=folder, env=env,
                            capture_output=True, text=True, timeout=timeout)
    return result.returncode, result.stdout + result.stderr
