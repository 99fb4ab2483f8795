/* scholarsite Cite block: copies the BibTeX or the reference shown in the page itself (no fetch, so it
   works from file://). The text is read with textContent and never inserted as HTML. */
(function () {
  "use strict";

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.top = "-1000px";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try {
      ok = document.execCommand("copy");
    } catch (err) {
      ok = false;
    }
    document.body.removeChild(area);
    return ok;
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).then(function () { return true; }, function () {
        return fallbackCopy(text);
      });
    }
    return Promise.resolve(fallbackCopy(text));
  }

  function setup() {
    var status = document.querySelector(".cite-status");
    var buttons = document.querySelectorAll("button.cite-copy[data-copy]");
    Array.prototype.forEach.call(buttons, function (button) {
      var source = document.getElementById(button.getAttribute("data-copy"));
      if (!source) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        copy(source.textContent).then(function (ok) {
          var what = button.textContent.replace(/^Copy /, "");
          if (status) status.textContent = ok ? what.charAt(0).toUpperCase() + what.slice(1) + " copied."
                                              : "Could not copy: select the text and copy it by hand.";
        });
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
