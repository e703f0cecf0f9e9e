#!/usr/bin/env node
/**
 * After `remix build`: removes the browser chunks that hold nothing (issue 18, ADR 0039).
 *
 * The classic compiler replaces every `.server` module with an empty CommonJS module in the
 * browser build; one that two routes import becomes a shared chunk of its own, 100 bytes that
 * only return `{}`. Some pages loaded six of them (one more request each over HTTP/1.1, at a
 * 150 ms round trip). This inlines each into its importers (`var X=()=>({})`: what the chunk's
 * wrapper returns), drops side-effect imports of chunks that are empty files, takes them out of
 * both manifests (the browser's and the one the server renders modulepreloads from) and deletes
 * them. Anything else naming such a chunk stops the build, rather than leave a page a 404.
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(process.argv[2] ?? ".");
const publicDir = path.join(root, "public/build");
const serverBuild = path.join(root, "build/index.js");

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
// esbuild's wrapper of `module.exports = {}` in a chunk: import __commonJS, wrap, export it.
const id = "[\\w$]+";
const emptyCommonJs = new RegExp(
  `^import\\{${id} as (${id})\\}from"[^"]+";var (${id})=\\1\\(\\((${id}),(${id})\\)=>\\{\\4\\.exports=\\{\\}\\}\\);export\\{\\2 as (${id})\\};?\\s*$`,
);

const scripts = readdirSync(publicDir, { recursive: true, withFileTypes: true })
  .filter((entry) => entry.isFile() && entry.name.endsWith(".js"))
  .map((entry) => path.join(entry.parentPath, entry.name));
const urlOf = (file) => `/build/${path.relative(publicDir, file).split(path.sep).join("/")}`;
const isManifest = (file) => /^manifest-[0-9A-F]+\.js$/.test(path.basename(file));

/** url → the name its one export has (empty CommonJS), or null (an empty file). */
const empty = new Map();
for (const file of scripts) {
  if (!urlOf(file).startsWith("/build/_shared/chunk-")) continue;
  const source = readFileSync(file, "utf8");
  if (source.trim() === "") empty.set(urlOf(file), null);
  else {
    const match = source.match(emptyCommonJs);
    if (match) empty.set(urlOf(file), match[5]);
  }
}

let rewritten = 0;
for (const file of scripts) {
  const url = urlOf(file);
  if (empty.has(url) || isManifest(file)) continue;
  let source = readFileSync(file, "utf8");
  const before = source;
  for (const [chunk, exported] of empty) {
    if (!source.includes(chunk)) continue;
    const from = `from"${escape(chunk)}";`;
    source = source.replace(new RegExp(`import"${escape(chunk)}";`, "g"), "");
    if (exported) {
      source = source.replace(new RegExp(`import\\{(${id})(?: as (${id}))?\\}${from}`, "g"), (whole, name, local) => {
        if (name !== exported) throw new Error(`${url} imports ${name} from ${chunk}, which exports only ${exported}.`);
        // The same object on every call, as the wrapper gives.
        return `var ${local ?? name}=(m=>()=>m)({});`;
      });
    }
    if (source.includes(chunk)) throw new Error(`${url} names ${chunk} in a way this script does not rewrite.`);
  }
  if (source !== before) {
    writeFileSync(file, source);
    rewritten += 1;
  }
}

/** Takes the chunks out of the manifests' import lists (minified JSON or esbuild's output). */
function dropFromManifest(file) {
  let source = readFileSync(file, "utf8");
  for (const chunk of empty.keys()) {
    const quoted = `"${escape(chunk)}"`;
    source = source.replace(new RegExp(`${quoted}\\s*,\\s*|\\s*,\\s*${quoted}|${quoted}`, "g"), "");
    if (source.includes(chunk)) throw new Error(`${file} still names ${chunk}.`);
  }
  writeFileSync(file, source);
}
for (const file of scripts.filter(isManifest)) dropFromManifest(file);
dropFromManifest(serverBuild);

for (const chunk of empty.keys()) rmSync(path.join(publicDir, chunk.slice("/build/".length)));
console.log(`empty browser chunks dropped: ${empty.size} (imported by ${rewritten} files)`);
