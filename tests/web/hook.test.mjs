// web/use-online-status.ts: type-checked, bundled with React by esbuild, run in headless Chromium
// against the real servers.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";
import esbuild from "esbuild";
import { Stack, WWW, freePort, launchBrowser, newPage, prepareWebRoot } from "./support.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
let browser;
let stack;

before(async () => {
  const closedPort = await freePort();
  const page = (src) => `<!doctype html><body data-src="${src}"><div id="root"></div><script src="hook.js"></script></body>`;
  prepareWebRoot({
    "hook.html": page("/cgi-bin/status.fcgi"),
    "hook-refused.html": page(`http://127.0.0.1:${closedPort}/cgi-bin/status.fcgi`),
  });
  await esbuild.build({
    entryPoints: [path.join(HERE, "hook-page.tsx")],
    bundle: true,
    minify: true,
    outfile: path.join(WWW, "hook.js"),
    define: { "process.env.NODE_ENV": '"production"' },
    nodePaths: [path.join(HERE, "node_modules")],  // web/ has no node_modules of its own
    logLevel: "error",
  });
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

test("the hook type-checks under strict TypeScript", () => {
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
