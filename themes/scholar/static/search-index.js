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

  // Base-32 varints over this alphabet (generator/lunrpack.py writes them): a digit >= 32 means "more follow".
  var DIGIT = new Int8Array(128).fill(-1);
  "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_".split("").forEach(function (c, i) {
    DIGIT[c.charCodeAt(0)] = i;
  });

  // Decodes numbers from text[from, to) into out (from position at); answers the new position.
  function decode(text, from, to, out, at) {
    var value = 0;
    for (var i = from; i < to; i++) {
      var d = DIGIT[text.charCodeAt(i)];
      if (d >= 32) { value = value * 32 + d - 32; } else { out[at++] = value * 32 + d; value = 0; }
    }
    return at;
  }

  // Term expansion without building lunr's TokenSet: exact terms and trailing wildcards are looked up in the
  // sorted term list; anything else (fuzzy terms, leading wildcards) goes to a lunr.TokenSet built on first use.
  var fromClause = lunr.TokenSet.fromClause;
  if (!fromClause.scholarsite) {
    lunr.TokenSet.fromClause = function (clause) {
      var set = fromClause(clause);
      set.scholarsiteClause = { term: clause.term, editDistance: clause.editDistance || 0 };
      return set;
    };
    lunr.TokenSet.fromClause.scholarsite = true;
  }

  var MAX_EXPANSION = 8;  // a prefix stands for its 8 most frequent completions (results while typing)

  function termSet(terms, numbers, frequency) {
    var full = null;
    function list(array) { return { toArray: function () { return array; } }; }
    return {
      intersect: function (other) {
        var clause = other.scholarsiteClause, term = clause && clause.term;
        var star = term ? term.indexOf("*") : -1;
        if (clause && !clause.editDistance && star === -1) return list(numbers.has(term) ? [term] : []);
        if (clause && !clause.editDistance && star === term.length - 1 && star > 0) {
          var prefix = term.slice(0, -1), lo = 0, hi = terms.length, out = [];
          while (lo < hi) { var mid = (lo + hi) >> 1; if (terms[mid] < prefix) lo = mid + 1; else hi = mid; }
          for (var i = lo; i < terms.length && terms[i].lastIndexOf(prefix, 0) === 0; i++) out.push(i);
          if (out.length > MAX_EXPANSION) {
            out.sort(function (a, b) {
              return (terms[b] === prefix) - (terms[a] === prefix) || frequency(b) - frequency(a) || a - b;
            });
            out = out.slice(0, MAX_EXPANSION);
          }
          return list(out.map(function (k) { return terms[k]; }));
        }
        if (!full) {
          var builder = new lunr.TokenSet.Builder();
          terms.forEach(function (t) { builder.insert(t); });
          builder.finish();
          full = builder.root;
        }
        return full.intersect(other);
      }
    };
  }

  // data: {fields, boosts, count, terms (sorted), postings (see generator/lunrpack.py), pipeline}.
  // Scores are lunr.Builder's (BM25, k1 = 1.2, b = 0.75, rounded to 3 places); vectors and postings are
  // made when a query first needs them.
  function load(data) {
    var fields = data.fields, nf = fields.length, count = data.count, terms = data.terms, postings = data.postings;
    var T = terms.length, total = 0, t, i;
    for (t = 0; t < T; t++) total += postings[t].length;
    var keys = new Int32Array(total), tfs = new Int32Array(total), start = new Int32Array(T + 1);
    var lengths = new Float64Array(count * nf), perKey = new Int32Array(count * nf + 1), n = 0;
    for (t = 0; t < T; t++) {
      var text = postings[t], comma = text.indexOf(","), end = comma < 0 ? text.length : comma;
      start[t] = n;
      var stop = decode(text, 0, end, keys, n);
      for (i = n + 1; i < stop; i++) keys[i] += keys[i - 1];
      if (comma < 0) { for (i = n; i < stop; i++) tfs[i] = 1; }
      else { decode(text, comma + 1, text.length, tfs, n); for (i = n; i < stop; i++) tfs[i] += 1; }
      for (i = n; i < stop; i++) { lengths[keys[i]] += tfs[i]; perKey[keys[i] + 1]++; }
      n = stop;
    }
    start[T] = n;
    var average = [];
    for (var f = 0; f < nf; f++) {
      var sum = 0;
      for (var d = 0; d < count; d++) sum += lengths[d * nf + f];
      average.push(sum / count);
    }
    // Per (doc, field) key: lunr.Vector elements [term, score, term, score, ...] (terms ascending), in one array.
    for (i = 0; i < count * nf; i++) perKey[i + 1] += perKey[i];
    var fill = perKey.slice(0, count * nf), vectors = new Float64Array(2 * n), postScore = new Float64Array(n);
    for (t = 0; t < T; t++) {
      var withTerm = start[t + 1] - start[t];
      var x = (count - withTerm + 0.5) / (withTerm + 0.5), idf = Math.log(1 + Math.abs(x));
      for (i = start[t]; i < start[t + 1]; i++) {
        var key = keys[i], tf = tfs[i], field = key % nf;
        var score = idf * ((K1 + 1) * tf) / (K1 * (1 - B + B * (lengths[key] / average[field])) + tf);
        score *= data.boosts[field] || 1;
        var slot = 2 * fill[key]++;
        vectors[slot] = t;
        vectors[slot + 1] = postScore[i] = Math.round(score * 1000) / 1000;
      }
    }
    var fieldNumber = {};
    fields.forEach(function (name, k) { fieldNumber[name] = k; });
    function vectorFor(fieldRef) {
      var cut = fieldRef.indexOf("/"), k = Number(fieldRef.slice(cut + 1)) * nf + fieldNumber[fieldRef.slice(0, cut)];
      if (!(k >= 0 && k < count * nf) || perKey[k] === perKey[k + 1]) return undefined;
      return new lunr.Vector(vectors.subarray(2 * perKey[k], 2 * perKey[k + 1]));
    }
    function allFieldRefs() {
      var out = [];
      for (var k = 0; k < count * nf; k++) {
        if (perKey[k] !== perKey[k + 1]) out.push(fields[k % nf] + "/" + Math.floor(k / nf));
      }
      return out;
    }
    var fieldVectors = new Proxy(Object.create(null), {
      get: function (target, ref) { return typeof ref === "string" ? vectorFor(ref) : undefined; },
      ownKeys: function () { return allFieldRefs(); },
      getOwnPropertyDescriptor: function (target, ref) {
        var vector = vectorFor(ref);
        return vector ? { value: vector, writable: true, enumerable: true, configurable: true } : undefined;
      }
    });
    var numbers = new Map();
    for (t = 0; t < T; t++) numbers.set(terms[t], t);
    var noMetadata = {};
    // Postings as lunr reads them, made when a query first needs them; `only` (a Uint8Array over documents)
    // keeps just those documents, for a query whose required words only they all contain.
    function invertedIndex(only) {
      return new Proxy(Object.create(null), {
        get: function (cache, term) {
          if (typeof term !== "string") return undefined;
          if (cache[term]) return cache[term];
          var number = numbers.get(term);
          if (number === undefined) return undefined;
          var posting = { _index: number };
          fields.forEach(function (name) { posting[name] = Object.create(null); });
          for (var j = start[number]; j < start[number + 1]; j++) {
            var doc = Math.floor(keys[j] / nf);
            if (!only || only[doc]) posting[fields[keys[j] % nf]][doc] = noMetadata;
          }
          return (cache[term] = posting);
        }
      });
    }
    var tokenSet = termSet(terms, numbers, function (k) { return start[k + 1] - start[k]; });
    var pipeline = lunr.Pipeline.load(data.pipeline);
    function makeIndex(only) {
      return new lunr.Index({ invertedIndex: invertedIndex(only), fieldVectors: fieldVectors, tokenSet: tokenSet,
                              fields: fields, pipeline: pipeline });
    }
    var index = makeIndex(null);
    // An index over only the documents holding, for every group of index terms, at least one of them, that
    // `allow(ref)` accepts; past `limit` documents, the best by the same scores lunr sums. Answers
    // {index, before (documents before allow), total (after)}, or null when no document qualifies.
    var seen = new Int32Array(count), groupHits = new Uint8Array(count), sums = new Float64Array(count), stamp = 0;
    index.scholarsiteNarrow = function (groups, allow, limit) {
      groupHits.fill(0);
      sums.fill(0);
      for (var g = 0; g < groups.length; g++) {
        stamp++;
        groups[g].forEach(function (term) {
          var number = numbers.get(term);
          if (number === undefined) return;
          for (var j = start[number]; j < start[number + 1]; j++) {
            var doc = Math.floor(keys[j] / nf);
            sums[doc] += postScore[j];
            if (seen[doc] !== stamp) { seen[doc] = stamp; groupHits[doc]++; }
          }
        });
      }
      var chosen = [], before = 0;
      for (var d2 = 0; d2 < count; d2++) {
        if (groupHits[d2] !== groups.length) continue;
        before++;
        if (!allow || allow(String(d2))) chosen.push(d2);
      }
      if (!chosen.length) return null;
      var total = chosen.length;
      if (limit && chosen.length > limit) {
        chosen.sort(function (a, b) { return sums[b] - sums[a] || a - b; });
        chosen.length = limit;
      }
      var only = new Uint8Array(count);
      chosen.forEach(function (d3) { only[d3] = 1; });
      return { index: makeIndex(only), before: before, total: total };
    };
    index.scholarsiteExpand = function (prefix) {
      return tokenSet.intersect({ scholarsiteClause: { term: prefix + "*" } }).toArray();
    };
    return index;
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

  // {hits, total, before, error}: lunr results for plain words (all required; the last, unless followed by a
  // space or options.complete, also as a prefix) or for lunr's query syntax. options.allow(ref) filters
  // (before = matches before it, total = after); hits holds at most options.limit (default 500) of the total,
  // the best ranked. A query lunr rejects gives error, not hits.
  function query(index, text, options) {
    options = options || {};
    var allow = options.allow, limit = options.limit || 500;
    var complete = options.complete || /\s$/.test(text || "");
    text = (text || "").trim();
    if (!text) return { hits: [], total: 0, before: 0 };
    if (isSyntax(index, text)) {
      var found;
      try {
        found = index.search(text);
      } catch (err) {
        return { hits: [], total: 0, before: 0, error: "The search could not read \u201c" + text + "\u201d" +
          (err && err.message ? " (" + err.message + ")" : "") + ". Try plain words." };
      }
      var kept = allow ? found.filter(function (hit) { return allow(hit.ref); }) : found;
      return { hits: kept.slice(0, limit), total: kept.length, before: found.length };
    }
    var words = plainTerms(text);
    if (!words.length) return { hits: [], total: 0, before: 0 };
    var last = words[words.length - 1];
    var REQUIRED = lunr.Query.presence.REQUIRED, TRAILING = lunr.Query.wildcard.TRAILING;
    // The last word, still being typed, also stands for longer words: "learning" -> "learn*" (the stem usually
    // begins the word; when not, the word's own prefix too). Prefixes start at three letters.
    var prefix = !complete && last.raw.length >= 3;
    var simple = last.raw.lastIndexOf(last.term, 0) === 0;
    // lunr sees only the documents holding every word that pass the filters, at most `limit` of them
    // (the best by the same scores): the same first answers, for a fraction of the work.
    var narrowed = index.scholarsiteNarrow(words.map(function (w, i) {
      if (i < words.length - 1 || !prefix) return [w.term];
      var terms = index.scholarsiteExpand(w.term);
      return simple ? terms : terms.concat(index.scholarsiteExpand(w.raw), [w.term]);
    }), allow, limit);
    if (!narrowed) return { hits: [], total: 0, before: 0 };
    var hits = narrowed.index.query(function (q) {
      words.forEach(function (w, i) {
        if (i < words.length - 1 || !prefix) {
          q.term(w.term, { presence: REQUIRED, usePipeline: false });
        } else if (simple) {
          q.term(w.term, { wildcard: TRAILING, usePipeline: false });  // optional: lunr makes required wildcards slow
        } else {
          q.term(w.term, { boost: 10, usePipeline: false });
          q.term(w.raw, { wildcard: TRAILING, usePipeline: false });
          q.term(w.term, { wildcard: TRAILING, usePipeline: false });
        }
      });
    });
    return { hits: hits, total: narrowed.total, before: narrowed.before };
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
