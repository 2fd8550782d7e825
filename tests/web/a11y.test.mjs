// Accessibility of web/demo.html, measured: axe-core in headless Chromium over the page in every
// state of the card, in light and dark colour schemes, against the real servers; the contrast of
// each card's text (4.5:1) and dot (3:1, a graphical object) from the computed styles; and a
// screenshot of each, in build/web/screenshots/STATE-SCHEME.png, for a person to look at.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";
import { BUILD, Stack, launchBrowser, newPage, prepareWebRoot } from "./support.mjs";

const AXE = path.join(path.dirname(fileURLToPath(import.meta.url)), "node_modules/axe-core/axe.min.js");
const SHOTS = path.join(BUILD, "screenshots");
const SCHEMES = ["light", "dark"];
let browser;
let stack;    // the owner's zone, last activity and what the owner is doing shown, no history
let history;  // the same with two weeks of usual hours
const results = [];

before(async () => {
  prepareWebRoot();
  fs.rmSync(SHOTS, { recursive: true, force: true });
  fs.mkdirSync(SHOTS, { recursive: true });
  browser = await launchBrowser();
  stack = new Stack(["timezone = Asia/Tokyo", "last_seen = minute", "activity = on"]);
  history = new Stack(["timezone = Asia/Tokyo", "last_seen = minute", "activity = on", "history_days = 30"]);
  await history.heartbeat("active");
  history.seedWorkdays();
});

after(async () => {
  await browser?.close();
  stack?.stop();
  history?.stop();
  fs.writeFileSync(path.join(BUILD, "axe-results.json"), JSON.stringify(results, null, 2) + "\n");
});

// Each state: how to bring the server there, and what the main card then shows.
const STATES = {
  online: { server: stack_ => stack_.heartbeat("active", "laptop", { note: null }), shows: "online" },
  away: { server: (s) => s.heartbeat("idle", "laptop", { note: null }), shows: "away" },
  offline: { server: async (s) => { await s.heartbeat("active", "laptop", { note: null }); await s.heartbeat("offline"); }, shows: "offline" },
  busy: { server: (s) => s.heartbeat("active", "laptop", { note: { text: "In a meeting until 15:00", busy: true } }), shows: "busy" },
  note: { server: (s) => s.heartbeat("offline", "laptop", { note: { text: "On holiday until Monday, back on the 8th" } }), shows: "offline", note: true },
  hours: { server: (s) => s.heartbeat("idle", "laptop", { note: null }), shows: "away", hours: true },
  unknown: { server: (s) => s.heartbeat("active", "laptop", { note: null }), shows: "unknown", hold: true },
  listening: { server: (s) => s.heartbeat("active", "laptop", { note: null, activity: { kind: "listening", title: "Reckoner", artist: "Radiohead", app: "Spotify" } }),
    shows: "online", activity: "Listening to Reckoner — Radiohead" },
  call: { server: (s) => s.heartbeat("active", "laptop", { note: null, activity: { kind: "call" } }), shows: "busy", activity: "In a call" },
};

// Contrast of every card on the page against the background it is drawn on (WCAG 2 formula).
function contrasts() {
  const rgb = (color) => color.match(/[\d.]+/g).map(Number);
  const luminance = ([r, g, b]) => {
    const c = [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  const ratio = (a, b) => { const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const background = (el) => {
    for (let node = el; node; node = node.parentElement) {
      const color = rgb(getComputedStyle(node).backgroundColor);
      if (color.length < 4 || color[3] > 0) return color;
    }
    return [255, 255, 255];
  };
  const found = [];
  for (const card of document.querySelectorAll(".hb")) {
    const behind = background(card);
    for (const part of card.querySelectorAll(".hb-label, .hb-activity, .hb-note, .hb-meta, .hb-usual")) {
      if (part.hidden) continue;
      found.push({ what: `${card.closest("[lang]")?.lang} ${part.className} text`, ratio: ratio(rgb(getComputedStyle(part).color), behind), need: 4.5 });
    }
    const dot = card.querySelector(".hb-dot");
    found.push({ what: `${card.closest("[lang]")?.lang} dot (${card.dataset.state})`, ratio: ratio(rgb(getComputedStyle(dot).borderTopColor), behind), need: 3 });
  }
  return found;
}

for (const [name, state] of Object.entries(STATES)) {
  test(`demo.html ${name}: no axe-core violations, AA contrast, light and dark`, async () => {
    const server = state.hours ? history : stack;
    await state.server(server);
    for (const colorScheme of SCHEMES) {
      const context = await browser.newContext({ viewport: { width: 1000, height: 900 }, colorScheme });
      const page = await newPage(context);
      if (state.hold) {  // the answer never comes while we look: "Checking…"
        await page.route("**/cgi-bin/status.fcgi", () => {});
      }
      await page.goto(`${server.url}/demo.html`);
      await page.waitForFunction((shows) => [...document.querySelectorAll(".hb")].every((el) => el.dataset.state === shows), state.shows);
      const main = page.locator(".presence");
      if (state.hours) {
        await page.waitForFunction(() => document.querySelector(".presence img.hb-map")?.complete &&
          !document.querySelector(".presence .hb-usual").hidden);
        assert.match(await main.locator(".hb-usual").textContent(), /Mon–Fri 09:00–18:00/);
      }
      if (state.note) assert.equal(await main.locator(".hb-note").textContent(), "On holiday until Monday, back on the 8th");
      if (state.activity) assert.equal(await main.locator(".hb-activity").textContent(), state.activity);
      if (state.shows !== "unknown") assert.match(await main.locator(".hb-meta").textContent(), /for me/);
      await page.waitForFunction(() => document.fonts.status === "loaded");
      await page.screenshot({ path: path.join(SHOTS, `${name}-${colorScheme}.png`), fullPage: true });

      await page.addScriptTag({ path: AXE });
      const axe = await page.evaluate(async () => {
        const result = await window.axe.run(document);
        return {
          violations: result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`),
          passes: result.passes.length,
        };
      });
      const measured = await page.evaluate(contrasts);
      const lowest = (need) => +Math.min(...measured.filter((m) => m.need === need).map((m) => m.ratio)).toFixed(2);
      results.push({ state: name, colorScheme, violations: axe.violations, passes: axe.passes,
        lowestTextContrast: lowest(4.5), lowestDotContrast: lowest(3) });
      console.log(`# axe ${name} ${colorScheme}: ${axe.violations.length} violations, ${axe.passes} rules passed; ` +
        `lowest contrast: text ${lowest(4.5)}:1, dot ${lowest(3)}:1 (${measured.length} checks)`);
      assert.deepEqual(axe.violations, [], `${name} ${colorScheme}`);
      assert.equal(measured.length >= 14, true);  // seven cards: their label and dot at least
      for (const m of measured) assert.ok(m.ratio >= m.need, `${name} ${colorScheme}: ${m.what} ${m.ratio.toFixed(2)}:1 < ${m.need}:1`);
      assert.deepEqual(page.warnings, []);
      await context.close();
    }
  });
}
