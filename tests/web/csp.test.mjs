// The card on a site with a strict Content-Security-Policy, sent as a header by the test's nginx:
// heartbeat.js and the React card in every state, light and dark, styled (computed styles and a
// screenshot each, in build/web/csp/POLICY/STATE-SCHEME.png) with no securitypolicyviolation
// event and no console error; the same with Trusted Types required; the policy lines of
// web/README.md, each on a page of another origin than the owner's server, and each shown to be
// needed; and heartbeat.js pinned by Subresource Integrity (a wrong hash is refused).
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { SHIPPED_CSS, integrity, styleSheet } from "../../web/build.mjs";
import { buildReactPage } from "./react-page.mjs";
import { BUILD, ROOT, Stack, freePort, launchBrowser, newPage, prepareWebRoot } from "./support.mjs";

const SHOTS = path.join(BUILD, "csp");
const SHIPPED = fs.readFileSync(path.join(ROOT, "web", "heartbeat.js"));
const INTEGRITY = integrity(SHIPPED);
const STRICT = "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'";
const POLICIES = { strict: STRICT, "trusted-types": `${STRICT}; require-trusted-types-for 'script'` };
let browser;
let stack;  // the owner's server, also reachable at OWNER: a second origin on the same nginx
let OWNER;

// The README's lines (web/README.md, "Content-Security-Policy") for a site at another origin
// than the owner's server, with `default-src 'none'` so that nothing else is allowed.
const readmeLines = (owner) => ({
  widget: `default-src 'none'; script-src 'self'; connect-src ${owner}; img-src ${owner}`,
  badge: `default-src 'none'; img-src ${owner}`,
  hook: `default-src 'none'; script-src 'self'; connect-src ${owner}; img-src ${owner}`,
  "widget-no-connect": `default-src 'none'; script-src 'self'; img-src ${owner}`,
  "badge-no-img": "default-src 'none'",
  sri: `default-src 'none'; script-src ${owner}; connect-src ${owner}; img-src ${owner}`,
});

const page = (body, head = "") => '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
  `<meta name="color-scheme" content="light dark"><title>csp</title>${head}</head><body>${body}</body></html>`;
const cards = (src) => `<p><span id="card" data-heartbeat-src="${src}"></span></p>` +
  `<p><span id="hours" data-heartbeat-src="${src}" data-heartbeat-hours="map"></span></p>`;

before(async () => {
  const port = await freePort();
  OWNER = `http://127.0.0.1:${port}`;
  const lines = readmeLines(OWNER);
  const header = (value) => `add_header Content-Security-Policy "${value}" always;`;
  const nginx = [`listen 127.0.0.1:${port};`,
    // Served with CORS, as a site that pins it with integrity= from another origin needs it.
    'location = /heartbeat.js { add_header Access-Control-Allow-Origin "*" always; }'];
  for (const [name, policy] of Object.entries({ ...POLICIES, ...lines })) {
    nginx.push(`location /${name}/ { ${header(policy)} }`);
  }
  const files = { "favicon.ico": "" };  // asked for by the browser's first page
  // The React card (tests/web/hook-page.tsx reads the body's data-*), with the heatmap.
  const react = (src) => page('<div id="root"></div><script src="/hook.js"></script>')
    .replace("<body>", `<body data-mode="card" data-hours="map" data-src="${src}">`);
  for (const name of Object.keys(POLICIES)) {
    files[`${name}/card.html`] = page(cards("/cgi-bin/status.fcgi") + '<script src="/heartbeat.js"></script>');
    files[`${name}/react.html`] = react("/cgi-bin/status.fcgi");
  }
  const status = `${OWNER}/cgi-bin/status.fcgi`;
  for (const name of ["widget", "widget-no-connect"]) {
    files[`${name}/card.html`] = page(cards(status) + '<script src="/heartbeat.js"></script>');
  }
  for (const name of ["badge", "badge-no-img"]) {
    files[`${name}/badge.html`] = page(`<img alt="Status badge" src="${status}/badge.svg">`);
  }
  files["hook/react.html"] = react(status);
  files["sri/good.html"] = page(cards(status) +
    `<script src="${OWNER}/heartbeat.js" integrity="${INTEGRITY}" crossorigin="anonymous"></script>`);
  files["sri/bad.html"] = page(cards(status) + `<script src="${OWNER}/heartbeat.js" integrity="sha384-` +
    `${createHash("sha384").update("another file").digest("base64")}" crossorigin="anonymous"></script>`);
  files["heartbeat.css"] = fs.readFileSync(SHIPPED_CSS, "utf8");
  files["strict/linked.html"] = page(cards("/cgi-bin/status.fcgi") + '<script src="/heartbeat.js"></script>',
    '<link rel="stylesheet" href="/heartbeat.css">');
  prepareWebRoot(files);
  await buildReactPage();
  fs.rmSync(SHOTS, { recursive: true, force: true });
  browser = await launchBrowser();
  stack = new Stack(["timezone = Asia/Tokyo", "last_seen = minute", "history_days = 30", "activity = on"], nginx);
  await stack.heartbeat("active");
  stack.seedWorkdays();
});

