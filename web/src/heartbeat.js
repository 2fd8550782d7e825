/*! heartbeat.js: the owner's presence card in any element with data-heartbeat-src. No dependencies.
    Minified from web/src/heartbeat.js and web/card-look.ts (make web-minify). */
import { activityText, adoptStyle, fill, labelWidth, localDays, seenAgo, wordsFor } from "../card-look";

var PREFIX = "heartbeat:";
var requests = {};  // url -> {at, answer, maxAge}: the elements of one page share one request

function storage() {
  try { return window.sessionStorage; } catch (e) { return null; }  // blocked cookies
}

// The element's or the page's lang picks the words and the formats of dates and numbers.
function setLanguage(el) {
  var holder = el.closest("[lang]"), tag;
  try { tag = Intl.getCanonicalLocales((holder && holder.lang) || navigator.language)[0]; } catch (e) {}
  el.hbTag = tag || "en";
  el.hbWords = wordsFor(el.hbTag, function (key) { return el.getAttribute("data-label-" + key); });
}

function part(parent, name, tag) {
  var node = document.createElement(tag || "span");
  node.className = "hb-" + name;
  return parent.appendChild(node);
}

// Text only: a note or a song title is never read as markup.
function show(node, text) {
  node.textContent = text || "";
  node.hidden = !text;
}

function setUp(el) {
  adoptStyle(document);
  setLanguage(el);
  el.classList.add("hb");
  el.textContent = "";
  // Only the state is a live region: the clock ticking below it is never announced.
  var status = part(el, "status");
  status.setAttribute("role", "status");
  part(status, "dot").setAttribute("aria-hidden", "true");
  el.hbLabel = part(status, "label");
  el.hbActivity = part(el, "activity");
  el.hbNote = part(el, "note");
  el.hbMeta = part(el, "meta");
  show(el.hbUsual = part(el, "usual"));
  el.hbLabel.style.minWidth = labelWidth(el.hbWords);
}

// body: the status JSON, {} after an error (offline), null while not known yet.
function render(el, body) {
  var words = el.hbWords, now = Date.now(), time = "", seen = "", note = body && body.note;
  var state = !body ? "unknown" : body.state === "online" || body.state === "away" ? body.state : "offline";
  el.hbBody = body;
  if (note && Date.parse(note.until) <= now) note = null;  // past its end, before the next check
  // What the owner is doing: only while online (the server sends it only then). A call is busy.
  var activity = state === "online" && body.activity || {};
  if (state === "online" && (activity.kind === "call" || note && note.busy)) state = "busy";
  el.setAttribute("data-state", state);
  // A live region announces each change of its text: change it only when the state changed.
  if (el.hbLabel.textContent !== words[state]) el.hbLabel.textContent = words[state];
  show(el.hbActivity, activityText(words, activity));
  show(el.hbNote, note && String(note.text));
  try {
    if (body && body.timezone) time = fill(words.time, new Intl.DateTimeFormat(el.hbTag,
      { hour: "numeric", minute: "2-digit", timeZone: body.timezone }).format(now));
  } catch (e) {}  // a zone this browser does not know: no clock
  var at = body && Date.parse(body.lastSeen);
  if (at && state !== "online" && state !== "busy") seen = fill(words.seen, seenAgo(at, now, el.hbTag));
  show(el.hbMeta, [time, seen].filter(Boolean).join(" \u00b7 "));
}

// One GET that the browser's HTTP cache may answer, shared by the page's elements unless it
// started at or before `after`. One warning per failed request (none for a 404 when quiet).
function ask(url, after, quiet) {
  var known = requests[url];
  if (!known || known.at <= after) {
    known = requests[url] = { at: Date.now(), maxAge: 0 };
    known.answer = fetch(url, { credentials: "omit" }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      var maxAge = /max-age=(\d+)/.exec(response.headers.get("Cache-Control"));
      known.maxAge = maxAge ? +maxAge[1] : 0;
      return response.json();
    });
    known.answer.catch(function (error) {
      if (!quiet || error.message !== "HTTP 404") console.warn("heartbeat: " + url + ": " + error.message);
    });
  }
  return known;
}

function check(el, after) {
  var src = el.getAttribute("data-heartbeat-src"), store = storage(), request = ask(src, after);
  el.hbChecked = request.at;
  request.answer.then(function (body) {
    el.hbMaxAge = request.maxAge;
    body = body || {};
    // Kept for the rest of the visit, but used only within the answer's max-age.
    if (store) {
      if (body.state === "online") store.setItem(PREFIX + src, JSON.stringify({ until: Date.now() + request.maxAge * 1e3, body: body }));
      else store.removeItem(PREFIX + src);
    }
    render(el, body);
  }, function () {
    el.hbMaxAge = 0;
    if (store) store.removeItem(PREFIX + src);
    render(el, {});
  });
}

// Usual hours, only where asked for: the "usually" line, and the heatmap with ="map".
function showHours(el, src) {
  var url = src + (src.indexOf("?") < 0 ? "?" : "&") + "format=hours";
  ask(url, 0, true).answer.then(function (hours) {
    var usually = hours && hours.usually;
    show(el.hbUsual, usually && fill(el.hbWords.usually, localDays(String(usually), el.hbTag)));
    // An empty grid tells a visitor nothing: the heatmap once there are usual hours.
    if (usually && el.getAttribute("data-heartbeat-hours") === "map") {
      var map = part(el, "map", "img");
      map.alt = el.hbWords.hours;
      map.src = url + ".svg";
    }
  }, function () {});
}

// Each minute on the minute: the owner's clock, "active ... ago", a note's end; no request.
function tick(el) {
  setTimeout(function () {
    render(el, el.hbBody);
    tick(el);
  }, 6e4 - Date.now() % 6e4);
}

function start(el) {
  if (el.hbStarted) return;
  el.hbStarted = true;
  setUp(el);
  var src = el.getAttribute("data-heartbeat-src"), saved = null;
  try { saved = JSON.parse(storage().getItem(PREFIX + src)); } catch (e) {}
  // While the owner was seen online, no request until that answer's max-age has passed.
  if (saved && saved.until > Date.now() && saved.body.state === "online") {
    render(el, saved.body);
    el.hbChecked = Date.now();
  } else {
    render(el, null);
    check(el, 0);
  }
  if (el.hasAttribute("data-heartbeat-hours")) showHours(el, src);
  tick(el);
  if (el.hasAttribute("data-heartbeat-refresh")) {
    document.addEventListener("visibilitychange", function () {
      // Never more often than the last answer's max-age allows.
      if (document.visibilityState === "visible" &&
          Date.now() - el.hbChecked >= (el.hbMaxAge || 0) * 1000) check(el, el.hbChecked);
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
