// Type-to-filter for a long list of checkboxes (the municipalities: 290 of them).
// Without JavaScript the list is a scrolling box of checkboxes; this script shows the filter
// box above it and hides the choices whose label does not contain the typed text (case and
// å/ä/ö folded, so "malmo" finds Malmö). Chosen boxes stay visible, so what is chosen is seen.
(function () {
  "use strict";
  function fold(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }
  function setUp(box) {
    var input = box.querySelector("[data-filter-input]");
    var status = box.querySelector("[data-filter-status]");
    var label = box.querySelector("label[for='" + input.id + "']");
    var items = Array.prototype.slice.call(box.querySelectorAll("[data-filter-item]"));
    var template = box.getAttribute("data-status-template") || "";
    input.hidden = false;
    label.hidden = false;
    status.hidden = false;
    function update() {
      var typed = fold(input.value.trim());
      var shown = 0;
      var chosen = [];
      items.forEach(function (item) {
        var checkbox = item.querySelector("input");
        var text = item.textContent.trim();
        if (checkbox.checked) { chosen.push(text); }
        var visible = checkbox.checked || typed === "" || fold(text).indexOf(typed) !== -1;
        item.hidden = !visible;
        if (visible) { shown += 1; }
      });
      status.textContent = template
        .replace("{shown}", String(shown))
        .replace("{total}", String(items.length))
        .replace("{chosen}", chosen.length ? chosen.join(", ") : "–");
    }
    input.addEventListener("input", update);
    box.addEventListener("change", update);
    // Enter in the filter box would submit the whole form: tick the only match instead.
    input.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") { return; }
      event.preventDefault();
      var visible = items.filter(function (item) {
        return !item.hidden && !item.querySelector("input").checked;
      });
      if (visible.length === 1) {
        visible[0].querySelector("input").checked = true;
        update();
      }
    });
    update();
  }
  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-filter-list]"), setUp);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