after(async () => {
  await browser?.close();
  stack?.stop();
});

// A page that counts every securitypolicyviolation event (listened for before any script of
// the page runs) and every console error.
async function watchedPage(options = {}) {
  const context = await browser.newContext({ viewport: { width: 520, height: 260 }, ...options });
  await context.addInitScript(() => {
    window.violations = [];
    document.addEventListener("securitypolicyviolation", (event) =>
      window.violations.push(`${event.effectiveDirective} ${event.blockedURI}`));
  });
  const page = await newPage(context);
  page.errors = [];
  page.on("console", (message) => { if (message.type() === "error") page.errors.push(message.text()); });
  page.on("pageerror", (error) => page.errors.push(String(error)));
  return page;
}

// The violations seen, reported in the test's output with the console errors for the record.
async function violations(page, where = "") {
  const seen = await page.evaluate(() => window.violations);
  if (where) console.log(`# csp ${where}: ${seen.length} securitypolicyviolation events, ${page.errors.length} console errors`);
  return seen;
}

// What each state looks like, from the stylesheet: the dot's colour, fill and ring.
const GREY = "rgb(125, 133, 144)";
const LOOKS = {
  online: { border: "rgb(31, 136, 61)", ring: "solid", background: "rgb(31, 136, 61)", image: "none" },
  away: { border: "rgb(181, 129, 0)", ring: "solid", background: "rgba(0, 0, 0, 0)", image: /linear-gradient/ },
  busy: { border: "rgb(222, 59, 59)", ring: "solid", background: "rgb(222, 59, 59)", image: /linear-gradient/ },
  offline: { border: GREY, ring: "solid", background: "rgba(0, 0, 0, 0)", image: "none" },
  unknown: { border: GREY, ring: "dotted", background: "rgba(0, 0, 0, 0)", image: "none" },
};

// Each state: how the server gets there, and what the cards then show.
const STATES = {
  online: { server: (s) => s.heartbeat("active", "laptop", { note: null }), shows: "online" },
  away: { server: (s) => s.heartbeat("idle", "laptop", { note: null }), shows: "away" },
  offline: { server: async (s) => { await s.heartbeat("active", "laptop", { note: null }); await s.heartbeat("offline"); }, shows: "offline" },
  busy: { server: (s) => s.heartbeat("active", "laptop", { note: { text: "In a meeting", busy: true } }), shows: "busy", note: "In a meeting" },
  note: { server: (s) => s.heartbeat("idle", "laptop", { note: { text: "On holiday until Monday" } }), shows: "away", note: "On holiday until Monday" },
  unknown: { server: (s) => s.heartbeat("active", "laptop", { note: null }), shows: "unknown", hold: true },
  call: { server: (s) => s.heartbeat("active", "laptop", { note: null, activity: { kind: "call" } }), shows: "busy", activity: "In a call" },
};

// The computed styles of the first card in `selector` and of its heatmap, if any.
function styles(page, selector) {
  return page.locator(selector).first().evaluate((el) => {
    const style = (node) => node && getComputedStyle(node);
    const dot = style(el.querySelector(".hb-dot"));
    const map = el.querySelector(".hb-map");
    const note = el.querySelector(".hb-note");
    const activity = el.querySelector(".hb-activity");
    return {
      display: style(el).display, direction: style(el).flexDirection,
      dotWidth: dot.width, dotHeight: dot.height, radius: dot.borderTopLeftRadius, ring: dot.borderTopStyle,
      border: dot.borderTopColor, background: dot.backgroundColor, image: dot.backgroundImage,
      labelMinWidth: style(el.querySelector(".hb-label")).minWidth,
      meta: style(el.querySelector(".hb-meta")).fontSize,
      note: note && !note.hidden ? note.textContent : null,
      activity: activity && !activity.hidden ? activity.textContent : null,
      map: map && { maxWidth: style(map).maxWidth, drawn: map.complete && map.naturalWidth > 0 },
    };
  });
}

