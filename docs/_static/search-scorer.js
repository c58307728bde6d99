// Ranks search results: a page whose title holds every query word first, then
// a page with a heading that does, then the other matches (see site_search.py).
// The query is the search page's ?q=; words are split and stemmed as the
// index was (splitQuery and Stemmer come from language_data.js).
var Scorer = {
  objNameMatch: 11,
  objPartialMatch: 6,
  objPrio: { 0: 15, 1: 5, 2: -5 },
  objPrioDefault: 0,
  title: 15,
  partialTitle: 7,
  term: 5,
  partialTerm: 2,

  PAGE_TITLE_BOOST: 100,
  HEADING_BOOST: 30,

  _terms: (text) => {
    const stemmer = new Stemmer();
    const words = splitQuery(text.toLowerCase()).filter((word) => !stopwords.has(word));
    return new Set(words.map((word) => stemmer.stemWord(word)));
  },

  _holdsEvery: (text, queryTerms) => {
    const terms = Scorer._terms(text);
    return queryTerms.size > 0 && [...queryTerms].every((term) => terms.has(term));
  },

  score: (result) => {
    const [docname, , , , score] = result;
    const query = new URLSearchParams(window.location.search).get("q") || "";
    const queryTerms = Scorer._terms(query);
    const index = Search._index;
    const file = index.docnames.indexOf(docname);
    if (file < 0 || queryTerms.size === 0) return score;
    if (Scorer._holdsEvery(index.titles[file], queryTerms)) return score + Scorer.PAGE_TITLE_BOOST;
    const headings = Object.entries(index.alltitles)
      .filter(([, places]) => places.some(([f]) => f === file))
      .map(([heading]) => heading);
    if (headings.some((heading) => Scorer._holdsEvery(heading, queryTerms))) {
      return score + Scorer.HEADING_BOOST;
    }
    return score;
  },
};
