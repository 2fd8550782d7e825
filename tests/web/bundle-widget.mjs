// How web/heartbeat.js is made, in one place: web/src/heartbeat.js with web/card-look.ts and
// web/presence-rules.ts bundled into one dependency-free script (an IIFE) by the pinned esbuild,
// minified, with the source's leading /*! … */ comment on top, where a person who opens the file
// sees it first.
// `make web-minify` runs this file; the widget test compares its output with the committed copy,
// and the csp test web/README.md's integrity="…" with the file's hash.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import esbuild from "esbuild";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const SOURCE = path.join(ROOT, "web", "src", "heartbeat.js");
export const SHIPPED = path.join(ROOT, "web", "heartbeat.js");

export async function bundleWidget() {
  const banner = /^\/\*![\s\S]*?\*\//.exec(fs.readFileSync(SOURCE, "utf8"))[0];
  const result = await esbuild.build({
    entryPoints: [SOURCE], bundle: true, format: "iife", minify: true, write: false,
    legalComments: "none", banner: { js: banner }, logLevel: "warning",
  });
  return result.outputFiles[0].text;
}

// web/heartbeat.css: card-look.ts's STYLE as a file, for a page under a strict style-src in a
// browser without constructed stylesheets (where the script's own <style> is refused).
export const SHIPPED_CSS = path.join(ROOT, "web", "heartbeat.css");

export async function styleSheet() {
  const result = await esbuild.build({
    entryPoints: [path.join(ROOT, "web", "card-look.ts")], bundle: true, format: "esm", write: false, logLevel: "warning",
  });
  let depth = 0;  // one rule a line: a line ends where a top-level rule does
  const { STYLE } = await import("data:text/javascript;base64," + Buffer.from(result.outputFiles[0].text).toString("base64"));
  return "/* heartbeat.css: the presence card's stylesheet (web/card-look.ts), for browsers without\n" +
    "   constructed stylesheets on a page whose style-src refuses the script's <style>. */\n" +
    STYLE.replace(/[{}]/g, (brace) => { depth += brace === "{" ? 1 : -1; return depth ? brace : "}\n"; });
}

// The Subresource Integrity of a heartbeat.js, as `<script integrity=…>` takes it.
export const integrity = (text) => "sha384-" + createHash("sha384").update(text).digest("base64");

// Writes web/heartbeat.js and web/heartbeat.css, and puts its integrity into web/README.md (the csp test compares).
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = await bundleWidget();
  fs.writeFileSync(SHIPPED, text);
  fs.writeFileSync(SHIPPED_CSS, await styleSheet());
  const readme = path.join(ROOT, "web", "README.md");
  fs.writeFileSync(readme, fs.readFileSync(readme, "utf8").replace(/integrity="sha384-[^"]*"/g, `integrity="${integrity(text)}"`));
}
