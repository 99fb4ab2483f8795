/* scholarsite colour scheme: follows the system unless the reader chose with the toggle; the choice is
   kept in localStorage where the browser allows it (some refuse it for file:// pages: then it lasts a page). */
(function () {
  "use strict";
  var KEY = "scholarsite-scheme";
  var doc = document.documentElement;
  var media = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  function saved() {
    try { return window.localStorage.getItem(KEY); } catch (err) { return null; }
  }
  function save(value) {
    try { window.localStorage.setItem(KEY, value); } catch (err) { /* storage refused: keep it for this page */ }
  }
  function current() {
    var chosen = doc.getAttribute("data-scheme");
    if (chosen === "dark" || chosen === "light") return chosen;
    return media && media.matches ? "dark" : "light";
  }

  var choice = saved();
  if (choice === "dark" || choice === "light") doc.setAttribute("data-scheme", choice);

  function ready() {
    var button = document.getElementById("scheme-toggle");
    if (!button) return;
    var sync = function () { button.setAttribute("aria-pressed", current() === "dark" ? "true" : "false"); };
    button.hidden = false;
    sync();
    button.addEventListener("click", function () {
      var next = current() === "dark" ? "light" : "dark";
      doc.setAttribute("data-scheme", next);
      save(next);
      sync();
    });
    if (media && media.addEventListener) media.addEventListener("change", sync);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
