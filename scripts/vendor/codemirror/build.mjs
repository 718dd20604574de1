// Bundle entry.mjs into one minified file for the browser, and put the licence of every
// package that went into it beside the file. Run from this folder: npm ci && npm run build
import {build} from "esbuild";
import {readFileSync, writeFileSync, readdirSync, mkdirSync} from "node:fs";
import {join, dirname} from "node:path";
import {fileURLToPath} from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "..", "..", "server", "static", "vendor", "codemirror");
mkdirSync(out, {recursive: true});

const result = await build({
  entryPoints: [join(here, "entry.mjs")],
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2020"],
  legalComments: "none",
  metafile: true,
  outfile: join(out, "codemirror.js"),
});

// Every package whose code is in the bundle, by its folder under node_modules.
const packages = new Set();
for (const input of Object.keys(result.metafile.inputs)) {
  const match = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
  if (match) packages.add(match[1]);
}
const sections = [...packages].sort().map((name) => {
  const folder = join(here, "node_modules", name);
  const meta = JSON.parse(readFileSync(join(folder, "package.json"), "utf8"));
  const file = readdirSync(folder).find((f) => /^licen[cs]e/i.test(f));
  if (!file) throw new Error(`${name} has no licence file`);
  const text = readFileSync(join(folder, file), "utf8").trim();
  return `${name} ${meta.version} (${meta.license})\n${"-".repeat(60)}\n${text}\n`;
});
writeFileSync(
  join(out, "LICENSE"),
  "codemirror.js bundles these npm packages; each one's licence follows.\n\n" +
    sections.join("\n"),
);
console.log(`codemirror.js: ${packages.size} packages: ${[...packages].sort().join(", ")}`);
