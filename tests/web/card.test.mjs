// The presence card of web/heartbeat.js in a real headless Chromium against the real servers:
// the note as text, busy, the owner's clock, "active ... ago", usual hours, languages, labels,
// and a live region that speaks once per change. Playwright's clock moves the page's time.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Stack, launchBrowser, newPage, parts, prepareWebRoot, settled } from "./support.mjs";

const SRC = "/cgi-bin/status.fcgi";
const html = (lang, body) => `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>card</title></head>` +
  `<body>${body}<script src="heartbeat.js"></script></body></html>`;
const card = (attributes = "") => `<span data-heartbeat-src="${SRC}" ${attributes}></span>`;
let browser;
let stack;

before(async () => {
  prepareWebRoot({
    "card-en.html": html("en", card()),
    "card-de.html": html("de", card()),
    "card-ja.html": html("ja", card()),
    "card-fr-element.html": html("en", card('lang="fr"')),
    "card-refresh.html": html("en", card("data-heartbeat-refresh")),
    "card-hours.html": html("en", card('id="none"') + card('id="line" data-heartbeat-hours') +
      card('id="map" data-heartbeat-hours="map"')),
    "card-hours-de.html": html("de", card('data-heartbeat-hours')),
    "card-labels.html": html("en", card('data-label-busy="Heads down" data-label-time="{} in Tokyo" ' +
      'data-label-seen="last here {}" data-label-usually="around {}" data-label-hours="My week" ' +
      'data-heartbeat-hours="map"')),
  });
  browser = await launchBrowser();
  stack = new Stack(["timezone = Asia/Tokyo", "last_seen = exact"]);
});

after(async () => {
  await browser?.close();
  stack?.stop();
});

test("a note is shown as text, never markup; busy has its own word and shape; a cleared note goes", async () => {
  const markup = '<img src=x onerror="window.pwned=1"><b>In a meeting</b>';
  await stack.heartbeat("active", "laptop", { note: { text: markup, busy: true } });
  let context = await browser.newContext();
  let page = await newPage(context);
  await page.goto(`${stack.url}/card-en.html`);
  await settled(page);
  const shown = await parts(page);
  assert.equal(shown.state, "busy");
  assert.equal(shown.label, "Busy");
  assert.equal(shown.note, markup);
  assert.equal(await page.locator(".hb img, .hb b").count(), 0);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  // The busy dot is red with a bar across; online is a plain green disc.
  const dot = await page.locator(".hb-dot").evaluate((el) => getComputedStyle(el).backgroundImage);
  assert.match(dot, /linear-gradient/);
  await context.close();

  await stack.heartbeat("active", "laptop", { note: null });
  context = await browser.newContext();
  page = await newPage(context);
  await page.goto(`${stack.url}/card-en.html`);
  await settled(page);
  assert.deepEqual({ ...(await parts(page)), meta: null }, { state: "online", label: "Online now", activity: null, note: null, meta: null, usual: null });
  assert.equal(await page.locator(".hb-dot").evaluate((el) => getComputedStyle(el).backgroundImage), "none");
  await context.close();
});

test("the owner's local time from the server's zone, each minute on the minute, with no request", async () => {
  await stack.heartbeat("active");
  // 05:04:30 UTC is 14:04:30 in Tokyo (UTC+9, no summer time).
  const context = await browser.newContext();
  await context.clock.install({ time: new Date("2026-06-01T05:04:30Z") });
  const page = await newPage(context);
  await page.goto(`${stack.url}/card-de.html`);
  await settled(page);
  assert.equal((await parts(page)).meta, "bei mir 14:04");
  const requests = stack.statusRequestsSeen();
  await page.clock.runFor(31_000);
  assert.equal((await parts(page)).meta, "bei mir 14:05");
  await page.clock.runFor(60_000);
  assert.equal((await parts(page)).meta, "bei mir 14:06");
  assert.equal(stack.statusRequestsSeen(), requests);

  await page.goto(`${stack.url}/card-en.html`);  // same visit: past the saved answer's max-age on this clock, but the browser's cache (on the real one) answers
  await settled(page);
  assert.match((await parts(page)).meta, /^2:0\d\s?PM for me$/u);
  assert.equal(stack.statusRequestsSeen(), requests);
  await context.close();
});

