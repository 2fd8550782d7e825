// web/heartbeat.js in a real headless Chromium against the real servers.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { SHIPPED, SOURCE, bundleWidget } from "../../web/build.mjs";
import { BUILD, ROOT, Stack, freePort, launchBrowser, newPage, prepareWebRoot } from "./support.mjs";

const WIDGET = '[data-heartbeat-src]';
let browser;
let stack;

before(async () => {
  const closedPort = await freePort();
  prepareWebRoot({
    // A widget whose server refuses connections: nothing listens on that port any more.
    "refused.html": `<span data-heartbeat-src="http://127.0.0.1:${closedPort}/cgi-bin/status.fcgi"></span>` +
      '<script src="heartbeat.js"></script>',
    "labels.html": '<span data-heartbeat-src="/cgi-bin/status.fcgi" data-label-online="Available" ' +
      'data-label-offline="Not around"></span><script src="heartbeat.js"></script>',
    "refresh.html": '<span data-heartbeat-src="/cgi-bin/status.fcgi" data-heartbeat-refresh></span>' +
      '<script src="heartbeat.js"></script>',
  });
  browser = await launchBrowser();
  stack = new Stack();
});

after(async () => {
  await browser?.close();
  stack?.stop();
});

async function stateOf(page) {
  const widget = page.locator(WIDGET).first();
  await page.waitForFunction((sel) => document.querySelector(sel)?.dataset.state !== "unknown", WIDGET);
  return { state: await widget.getAttribute("data-state"), name: await widget.locator(".hb-label").textContent() };
}

test("after a heartbeat the demo page shows online with an accessible name", async () => {
  await stack.heartbeat("active");
  const context = await browser.newContext({ viewport: { width: 1000, height: 760 } });
  const page = await newPage(context);
  await page.goto(`${stack.url}/demo.html`);
  assert.deepEqual(await stateOf(page), { state: "online", name: "Online now" });
  // The live region is the state alone (the clock below it must not be announced).
  const live = page.locator(".presence").getByRole("status");
  assert.equal(await live.count(), 1);
  assert.equal(await live.textContent(), "Online now");
  assert.equal(await page.getByRole("status").count(), 7);  // the card and its six languages
  // The badge on the same page is the server's SVG.
  const badge = page.locator('img[alt="Status badge"]');
  await page.waitForFunction(() => document.querySelector('img[alt="Status badge"]').complete);
  assert.ok((await badge.evaluate((img) => img.naturalWidth)) > 0);
  fs.mkdirSync(BUILD, { recursive: true });
  await page.screenshot({ path: path.join(BUILD, "demo.png"), fullPage: true });
  assert.deepEqual(page.warnings, []);
  await context.close();
});

test("while online a second load in the same visit makes no status request", async () => {
  await stack.heartbeat("active");
  const context = await browser.newContext();
  const page = await newPage(context);
  await page.goto(`${stack.url}/demo.html`);
  assert.equal((await stateOf(page)).state, "online");
  const seen = stack.statusRequestsSeen();
  let browserRequests = 0;
  // The usual hours (?format=hours) are a request of their own, made on each load where asked for.
  page.on("request", (request) => { if (request.url().endsWith("/cgi-bin/status.fcgi")) browserRequests++; });
  await page.reload();
  assert.equal((await stateOf(page)).state, "online");
  await page.goto(`${stack.url}/labels.html`);  // another page of the same site, same visit
  assert.equal((await stateOf(page)).name, "Available");
  assert.equal(browserRequests, 0);
  assert.equal(stack.statusRequestsSeen(), seen);
  await context.close();
});

test("after offline a new visit shows offline; a reload in the same visit keeps the answer", async () => {
  await stack.heartbeat("active");
  const context = await browser.newContext();
  const page = await newPage(context);
  await page.goto(`${stack.url}/demo.html`);
  assert.equal((await stateOf(page)).state, "online");
  await stack.heartbeat("offline");
  await page.reload();
  assert.equal((await stateOf(page)).state, "online");  // one request per visit while online

  const visit = await browser.newContext();
  const fresh = await newPage(visit);
  await fresh.goto(`${stack.url}/demo.html`);
  assert.deepEqual(await stateOf(fresh), { state: "offline", name: "Offline" });
  await fresh.goto(`${stack.url}/labels.html`);
  assert.equal((await stateOf(fresh)).name, "Not around");
  await visit.close();
  await context.close();
});

test("while offline each load asks again, through the HTTP cache", async () => {
  const uncached = new Stack(["offline_max_age = 0"]);
  try {
    await uncached.heartbeat("offline");
    const context = await browser.newContext();
    const page = await newPage(context);
    await page.goto(`${uncached.url}/demo.html`);
    assert.equal((await stateOf(page)).state, "offline");
    const first = uncached.statusRequestsSeen();
    for (let i = 1; i <= 3; i++) {
      await page.reload();
      assert.equal((await stateOf(page)).state, "offline");
      assert.equal(uncached.statusRequestsSeen(), first + i);
    }
    // The owner comes back: the next load sees it at once.
    await uncached.heartbeat("active");
    await page.reload();
    assert.equal((await stateOf(page)).state, "online");
    await context.close();
  } finally {
    uncached.stop();
  }

  // With offline_max_age = 30 (the default) a reload is answered by the browser's cache.
  await stack.heartbeat("offline");
  const context = await browser.newContext();
  const page = await newPage(context);
  await page.goto(`${stack.url}/demo.html`);
  assert.equal((await stateOf(page)).state, "offline");
  const seen = stack.statusRequestsSeen();
  await page.goto(`${stack.url}/labels.html`);
  assert.equal((await stateOf(page)).state, "offline");
  assert.equal(stack.statusRequestsSeen(), seen);
  await context.close();
});

