"""Sphinx configuration shared by both editions of the site.

Each edition is its own Sphinx project with this file as configuration:

    sphinx-build -c . -D language=en docs/en _build/html/en
    sphinx-build -c . -D language=ko docs/ko _build/html/ko

``make html`` runs both (strictly: warnings are errors) and adds the root page
that sends a reader to the edition of their browser's language.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "docs" / "_ext"))

project = "lstm-ref"
author = "the lstm-ref authors"
copyright = "2026, the lstm-ref authors"
language = "en"  # overridden per edition with -D language=ko

extensions = [
    "entry_point_scan",   # first: before the bibliography's modules are imported
    "notebook_cache_reader",   # before myst_nb: a cached page is read without jupyter-cache
    "myst_nb",
    "mystnb_stylesheet",
    "static_digest",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinxcontrib.katex",
    "editions",
    "korean_search",
    "strict_katex",
    "execution_freshness",
    "stream_chunks",
    "figure_style",
    "ipc_kernels",
    "failed_builds",
    "edition_parity",
    "stale_outputs",
    "build_phases",
    "sphinxcontrib.bibtex",
    "claims",
    "image_sizes",
    "js_translations",
    "site_search",
    "search_index_entries",
    "page_descriptions",
    "cell_toggles",
    "bibliography_markup",
    "section_ref_titles",
    "eval_rst_documents",
    "figure_outlines",
    "nonempty_templates",
    "template_bytecode",
    "highlight_memo",     # code a page highlighted before is not highlighted again
    "sphinx_copybutton",
    "sphinx_sitemap",
    "lazy_social_cards",   # before sphinxext.opengraph: its matplotlib only when needed
    "sphinxext.opengraph",
    "unused_css",
    "icon_subset",
    "math_font_subset",
    "png_palettes",
    "section_sizes",
    "katex_subscripts",
]

exclude_patterns = ["_build", "**.ipynb_checkpoints"]
templates_path = [str(ROOT / "docs" / "_templates")]
# The .po files live in docs/locale; `make` compiles them into _build/locale.
locale_dirs = [str(ROOT / "_build" / "locale")]
gettext_compact = False

# -- MyST and notebook execution ---------------------------------------------
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist"]
nb_execution_mode = "cache"
# execution_freshness keys the cache by the code of the package and the versions
# of what the pages import (a subfolder of this one), so a change there can never
# serve outputs of older code.
nb_execution_cache_path = str(ROOT / ".jupyter_cache")
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
html_js_files = [("edition-switcher.js", {"defer": "defer"}), ("scroll-boxes.js", {"defer": "defer"}),
                 ("bootstrap-on-demand.js", {"defer": "defer"}), ("theme-after-paint.js", {"defer": "defer"})]
html_title = "lstm-ref"
html_favicon = "docs/_static/favicon.svg"
html_context = {"default_mode": "auto"}  # light or dark as the reader's system prefers
html_last_updated_fmt = None
html_copy_source = True
# No module index: the package's three modules are all on the API page, and
# the index's collapse toggle is an image without a text alternative.
html_domain_indices = False
html_theme_options = {
    "article_header_end": ["language-switcher.html", "article-header-buttons.html"],
    "use_download_button": True,
    "use_fullscreen_button": False,
    "show_toc_level": 2,
    "navigation_with_keys": False,
    # The theme's own search field already sits at the top of the page list.
    "navbar_persistent": [],
}
# Figures, tables and listings with a caption are numbered ("Figure 1", "그림 1").
numfig = True

# Where the site is published, so that canonical, hreflang, Open Graph and
# sitemap URLs are absolute. Read the Docs names each edition's own URL
# (its language and version included); the Pages workflow sets
# LSTM_REF_BASE_URL to the site's root, under which each edition has its folder
# (editions.py appends it). A local build points at `make serve`'s address.
html_baseurl = os.environ.get("READTHEDOCS_CANONICAL_URL") or os.environ.get(
    "LSTM_REF_BASE_URL", "http://127.0.0.1:8000/")
# The edition (and on Read the Docs the version) is part of html_baseurl already.
sitemap_url_scheme = "{link}"
sitemap_locales = [None]  # the other edition is a sitemap of its own

# Open Graph tags so that a shared link has a title, a description and a picture;
# the first paragraph of each page is also its <meta name="description">.
ogp_site_name = "lstm-ref"
ogp_image = "_static/og-image.png"
ogp_social_cards = {"enable": False}  # drawing them needs matplotlib fonts at build time
ogp_enable_meta_description = True
ogp_description_length = 160

# Copy buttons on code cells; prompts (>>>, ...) and doctest output are left out.
copybutton_exclude = ".linenos, .gp, .go"
copybutton_selector = "div.cell_input div.highlight pre, div.highlight-python pre, div.highlight-default pre"

# -- autodoc ------------------------------------------------------------------
autodoc_default_options = {"members": True, "member-order": "bysource"}
autodoc_typehints = "none"
autodoc_preserve_defaults = True  # show defaults as written (np.float32)
napoleon_numpy_docstring = True
napoleon_google_docstring = False
# Types are read as numpydoc writes them: value sets such as {"LSTM", "GRU"} are
# literals, "optional" and "of" are words, every other name links to its class.
napoleon_preprocess_types = True
# Types named in the numpy-style docstrings that live in other projects' docs;
# with no network at build time there is no inventory to link them to.
nitpick_ignore_regex = [
    ("py:class", r"numpy(\..*)?|numpy dtype|torch\..*"),
    ("py:class", r"array_like|optional|callable|sequence( of str)?"),
]
# The Keras and ONNX objects that lstm_ref.convert takes and returns: with no
# network at build time there is no inventory of their documentation to link
# them to. Listed one by one, so that a misspelt name of our own still fails.
nitpick_ignore = [
    ("py:class", "keras.Model"),
    ("py:class", "keras.Sequential"),
    ("py:class", "keras.layers.Layer"),
    ("py:class", "onnx.ModelProto"),
]