// The card is styled by heartbeat.js's (or the React card's) sheet: in a column, a round dot of
// 0.75em (12px at 16px) in the state's colour and ring, the smaller meta line, the heatmap's width.
function assertStyled(shown, state, where) {
  const looks = LOOKS[state];
  assert.equal(shown.display, "inline-flex", where);
  assert.equal(shown.direction, "column", where);
  assert.equal(shown.dotWidth, "12px", where);
  assert.equal(shown.dotHeight, "12px", where);
  assert.equal(shown.radius, "50%", where);
  assert.equal(shown.ring, looks.ring, where);
  assert.equal(shown.border, looks.border, where);
  assert.equal(shown.background, looks.background, where);
  if (typeof looks.image === "string") assert.equal(shown.image, looks.image, where);
  else assert.match(shown.image, looks.image, where);
  assert.match(shown.labelMinWidth, /^[1-9][\d.]*px$/, where);  // the reserved width, through the CSSOM
  assert.equal(shown.meta, "14.4px", where);
}

async function shoot(page, policy, name) {
  fs.mkdirSync(path.join(SHOTS, policy), { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, policy, `${name}.png`), fullPage: true });
}

for (const [policy, value] of Object.entries(POLICIES)) {
  for (const [name, state] of Object.entries(STATES)) {
    test(`heartbeat.js under "${value}": ${name}, light and dark, styled, no violation`, async () => {
      await state.server(stack);
      for (const colorScheme of ["light", "dark"]) {
        const page = await watchedPage({ colorScheme });
        if (state.hold) await page.route("**/cgi-bin/status.fcgi", () => {});  // "Checking…" while we look
        const response = await page.goto(`${stack.url}/${policy}/card.html`);
        assert.equal(response.headers()["content-security-policy"], value);
        await page.waitForFunction((shows) => [...document.querySelectorAll(".hb")].every((el) => el.dataset.state === shows), state.shows);
        await page.waitForFunction(() => document.querySelector("#hours img.hb-map")?.complete);
        const where = `${policy} ${name} ${colorScheme}`;
        const card = await styles(page, "#card");
        assertStyled(card, state.shows, where);
        assert.equal(card.note, state.note ?? null, where);
        assert.equal(card.activity, state.activity ?? null, where);
        assert.equal(card.map, null, where);
        const hours = await styles(page, "#hours");
        assertStyled(hours, state.shows, where);
        assert.deepEqual(hours.map, { maxWidth: "100%", drawn: true }, where);
        assert.match(await page.locator("#hours .hb-usual").textContent(), /^usually online \S/);
        await shoot(page, policy, `${name}-${colorScheme}`);
        assert.deepEqual(await violations(page, where), [], where);
        assert.deepEqual(page.errors, [], where);
        assert.deepEqual(page.warnings, [], where);
        await page.context().close();
      }
    });
  }

  test(`the React card under "${value}": styled, no violation, light and dark`, async () => {
    await stack.heartbeat("active", "laptop", { note: { text: "In a meeting", busy: true } });
    for (const colorScheme of ["light", "dark"]) {
      const page = await watchedPage({ colorScheme });
      await page.goto(`${stack.url}/${policy}/react.html`);
      await page.waitForFunction(() => document.querySelector(".hb")?.dataset.state === "busy" &&
        document.querySelector("img.hb-map")?.complete);
      const where = `React ${policy} ${colorScheme}`;
      const shown = await styles(page, ".hb");
      assertStyled(shown, "busy", where);
      assert.equal(shown.note, "In a meeting", where);
      assert.deepEqual(shown.map, { maxWidth: "100%", drawn: true }, where);
      await shoot(page, policy, `react-busy-${colorScheme}`);
      assert.deepEqual(await violations(page, where), [], where);
      assert.deepEqual(page.errors, [], where);
      await page.context().close();
    }
    await stack.heartbeat("active", "laptop", { note: null });
  });
}

