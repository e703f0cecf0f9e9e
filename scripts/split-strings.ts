/**
 * After `remix build` (npm run build): writes the strings each route's pages need, one file per
 * route and language, to public/build/strings/<version>/<language>/ (issue 18, ADR 0034). The
 * browser loads the root's file and the page's routes' files instead of a language's every string.
 *
 * Which strings a route needs: every top-level namespace ("claims", "reports", …) named in a
 * string or template literal ("claims.title", `categories.${c}`) anywhere in the route module's
 * imports, its server code included, since loaders and actions send keys (a form's error) for
 * the page to show. A route's file leaves out the namespaces the root's file already has.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { resources } from "~/modules/i18n/strings.server";
import { LANGUAGES } from "~/modules/i18n/i18n";
import { routeFileName, stringsFileUrl } from "~/modules/i18n/string-files";

interface Metafile {
  inputs: Record<string, { imports: { path: string; external?: boolean }[] }>;
}

const NAMESPACES = Object.keys(resources.en.translation);

/**
 * The strings a source file names in its literals, as [namespace, second-level key] pairs: the
 * key is null when the literal leaves it open (`categories.${c}`, "claims." + x), which means
 * the whole namespace. ("claims.refusals." + code names claims.refusals and all under it.)
 */
export function stringsIn(source: string, namespaces: readonly string[] = NAMESPACES): [string, string | null][] {
  const known = new Set(namespaces);
  const found: [string, string | null][] = [];
  for (const match of source.matchAll(/["'`]([A-Za-z][A-Za-z0-9]*)\.([A-Za-z0-9_]*)(.?)/g)) {
    const [, namespace, key, next] = match;
    if (!known.has(namespace!)) continue;
    const closed = key && (next === "." || next === '"' || next === "'" || next === "`");
    found.push([namespace!, closed ? key! : null]);
  }
  return found;
}

/** Every app source file a module imports, directly or not (from the server build's metafile). */
function closure(metafile: Metafile, start: string) {
  const seen = new Set<string>();
  const pending = [start];
  while (pending.length) {
    const file = pending.pop()!;
    if (seen.has(file) || !metafile.inputs[file]) continue;
    seen.add(file);
    for (const imported of metafile.inputs[file].imports) if (!imported.external && imported.path.startsWith("app/")) pending.push(imported.path);
  }
  return seen;
}

/** Which strings a route needs: per namespace, all of it or some of its second-level keys. */
export type Selection = Map<string, "all" | Set<string>>;

function select(pairs: Iterable<[string, string | null]>): Selection {
  const selection: Selection = new Map();
  for (const [namespace, key] of pairs) {
    const chosen = selection.get(namespace);
    if (chosen === "all") continue;
    if (key === null) selection.set(namespace, "all");
    else if (chosen) chosen.add(key);
    else selection.set(namespace, new Set([key]));
  }
  return selection;
}

/** What `selection` needs beyond what `loaded` (the root's) has. */
function beyond(selection: Selection, loaded: Selection): Selection {
  const rest: Selection = new Map();
  for (const [namespace, chosen] of selection) {
    const had = loaded.get(namespace);
    if (had === "all") continue;
    if (!had) rest.set(namespace, chosen);
    else if (chosen === "all") rest.set(namespace, "all");
    else {
      const keys = [...chosen].filter((key) => !had.has(key));
      if (keys.length) rest.set(namespace, new Set(keys));
    }
  }
  return rest;
}

/** Route id → what its strings file carries: the root's all it needs, the others' only what the root's has not. */
export function routeSelections(root: string): Map<string, Selection> {
  const metafile = JSON.parse(readFileSync(path.join(root, "build/metafile.server.json"), "utf8")) as Metafile;
  const cache = new Map<string, [string, string | null][]>();
  const stringsOf = (file: string) => {
    if (!cache.has(file)) cache.set(file, stringsIn(readFileSync(path.join(root, file), "utf8")));
    return cache.get(file)!;
  };
  const needs = (start: string) => select([...closure(metafile, start)].flatMap((file) => stringsOf(file)));
  const rootNeeds = needs("app/root.tsx");
  const routes = new Map<string, Selection>([["root", rootNeeds]]);
  for (const input of Object.keys(metafile.inputs)) {
    const found = input.match(/^app\/(routes\/[^/]+)\.tsx$/);
    if (found) routes.set(found[1]!, beyond(needs(input), rootNeeds));
  }
  return routes;
}

/** The strings a selection names, from one language's: a key with its plural forms (key_one, key_other…). */
export function pick(strings: Record<string, unknown>, selection: Selection) {
  const picked: Record<string, unknown> = {};
  for (const [namespace, chosen] of selection) {
    const all = strings[namespace];
    if (chosen === "all" || typeof all !== "object" || all === null) {
      picked[namespace] = all;
      continue;
    }
    const entries = Object.entries(all).filter(([key]) => chosen.has(key) || chosen.has(key.replace(/_(zero|one|two|few|many|other)$/, "")));
    if (entries.length) picked[namespace] = Object.fromEntries(entries);
  }
  return picked;
}

export function writeStringFiles(root: string) {
  const version = readFileSync(path.join(root, "build/version.txt"), "utf8").trim();
  const routes = routeSelections(root);
  rmSync(path.join(root, "public/build/strings"), { recursive: true, force: true });
  const names = new Map<string, string>();
  let files = 0;
  for (const [routeId, selection] of routes) {
    const name = routeFileName(routeId);
    if (names.has(name)) throw new Error(`Routes ${names.get(name)} and ${routeId} would share the strings file ${name}.`);
    names.set(name, routeId);
    for (const language of LANGUAGES) {
      const file = path.join(root, "public", stringsFileUrl(version, language, routeId));
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify(pick(resources[language].translation as Record<string, unknown>, selection)));
      files += 1;
    }
  }
  return { version, files };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { files } = writeStringFiles(process.cwd());
  console.log(`strings split by route: ${files} files`);
}
