// Warn before leaving a page with typed input that has not been saved (issue 10).
// Forms marked data-warn-unsaved count as unsaved from the first input until they are
// submitted, or until htmx has saved them (the answer replaces the form).
(function () {
  "use strict";
  var dirty = new Set();
  function formOf(target) {
    return target && target.closest ? target.closest("form[data-warn-unsaved]") : null;
  }
  function mark(event) {
    var form = formOf(event.target);
    if (form) { dirty.add(form); }
  }
  document.addEventListener("input", mark);
  document.addEventListener("change", mark);
  document.addEventListener("submit", function (event) {
    var form = formOf(event.target);
    if (form && !form.hasAttribute("data-hx-post")) { dirty.clear(); }
  });
  document.addEventListener("htmx:afterSwap", function () {
    dirty.forEach(function (form) { if (!form.isConnected) { dirty.delete(form); } });
  });
  window.addEventListener("beforeunload", function (event) {
    dirty.forEach(function (form) { if (!form.isConnected) { dirty.delete(form); } });
    if (dirty.size > 0) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
