// What the owner is doing (listening, coding, a call) on web/heartbeat.js, the hook and
// PresenceCard, in a real headless Chromium against the real servers with `activity = on`: the
// words of each language, the busy shape of a call, nothing once the owner is away or offline,
// hostile titles shown as text, the data-label-* overrides.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { buildReactPage } from "./react-page.mjs";
import { Stack, launchBrowser, newPage, parts, prepareWebRoot, settled } from "./support.mjs";

const SRC = "/cgi-bin/status.fcgi";
const LANGUAGES = ["en", "de", "fr", "es", "pt-BR", "ja", "zh-CN"];

// What each language must say, written here on its own: online, busy, listening to {}, coding,
// coding in {}, in a call.
const WORDS = {
  en: ["Online now", "Busy", "Listening to {}", "Coding", "Coding in {}", "In a call"],
  de: ["Jetzt online", "Beschäftigt", "Hört {}", "Programmiert", "Programmiert in {}", "Im Anruf"],
  fr: ["En ligne", "Occupé", "Écoute {}", "En train de coder", "Code dans {}", "En appel"],
  es: ["En línea", "Ocupado", "Escuchando {}", "Programando", "Programando en {}", "En una llamada"],
  "pt-BR": ["Online agora", "Ocupado", "Ouvindo {}", "Programando", "Programando em {}", "Em uma chamada"],
  ja: ["オンライン", "取り込み中", "再生中: {}", "コーディング中", "{}でコーディング中", "通話中"],
  "zh-CN": ["在线", "忙碌", "正在听：{}", "编程中", "正在用 {} 编程", "通话中"],
};

// Each activity as the agent sends it, and what a card in `lang` then shows.
const ACTIVITIES = {
  listening: {
    body: { kind: "listening", title: "Reckoner", artist: "Radiohead", app: "Spotify" },
    shows: (w) => ({ label: w[0], activity: w[2].replace("{}", "Reckoner — Radiohead") }),
  },
  "listening, no artist": {
    body: { kind: "listening", title: "Reckoner", app: "Music" },
    shows: (w) => ({ label: w[0], activity: w[2].replace("{}", "Reckoner") }),
  },
  coding: { body: { kind: "coding", app: "Xcode" }, shows: (w) => ({ label: w[0], activity: w[4].replace("{}", "Xcode") }) },
  "coding, no app": { body: { kind: "coding" }, shows: (w) => ({ label: w[0], activity: w[3] }) },
  call: { body: { kind: "call" }, shows: (w) => ({ label: w[1], activity: w[5] }) },
};

// A page with heartbeat.js; with a data-mode, the React page too (tests/web/hook-page.tsx).
const html = (lang, body, dataset = "") => `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>activity</title></head>` +
  `<body ${dataset}>${body}<script src="/heartbeat.js"></script>${dataset ? '<script src="/hook.js"></script>' : ""}</body></html>`;
const card = (attributes = "") => `<span data-heartbeat-src="${SRC}" ${attributes}></span>`;
const LABELS = { listening: "Now playing {}", coding: "Hacking", "coding-in": "Hacking in {}", call: "On the phone", busy: "Do not disturb" };
let browser;
let stack;

before(async () => {
  const pages = {
    // The widget in the seven languages on one page, each by its element's lang.
    "languages.html": html("en", LANGUAGES.map((lang) => card(`lang="${lang}"`)).join("")),
    // The hook's whole answer (tests/web/hook-page.tsx).
    "hook.html": html("en", '<div id="root"></div>', 'data-mode="data"'),
    // Every data-label-* of an activity, on a German page: the owner's words beat the language's.
    "labels.html": html("de", card(Object.entries(LABELS).map(([key, text]) => `data-label-${key}="${text}"`).join(" ")) +
      '<div id="root"></div>', `data-mode="card" data-labels='${JSON.stringify(LABELS)}'`),
  };
  // The widget and PresenceCard on one page, in each language.
  for (const lang of LANGUAGES) pages[`card-${lang}.html`] = html(lang, `<div id="widget">${card()}</div><div id="root"></div>`, 'data-mode="card"');
  prepareWebRoot(pages);
  await buildReactPage();
  browser = await launchBrowser();
  stack = new Stack(["activity = on"]);
});

