/*! heartbeat.js: the owner's presence card in any element with data-heartbeat-src. No dependencies.
    Readable source: web/src/heartbeat.js; web/heartbeat.js is it minified (make web-minify). */
(function () {
  "use strict";

  var PREFIX = "heartbeat:";
  // Built-in words, in the order of KEYS; "{}" stands for the value (a time, "5 minutes ago"...).
  var KEYS = "online away offline unknown busy time seen usually hours".split(" ");
  var WORDS = {
    en: "Online now|Away|Offline|Checking\u2026|Busy|{} for me|active {}|usually online {}|Usual hours",
    de: "Jetzt online|Abwesend|Offline|Wird gepr\u00fcft\u2026|Besch\u00e4ftigt|bei mir {}|aktiv {}|meist online {}|\u00dcbliche Zeiten",
    fr: "En ligne|Absent|Hors ligne|V\u00e9rification\u2026|Occup\u00e9|{} chez moi|actif {}|en ligne d\u2019habitude {}|Heures habituelles",
    es: "En l\u00ednea|Ausente|Desconectado|Comprobando\u2026|Ocupado|{} aqu\u00ed|activo {}|suele estar en l\u00ednea {}|Horario habitual",
    pt: "Online agora|Ausente|Offline|Verificando\u2026|Ocupado|{} aqui|ativo {}|costuma estar online {}|Hor\u00e1rio habitual",
    ja: "\u30aa\u30f3\u30e9\u30a4\u30f3|\u96e2\u5e2d\u4e2d|\u30aa\u30d5\u30e9\u30a4\u30f3|\u78ba\u8a8d\u4e2d\u2026|\u53d6\u308a\u8fbc\u307f\u4e2d|\u3053\u3061\u3089\u306f{}|{}\u306b\u30a2\u30af\u30c6\u30a3\u30d6|\u666e\u6bb5\u306e\u30aa\u30f3\u30e9\u30a4\u30f3: {}|\u666e\u6bb5\u306e\u30aa\u30f3\u30e9\u30a4\u30f3\u6642\u9593",
    zh: "\u5728\u7ebf|\u79bb\u5f00|\u79bb\u7ebf|\u68c0\u67e5\u4e2d\u2026|\u5fd9\u788c|\u6211\u8fd9\u91cc{}|{}\u6d3b\u8dc3|\u901a\u5e38\u5728\u7ebf\uff1a{}|\u901a\u5e38\u5728\u7ebf\u65f6\u95f4"
  };
  // One set of colours with at least 3:1 against white and against near-black backgrounds;
  // the shape tells the state without colour: filled, half-filled, barred, ring, dotted ring.
  var STYLE =
    ".hb{display:inline-flex;flex-direction:column;align-items:flex-start;gap:.15em;line-height:1.3}" +
    ".hb-status{display:inline-flex;align-items:center;gap:.45em}" +
    ".hb-dot{flex:none;box-sizing:border-box;width:.75em;height:.75em;border-radius:50%;border:.15em solid #7d8590}" +
    ".hb[data-state=unknown] .hb-dot{border-style:dotted}" +
    ".hb[data-state=online] .hb-dot{border-color:#1f883d;background:#1f883d;animation:hb-pulse 2s infinite}" +
    ".hb[data-state=away] .hb-dot{border-color:#b58100;background:linear-gradient(90deg,#b58100 50%,#0000 50%)}" +
    ".hb[data-state=busy] .hb-dot{border-color:#de3b3b;background:linear-gradient(#fff,#fff) 50%/70% 22% no-repeat #de3b3b}" +
    ".hb-meta,.hb-usual{font-size:.9em}.hb-map{max-width:100%;height:auto}" +
    "@keyframes hb-pulse{0%{box-shadow:0 0 0 0 #1f883d66}70%{box-shadow:0 0 0 .35em #1f883d00}}" +
    "@media (prefers-reduced-motion:reduce){.hb-dot{animation:none!important}}";

  var requests = {};  // url -> {at, answer, maxAge}: the elements of one page share one request

  function storage() {
    try { return window.sessionStorage; } catch (e) { return null; }  // blocked cookies
  }

  function fill(template, value) {
    return template.replace("{}", function () { return value; });
  }

  // The element's or the page's lang picks the words and the formats of dates and numbers.
  function setLanguage(el) {
    var holder = el.closest("[lang]"), tag;
    try { tag = Intl.getCanonicalLocales((holder && holder.lang) || navigator.language)[0]; } catch (e) {}
    var words = (WORDS[(tag || "").split("-")[0]] || WORDS.en).split("|");
    el.hbTag = tag || "en";
    el.hbWords = {};
    KEYS.forEach(function (key, i) { el.hbWords[key] = el.getAttribute("data-label-" + key) || words[i]; });
  }

  function part(parent, name, tag) {
    var node = document.createElement(tag || "span");
    node.className = "hb-" + name;
    return parent.appendChild(node);
  }

  // Text only: a note is never read as markup.
  function show(node, text) {
    node.textContent = text || "";
    node.hidden = !text;
  }

  function setUp(el) {
    if (!document.getElementById("hb-style")) {
      var style = part(document.head, "style", "style");
      style.id = "hb-style";
      style.textContent = STYLE;
    }
    setLanguage(el);
    el.classList.add("hb");
    el.textContent = "";
    // Only the state is a live region: the clock ticking below it is never announced.
    var status = part(el, "status");
    status.setAttribute("role", "status");
    part(status, "dot").setAttribute("aria-hidden", "true");
    el.hbLabel = part(status, "label");
    el.hbNote = part(el, "note");
    el.hbMeta = part(el, "meta");
    show(el.hbUsual = part(el, "usual"));
    // Reserve the width of the longest state word so that nothing moves when the answer comes.
    var widest = 0;
    for (var i = 0; i < 5; i++) widest = Math.max(widest, el.hbWords[KEYS[i]].length);
    el.hbLabel.style.minWidth = widest * 0.6 + "em";
  }

  // body: the status JSON, {} after an error (offline), null while not known yet.
  function render(el, body) {
    var words = el.hbWords, now = Date.now(), time = "", seen = "", note = body && body.note;
    var state = !body ? "unknown" : body.state === "online" || body.state === "away" ? body.state : "offline";
    el.hbBody = body;
    if (note && Date.parse(note.until) <= now) note = null;  // past its end, before the next check
    if (state === "online" && note && note.busy) state = "busy";
    el.setAttribute("data-state", state);
    // A live region announces each change of its text: change it only when the state changed.
    if (el.hbLabel.textContent !== words[state]) el.hbLabel.textContent = words[state];
    show(el.hbNote, note && String(note.text));
    try {
      if (body && body.timezone) time = fill(words.time, new Intl.DateTimeFormat(el.hbTag,
        { hour: "numeric", minute: "2-digit", timeZone: body.timezone }).format(now));
    } catch (e) {}  // a zone this browser does not know: no clock
    var at = body && Date.parse(body.lastSeen);
    if (at && state !== "online" && state !== "busy") {
      var minutes = Math.max(0, Math.floor((now - at) / 6e4));
      seen = fill(words.seen, new Intl.RelativeTimeFormat(el.hbTag, { numeric: "auto" }).format(
        minutes < 60 ? -minutes : minutes < 1440 ? -Math.floor(minutes / 60) : -Math.floor(minutes / 1440),
        minutes < 60 ? "minute" : minutes < 1440 ? "hour" : "day"));
    }
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
      if (store) {
        if (body.state === "online") store.setItem(PREFIX + src, JSON.stringify(body));
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
      var usually = hours && hours.usually, days = new Intl.DateTimeFormat(el.hbTag, { weekday: "short", timeZone: "UTC" });
      // The server writes English day names; each becomes the page's (5 Jan 1970 was a Monday).
      show(el.hbUsual, usually && fill(el.hbWords.usually, String(usually).replace(/Mon|Tue|Wed|Thu|Fri|Sat|Sun/g,
        function (day) { return days.format(("MonTueWedThuFriSatSun".indexOf(day) / 3 + 4) * 864e5); })));
      if (el.getAttribute("data-heartbeat-hours") === "map") {
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
    // While the owner was seen online, one request per visit is enough (the original strategy).
    if (saved && saved.state === "online") {
      render(el, saved);
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
})();
