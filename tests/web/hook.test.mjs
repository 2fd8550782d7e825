// web/use-online-status.ts: type-checked, bundled with React by esbuild, run in headless Chromium
// against the real servers.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";
import { buildReactPage } from "./react-page.mjs";
import { Stack, freePort, launchBrowser, newPage, prepareWebRoot } from "./support.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const LANGUAGES = ["en", "de", "fr", "es", "pt-BR", "ja", "zh-CN"];
const AWAY = { en: "Away", de: "Abwesend", fr: "Absent", es: "Ausente", "pt-BR": "Ausente", ja: "離席中", "zh-CN": "离开" };
let browser;
let stack;

before(async () => {
  const closedPort = await freePort();
  const page = (src) => `<!doctype html><body data-src="${src}"><div id="root"></div><script src="hook.js"></script></body>`;
  const pages = {
    "hook.html": page("/cgi-bin/status.fcgi"),
    "hook-refused.html": page(`http://127.0.0.1:${closedPort}/cgi-bin/status.fcgi`),
    "hook-data.html": '<!doctype html><html lang="de"><body data-mode="data" data-hours><div id="root"></div>' +
      '<script src="hook.js"></script></body></html>',
  };
  // The widget and the component on one page, in each language, for the parity test.
  for (const lang of LANGUAGES) {
    pages[`card-${lang}.html`] = `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>card</title></head>` +
      '<body data-mode="card" data-hours="map"><div id="widget"><span data-heartbeat-src="/cgi-bin/status.fcgi" ' +
      'data-heartbeat-hours="map"></span></div><div id="root"></div><script src="heartbeat.js"></script>' +
      '<script src="hook.js"></script></body></html>';
  }
  pages["card-label.html"] = '<!doctype html><html lang="en"><body data-mode="card" data-label-busy="Heads down">' +
    '<div id="root"></div><script src="hook.js"></script></body></html>';
  prepareWebRoot(pages);
  await buildReactPage();
  browser = await launchBrowser();
  stack = new Stack();
});

after(async () => {
  await browser?.close();
  stack?.stop();
});

async function presence(page) {
  await page.waitForFunction(() => document.querySelector("[data-testid=presence]")?.dataset.state !== "unknown");
  return page.getByTestId("presence").textContent();
}

test("the hook and the card type-check under strict TypeScript", () => {
  execFileSync(path.join(HERE, "node_modules/.bin/tsc"), ["-p", path.join(HERE, "tsconfig.json")], { stdio: "inherit" });
});

test("unknown while loading, then online after a heartbeat", async () => {
  await stack.heartbeat("active");
  const context = await browser.newContext();
  const page = await newPage(context);
  await page.route("**/cgi-bin/status.fcgi", async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1500));  // a slow network
    await route.continue();
  });
  await page.goto(`${stack.url}/hook.html`, { waitUntil: "domcontentloaded" });
  await page.getByTestId("presence").waitFor();
  assert.equal(await page.getByTestId("presence").textContent(), "unknown");
  assert.equal(await presence(page), "online");
  await context.close();
});

test("while online a second load in the same visit makes no status request", async () => {
  await stack.heartbeat("active");
  const context = await browser.newContext();
  const page = await newPage(context);
  await page.goto(`${stack.url}/hook.html`);
  assert.equal(await presence(page), "online");
  const seen = stack.statusRequestsSeen();
  await page.reload();
  assert.equal(await presence(page), "online");
  assert.equal(stack.statusRequestsSeen(), seen);
  await context.close();
});

test("away, and offline in a new visit after an explicit offline", async () => {
  await stack.heartbeat("idle");
  let context = await browser.newContext();
  let page = await newPage(context);
  await page.goto(`${stack.url}/hook.html`);
  assert.equal(await presence(page), "away");
  await context.close();

  await stack.heartbeat("offline");
  context = await browser.newContext();
  page = await newPage(context);
  await page.goto(`${stack.url}/hook.html`);
  assert.equal(await presence(page), "offline");
  await context.close();
});

test("a 503 or a refused connection is offline with one warning", async () => {
  const broken = new Stack();
  try {
    await broken.writeConfig("last_seen = sometimes\n");
    for (const url of [`${broken.url}/hook.html`, `${stack.url}/hook-refused.html`]) {
      const context = await browser.newContext();
      const page = await newPage(context);
      await page.goto(url);
      assert.equal(await presence(page), "offline");
      await page.waitForTimeout(100);
      assert.equal(page.warnings.filter((w) => w.startsWith("heartbeat:")).length, 1, url);
      await context.close();
    }
  } finally {
    broken.stop();
  }
});

// A server with everything on: the owner's zone, the exact last activity, two weeks of history.
async function fullStack() {
  const full = new Stack(["timezone = Asia/Tokyo", "last_seen = exact", "history_days = 30"]);
  await full.heartbeat("active");
  full.seedWorkdays();
  return full;
}

