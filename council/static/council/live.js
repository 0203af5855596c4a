// The live list of speakers (council/_speakers_queue.html): a running clock that ticks in
// the browser from the seconds the server rendered, red with the words "Over time" past the
// limit; and keyboard focus kept on the control used when htmx replaces the list. htmx puts
// focus back on an element with the same id by itself; when the control is gone (the person
// was given the floor or removed), focus moves to the control named by data-focus-next.
(function () {
  "use strict";
  var seen = new WeakMap();
  var pending = null;

  function pad(n) { return n < 10 ? "0" + n : String(n); }
  function format(seconds) {
    var s = Math.max(0, Math.round(seconds));
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    return h ? h + ":" + pad(m) + ":" + pad(r) : m + ":" + pad(r);
  }
  function tick() {
    var now = performance.now();
    document.querySelectorAll("[data-clock]").forEach(function (clock) {
      if (!seen.has(clock)) { seen.set(clock, now); }
      var elapsed = parseFloat(clock.getAttribute("data-elapsed") || "0");
      if (!clock.hasAttribute("data-paused")) { elapsed += (now - seen.get(clock)) / 1000; }
      var time = clock.querySelector(".clock__time");
      if (time) { time.textContent = format(elapsed); }
      var limit = parseFloat(clock.getAttribute("data-limit") || "0");
      var over = limit > 0 && Math.round(elapsed) > limit;
      clock.classList.toggle("clock--over", over);
      var note = clock.querySelector(".clock__over");
      if (note) { note.hidden = !over; }
    });
  }
  document.addEventListener("htmx:beforeRequest", function () {
    var active = document.activeElement;
    pending = active && active.id ? { id: active.id, next: active.getAttribute("data-focus-next") } : null;
  });
  document.addEventListener("htmx:afterSettle", function () {
    tick();
    if (!pending) { return; }
    var active = document.activeElement;
    if (!active || active === document.body) {
      var target = document.getElementById(pending.id);
      if (!target && pending.next === "live-start-first") {
        target = document.querySelector("[data-first]") || document.getElementById("live-self");
      } else if (!target && pending.next) {
        target = document.getElementById(pending.next);
      }
      if (!target) { target = document.getElementById("speakers-heading"); }
      if (target) { target.focus(); }
    }
    pending = null;
  });
  setInterval(tick, 250);
  tick();
})();