test("the README's lines for a site on another origin: the widget, the badge and the hook, each needed", async () => {
  await stack.heartbeat("active", "laptop", { note: null });
  const lines = readmeLines(OWNER);
  const readme = fs.readFileSync(path.join(ROOT, "web", "README.md"), "utf8");
  const example = (policy) => policy.replaceAll(OWNER, "https://example.com");
  for (const name of ["widget", "badge", "hook"]) {
    assert.ok(readme.includes(`Content-Security-Policy: ${example(lines[name])}`), `web/README.md has the ${name}'s line`);
  }

  let page = await watchedPage();
  await page.goto(`${stack.url}/widget/card.html`);
  await page.waitForFunction(() => [...document.querySelectorAll(".hb")].every((el) => el.dataset.state === "online") &&
    document.querySelector("img.hb-map")?.complete);
  assertStyled(await styles(page, "#card"), "online", "widget");
  assert.deepEqual((await styles(page, "#hours")).map, { maxWidth: "100%", drawn: true });
  await shoot(page, "readme", "widget");
  assert.deepEqual(await violations(page, "README widget"), []);
  assert.deepEqual(page.errors, []);
  await page.context().close();

  page = await watchedPage();
  await page.goto(`${stack.url}/hook/react.html`);
  await page.waitForFunction(() => document.querySelector(".hb")?.dataset.state === "online" &&
    document.querySelector("img.hb-map")?.complete);
  assertStyled(await styles(page, ".hb"), "online", "hook");
  assert.deepEqual(await violations(page), []);
  assert.deepEqual(page.errors, []);
  await page.context().close();

  page = await watchedPage();
  await page.goto(`${stack.url}/badge/badge.html`);
  assert.ok((await page.locator("img").evaluate((img) => img.naturalWidth)) > 0);
  assert.deepEqual(await violations(page), []);
  await page.context().close();

  // Without connect-src the card cannot ask: offline, and the policy reports it.
  page = await watchedPage();
  await page.goto(`${stack.url}/widget-no-connect/card.html`);
  await page.waitForFunction(() => document.querySelector("#card").dataset.state === "offline");
  assert.ok((await violations(page)).some((v) => v.startsWith(`connect-src ${OWNER}/cgi-bin/status.fcgi`)));
  await page.context().close();

  // Without img-src the badge is refused.
  page = await watchedPage();
  await page.goto(`${stack.url}/badge-no-img/badge.html`);
  assert.equal(await page.locator("img").evaluate((img) => img.naturalWidth), 0);
  assert.ok((await violations(page)).some((v) => v.startsWith(`img-src ${OWNER}/cgi-bin/status.fcgi/badge.svg`)));
  await page.context().close();
});

test("Subresource Integrity: make web-integrity and web/README.md give heartbeat.js's hash; a wrong one is refused", async () => {
  const made = execFileSync("make", ["-s", "--no-print-directory", "web-integrity"], { cwd: ROOT, encoding: "utf8" });
  assert.ok(made.includes(`web/heartbeat.js integrity="${INTEGRITY}"`), made);
  // make dist prints the same line (its recipe, listed without building anything).
  const dist = execFileSync("make", ["-n", "--no-print-directory", "dist"], { cwd: ROOT, encoding: "utf8" });
  assert.match(dist, /integrity=.*openssl dgst -sha384 -binary web\/heartbeat\.js/);
  const readme = fs.readFileSync(path.join(ROOT, "web", "README.md"), "utf8");
  assert.ok(readme.includes(`integrity="${INTEGRITY}"`), "web/README.md has the integrity of web/heartbeat.js: run make web-minify");
  await stack.heartbeat("active", "laptop", { note: null });

  let page = await watchedPage();
  await page.goto(`${stack.url}/sri/good.html`);
  await page.waitForFunction(() => document.querySelector("#card")?.dataset.state === "online");
  assertStyled(await styles(page, "#card"), "online", "sri");
  assert.deepEqual(await violations(page), []);
  assert.deepEqual(page.errors, []);
  await page.context().close();

  page = await watchedPage();
  await page.goto(`${stack.url}/sri/bad.html`);  // waits for the load event, after the script's fate
  assert.equal(await page.evaluate(() => typeof window.Heartbeat), "undefined");
  assert.equal(await page.locator(".hb").count(), 0);
  assert.ok(page.errors.some((e) => /integrity/i.test(e) && e.includes(`${OWNER}/heartbeat.js`)), page.errors.join("\n"));
  await page.context().close();
});

test("a browser without constructed stylesheets: the linked heartbeat.css styles the card; only the script's <style> is refused", async () => {
  assert.equal(fs.readFileSync(SHIPPED_CSS, "utf8"), await styleSheet(), "web/heartbeat.css is stale: run make web-minify");
  await stack.heartbeat("active", "laptop", { note: null });
  const page = await watchedPage();
  await page.addInitScript(() => { delete window.CSSStyleSheet; });  // as in Safari before 16.4
  await page.goto(`${stack.url}/strict/linked.html`);
  await page.waitForFunction(() => document.querySelector("#card")?.dataset.state === "online" &&
    document.querySelector("img.hb-map")?.complete);
  assert.equal(await page.evaluate(() => typeof window.CSSStyleSheet), "undefined");
  assertStyled(await styles(page, "#card"), "online", "heartbeat.css");
  assert.deepEqual((await styles(page, "#hours")).map, { maxWidth: "100%", drawn: true });
  assert.deepEqual(await violations(page, "heartbeat.css, no CSSStyleSheet"), ["style-src-elem inline"]);
  await page.context().close();
});
