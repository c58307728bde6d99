"""Full-text search for Korean pages: Hangul as overlapping syllable bigrams.

Korean attaches particles and endings to words (모델입니다, 곱셈과), so the
space-separated words that Sphinx indexes by default never equal what a reader
types (모델, 곱셈). Here every run of Hangul is indexed as its single syllables
and its overlapping two-syllable pairs; a query's Hangul is split into pairs
(or kept as one syllable), so 곱셈 finds 곱셈과 and 기울기 finds 기울기를.
Latin-script words are stemmed as in the English edition.
"""

import re

import snowballstemmer
from sphinx.search import SearchLanguage
from sphinx.search._stopwords.en import ENGLISH_STOPWORDS

HANGUL = "\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f"
_TOKEN = re.compile(rf"[{HANGUL}]+|[^\W{HANGUL}]+")
_IS_HANGUL = re.compile(rf"[{HANGUL}]")


def hangul_index_terms(run):
    """The index terms of one run of Hangul: its syllables and its syllable pairs."""
    return list(run) + [run[k:k + 2] for k in range(len(run) - 1)]


def hangul_query_terms(run):
    """The query terms of one run of Hangul: its pairs, or the syllable if alone."""
    return [run] if len(run) == 1 else [run[k:k + 2] for k in range(len(run) - 1)]


def split_text(text):
    """Index terms of a text: Hangul runs expanded, other word runs kept whole."""
    terms = []
    for token in _TOKEN.findall(text):
        terms.extend(hangul_index_terms(token) if _IS_HANGUL.match(token) else [token])
    return terms


# The same split for queries, run by Sphinx's searchtools.js in the browser, and a
# stemmer that leaves Hangul alone and stems Latin words like the English edition.
JS_SPLITTER = r"""
const HANGUL_RUN = /^[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]+$/u;
function splitQuery(query) {
  const tokens = query.match(
    /[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]+|(?:(?![\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f])[\p{L}\p{N}\p{M}_])+/gu
  ) || [];
  const terms = [];
  for (const token of tokens) {
    if (!HANGUL_RUN.test(token) || token.length === 1) { terms.push(token); continue; }
    for (let k = 0; k + 1 < token.length; k++) terms.push(token.slice(k, k + 2));
  }
  return terms;
}
const LatinStemmer = window.Stemmer;
window.Stemmer = function () {
  const latin = new LatinStemmer();
  this.stemWord = (word) => (HANGUL_RUN.test(word) ? word : latin.stemWord(word));
};
"""


class SearchKorean(SearchLanguage):
    lang = "ko"
    language_name = "English"  # names the snowball stemmer used for Latin words
    js_stemmer_rawcode = "english-stemmer.js"
    js_splitter_code = JS_SPLITTER
    stopwords = ENGLISH_STOPWORDS

    def __init__(self, options):
        super().__init__(options)
        self.stemmer = snowballstemmer.stemmer("english")

    def split(self, input):
        return split_text(input)

    def stem(self, word):
        return word if _IS_HANGUL.search(word) else self.stemmer.stemWord(word.lower())

    def word_filter(self, word):
        return bool(_IS_HANGUL.search(word)) or super().word_filter(word)


def setup(app):
    app.add_search_language(SearchKorean)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
