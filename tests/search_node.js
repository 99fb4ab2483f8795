// Runs the site's vendored lunr.js (and search-index.js) in node for the agreement tests.
// Usage: node search_node.js STATIC_DIR < request.json  (request: {mode, ...}; answer: JSON on stdout)
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");

const staticDir = process.argv[2];
const lunr = require(path.resolve(staticDir, "lunr.min.js"));
const scholarsite = require(path.resolve(staticDir, "search-index.js"))(lunr);
const request = JSON.parse(fs.readFileSync(0, "utf8"));

// Loads output/search-data.js the way a <script> tag does.
function loadData(file) {
  const window = {};
  vm.runInNewContext(fs.readFileSync(file, "utf8"), { window });
  return window.SCHOLARSITE_SEARCH;
}

function lunrBuild(fields, docs) {
  const b = scholarsite.builder();
  b.ref("id");
  fields.forEach(([name, boost]) => b.field(name, { boost }));
  docs.forEach(([ref, texts]) => {
    const doc = { id: ref };
    fields.forEach(([name], i) => { doc[name] = texts[i]; });
    b.add(doc);
  });
  return b.build();
}

const modes = {
  // The index pipeline (tokenizer, fold, trimmer, stop words, stemmer) on each text: its terms.
  pipeline: () => {
    const b = scholarsite.builder();
    return request.texts.map((text) => b.pipeline.run(lunr.tokenizer(text)).map(String));
  },
  stem: () => request.words.map((w) => lunr.stemmer(new lunr.Token(w)).toString()),
  // lunr.js's own Builder over the same documents: its serialized index.
  build: () => JSON.parse(JSON.stringify(lunrBuild(request.fields, request.docs))),
  // Every (text, ref) pair: does the site's search return ref for text? Answers the pairs that fail.
  find: () => {
    const data = loadData(request.data);
    const index = scholarsite.load(data.index);
    return request.pairs.filter(([text, ref]) => {
      const result = scholarsite.query(index, text, { complete: true });
      return !result.hits.some((hit) => hit.ref === ref);
    });
  },
  // Plain query answers (refs and scores) from the compact index, per query.
  answers: () => {
    const index = scholarsite.load(loadData(request.data).index);
    return request.queries.map((q) => {
      const r = scholarsite.query(index, q, { complete: true });
      const terms = new Set(r.hits.flatMap((h) => Object.keys(h.matchData.metadata)));
      return { refs: r.hits.map((h) => h.ref), error: r.error || null, terms: [...terms].sort() };
    });
  },
  // The same queries through an index lunr.js builds itself: refs and scores must agree.
  compare: () => {
    const compact = scholarsite.load(loadData(request.data).index);
    const own = lunrBuild(request.fields, request.docs);
    const differ = [];
    request.queries.forEach((q) => {
      const a = compact.search(q).map((h) => [h.ref, h.score.toFixed(9)]);
      const b = own.search(q).map((h) => [h.ref, h.score.toFixed(9)]);
      if (JSON.stringify(a) !== JSON.stringify(b)) differ.push([q, a.slice(0, 3), b.slice(0, 3)]);
    });
    return differ;
  },
};

process.stdout.write(JSON.stringify(modes[request.mode]()));
