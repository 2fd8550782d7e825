// web/package.json, the npm package heartbeat-presence: what `npm pack` ships (exactly the
// widget, its stylesheet and dist/, the hook's and the card's JavaScript and types), and that an
// app can use the packed files: the React test page (hook-page.tsx), importing the package by its
// name instead of web/'s sources, type-checks against the packed declarations, bundles with
// esbuild through the package's exports, and renders in Chromium what heartbeat.js renders.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";
import { buildReactPage } from "./react-page.mjs";
import { ROOT, Stack, WWW, launchBrowser, newPage, parts, prepareWebRoot, settled } from "./support.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const WEB = path.join(ROOT, "web");
const SHIPS = [
  "README.md", "package.json", "heartbeat.js", "heartbeat.css",
  ...["index", "use-online-status", "presence-card", "presence-rules", "card-look"].flatMap((name) => [`dist/${name}.js`, `dist/${name}.d.ts`]),
].sort();
let browser;
let stack;
let unpacked;  // a temporary app folder: node_modules/heartbeat-presence is the packed tarball

const npm = (...args) => execFileSync("npm", [...args, "--loglevel=error"], { cwd: WEB, encoding: "utf8" });

before(async () => {
  const app = fs.mkdtempSync(path.join(os.tmpdir(), "heartbeat-package-"));
  const [{ filename }] = JSON.parse(npm("pack", "--json", "--pack-destination", app));
  unpacked = path.join(app, "node_modules", "heartbeat-presence");
  fs.mkdirSync(unpacked, { recursive: true });
  execFileSync("tar", ["-xzf", path.join(app, filename), "-C", unpacked, "--strip-components=1"]);
  // The existing test page, its imports of web/'s files now the package's entry points.
  const page = fs.readFileSync(path.join(HERE, "hook-page.tsx"), "utf8")
    .replace('"../../web/use-online-status"', '"heartbeat-presence/hook"')
    .replace('"../../web/presence-card"', '"heartbeat-presence/card"');
  assert.match(page, /"heartbeat-presence\/hook"[\s\S]*"heartbeat-presence\/card"/);
  fs.writeFileSync(path.join(app, "page.tsx"), page);
  prepareWebRoot({
    "packed.html": '<!doctype html><html lang="de"><body data-mode="card" data-hours="map"><div id="widget">' +
      '<span data-heartbeat-src="/cgi-bin/status.fcgi" data-heartbeat-hours="map"></span></div><div id="root"></div>' +
      '<script src="heartbeat.js"></script><script src="packed.js"></script></body></html>',
  });
  browser = await launchBrowser();
  stack = new Stack();
});

after(async () => {
  await browser?.close();
  stack?.stop();
  if (unpacked) fs.rmSync(path.dirname(path.dirname(unpacked)), { recursive: true, force: true });
});

test("npm pack ships exactly the widget, its stylesheet, the hook's and the card's JavaScript and types", () => {
  const [packed] = JSON.parse(npm("pack", "--dry-run", "--json"));
  assert.deepEqual(packed.files.map((file) => file.path).sort(), SHIPS);
  const manifest = JSON.parse(fs.readFileSync(path.join(WEB, "package.json"), "utf8"));
  assert.equal(manifest.version, fs.readFileSync(path.join(ROOT, "VERSION"), "utf8").trim(), "web/package.json's version is VERSION's");
  assert.deepEqual(Object.keys(manifest.peerDependencies), ["react"]);
  assert.equal(manifest.dependencies, undefined, "nothing to install but React");
  // Every export names a shipped file.
  const targets = Object.values(manifest.exports).flatMap((target) => (typeof target === "string" ? [target] : Object.values(target)));
  for (const target of [...targets, manifest.types]) assert.ok(SHIPS.includes(target.replace(/^\.\//, "")), target);
});

test("the packed widget is web/heartbeat.js, and the packed modules import each other by file name", () => {
  assert.equal(fs.readFileSync(path.join(unpacked, "heartbeat.js"), "utf8"), fs.readFileSync(path.join(WEB, "heartbeat.js"), "utf8"));
  for (const name of fs.readdirSync(path.join(unpacked, "dist"))) {
    const text = fs.readFileSync(path.join(unpacked, "dist", name), "utf8");
    for (const [, specifier] of text.matchAll(/from "([^"]+)"/g)) {
      assert.ok(/^\.\/[\w-]+\.js$/.test(specifier) || /^react(\/jsx-runtime)?$/.test(specifier), `${name}: ${specifier}`);
      if (specifier.startsWith(".")) assert.ok(fs.existsSync(path.join(unpacked, "dist", specifier)), `${name}: ${specifier}`);
    }
  }
});

test("the test page, importing the packed hook and card, type-checks, bundles and renders what heartbeat.js renders", async () => {
  const app = path.dirname(path.dirname(unpacked));
  const types = path.join(HERE, "node_modules", "@types");
  fs.writeFileSync(path.join(app, "tsconfig.json"), JSON.stringify({
    compilerOptions: {
      target: "ES2020", module: "ESNext", moduleResolution: "Bundler", jsx: "react-jsx", strict: true, noEmit: true,
      lib: ["DOM", "ES2020"], types: [], typeRoots: [types],
      paths: { react: [`${types}/react`], "react/*": [`${types}/react/*`], "react-dom/*": [`${types}/react-dom/*`] },
    },
    files: ["page.tsx"],
  }));
  execFileSync(path.join(HERE, "node_modules/.bin/tsc"), ["-p", path.join(app, "tsconfig.json")], { stdio: "inherit" });
  const built = await buildReactPage(path.join(app, "page.tsx"), path.join(WWW, "packed.js"));
  const inputs = Object.keys(built.metafile.inputs);
  assert.ok(inputs.some((input) => input.includes("heartbeat-presence/dist/use-online-status.js")), "the bundle has the packed hook");
  assert.ok(!inputs.some((input) => /(^|\/)web\/[\w-]+\.tsx?$/.test(input)), `nothing of web/'s sources: ${inputs}`);

  await stack.heartbeat("active", "laptop", { note: { text: "Heads down", busy: true } });
  const context = await browser.newContext();
  const page = await newPage(context);
  await page.goto(`${stack.url}/packed.html`);
  await settled(page, "#widget .hb");
  await settled(page, "#root .hb");
  const widget = await parts(page, "#widget .hb");
  assert.deepEqual(widget, { state: "busy", label: "Beschäftigt", activity: null, note: "Heads down", meta: null, usual: null });
  assert.deepEqual(await parts(page, "#root .hb"), widget);
  assert.deepEqual(page.warnings, []);
  await context.close();
});
