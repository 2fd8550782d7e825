/*! heartbeat.js: web/README.md */
// The readable source; web/heartbeat.js is this file, web/card-look.ts (the words and the looks)
// and web/presence-rules.ts (what the card decides, shared with the React hook) bundled into one
// dependency-free script and minified (web/README.md, "Size"). Arrow functions and `let` are fine
// here (the bundle has them anyway); nothing newer than Intl.RelativeTimeFormat.
import { activityText, adoptStyle, labelWidth, metaText, usualText, wordsFor } from "../card-look";
import { checkStatus, describe, dueAgain, everyMinute, getHours, hoursUrl, languageOf, savedStatus } from "../presence-rules";

var requests = {};  // url -> its last request: the elements of one page share one

// The page's elements share one request for a URL, unless it started at or before `after`.
function ask(url, after, load) {
  var known = requests[url];
  return !known || known.at <= after ? requests[url] = load(url) : known;
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

function start(el) {
  if (el.hbChecked) return;  // started already
  // The element's or the page's lang picks the words and the formats of dates and numbers.
  var holder = el.closest("[lang]"), tag = languageOf(holder && holder.lang);
  var words = wordsFor(tag, (key) => el.getAttribute("data-label-" + key));
  var src = el.getAttribute("data-heartbeat-src"), hours = el.getAttribute("data-heartbeat-hours");
  // While the owner was seen online, no request until that answer's max-age has passed.
  var body = savedStatus(src), last = el.hbChecked = { at: body ? Date.now() : 0, maxAge: 0 };
  adoptStyle(document);
  el.classList.add("hb");
  el.textContent = "";
  // Only the state is a live region: the clock ticking below it is never announced.
  var status = part(el, "status");
  status.setAttribute("role", "status");
  part(status, "dot").setAttribute("aria-hidden", "true");
  var label = part(status, "label"), activity = part(el, "activity"), note = part(el, "note");
  var meta = part(el, "meta"), usual = part(el, "usual");
  show(usual);
  label.style.minWidth = labelWidth(words);

  // body: the status JSON, {} after an error (offline), null while not known yet.
  function render() {
    var now = Date.now(), shown = describe(body, now, tag), state = shown.busy ? "busy" : shown.state;
    el.setAttribute("data-state", state);
    // A live region announces each change of its text: change it only when the state changed.
    if (label.textContent !== words[state]) label.textContent = words[state];
    show(activity, activityText(words, shown.activity));
    show(note, shown.note && shown.note.text);
    show(meta, metaText(words, shown, now, tag));
  }

  // The last request, shared with the page's other elements, says when to ask again (its max-age).
  function check() {
    (last = el.hbChecked = ask(src, last.at, checkStatus)).answer.then((status) => {
      body = status;
      render();
    });
  }

  render();
  if (!body) check();
  // Usual hours, only where asked for: the "usually" line, and the heatmap with ="map".
  if (hours != null) {
    var url = hoursUrl(src);
    ask(url, 0, getHours).answer.then((answer) => {
      var usually = answer && answer.usually;
      show(usual, usually && usualText(words, usually, tag));
      // An empty grid tells a visitor nothing: the heatmap once there are usual hours.
      if (usually && hours === "map") {
        var map = part(el, "map", "img");
        map.alt = words.hours;
        map.src = url + ".svg";
      }
    }, () => {});
  }
  everyMinute(render);
  if (el.hasAttribute("data-heartbeat-refresh")) document.addEventListener("visibilitychange", () => dueAgain(last) && check());
}

function startAll() {
  document.querySelectorAll("[data-heartbeat-src]").forEach(start);
}

window.Heartbeat = { start: start, startAll: startAll };
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", startAll);
else startAll();
