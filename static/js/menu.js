// The header's Menu button on small screens: shows and hides the navigation. Without this
// script (or on a wide screen) the navigation is always shown.
// Search filters fold under one control on a phone so that results come first; on a wide
// screen, where they sit in a sidebar beside the results, they start open.
(function () {
  "use strict";
  function openFiltersOnWideScreens() {
    if (!window.matchMedia || !window.matchMedia("(min-width: 48em)").matches) return;
    document.querySelectorAll("details.filters").forEach(function (details) {
      details.open = true;
    });
  }
  function setUp() {
    openFiltersOnWideScreens();
    var header = document.querySelector(".site-header");
    var button = header && header.querySelector(".nav-toggle");
    if (!button) return;
    header.classList.add("is-collapsible");
    button.addEventListener("click", function () {
      var open = header.classList.toggle("is-open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && header.classList.contains("is-open")) {
        header.classList.remove("is-open");
        button.setAttribute("aria-expanded", "false");
        button.focus();
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