test('"active 5 minutes ago" from lastSeen in the page\'s language, only while not online', async () => {
  await stack.heartbeat("active");
  await stack.heartbeat("idle");
  const status = await (await fetch(`${stack.url}${SRC}`)).json();
  const expected = {
    "card-en.html": "active 5 minutes ago", "card-de.html": "aktiv vor 5 Minuten",
    "card-ja.html": "5 分前にアクティブ", "card-fr-element.html": "actif il y a 5 minutes",
  };
  for (const [file, words] of Object.entries(expected)) {
    const context = await browser.newContext();
    // The card looks again on each minute: start 1 s past the minute that follows lastSeen,
    // so that the last look of the next five minutes is 5 minutes (and a few seconds) after it.
    await context.clock.install({ time: Math.ceil(Date.parse(status.lastSeen) / 60_000) * 60_000 + 1000 });
    const page = await newPage(context);
    await page.goto(`${stack.url}/${file}`);
    await settled(page);
    assert.equal((await parts(page)).state, "away");
    const requests = stack.statusRequestsSeen();
    await page.clock.runFor(5 * 60_000);
    const meta = (await parts(page)).meta;
    assert.ok(meta.endsWith(` · ${words}`), `${file}: ${meta}`);
    assert.equal(stack.statusRequestsSeen(), requests);
    await context.close();
  }
  // Online: the clock alone ("active now" would say nothing).
  await stack.heartbeat("active");
  const context = await browser.newContext();
  const page = await newPage(context);
  await page.goto(`${stack.url}/card-en.html`);
  await settled(page);
  assert.match((await parts(page)).meta, /^\d{1,2}:\d\d\s?[AP]M for me$/u);
  await context.close();
});

test("usual hours only where asked for: the line with data-heartbeat-hours, the heatmap with =map", async () => {
  const history = new Stack(["timezone = Asia/Tokyo", "history_days = 30"]);
  try {
    await history.heartbeat("active");
    history.seedWorkdays();
    const context = await browser.newContext();
    const page = await newPage(context);
    await page.goto(`${history.url}/card-hours.html`);
    await settled(page);
    await page.waitForFunction(() => document.querySelector("#map img.hb-map")?.complete);
    assert.equal((await parts(page, "#none")).usual, null);
    assert.equal((await parts(page, "#line")).usual, "usually online Mon–Fri 09:00–18:00");
    assert.equal((await parts(page, "#map")).usual, "usually online Mon–Fri 09:00–18:00");
    assert.equal(await page.locator("img.hb-map").count(), 1);
    const map = page.locator("#map img.hb-map");
    assert.equal(await map.getAttribute("alt"), "Usual hours");
    assert.ok((await map.evaluate((img) => img.naturalWidth)) > 0);
    // Three cards, one status request and one hours request (the page's cards share them).
    assert.equal(history.statusRequestsSeen(), 1);
    assert.equal(history.formatRequestsSeen("hours"), 1);
    assert.equal(history.formatRequestsSeen("hours.svg"), 1);

    await page.goto(`${history.url}/card-hours-de.html`);
    await page.waitForFunction(() => !document.querySelector(".hb-usual").hidden);
    assert.equal((await parts(page)).usual, "meist online Mo–Fr 09:00–18:00");
    assert.deepEqual(page.warnings, []);
    await context.close();
  } finally {
    history.stop();
  }

  // history_days = 0: the hours are 404; the card shows no line, no image and no warning.
  await stack.heartbeat("active");
  const context = await browser.newContext();
  const page = await newPage(context);
  // The 404 as the page saw it (a failed fetch is not always a resource-timing entry).
  const hoursAnswered = page.waitForResponse((response) => response.url().includes("format=hours"));
  await page.goto(`${stack.url}/card-hours.html`);
  await settled(page);
  assert.equal((await hoursAnswered).status(), 404);
  await page.waitForTimeout(100);
  assert.equal((await parts(page, "#map")).usual, null);
  assert.equal(await page.locator("img").count(), 0);
  assert.deepEqual(page.warnings, []);
  await context.close();
});

