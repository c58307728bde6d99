"""Sphinx configuration shared by both editions of the site.

Each edition is its own Sphinx project with this file as configuration:

    sphinx-build -c . -D language=en docs/en _build/html/en
    sphinx-build -c . -D language=ko docs/ko _build/html/ko

``make html`` runs both (strictly: warnings are errors) and adds the root page
that sends a reader to the edition of their browser's language.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "docs" / "_ext"))

import execution_freshness  # noqa: E402  (needs the path above)

project = "lstm-ref"
author = "the lstm-ref authors"
copyright = "2026, the lstm-ref authors"
language = "en"  # overridden per edition with -D language=ko

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinxcontrib.katex",
    "editions",
    "korean_search",
    "strict_katex",
    "execution_freshness",
    "sphinxcontrib.bibtex",
    "claims",
]

exclude_patterns = ["_build", "**.ipynb_checkpoints"]
templates_path = [str(ROOT / "docs" / "_templates")]
locale_dirs = [str(ROOT / "docs" / "locale")]
gettext_compact = False

# -- MyST and notebook execution ---------------------------------------------
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist"]
nb_execution_mode = "cache"
# The cache is keyed by the code of the package and the versions of what the
# pages import, so a change there can never serve outputs of older code.
nb_execution_cache_path = str(execution_freshness.cache_path(ROOT))
nb_execution_timeout = 300
# A failing cell is a warning (so an error in this strict build) rather than an
# exception: the build goes on and reports every failing page; each traceback is
# kept in _build/<edition>/html/reports/, the warnings in _build/<edition>/warnings.log.
nb_execution_raise_on_error = False
nb_execution_show_tb = True
nb_merge_streams = True
# Anything a cell writes to stderr (a stray warning) fails the strict build.
nb_output_stderr = "warn"
# Markdown that cells display (tables of computed values) is parsed as MyST.
nb_render_markdown_format = "myst"

# -- Claims and citations ------------------------------------------------------
# A claim in prose names the executed check or the citation behind it (see
# docs/_ext/claims.py and CONTRIBUTING.md); both editions cite from one file.
bibtex_bibfiles = ["docs/references.bib"]   # relative to this file
bibtex_default_style = "unsrt"      # numbered in order of first citation
bibtex_reference_style = "label"    # [1], [2], ... in the text
claims_editions = ("en", "ko")
numfig = True                       # plots with a caption are numbered figures

# -- Math: rendered to HTML at build time by KaTeX, no script at view time ---
katex_prerender = True
katex_css_path = "katex/katex.min.css"  # vendored under docs/_static/katex

# -- HTML ---------------------------------------------------------------------
html_theme = "sphinx_book_theme"
html_static_path = [str(ROOT / "docs" / "_static")]
html_css_files = ["site.css"]
html_title = "lstm-ref"
html_favicon = "docs/_static/favicon.svg"
html_context = {"default_mode": "auto"}  # light or dark as the reader's system prefers
html_last_updated_fmt = None
html_copy_source = True
html_theme_options = {
    "article_header_end": ["language-switcher.html", "article-header-buttons.html"],
    "use_download_button": True,
    "use_fullscreen_button": False,
    "show_toc_level": 2,
    "navigation_with_keys": False,
}

# -- autodoc ------------------------------------------------------------------
autodoc_default_options = {"members": True, "member-order": "bysource"}
autodoc_typehints = "none"
autodoc_preserve_defaults = True  # show defaults as written (np.float32)
napoleon_numpy_docstring = True
napoleon_google_docstring = False
# Types named in the numpy-style docstrings that live in other projects' docs;
# with no network at build time there is no inventory to link them to.
nitpick_ignore_regex = [
    ("py:class", r"numpy(\..*)?|numpy dtype|torch\..*"),
    ("py:class", r"array_like|optional|callable|sequence( of str)?"),
]
