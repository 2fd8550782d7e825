// How web/ is built, in one place, with the esbuild and TypeScript pinned by web/package-lock.json
// (`make web-minify`, and npm's prepack before `npm pack`):
// - heartbeat.js: src/heartbeat.js with card-look.ts and presence-rules.ts bundled into one
//   dependency-free script (an IIFE), minified, with the source's leading /*! … */ comment on top,
//   where a person who opens the file sees it first; and its integrity="…" in README.md;
// - heartbeat.css: card-look.ts's stylesheet as a file;
// - dist/: the package's JavaScript and type declarations (the hook, the card and what they
//   import), by tsc (tsconfig.json).
// heartbeat.js and heartbeat.css are committed: the widget test compares them with a fresh build,
// and the csp test README.md's integrity="…" with the file's hash. dist/ is not.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import esbuild from "esbuild";

export const WEB = path.dirname(fileURLToPath(import.meta.url));
export const SOURCE = path.join(WEB, "src", "heartbeat.js");
export const SHIPPED = path.join(WEB, "heartbeat.js");
export const DIST = path.join(WEB, "dist");

export async function bundleWidget() {
  const banner = /^\/\*![\s\S]*?\*\//.exec(fs.readFileSync(SOURCE, "utf8"))[0];
  const result = await esbuild.build({
    entryPoints: [SOURCE], bundle: true, format: "iife", minify: true, write: false,
    legalComments: "none", banner: { js: banner }, logLevel: "warning",
    tsconfigRaw: {},  // not tsconfig.json's (the package's): its "strict" would add "use strict"
  });
  return result.outputFiles[0].text;
}

// heartbeat.css: card-look.ts's STYLE as a file, for a page under a strict style-src in a
// browser without constructed stylesheets (where the script's own <style> is refused).
export const SHIPPED_CSS = path.join(WEB, "heartbeat.css");

export async function styleSheet() {
  const result = await esbuild.build({
    entryPoints: [path.join(WEB, "card-look.ts")], bundle: true, format: "esm", write: false, logLevel: "warning",
  });
  let depth = 0;  // one rule a line: a line ends where a top-level rule does
  const { STYLE } = await import("data:text/javascript;base64," + Buffer.from(result.outputFiles[0].text).toString("base64"));
  return "/* heartbeat.css: the presence card's stylesheet (web/card-look.ts), for browsers without\n" +
    "   constructed stylesheets on a page whose style-src refuses the script's <style>. */\n" +
    STYLE.replace(/[{}]/g, (brace) => { depth += brace === "{" ? 1 : -1; return depth ? brace : "}\n"; });
}

// The Subresource Integrity of a heartbeat.js, as `<script integrity=…>` takes it.
export const integrity = (text) => "sha384-" + createHash("sha384").update(text).digest("base64");

// dist/: tsc's JavaScript and declarations of the hook and the card. The sources import each
// other without an extension (so that they can be copied into any bundler's project); in the
// package every relative import names its file ("./card-look.js"), as Node's ESM resolution and
// TypeScript's node16 resolution want.
export function buildPackage() {
  fs.rmSync(DIST, { recursive: true, force: true });
  execFileSync(path.join(WEB, "node_modules", ".bin", "tsc"), ["-p", path.join(WEB, "tsconfig.json")], { stdio: "inherit" });
  for (const name of fs.readdirSync(DIST)) {
    const file = path.join(DIST, name);
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace(/(from "\.\/[\w-]+)"/g, '$1.js"'));
  }
}

// Writes heartbeat.js and heartbeat.css, puts the integrity into README.md, and builds dist/.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = await bundleWidget();
  fs.writeFileSync(SHIPPED, text);
  fs.writeFileSync(SHIPPED_CSS, await styleSheet());
  const readme = path.join(WEB, "README.md");
  fs.writeFileSync(readme, fs.readFileSync(readme, "utf8").replace(/integrity="sha384-[^"]*"/g, `integrity="${integrity(text)}"`));
  buildPackage();
}
