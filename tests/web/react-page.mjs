// The React test page (hook-page.tsx: the hook and the card) bundled with React by esbuild into
// build/web/www/hook.js, as a React 17+ app builds it, for the tests that put it in a page; the
// package test builds its copy that imports the packed package (entry, outfile) the same way.
import path from "node:path";
import { fileURLToPath } from "node:url";
import esbuild from "esbuild";
import { WWW } from "./support.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));

export function buildReactPage(entry = path.join(HERE, "hook-page.tsx"), outfile = path.join(WWW, "hook.js")) {
  return esbuild.build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    outfile,
    define: { "process.env.NODE_ENV": '"production"' },
    jsx: "automatic",
    nodePaths: [path.join(HERE, "node_modules")],  // React: web/node_modules has none (it is the app's peer)
    metafile: true,
    logLevel: "error",
  });
}
