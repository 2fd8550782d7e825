// The React test page (hook-page.tsx: the hook and the card) bundled with React by esbuild into
// build/web/www/hook.js, as a React 17+ app builds it, for the tests that put it in a page.
import path from "node:path";
import { fileURLToPath } from "node:url";
import esbuild from "esbuild";
import { WWW } from "./support.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));

export function buildReactPage() {
  return esbuild.build({
    entryPoints: [path.join(HERE, "hook-page.tsx")],
    bundle: true,
    minify: true,
    outfile: path.join(WWW, "hook.js"),
    define: { "process.env.NODE_ENV": '"production"' },
    jsx: "automatic",
    nodePaths: [path.join(HERE, "node_modules")],  // web/ has no node_modules of its own
    logLevel: "error",
  });
}
