/* scholarsite search: a prebuilt lunr index loaded by <script> tags, so it works from file:// too.
   Untrusted text (titles, authors) is only ever inserted with textContent. */
(function () {
  "use strict";
  var root = document.documentElement.getAttribute("data-root") || "";
  var loading = null;
  var index = null;
  var records = [];

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
      loading = (window.lunr ? Promise.resolve() : loadScript(root + "static/lunr.min.js"))
        .then(function () {
          return window.SCHOLARSITE_SEARCH ? null : loadScript(root + "search-data.js");
        })
        .then(function () {
          var data = window.SCHOLARSITE_SEARCH;
          records = data.records;
          index = data.index ? window.lunr.Index.load(data.index) : null;
        });
    }
    return loading;
  }

  // Plain words: every word but the last must match; the last may be a prefix (results as you type).
  // Text with lunr syntax (field:, ~, ^, +, -, *) goes to lunr as it is.
  function search(text) {
    text = text.trim();
    if (!index || !text) return { hits: [] };
    if (/[:~^*]|(^|\s)[+\-]/.test(text)) {
      try {
        return { hits: index.search(text) };
      } catch (err) {
        if (err instanceof window.lunr.QueryParseError) {
          return { hits: [], error: "That query uses search syntax that could not be read (" + err.message +
            "). Try plain words." };
        }
        throw err;
      }
    }
    var terms = window.lunr.tokenizer(text).map(function (t) { return t.toString(); });
    var hits = index.query(function (q) {
      terms.forEach(function (term, i) {
        if (i < terms.length - 1) {
          q.term(term, { presence: window.lunr.Query.presence.REQUIRED });
        } else {
          q.term(term, { boost: 10 });
          q.term(term, { wildcard: window.lunr.Query.wildcard.TRAILING, usePipeline: false });
        }
      });
    });
    return { hits: hits };
  }

  function resultItem(record, tagName) {
    var item = document.createElement(tagName);
    item.className = "paper-item";
    var link = document.createElement("a");
    link.className = "paper-title";
    link.href = root + record[0];
    link.textContent = record[1];
    var meta = document.createElement("div");
    meta.className = "paper-meta";
    meta.textContent = record[3] + " · " + record[2] + " · " + record[4] + (record[5] ? " · Code" : "");
    item.appendChild(link);
    item.appendChild(meta);
    return item;
  }

  function setupDropdown() {
    var input = document.getElementById("site-search");
    var list = document.getElementById("site-search-results");
    if (!input || !list) return;
    function update() {
      load().then(function () {
        var result = search(input.value);
        list.textContent = "";
        result.hits.slice(0, 8).forEach(function (hit) {
          list.appendChild(resultItem(records[Number(hit.ref)], "li"));
        });
        if (result.error || (input.value.trim() && !result.hits.length)) {
          var note = document.createElement("li");
          note.className = "search-note";
          note.textContent = result.error || "No papers match; press Enter for the search page.";
          list.appendChild(note);
        }
        list.hidden = !input.value.trim();
      });
    }
    input.addEventListener("focus", function () { load(); });
    input.addEventListener("input", update);
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { list.hidden = true; input.blur(); }
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
    var query = new URLSearchParams(window.location.search).get("q") || "";
    input.value = query;
    function update() {
      load().then(function () {
        var text = input.value;
        var result = search(text);
        list.textContent = "";
        result.hits.forEach(function (hit) {
          list.appendChild(resultItem(records[Number(hit.ref)], "li"));
        });
        if (result.error) status.textContent = result.error;
        else if (!text.trim()) status.textContent = "Type to search " + records.length + " papers.";
        else status.textContent = result.hits.length + (result.hits.length === 1 ? " paper" : " papers") +
          " found for \u201c" + text.trim() + "\u201d.";
        var url = new URL(window.location.href);
        if (text.trim()) url.searchParams.set("q", text.trim()); else url.searchParams.delete("q");
        try { window.history.replaceState(null, "", url.href); } catch (err) { /* some file:// setups refuse */ }
      });
    }
    input.addEventListener("input", update);
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
