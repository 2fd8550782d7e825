// What a visitor moving between the owner's pages sees, for heartbeat.js and for the React hook
// and card: a saved online answer is used only within its max-age, after which the next load
// asks again; and the heatmap is drawn only once the usual hours say something (`usually`).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { buildReactPage } from "./react-page.mjs";
import { Stack, launchBrowser, newPage, prepareWebRoot } from "./support.mjs";

const SRC = "/cgi-bin/status.fcgi";
const KEY = `heartbeat:${SRC}`;
let browser;

before(async () => {
  const react = (attributes) => `<!doctype html><html lang="en"><body ${attributes}><div id="root"></div>` +
    '<script src="hook.js"></script></body></html>';
  prepareWebRoot({
    "cache-widget.html": `<span data-heartbeat-src="${SRC}"></span><script src="heartbeat.js"></script>`,
    "cache-map.html": `<span data-heartbeat-src="${SRC}" data-heartbeat-hours="map"></span><script src="heartbeat.js"></script>`,
    "cache-hook.html": react('data-mode="state"'),
    "cache-react-map.html": react('data-mode="card" data-hours="map"'),
  });
  await buildReactPage();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

const stateIs = (page, selector, state) =>
  page.waitForFunction(([sel, want]) => document.querySelector(sel)?.dataset.state === want, [selector, state]);

// Both read the same sessionStorage entry; each page is [file, the element that carries the state].
for (const [name, file, selector] of [["heartbeat.js", "cache-widget.html", "[data-heartbeat-src]"],
  ["the React hook", "cache-hook.html", "[data-testid=presence]"]]) {
  test(`${name}: a saved online answer is used within its max-age; after it the next load asks again`, async () => {
    // A short window, so that the answer's max-age (the seconds left in it) passes in real time:
    // the browser's HTTP cache, which runs on the real clock, lets the request through then.
    const stack = new Stack(["online_window = 6"]);
    try {
      await stack.heartbeat("active");
      const context = await browser.newContext();
      const page = await newPage(context);
      await page.goto(`${stack.url}/${file}`);
      await stateIs(page, selector, "online");
      const saved = await page.evaluate((key) => JSON.parse(sessionStorage.getItem(key)), KEY);
      assert.equal(saved.body.state, "online");
      const asked = stack.statusRequestsSeen();
      assert.equal(asked, 1);

      // Within max-age: the saved answer, no request, even though the owner has gone.
      await stack.heartbeat("offline");
      await page.reload();
      await stateIs(page, selector, "online");
      assert.ok(Date.now() < saved.until, "the machine was too slow to reload within max-age");
      assert.equal(stack.statusRequestsSeen(), asked);

      // After max-age: the next load asks, and shows what is true now.
      await page.waitForTimeout(Math.max(0, saved.until - Date.now() + 200));
      await page.reload();
      await stateIs(page, selector, "offline");
      assert.equal(stack.statusRequestsSeen(), asked + 1);
      assert.equal(await page.evaluate((key) => sessionStorage.getItem(key), KEY), null);
      await context.close();
    } finally {
      stack.stop();
    }
  });

  test(`${name}: an hour later in the same tab (Playwright's clock), the next page load asks again`, async () => {
    const stack = new Stack();
    try {
      await stack.heartbeat("active");
      const context = await browser.newContext();
      await context.clock.install();
      const page = await newPage(context);
      let asked = 0;
      page.on("request", (request) => { if (request.url().endsWith(SRC)) asked++; });
      await page.goto(`${stack.url}/${file}`);
      await stateIs(page, selector, "online");
      assert.equal(asked, 1);
      await page.clock.fastForward(30_000);  // within the answer's max-age (up to 60 s)
      const { until } = await page.evaluate((key) => JSON.parse(sessionStorage.getItem(key)), KEY);
      assert.ok(await page.evaluate((end) => Date.now() < end, until), "the machine was too slow");
      await page.goto(`${stack.url}/${file}`);
      await stateIs(page, selector, "online");
      assert.equal(asked, 1);
      await page.clock.fastForward(3_600_000);
      await page.goto(`${stack.url}/${file}`);
      await stateIs(page, selector, "online");
      assert.equal(asked, 2);  // the page asked (the browser's real-time cache may answer it)
      await context.close();
    } finally {
      stack.stop();
    }
  });
}

for (const [name, file] of [["heartbeat.js", "cache-map.html"], ["the React card", "cache-react-map.html"]]) {
  test(`${name}: the heatmap is drawn only once the hours answer has usually`, async () => {
    const stack = new Stack(["timezone = Asia/Tokyo", "history_days = 30"]);
    try {
      await stack.heartbeat("active");  // one day of history: too little to say "usually"
      const hours = await (await fetch(`${stack.url}${SRC}?format=hours`)).json();
      assert.equal(hours.days, 1);
      assert.equal(hours.usually, undefined);
      let context = await browser.newContext();
      let page = await newPage(context);
      const answered = page.waitForResponse((response) => response.url().endsWith("format=hours"));
      await page.goto(`${stack.url}/${file}`);
      await stateIs(page, ".hb", "online");
      await (await answered).finished();
      await page.waitForTimeout(200);  // time to draw anything it would draw
      assert.equal(await page.locator("img").count(), 0);
      assert.equal(await page.locator(".hb-usual:not([hidden])").count(), 0);
      assert.equal(stack.formatRequestsSeen("hours.svg"), 0);
      assert.deepEqual(page.warnings, []);
      await context.close();

      stack.seedWorkdays();  // two weeks: now there are usual hours, and the heatmap shows them
      context = await browser.newContext();
      page = await newPage(context);
      await page.goto(`${stack.url}/${file}`);
      await page.waitForFunction(() => document.querySelector("img.hb-map")?.complete);
      assert.match(await page.locator(".hb-usual").textContent(), /^usually online \S/);
      assert.ok((await page.locator("img.hb-map").evaluate((img) => img.naturalWidth)) > 0);
      assert.equal(stack.formatRequestsSeen("hours.svg"), 1);
      await context.close();
    } finally {
      stack.stop();
    }
  });
}
