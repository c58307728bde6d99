// Runs Sphinx's own search code (language_data.js, searchtools.js) against a
// built edition's search index, in node, without a browser.
//
//   node search_harness.js <edition dir> '<JSON list of queries>'
//
// Prints a JSON list: for each query, the split query terms, the docnames found
// and the same docnames in the order the search page lists them (best first).
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");

const [dir, queriesJson] = process.argv.slice(2);
const element = () => null;
const context = {
  console,
  URLSearchParams,
  setTimeout,
  localStorage: { setItem() {}, getItem() { return null; } },
  DOCUMENTATION_OPTIONS: {},
  SPHINX_HIGHLIGHT_ENABLED: false,
  document: {
    readyState: "loading",
    addEventListener() {},
    getElementById: element,
    querySelector: element,
    documentElement: { dataset: {} },
  },
  _ready() {},  // searchtools.js would start its page UI; not wanted here
  _: (text) => text,  // doctools.js's gettext, used for result descriptions
};
context.window = context;
vm.createContext(context);
for (const file of ["_static/documentation_options.js", "_static/language_data.js",
                    "_static/searchtools.js", "searchindex.js"]) {
  vm.runInContext(fs.readFileSync(path.join(dir, file), "utf8"), context, { filename: file });
}
const results = vm.runInContext(`(${JSON.stringify(JSON.parse(queriesJson))}).map((q) => {
  globalThis.location = { search: "?q=" + encodeURIComponent(q) };  // the search page's URL
  const parsed = Search._parseQuery(q);
  const found = Search._performSearch(...parsed).map((result) => result[0]);
  const ranked = [...new Set(found.reverse())];  // the page shows the last result first
  return { terms: [...parsed[1]], docnames: [...ranked].sort(), ranked };
})`, context);
process.stdout.write(JSON.stringify(results));
