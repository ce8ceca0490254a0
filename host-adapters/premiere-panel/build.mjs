// npm run build:
//   dist/panel/  the UXP plugin (manifest.json at its root; installer/make-ccx.sh zips it)
//   dist/web/    the same UI for browsers, which `dflc serve` serves at /
// esbuild bundles; type checking is `npm run typecheck` (tsc), kept separate so builds are fast.
import { build } from "esbuild";
import fs from "node:fs";
import path from "node:path";
import { png } from "./e2e/fake-node.mjs";

const here = path.dirname(new URL(import.meta.url).pathname);
const out = (...p) => path.join(here, "dist", ...p);
fs.rmSync(out(), { recursive: true, force: true });

const common = { bundle: true, target: "es2020", logLevel: "warning", legalComments: "none", sourcemap: false };

// UXP: CommonJS, loaded by a classic <script>; premierepro and uxp are the host's modules.
await build({ ...common, entryPoints: [path.join(here, "src/panel.ts")], outfile: out("panel", "index.js"), format: "cjs", platform: "browser", external: ["premierepro", "uxp"] });
fs.copyFileSync(path.join(here, "static/panel.html"), out("panel", "index.html"));
fs.copyFileSync(path.join(here, "static/app.css"), out("panel", "app.css"));
fs.copyFileSync(path.join(here, "manifest.json"), out("panel", "manifest.json"));
// Icons drawn here rather than committed as binaries: a plain blue square is all they are.
fs.mkdirSync(out("panel", "icons"));
for (const [name, size] of [["panel", 23], ["plugin", 48]]) {
  fs.writeFileSync(out("panel", "icons", `${name}.png`), png(size, size, [45, 107, 214]));
  fs.writeFileSync(out("panel", "icons", `${name}@2x.png`), png(size * 2, size * 2, [45, 107, 214]));
}

// Browser: one script, one stylesheet, one page.
await build({ ...common, entryPoints: [path.join(here, "src/web.ts")], outfile: out("web", "app.js"), format: "iife", platform: "browser" });
fs.copyFileSync(path.join(here, "static/web.html"), out("web", "index.html"));
fs.copyFileSync(path.join(here, "static/app.css"), out("web", "app.css"));

for (const d of ["panel", "web"]) console.log(`built dist/${d}: ${fs.readdirSync(out(d)).join(", ")}`);
