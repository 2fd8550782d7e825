// How web/heartbeat.js is made, in one place: web/src/heartbeat.js with web/card-look.ts bundled
// into one dependency-free script (an IIFE) by the pinned esbuild, minified, with the source's
// leading /*! … */ comment on top, where a person who opens the file sees it first.
// `make web-minify` runs this file; the widget test compares its output with the committed copy.
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

if (process.argv[1] === fileURLToPath(import.meta.url)) fs.writeFileSync(SHIPPED, await bundleWidget());