after(async () => {
  await browser?.close();
  stack?.stop();
});

// A page of a new visit (nothing kept from an earlier answer), once each of its cards is there
// and has its answer.
const BOTH = ["#widget .hb", "#root .hb"];
async function visit(file, cards = ["[data-heartbeat-src]"]) {
  const page = await newPage(await browser.newContext());
  await page.goto(`${stack.url}/${file}`);
  for (const selector of cards) await page.locator(selector).first().waitFor({ state: "attached" });
  await settled(page, cards.join(", "));
  return page;
}

// The widget's and the React card's look, to compare: their texts, the dot's computed style.
async function look(page, selector) {
  const dot = await page.locator(`${selector} .hb-dot`).evaluate((el) => {
    const style = getComputedStyle(el);
    return [style.borderTopColor, style.backgroundColor, style.backgroundImage].join(" ");
  });
  return { ...(await parts(page, selector)), dot };
}

test("each kind under the state, in the seven languages; a call is busy", async () => {
  for (const [name, activity] of Object.entries(ACTIVITIES)) {
    await stack.heartbeat("active", "laptop", { activity: activity.body });
    const page = await visit("languages.html");
    for (const lang of LANGUAGES) {
      const shown = await parts(page, `.hb[lang="${lang}"]`);
      const busy = activity.body.kind === "call";
      assert.deepEqual(shown, { state: busy ? "busy" : "online", ...activity.shows(WORDS[lang]), note: null, meta: null, usual: null },
        `${name} ${lang}`);
    }
    // Only the state is a live region: the activity is not announced with it.
    assert.deepEqual(await page.getByRole("status").allTextContents(), LANGUAGES.map((lang) => activity.shows(WORDS[lang]).label));
    assert.deepEqual(page.warnings, []);
    await page.context().close();
  }
});

test("a call has the busy shape: the red disc with a bar, as a busy note has", async () => {
  await stack.heartbeat("active", "laptop", { note: { text: "Heads down", busy: true } });
  let page = await visit("card-en.html", BOTH);
  const busyNote = await look(page, "#widget .hb");
  await page.context().close();

  await stack.heartbeat("active", "laptop", { note: null, activity: { kind: "call" } });
  page = await visit("card-en.html", BOTH);
  const call = await look(page, "#widget .hb");
  assert.equal(call.state, "busy");
  assert.equal(call.dot, busyNote.dot);
  assert.match(call.dot, /^rgb\(222, 59, 59\) rgb\(222, 59, 59\) linear-gradient/);
  assert.deepEqual(await look(page, "#root .hb"), call);
  await page.context().close();

  // Coding is online, not busy: the plain green disc.
  await stack.heartbeat("active", "laptop", { activity: { kind: "coding", app: "Xcode" } });
  page = await visit("card-en.html", BOTH);
  assert.equal((await look(page, "#widget .hb")).dot, "rgb(31, 136, 61) rgb(31, 136, 61) none");
  await page.context().close();
});

test("nothing once the owner is away or offline, or the next heartbeat has no activity", async () => {
  const listening = ACTIVITIES.listening.body;
  const steps = [
    { send: ["active", { activity: listening }], state: "online", activity: "Listening to Reckoner — Radiohead" },
    { send: ["idle", {}], state: "away", activity: null },
    { send: ["active", { activity: listening }], state: "online", activity: "Listening to Reckoner — Radiohead" },
    { send: ["offline", {}], state: "offline", activity: null },
    { send: ["idle", { activity: listening }], state: "away", activity: null },  // idle, whatever it says
    { send: ["active", { activity: listening }], state: "online", activity: "Listening to Reckoner — Radiohead" },
    { send: ["active", {}], state: "online", activity: null },  // a heartbeat without one ends it
  ];
  for (const [i, step] of steps.entries()) {
    await stack.heartbeat(step.send[0], "laptop", step.send[1]);
    const page = await visit("card-en.html", BOTH);
    for (const selector of BOTH) {
      const shown = await parts(page, selector);
      assert.deepEqual([shown.state, shown.activity], [step.state, step.activity], `step ${i} ${selector}`);
    }
    await page.context().close();
  }
});