test("usePresence returns state, busy, note, local time, last seen and the usual hours", async () => {
  const full = await fullStack();
  try {
    const until = new Date(Date.now() + 3600_000);
    await full.heartbeat("active", "laptop", { note: { text: "Deep work <b>now</b>", busy: true, until: until.getTime() } });
    const status = await (await fetch(`${full.url}/cgi-bin/status.fcgi`)).json();
    const context = await browser.newContext();
    const page = await newPage(context);
    const asked = Date.now();
    await page.goto(`${full.url}/hook-data.html`);
    await page.waitForFunction(() => {
      const data = JSON.parse(document.querySelector("[data-testid=presence]")?.textContent || "{}");
      return data.state === "online" && data.hours;
    });
    const answered = Date.now();
    const data = JSON.parse(await page.getByTestId("presence").textContent());
    assert.equal(data.busy, true);
    assert.deepEqual(data.note, { text: "Deep work <b>now</b>", busy: true, until: new Date(status.note.until).toISOString() });
    assert.equal(data.timeZone, "Asia/Tokyo");
    // The owner's clock in the page's language (de: 24 hours), one of the two minutes around now.
    const clock = (t) => new Intl.DateTimeFormat("de", { hour: "numeric", minute: "2-digit", timeZone: "Asia/Tokyo" }).format(t);
    assert.ok([clock(Date.now() - 60_000), clock(Date.now())].includes(data.localTime), data.localTime);
    assert.equal(data.lastSeen, new Date(status.lastSeen).toISOString());
    assert.equal(data.hours.usually, "Mon–Fri 09:00–18:00");
    assert.equal(data.hours.timezone, "Asia/Tokyo");
    assert.equal(data.hours.hours.length, 7);
    // What the rule gives at the moment of the request (an hour may begin while it is made).
    const expected = [full.expectedShares(asked), full.expectedShares(answered)];
    assert.ok(expected.some((shares) => JSON.stringify(shares) === JSON.stringify(data.hours.hours)),
      `${JSON.stringify(data.hours.hours)} is not what the rule gives: ${JSON.stringify(expected[0])}`);
    assert.deepEqual(data.hours.hours[0].slice(8, 19).map((share) => share > 0), [false, ...Array(9).fill(true), false]);
    assert.deepEqual(page.warnings, []);

    // Away with a busy note: not busy (busy is "at the computer"), the note still there.
    await full.heartbeat("idle");
    const away = await newPage(await browser.newContext());
    await away.goto(`${full.url}/hook-data.html`);
    await away.waitForFunction(() => document.querySelector("[data-testid=presence]")?.dataset.state === "away");
    const awayData = JSON.parse(await away.getByTestId("presence").textContent());
    assert.equal(awayData.busy, false);
    assert.equal(awayData.note.text, "Deep work <b>now</b>");
    await context.close();
    await away.context().close();
  } finally {
    full.stop();
  }
});

test("PresenceCard renders what heartbeat.js renders, in all seven languages", async () => {
  const full = await fullStack();
  try {
    await full.heartbeat("idle", "laptop", { note: { text: "Back after lunch" } });
    const context = await browser.newContext();
    const page = await newPage(context);
    const seen = new Set();
    for (const lang of LANGUAGES) {
      await page.goto(`${full.url}/card-${lang}.html`);
      const ready = (sel) => page.waitForFunction((s) => {
        const card = document.querySelector(s);
        return card?.dataset.state === "away" && card.querySelector(".hb-usual:not([hidden])") && card.querySelector("img.hb-map")?.complete;
      }, sel);
      await ready("#widget .hb");
      await ready("#root .hb");
      const look = (sel) => page.locator(sel).evaluate((card) => {
        const text = (name) => { const node = card.querySelector(`.hb-${name}`); return node && !node.hidden ? node.textContent : null; };
        const dot = getComputedStyle(card.querySelector(".hb-dot"));
        return {
          state: card.dataset.state, label: text("label"), note: text("note"), meta: text("meta"), usual: text("usual"),
          map: card.querySelector("img.hb-map")?.alt, mapWidth: card.querySelector("img.hb-map")?.naturalWidth > 0,
          live: card.querySelector("[role=status]").textContent,
          dot: [dot.width, dot.borderTopColor, dot.borderTopStyle, dot.backgroundImage, dot.borderRadius].join(" "),
        };
      });
      const widget = await look("#widget .hb");
      assert.deepEqual(await look("#root .hb"), widget, lang);
      assert.equal(widget.note, "Back after lunch");
      assert.match(widget.meta, /\d/, lang);  // the clock and "active ... ago"
      assert.ok(widget.mapWidth, lang);
      assert.equal(widget.label, AWAY[lang]);
      seen.add(widget.usual);
    }
    assert.equal(seen.size, LANGUAGES.length, "every language has a usual-hours line of its own");
    assert.deepEqual(page.warnings, []);
    await context.close();
  } finally {
    full.stop();
  }
});

test("PresenceCard: busy from a busy note, in the owner's own word", async () => {
  await stack.heartbeat("active", "laptop", { note: { text: "Writing", busy: true } });
  try {
    const context = await browser.newContext();
    const page = await newPage(context);
    await page.goto(`${stack.url}/card-label.html`);
    await page.waitForFunction(() => document.querySelector(".hb")?.dataset.state === "busy");
    assert.equal(await page.getByRole("status").textContent(), "Heads down");
    assert.equal(await page.locator(".hb-note").textContent(), "Writing");
    await context.close();
  } finally {
    await stack.heartbeat("active", "laptop", { note: null });
  }
});

test("usePresence: the owner's clock moves each minute on the minute, with no request", async () => {
  const zoned = new Stack(["timezone = Asia/Tokyo"]);
  try {
    await zoned.heartbeat("active");
    const context = await browser.newContext();
    await context.clock.install({ time: new Date("2026-06-01T05:04:30Z") });  // 14:04:30 in Tokyo
    const page = await newPage(context);
    await page.goto(`${zoned.url}/hook-data.html`);
    const localTime = async () => JSON.parse(await page.getByTestId("presence").textContent()).localTime;
    await page.waitForFunction(() => document.querySelector("[data-testid=presence]")?.dataset.state === "online");
    assert.equal(await localTime(), "14:04");
    const seen = zoned.statusRequestsSeen();
    await page.clock.runFor(31_000);
    assert.equal(await localTime(), "14:05");
    assert.equal(zoned.statusRequestsSeen(), seen);
    await context.close();
  } finally {
    zoned.stop();
  }
});
