/* scholarsite home page filters: category and "has code", over the data attributes of the listed papers.
   Without JavaScript the form stays hidden and every paper is shown. */
(function () {
  "use strict";
  var form = document.getElementById("paper-filters");
  if (!form) return;
  var category = document.getElementById("filter-category");
  var code = document.getElementById("filter-code");
  var status = document.getElementById("filter-status");
  var groups = Array.prototype.slice.call(document.querySelectorAll("#papers .year-group"));
  var jump = document.querySelector("#papers .year-jump");

  function apply() {
    var wanted = category.value;
    var needCode = code.checked;
    var shown = 0;
    var total = 0;
    groups.forEach(function (group) {
      var inGroup = 0;
      group.querySelectorAll(".paper-item").forEach(function (item) {
        var ok = (!wanted || item.getAttribute("data-category") === wanted) &&
          (!needCode || item.getAttribute("data-code") === "yes");
        item.hidden = !ok;
        total += 1;
        if (ok) inGroup += 1;
      });
      group.hidden = inGroup === 0;
      shown += inGroup;
    });
    if (jump) jump.hidden = Boolean(wanted || needCode);
    status.textContent = (wanted || needCode)
      ? "Showing " + shown + " of " + total + " papers."
      : "";
  }

  form.hidden = false;
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  category.addEventListener("change", apply);
  code.addEventListener("change", apply);
  apply();
})();