test("hostile titles, artists and apps are shown as text, never as markup", async () => {
  const title = '<img src=x onerror="window.pwned=1">Reckoner {} $& $1';
  const artist = "<b>Radiohead</b>";
  const app = "<script>pwned=2</script>";
  for (const [activity, expected] of [
    [{ kind: "listening", title, artist, app }, `Listening to ${title} — ${artist}`],
    [{ kind: "coding", app }, `Coding in ${app}`],
  ]) {
    await stack.heartbeat("active", "laptop", { activity });
    const page = await visit("card-en.html", BOTH);
    for (const selector of BOTH) {
      assert.equal((await parts(page, selector)).activity, expected, selector);
    }
    assert.equal(await page.locator(".hb img, .hb b, .hb script").count(), 0);
    assert.equal(await page.evaluate(() => window.pwned), undefined);
    await page.context().close();
  }
});

test("data-label-listening, -coding, -coding-in and -call (and the React card's labels) replace the words", async () => {
  for (const [activity, label, expected] of [
    [ACTIVITIES.listening.body, "Jetzt online", "Now playing Reckoner — Radiohead"],
    [ACTIVITIES.coding.body, "Jetzt online", "Hacking in Xcode"],
    [ACTIVITIES["coding, no app"].body, "Jetzt online", "Hacking"],
    [ACTIVITIES.call.body, "Do not disturb", "On the phone"],
  ]) {
    await stack.heartbeat("active", "laptop", { activity });
    const page = await visit("labels.html", ["[data-heartbeat-src]", "#root .hb"]);
    for (const selector of ["[data-heartbeat-src]", "#root .hb"]) {
      const shown = await parts(page, selector);
      assert.deepEqual([shown.label, shown.activity], [label, expected], `${activity.kind} ${selector}`);
    }
    await page.context().close();
  }
});

test("PresenceCard shows what heartbeat.js shows: three kinds in four languages", async () => {
  for (const name of ["listening", "coding", "call"]) {
    await stack.heartbeat("active", "laptop", { activity: ACTIVITIES[name].body });
    for (const lang of ["en", "de", "ja", "zh-CN"]) {
      const page = await visit(`card-${lang}.html`, BOTH);
      const widget = await look(page, "#widget .hb");
      assert.deepEqual(await look(page, "#root .hb"), widget, `${name} ${lang}`);
      assert.equal(widget.activity, ACTIVITIES[name].shows(WORDS[lang]).activity, `${name} ${lang}`);
      await page.context().close();
    }
  }
});

test("usePresence returns the activity, busy in a call, null when away", async () => {
  const hook = async () => {
    const page = await visit("hook.html", ["[data-testid=presence]"]);
    const data = JSON.parse(await page.getByTestId("presence").textContent());
    await page.context().close();
    return data;
  };
  for (const [activity, expected, busy] of [
    [ACTIVITIES.listening.body, { kind: "listening", title: "Reckoner", artist: "Radiohead", app: "Spotify" }, false],
    [ACTIVITIES["listening, no artist"].body, { kind: "listening", title: "Reckoner", artist: null, app: "Music" }, false],
    [ACTIVITIES.coding.body, { kind: "coding", app: "Xcode" }, false],
    [ACTIVITIES["coding, no app"].body, { kind: "coding", app: null }, false],
    [ACTIVITIES.call.body, { kind: "call" }, true],
  ]) {
    await stack.heartbeat("active", "laptop", { activity });
    const data = await hook();
    assert.deepEqual([data.state, data.activity, data.busy], ["online", expected, busy], activity.kind);
  }
  await stack.heartbeat("idle", "laptop", { activity: { kind: "call" } });
  const away = await hook();
  assert.deepEqual([away.state, away.activity, away.busy], ["away", null, false]);
});
