/* scholarsite search index: the accent-folding pipeline function (generator/lunrcompat.py holds the same),
   the compact index turned back into a lunr.Index, queries, and the terms to highlight.
   Loaded after lunr.min.js in the browser; in node: require("./search-index.js")(lunr). */
(function (root, factory) {
  if (typeof module === "object" && module.exports) module.exports = factory;
  else root.scholarsiteIndex = factory(root.lunr);
})(this, function (lunr) {
  "use strict";
  var EXTRA = { "ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ß": "ss",
                "ı": "i", "ħ": "h", "ŧ": "t", "ŀ": "l" };
  var EXTRA_RE = /[łøđðþæœßıħŧŀ]/g;
  var MARKS = /\p{M}/gu;
  var ASCII = /^[\x00-\x7f]*$/;
  var STOP = {};
  var K1 = 1.2, B = 0.75;

  function fold(text) {
    if (ASCII.test(text)) return text;
    return text.replace(EXTRA_RE, function (c) { return EXTRA[c]; }).normalize("NFKD").replace(MARKS, "")
      .toLowerCase();
  }
  function foldToken(token) { return token.update(fold); }
  lunr.Pipeline.registerFunction(foldToken, "scholarsiteFold");

  function trim(text) { return text.replace(/^\W+/, "").replace(/\W+$/, ""); }
  function isStopWord(term) { return !lunr.stopWordFilter(new lunr.Token(term)); }
  // The term the index holds for one word as shown on the page (null for a stop word or punctuation).
  function indexTerm(word) {
    var t = trim(fold(word.toLowerCase()));
    if (!t || isStopWord(t)) return null;
    return lunr.stemmer(new lunr.Token(t)).toString();
  }

  function builder() {
    var b = new lunr.Builder();
    b.pipeline.add(foldToken, lunr.trimmer, lunr.stopWordFilter, lunr.stemmer);
    b.searchPipeline.add(foldToken, lunr.trimmer, lunr.stemmer);
    return b;
  }

  // data: {fields, boosts, count, terms (sorted), postings (per term: key deltas, -tf after a key when tf > 1)}.
  function load(data) {
    var fields = data.fields, nf = fields.length, count = data.count, terms = data.terms, postings = data.postings;
    var lengths = new Float64Array(count * nf), withTerm = new Int32Array(terms.length);
    var t, i, list, key, v;
    for (t = 0; t < terms.length; t++) {
      list = postings[t];
      key = 0;
      for (i = 0; i < list.length; i++) {
        v = list[i];
        if (v < 0) { lengths[key] += -v - 1; } else { key += v; lengths[key] += 1; withTerm[t]++; }
      }
    }
    var average = [];
    for (var f = 0; f < nf; f++) {
      var sum = 0;
      for (var d = 0; d < count; d++) sum += lengths[d * nf + f];
      average.push(sum / count);
    }
    var elements = new Array(count * nf);
    for (t = 0; t < terms.length; t++) {
      list = postings[t];
      var x = (count - withTerm[t] + 0.5) / (withTerm[t] + 0.5), idf = Math.log(1 + Math.abs(x));
      key = 0;
      for (i = 0; i < list.length; i++) {
        key += list[i];
        var tf = 1;
        if (i + 1 < list.length && list[i + 1] < 0) { tf = -list[i + 1]; i++; }
        var field = key % nf;
        var score = idf * ((K1 + 1) * tf) / (K1 * (1 - B + B * (lengths[key] / average[field])) + tf);
        score *= data.boosts[field] || 1;
        (elements[key] || (elements[key] = [])).push(t, Math.round(score * 1000) / 1000);
      }
    }
    var fieldVectors = {};
    for (key = 0; key < elements.length; key++) {
      if (elements[key]) fieldVectors[fields[key % nf] + "/" + Math.floor(key / nf)] = new lunr.Vector(elements[key]);
    }
    var numbers = new Map();
    var tokenSet = new lunr.TokenSet.Builder();
    for (t = 0; t < terms.length; t++) { numbers.set(terms[t], t); tokenSet.insert(terms[t]); }
    tokenSet.finish();
    var noMetadata = {};
    // Postings are built when a query first needs them.
    var invertedIndex = new Proxy(Object.create(null), {
      get: function (cache, term) {
        if (typeof term !== "string") return undefined;
        if (cache[term]) return cache[term];
        var n = numbers.get(term);
        if (n === undefined) return undefined;
        var posting = { _index: n };
        fields.forEach(function (name) { posting[name] = Object.create(null); });
        var items = postings[n], k = 0;
        for (var j = 0; j < items.length; j++) {
          if (items[j] < 0) continue;
          k += items[j];
          posting[fields[k % nf]][String(Math.floor(k / nf))] = noMetadata;
        }
        cache[term] = posting;
        return posting;
      }
    });
    return new lunr.Index({ invertedIndex: invertedIndex, fieldVectors: fieldVectors, tokenSet: tokenSet.root,
                            fields: fields, pipeline: lunr.Pipeline.load(data.pipeline) });
  }

  // lunr's query syntax: a field name and colon, word~N, word^N or a leading ^, *, a leading + or -.
  // Other text is plain words ("SAM 2: Segment Anything" or "~90%" as shown on a page).
  function isSyntax(index, text) {
    return /\w[~^]|(^|\s)\^|\*|(^|\s)[+\-]/.test(text) || index.fields.some(function (field) {
      return new RegExp("(^|\\s)" + field + ":").test(text);
    });
  }

  // The words of a plain query, as index terms; the last one (still being typed) is also a prefix.
  function plainTerms(text) {
    var out = [];
    lunr.tokenizer(text).forEach(function (token) {
      var raw = trim(fold(token.toString()));
      if (raw && !isStopWord(raw)) out.push({ raw: raw, term: lunr.stemmer(new lunr.Token(raw)).toString() });
    });
    return out;
  }

  // {hits, error, terms}: hits are lunr results; terms, the index terms they matched (to highlight).
  function query(index, text, options) {
    text = (text || "").trim();
    options = options || {};
    if (!text) return { hits: [], terms: {} };
    var hits;
    if (isSyntax(index, text)) {
      try {
        hits = index.search(text);
      } catch (err) {
        return { hits: [], terms: {}, error: "The search could not read \u201c" + text + "\u201d" +
          (err && err.message ? " (" + err.message + ")" : "") + ". Try plain words." };
      }
    } else {
      var words = plainTerms(text);
      if (!words.length) return { hits: [], terms: {} };
      var last = words[words.length - 1], prefix = !options.complete && last.raw.length >= 2;
      hits = index.query(function (q) {
        words.forEach(function (w, i) {
          if (i < words.length - 1 || !prefix) {
            q.term(w.term, { presence: lunr.Query.presence.REQUIRED, usePipeline: false });
          } else {
            q.term(w.term, { boost: 10, usePipeline: false });
            q.term(w.raw, { wildcard: lunr.Query.wildcard.TRAILING, usePipeline: false });
            if (w.term !== w.raw) q.term(w.term, { wildcard: lunr.Query.wildcard.TRAILING, usePipeline: false });
          }
        });
      });
      if (prefix) {
        hits = hits.filter(function (hit) {
          return Object.keys(hit.matchData.metadata).some(function (t) {
            return t === last.term || t.indexOf(last.raw) === 0 || t.indexOf(last.term) === 0;
          });
        });
      }
    }
    var terms = {};
    hits.forEach(function (hit) {
      Object.keys(hit.matchData.metadata).forEach(function (t) { terms[t] = true; });
    });
    return { hits: hits, terms: terms };
  }

  // The same words with one typo allowed each, for a retry after no results.
  function fuzzyText(text) {
    return plainTerms(text).map(function (w) { return w.raw.replace(/[:~^*+\-]/g, "") + "~1"; })
      .filter(function (s) { return s.length > 2; }).join(" ");
  }

  // Text split into [piece, highlighted] pairs: whole words whose index term is in `terms`.
  function highlight(text, terms) {
    var out = [], re = /[\s\-]+/g, start = 0, m;
    function word(w) {
      var term = indexTerm(w);
      if (term !== null && terms[term]) {
        var core = /^(\W*)(.*?)(\W*)$/.exec(w);
        if (core[1]) out.push([core[1], false]);
        out.push([core[2], true]);
        if (core[3]) out.push([core[3], false]);
      } else out.push([w, false]);
    }
    while ((m = re.exec(text)) !== null) {
      if (m.index > start) word(text.slice(start, m.index));
      out.push([m[0], false]);
      start = m.index + m[0].length;
    }
    if (start < text.length) word(text.slice(start));
    return out;
  }

  return { fold: fold, indexTerm: indexTerm, builder: builder, load: load, query: query, fuzzyText: fuzzyText,
           highlight: highlight, plainTerms: plainTerms };
});
