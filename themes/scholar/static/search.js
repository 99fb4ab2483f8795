/* scholarsite search: a prebuilt lunr index loaded by <script> tags (so it works from file:// too), only when
   the search box is first focused or on the search page. Untrusted text (titles, authors, abstracts) is only
   ever inserted as text nodes: highlighted words are <mark> elements holding text nodes, never innerHTML. */
(function () {
  "use strict";
  var root = document.documentElement.getAttribute("data-root") || "";
  var loading = null;
  var state = { index: null, records: [], shardSize: 1 };
  var shards = {};
  var PAGE_LIMIT = 100;
  var UNAVAILABLE = "Search is unavailable: its data (search-data.js) could not be loaded.";

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var el = document.createElement("script");
      el.src = src;
      el.onload = resolve;
      el.onerror = function () { reject(new Error("could not load " + src)); };
      document.head.appendChild(el);
    });
  }

  function load() {
    if (!loading) {
      var mark = window.performance && performance.mark ? performance.mark.bind(performance) : function () {};
      mark("scholarsite-search-start");
      var data = window.SCHOLARSITE_SEARCH ? null : loadScript(root + "search-data.js");  // needs no lunr: at once
      if (data) data.catch(function () { /* reported through `loading` */ });
      loading = (window.lunr ? Promise.resolve() : loadScript(root + "static/lunr.min.js"))
        .then(function () {
          return Promise.all([window.scholarsiteIndex ? null : loadScript(root + "static/search-index.js"), data]);
        })
        .then(function () { mark("scholarsite-search-scripts"); })
        .then(function () {
          var data = window.SCHOLARSITE_SEARCH;
          state.records = data.records;
          state.shardSize = data.shardSize;
          state.index = window.scholarsiteIndex.load(data.index);
          mark("scholarsite-search-ready");
        });
    }
    return loading;
  }

  function search(text, options) {
    if (!state.index) return { hits: [], total: 0, before: 0 };
    return window.scholarsiteIndex.query(state.index, text, options);
  }
  window.scholarsiteSearch = { load: load, search: search };  // for benchmarks and the curious

  function loadAbstracts(refs) {
    var wanted = {};
    refs.forEach(function (ref) { wanted[Math.floor(Number(ref) / state.shardSize)] = true; });
    return Promise.all(Object.keys(wanted).map(function (n) {
      if (!shards[n]) shards[n] = loadScript(root + "search-data/abstracts-" + n + ".js");
      return shards[n];
    }));
  }

  function abstractOf(ref) {
    var n = Number(ref), all = window.SCHOLARSITE_ABSTRACTS || {};
    var shard = all[Math.floor(n / state.shardSize)];
    return shard ? shard[n % state.shardSize] : "";
  }

  function appendPieces(parent, pieces) {
    pieces.forEach(function (piece) {
      if (piece[1]) {
        var mark = document.createElement("mark");
        mark.textContent = piece[0];
        parent.appendChild(mark);
      } else {
        parent.appendChild(document.createTextNode(piece[0]));
      }
    });
  }

  // About 40 words of the abstract, where most of the distinct matched words are, marked.
  function snippetPieces(text, terms) {
    var pieces = window.scholarsiteIndex.highlight(text, terms), BEFORE = 20, SIZE = 80;
    var best = 0, bestCount = -1;
    pieces.forEach(function (piece, i) {
      if (!piece[1]) return;
      var seen = {}, count = 0;
      for (var j = Math.max(0, i - BEFORE); j < Math.min(pieces.length, i - BEFORE + SIZE); j++) {
        var word = pieces[j][0].toLowerCase();
        if (pieces[j][1] && !seen[word]) { seen[word] = true; count++; }
      }
      if (count > bestCount) { best = i; bestCount = count; }
    });
    var start = Math.max(0, best - BEFORE), end = Math.min(pieces.length, start + SIZE);
    while (start > 0 && !/\s/.test(pieces[start - 1][0])) start--;  // whole words only
    var out = pieces.slice(start, end);
    if (start > 0) out.unshift(["\u2026", false]);
    if (end < pieces.length) out.push(["\u2026", false]);
    return out;
  }

  function termsOf(hit) {
    var terms = {};
    Object.keys(hit.matchData.metadata).forEach(function (t) { terms[t] = true; });
    return terms;
  }

  function resultItem(hit, withSnippet) {
    var record = state.records[Number(hit.ref)], terms = termsOf(hit);
    var item = document.createElement("li");
    item.className = "paper-item";
    var link = document.createElement("a");
    link.className = "paper-title";
    link.href = root + "papers/" + record[0] + "/index.html";
    appendPieces(link, window.scholarsiteIndex.highlight(record[1], terms));
    var meta = document.createElement("div");
    meta.className = "paper-meta";
    appendPieces(meta, window.scholarsiteIndex.highlight(record[3], terms));
    meta.appendChild(document.createTextNode(" · " + record[2] + " · " + record[4] + (record[5] ? " · Code" : "")));
    item.appendChild(link);
    item.appendChild(meta);
    if (withSnippet) {
      var snippet = document.createElement("p");
      snippet.className = "search-snippet";
      item.appendChild(snippet);
      loadAbstracts([hit.ref]).then(function () {
        appendPieces(snippet, snippetPieces(abstractOf(hit.ref), terms));
      }, function () { /* a missing shard leaves the snippet empty */ });
    }
    return item;
  }

  function setupDropdown() {
    var input = document.getElementById("site-search");
    var list = document.getElementById("site-search-results");
    if (!input || !list) return;
    function update() {
      load().then(function () {
        var result = search(input.value, { limit: 8 });
        list.textContent = "";
        result.hits.slice(0, 8).forEach(function (hit) { list.appendChild(resultItem(hit, false)); });
        if (result.error || (input.value.trim() && !result.hits.length)) {
          var note = document.createElement("li");
          note.className = "search-note";
          note.textContent = result.error || "No papers match; press Enter for the search page.";
          list.appendChild(note);
        }
        list.hidden = !input.value.trim();
      }, function () {
        list.textContent = "";
        var note = document.createElement("li");
        note.className = "search-note";
        note.textContent = UNAVAILABLE;
        list.appendChild(note);
        list.hidden = false;
      });
    }
    input.addEventListener("focus", function () { load().catch(function () { /* shown when typing */ }); });
    input.addEventListener("input", update);
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { list.hidden = true; input.blur(); }
      if (event.key === "ArrowDown" && !list.hidden) {
        var first = list.querySelector("a");
        if (first) { event.preventDefault(); first.focus(); }
      }
    });
    list.addEventListener("keydown", function (event) {  // arrows move between results, Escape goes back
      var links = Array.prototype.slice.call(list.querySelectorAll("a"));
      var at = links.indexOf(document.activeElement);
      if (at < 0) return;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        var next = at + (event.key === "ArrowDown" ? 1 : -1);
        if (next < 0) input.focus(); else if (next < links.length) links[next].focus();
      } else if (event.key === "Escape") {
        input.focus();
      }
    });
    document.addEventListener("keydown", function (event) {
      var tag = (event.target && event.target.tagName) || "";
      if (event.key === "/" && !/^(INPUT|TEXTAREA|SELECT)$/.test(tag) && !event.target.isContentEditable) {
        event.preventDefault();
        (document.getElementById("search-page-input") || input).focus();
      }
    });
    document.addEventListener("click", function (event) {
      if (!input.form.contains(event.target)) list.hidden = true;
    });
  }

  function setupSearchPage() {
    var input = document.getElementById("search-page-input");
    if (!input) return;
    var status = document.getElementById("search-status");
    var list = document.getElementById("search-results");
    var retry = document.getElementById("search-retry");
    var controls = { from: document.getElementById("search-from"), to: document.getElementById("search-to"),
                     cat: document.getElementById("search-category"), code: document.getElementById("search-code") };
    var params = new URLSearchParams(window.location.search);
    input.value = params.get("q") || "";
    ["from", "to", "cat"].forEach(function (name) {
      var value = params.get(name) || "";
      if (Array.prototype.some.call(controls[name].options, function (o) { return o.value === value; })) {
        controls[name].value = value;
      }
    });
    controls.code.checked = params.get("code") === "1";

    function passes(record) {
      var from = Number(controls.from.value) || 0, to = Number(controls.to.value) || Infinity;
      return record[2] >= from && record[2] <= to && (!controls.cat.value || record[4] === controls.cat.value) &&
        (!controls.code.checked || record[5] === 1);
    }
    function filtering() {
      return Boolean(controls.from.value || controls.to.value || controls.cat.value || controls.code.checked);
    }
    function keepInUrl(text) {
      var url = new URL(window.location.href);
      var values = { q: text, from: controls.from.value, to: controls.to.value, cat: controls.cat.value,
                     code: controls.code.checked ? "1" : "" };
      Object.keys(values).forEach(function (name) {
        if (values[name]) url.searchParams.set(name, values[name]); else url.searchParams.delete(name);
      });
      try { window.history.replaceState(null, "", url.href); } catch (err) { /* some file:// setups refuse */ }
    }
    function update() {
      load().then(function () {
        var text = input.value.trim();
        var allow = filtering() ? function (ref) { return passes(state.records[Number(ref)]); } : null;
        var result = search(text, { allow: allow });
        var hits = result.hits, total = result.total, before = result.before;
        if (!text && filtering()) {
          hits = [];
          state.records.forEach(function (r, i) {
            if (passes(r)) hits.push({ ref: String(i), matchData: { metadata: {} } });
          });
          total = hits.length;
        }
        list.textContent = "";
        hits.slice(0, PAGE_LIMIT).forEach(function (hit) { list.appendChild(resultItem(hit, true)); });
        retry.hidden = true;
        if (result.error) {
          status.textContent = result.error;
        } else if (!text && !filtering()) {
          status.textContent = "Type to search " + state.records.length + " papers.";
        } else {
          var what = total + (total === 1 ? " paper" : " papers") +
            (text ? " found for \u201c" + text + "\u201d" : " match the filters");
          if (text && before !== total) what += " (" + before + " before filters)";
          if (total > PAGE_LIMIT) what += "; showing the best " + PAGE_LIMIT;
          status.textContent = what + ".";
          var fuzzy = text && !total ? window.scholarsiteIndex.fuzzyText(text) : "";
          if (fuzzy && fuzzy !== text) {
            retry.textContent = "Allow a typo: search for \u201c" + fuzzy + "\u201d";
            retry.hidden = false;
            retry.onclick = function () { input.value = fuzzy; update(); };
          }
        }
        keepInUrl(text);
      }, function () { status.textContent = UNAVAILABLE; });
    }
    input.addEventListener("input", update);
    Object.keys(controls).forEach(function (name) { controls[name].addEventListener("change", update); });
    input.form.addEventListener("submit", function (event) { event.preventDefault(); update(); });
    update();
  }

  function start() {
    setupDropdown();
    setupSearchPage();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
