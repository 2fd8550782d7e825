/*! heartbeat.js: an "online now" dot for any element with data-heartbeat-src. No dependencies. */
(function () {
  "use strict";

  var PREFIX = "heartbeat:";
  var LABELS = { online: "Online now", away: "Away", offline: "Offline", unknown: "Checking\u2026" };
  var STYLE =
    ".hb{display:inline-flex;align-items:center;gap:.45em;font:inherit;line-height:1.2}" +
    ".hb-dot{flex:none;width:.6em;height:.6em;border-radius:50%;background:#8c959f;" +
    "box-shadow:0 0 0 .15em rgba(140,149,159,.25)}" +
    ".hb[data-state=online] .hb-dot{background:#1f883d;box-shadow:0 0 0 .15em rgba(31,136,61,.25);" +
    "animation:hb-pulse 2s ease-in-out infinite}" +
    ".hb[data-state=away] .hb-dot{background:#bf8700;box-shadow:0 0 0 .15em rgba(191,135,0,.25)}" +
    "@media (prefers-color-scheme:dark){.hb[data-state=online] .hb-dot{background:#3fb950}" +
    ".hb[data-state=away] .hb-dot{background:#d29922}.hb-dot{background:#6e7681}}" +
    "@keyframes hb-pulse{50%{box-shadow:0 0 0 .3em rgba(31,136,61,0)}}" +
    "@media (prefers-reduced-motion:reduce){.hb-dot{animation:none!important}}";

  function storage() {
    try { return window.sessionStorage; } catch (e) { return null; }  // blocked cookies
  }

  function labelFor(el, state) {
    return el.getAttribute("data-label-" + state) || LABELS[state];
  }

  function render(el, state) {
    var label = labelFor(el, state);
    el.setAttribute("data-state", state);
    el.setAttribute("aria-label", label);
    el.title = label;
    el.lastChild.textContent = label;
  }

  function setUp(el) {
    if (!document.getElementById("hb-style")) {
      var style = document.createElement("style");
      style.id = "hb-style";
      style.textContent = STYLE;
      document.head.appendChild(style);
    }
    el.className += " hb";
    el.setAttribute("role", "status");
    el.setAttribute("aria-live", "polite");
    // Reserve the width of the longest label so that nothing moves when the answer comes.
    var widest = 0;
    for (var state in LABELS) widest = Math.max(widest, labelFor(el, state).length);
    el.innerHTML = '<span class="hb-dot" aria-hidden="true"></span><span class="hb-label"></span>';
    el.lastChild.style.minWidth = widest * 0.6 + "em";
    render(el, "unknown");
  }

  // One GET that the browser's HTTP cache may answer; resolves to {state, maxAge}.
  function fetchState(src) {
    return fetch(src, { credentials: "omit" }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      var maxAge = /max-age=(\d+)/.exec(response.headers.get("Cache-Control") || "");
      return response.json().then(function (body) {
        var state = body && LABELS[body.state] && body.state !== "unknown" ? body.state : "offline";
        return { state: state, maxAge: maxAge ? +maxAge[1] : 0 };
      });
    });
  }

  function check(el) {
    var src = el.getAttribute("data-heartbeat-src");
    var store = storage();
    el.hbChecked = Date.now();
    return fetchState(src).then(function (answer) {
      el.hbMaxAge = answer.maxAge;
      if (store) {
        if (answer.state === "online") store.setItem(PREFIX + src, "online");
        else store.removeItem(PREFIX + src);
      }
      render(el, answer.state);
    }, function (error) {
      el.hbMaxAge = 0;
      if (store) store.removeItem(PREFIX + src);
      if (typeof console !== "undefined") console.warn("heartbeat: " + src + ": " + error.message);
      render(el, "offline");
    });
  }

  function start(el) {
    if (el.hbStarted) return;
    el.hbStarted = true;
    setUp(el);
    var store = storage();
    // While the owner was seen online, one request per visit is enough (the original strategy).
    if (store && store.getItem(PREFIX + el.getAttribute("data-heartbeat-src")) === "online") {
      render(el, "online");
      el.hbChecked = Date.now();
    } else {
      check(el);
    }
    if (el.hasAttribute("data-heartbeat-refresh")) {
      document.addEventListener("visibilitychange", function () {
        // Never more often than the last answer's max-age allows.
        if (document.visibilityState === "visible" &&
            Date.now() - el.hbChecked >= (el.hbMaxAge || 0) * 1000) check(el);
      });
    }
  }

  function startAll() {
    var elements = document.querySelectorAll("[data-heartbeat-src]");
    for (var i = 0; i < elements.length; i++) start(elements[i]);
  }

  window.Heartbeat = { start: start, startAll: startAll };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", startAll);
  else startAll();
})();