test("a 503 shows offline and one console warning", async () => {
  const broken = new Stack();
  try {
    await broken.heartbeat("active");
    await broken.writeConfig("online_window = never\n");
    const context = await browser.newContext();
    const page = await newPage(context);
    await page.goto(`${broken.url}/demo.html`);
    assert.deepEqual(await stateOf(page), { state: "offline", name: "Offline" });
    await page.waitForTimeout(100);
    // One warning per failed request: the seven cards share one status request (the hours
    // request of the first card fails too, and warns on its own).
    const statusWarnings = page.warnings.filter((w) => w.startsWith("heartbeat: /cgi-bin/status.fcgi: "));
    assert.deepEqual(statusWarnings, ["heartbeat: /cgi-bin/status.fcgi: HTTP 503"]);
    await context.close();
  } finally {
    broken.stop();
  }
});

test("a refused connection shows offline and one console warning", async () => {
  const context = await browser.newContext();
  const page = await newPage(context);
  await page.goto(`${stack.url}/refused.html`);
  assert.deepEqual(await stateOf(page), { state: "offline", name: "Offline" });
  await page.waitForTimeout(100);
  assert.equal(page.warnings.filter((w) => w.startsWith("heartbeat:")).length, 1);
  await context.close();
});

test("data-heartbeat-refresh checks again on return to the tab, not before max-age", async () => {
  const short = new Stack(["online_window = 5"]);
  try {
    await short.heartbeat("active");
    const context = await browser.newContext();
    const page = await newPage(context);
    await page.goto(`${short.url}/refresh.html`);
    assert.equal((await stateOf(page)).state, "online");
    const seen = short.statusRequestsSeen();
    const widget = page.locator('[data-heartbeat-src]');
    const sinceCheck = () => widget.evaluate((el) => Date.now() - el.hbChecked.at);  // its last request
    // The answer's max-age: the seconds left in the 5 s window, rounded down (3 or 4).
    const maxAge = await widget.evaluate((el) => el.hbChecked.maxAge);
    assert.ok(maxAge >= 1 && maxAge <= 4, `max-age ${maxAge}`);
    await short.heartbeat("offline");
    const becameVisible = () => page.evaluate(() => document.dispatchEvent(new Event("visibilitychange")));
    await becameVisible();  // within max-age: no request
    await page.waitForTimeout(200);
    assert.ok((await sinceCheck()) < maxAge * 1000, "the machine was too slow to look within max-age");
    assert.equal(short.statusRequestsSeen(), seen);
    assert.equal((await stateOf(page)).state, "online");
    await page.waitForTimeout(Math.max(0, maxAge * 1000 + 100 - (await sinceCheck())));
    await becameVisible();
    await page.waitForFunction((sel) => document.querySelector(sel).dataset.state === "offline", '[data-heartbeat-src]');
    assert.equal(short.statusRequestsSeen(), seen + 1);
    await context.close();
  } finally {
    short.stop();
  }
});

test("no layout shift while loading, no animation under reduced motion", async () => {
  await stack.heartbeat("active");
  const context = await browser.newContext({ reducedMotion: "reduce" });
  const page = await newPage(context);
  await page.route("**/cgi-bin/status.fcgi", async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1500));  // a slow network, then the real answer
    await route.continue();
  });
  await page.goto(`${stack.url}/demo.html`, { waitUntil: "domcontentloaded" });
  await page.waitForSelector('[data-heartbeat-src][data-state]');
  const box = () => page.locator(WIDGET).first().evaluate((el) => el.getBoundingClientRect().toJSON());
  const loading = await box();
  assert.equal(await page.locator(WIDGET).first().getAttribute("data-state"), "unknown");
  assert.equal((await stateOf(page)).state, "online");
  const loaded = await box();
  assert.equal(loaded.height, loading.height);
  assert.ok(loaded.width <= loading.width + 0.5, `grew from ${loading.width} to ${loaded.width}`);
  const animation = await page.locator(".hb-dot").first().evaluate((el) => getComputedStyle(el).animationName);
  assert.equal(animation, "none");
  await context.close();
});

test("heartbeat.js is web/src/heartbeat.js, web/card-look.ts and web/presence-rules.ts bundled by the pinned esbuild, one file under 3,400 bytes with gzip -9", async () => {
  const shipped = fs.readFileSync(SHIPPED, "utf8");
  assert.equal(shipped, await bundleWidget(), "web/heartbeat.js is stale: run make web-minify");
  const gzipped = execFileSync("gzip", ["-9c", SHIPPED]).length;
  console.log(`# heartbeat.js: ${shipped.length} bytes, ${gzipped} with gzip -9`);
  assert.ok(gzipped < 3400, `${gzipped} bytes gzipped`);
  assert.match(shipped, /^\/\*! heartbeat\.js: /);  // the header first, for whoever opens it
  assert.doesNotMatch(shipped, /\b(import|require)\b/);  // one file, nothing to fetch
  for (const file of [SOURCE, path.join(ROOT, "web", "card-look.ts"), path.join(ROOT, "web", "presence-rules.ts")]) {
    assert.doesNotMatch(fs.readFileSync(file, "utf8"), /innerHTML|insertAdjacentHTML|outerHTML|document\.write/);
  }
});
