#!/usr/bin/env node
/**
 * After `remix build` (npm run build): the islands (ADR 0046), pages whose scripts run without
 * Remix's client. Each is a small module that brings one component of the server's page to life
 * with Preact (preact/compat: the same React components, about 10 KB instead of React's 90 with
 * Remix). Writes public/build/islands/<name>-<hash>.js and build/islands.json, which names each
 * island's module and the chunks it imports (for the page's modulepreloads).
 * `--watch` rebuilds on change (npm run dev).
 */
import * as esbuild from "esbuild";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const outdir = path.join(root, "public/build/islands");
const manifestFile = path.join(root, "build/islands.json");
const entryPoints = { scanner: path.join(root, "app/islands/scanner.island.tsx") };
const appTranslator = path.join(root, "app/modules/i18n/i18n");
const islandTranslator = path.join(root, "app/islands/island-i18n.ts");

/** What the islands resolve differently from Remix's browser build. */
const islandResolution = {
  name: "island-resolution",
  setup(build) {
    // Server code never reaches a browser (as in Remix's build): an empty module.
    build.onResolve({ filter: /\.server(\.tsx?)?$/ }, () => ({ path: "server-only", namespace: "empty" }));
    build.onLoad({ filter: /.*/, namespace: "empty" }, () => ({ contents: "export const resources = undefined;", loader: "js" }));
    // The page's language and strings come from the page, not Remix's route data.
    build.onResolve({ filter: /modules\/i18n\/use-translate$/ }, () => ({ path: path.join(root, "app/islands/use-translate.ts") }));
    // The strings are read by the islands' own small translator, not i18next (island-i18n.ts).
    build.onResolve({ filter: /\/i18n$/ }, (args) => {
      const target = args.path.startsWith("~/") ? path.join(root, "app", args.path.slice(2)) : path.resolve(args.resolveDir, args.path);
      return target === appTranslator && args.importer !== islandTranslator ? { path: islandTranslator } : undefined;
    });
  },
};

const options = {
  absWorkingDir: root,
  entryPoints,
  bundle: true,
  splitting: true,
  format: "esm",
  target: "es2020",
  minify: true,
  outdir,
  entryNames: "[name]-[hash]",
  chunkNames: "chunk-[hash]",
  metafile: true,
  jsx: "automatic",
  jsxImportSource: "preact",
  alias: { react: "preact/compat", "react-dom": "preact/compat", "react-dom/client": "preact/compat/client", "react/jsx-runtime": "preact/jsx-runtime" },
  define: { "process.env.NODE_ENV": JSON.stringify(process.env.NODE_ENV ?? "production") },
  plugins: [islandResolution, { name: "manifest", setup: (build) => build.onEnd((result) => result.metafile && writeManifest(result.metafile)) }],
  logLevel: "warning",
};

function writeManifest(metafile) {
  const i18next = Object.keys(metafile.inputs).filter((input) => input.includes("node_modules/i18next/"));
  if (i18next.length) throw new Error(`An island includes i18next (${i18next[0]}): islands translate with app/islands/island-i18n.ts.`);
  if (process.env.ISLANDS_META) writeFileSync(process.env.ISLANDS_META, JSON.stringify(metafile));
  const manifest = {};
  const url = (file) => `/${path.relative(path.join(root, "public"), path.resolve(root, file)).split(path.sep).join("/")}`;
  for (const [file, output] of Object.entries(metafile.outputs)) {
    if (!output.entryPoint) continue;
    const name = Object.entries(entryPoints).find(([, entry]) => path.resolve(root, output.entryPoint) === entry)?.[0];
    if (!name) continue;
    const imports = output.imports.filter((imported) => imported.kind === "import-statement").map((imported) => url(imported.path));
    manifest[name] = { module: url(file), imports };
  }
  mkdirSync(path.dirname(manifestFile), { recursive: true });
  writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
}

if (process.argv.includes("--watch")) {
  const context = await esbuild.context(options);
  await context.watch();
} else {
  rmSync(outdir, { recursive: true, force: true });
  await esbuild.build(options);
}