test("the element's lang beats the page's; every data-label-* replaces its word", async () => {
  const history = new Stack(["timezone = Asia/Tokyo", "last_seen = minute", "history_days = 30"]);
  try {
    await history.heartbeat("active");
    history.seedWorkdays();
    await history.heartbeat("active", "laptop", { note: { text: "Reviewing", busy: true } });
    const context = await browser.newContext();
    const page = await newPage(context);
    await page.goto(`${history.url}/card-fr-element.html`);
    await settled(page);
    assert.equal((await parts(page)).label, "Occupé");
    assert.match((await parts(page)).meta, /^\d{1,2}:\d\d chez moi$/);
    await page.goto(`${history.url}/card-labels.html`);
    await settled(page);
    await page.waitForFunction(() => !document.querySelector(".hb-usual").hidden && document.querySelector("img.hb-map"));
    const shown = await parts(page);
    assert.equal(shown.label, "Heads down");
    assert.match(shown.meta, /^\d{1,2}:\d\d\s?[AP]M in Tokyo$/u);
    assert.equal(shown.usual, "around Mon–Fri 09:00–18:00");
    assert.equal(await page.locator("img.hb-map").getAttribute("alt"), "My week");
    await history.heartbeat("idle");
    const away = await newPage(await browser.newContext());
    await away.goto(`${history.url}/card-labels.html`);
    await settled(away);
    assert.match((await parts(away)).meta, / · last here (this minute|1 minute ago)$/);
    await away.context().close();
    await context.close();
  } finally {
    history.stop();
  }
});

test("the live region announces a change once: not the clock, not an unchanged answer", async () => {
  const uncached = new Stack(["timezone = Asia/Tokyo", "offline_max_age = 0"]);
  try {
    await uncached.heartbeat("offline");
    const context = await browser.newContext();
    await context.clock.install();
    const page = await newPage(context);
    let release;
    const held = new Promise((resolve) => { release = resolve; });
    await page.route(`**${SRC}`, async (route) => { await held; await route.continue(); });
    await page.goto(`${uncached.url}/card-refresh.html`, { waitUntil: "domcontentloaded" });
    await page.waitForSelector("[data-state=unknown] [role=status]");
    // Record every change inside the live region from here on.
    await page.evaluate(() => {
      window.changes = [];
      new MutationObserver((records) => {
        for (const record of records) window.changes.push(record.target.textContent);
      }).observe(document.querySelector("[role=status]"), { subtree: true, childList: true, characterData: true, attributes: true });
    });
    release();
    await settled(page);
    const changes = async () => { await page.waitForTimeout(50); return page.evaluate(() => window.changes); };
    assert.deepEqual(await changes(), ["Offline"]);
    // The clock ticks below the region: nothing in it changes.
    const before = (await parts(page)).meta;
    await page.clock.runFor(120_000);
    assert.notEqual((await parts(page)).meta, before);
    assert.deepEqual(await changes(), ["Offline"]);
    // The same answer again (a check on return to the tab, nothing cached): still nothing.
    const seen = uncached.statusRequestsSeen();
    await page.evaluate(() => document.dispatchEvent(new Event("visibilitychange")));
    await until(() => uncached.statusRequestsSeen() === seen + 1);
    assert.deepEqual(await changes(), ["Offline"]);
    // A real change is one announcement.
    await uncached.heartbeat("active");
    await page.evaluate(() => document.dispatchEvent(new Event("visibilitychange")));
    await page.waitForFunction(() => document.querySelector("[data-heartbeat-src]").dataset.state === "online");
    assert.deepEqual(await changes(), ["Offline", "Online now"]);
    await context.close();
  } finally {
    uncached.stop();
  }
});

// Polls a condition of the servers' side, with a deadline.
async function until(condition, timeout = 5000) {
  const deadline = Date.now() + timeout;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
