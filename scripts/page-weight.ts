/**
 * The page-weight budget (issue 18), part of `npm test`: builds the app, starts it on a fresh
 * demo database, signs in as each role and adds up what each main page costs on the wire:
 * its HTML and every script and stylesheet it loads (its modulepreloads and their imports,
 * and its routes' strings in its language), compressed as served. Prints the table; fails over
 * issue 18's budget, and when a page sent without React (ADR 0042) starts sending scripts, or the
 * scanner stops.
 * Bytes are deterministic, so this is a check, not a timing (timings: `npm run bench`).
 */
import { request } from "node:http";
import { pathToFileURL } from "node:url";
import { startBuiltServer } from "./built-server";

export const DEMO_PASSWORD = "pasbort-demo";
const KB = 1024;
/** A page sent without React: its HTML and stylesheet (ADR 0042; issue 18 allowed 120 KB). */
const NO_REACT_BUDGET = 20 * KB;
/**
 * The scanner, an island (ADR 0046: 25 KB with the islands' own translator, 37 KB with i18next,
 * 112 KB with React and Remix's client, ADR 0042; issue 18 allowed 200 KB, the fallback QR decoder
 * not counted).
 */
const SCANNER_BUDGET = 30 * KB;

export interface BudgetPage {
  role: string;
  page: string;
  path: string;
  cookie: string | null;
  /** Issue 18's budget, lowered for the pages sent without React (ADR 0042). */
  budget: number;
  /** Whether the page is sent scripts: React (a route's `handle: { hydrate: true }`, ADR 0042) or an island (ADR 0046). */
  scripts: boolean;
}

interface Fetched {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  wire: Buffer;
}

/** One GET as a phone's browser sends it, the body kept exactly as it came (not decoded). */
export function fetchAsServed(url: string, cookie: string | null = null, encoding = "br, gzip", language = "en"): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { "Accept-Encoding": encoding, "Accept-Language": language };
    if (cookie) headers.Cookie = cookie;
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, wire: Buffer.concat(chunks) }));
      res.on("error", reject);
    })
      .on("error", reject)
      .end();
  });
}

async function decoded(url: string, cookie: string | null, language = "en") {
  return (await fetchAsServed(url, cookie, "identity", language)).wire.toString("utf8");
}

/** Signs a demo account in through the sign-in form; the session cookie. */
export async function signInAs(base: string, email: string) {
  const response = await fetch(`${base}/login`, {
    method: "POST",
    body: new URLSearchParams({ email, password: DEMO_PASSWORD, redirectTo: "" }),
    redirect: "manual",
  });
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  if (response.status !== 302 || !cookie) throw new Error(`Could not sign in as ${email} (${response.status}).`);
  return cookie;
}

function firstLink(html: string, pattern: RegExp, what: string) {
  const found = html.match(pattern);
  if (!found) throw new Error(`No link to ${what} on the page.`);
  return found[0];
}

/** The pages under budget, found as each role finds them (the demo data's ids differ per run). */
export async function budgetPages(base: string): Promise<BudgetPage[]> {
  const guardian = await signInAs(base, "guardian@demo.test");
  const provider = await signInAs(base, "provider@demo.test");
  const guardianHome = await decoded(`${base}/guardian`, guardian);
  const passport = firstLink(guardianHome, /\/guardian\/children\/[0-9a-f-]{36}(?=")/, "a child's passport");
  const providerHome = await decoded(`${base}/provider`, provider);
  const session = firstLink(providerHome, /\/provider\/sessions\/[0-9a-f-]{36}(?=")/, "a session");
  const pages: BudgetPage[] = [
    { role: "visitor", page: "home", path: "/", cookie: null, budget: NO_REACT_BUDGET, scripts: false },
    { role: "visitor", page: "directory", path: "/activities", cookie: null, budget: NO_REACT_BUDGET, scripts: false },
    { role: "guardian", page: "home", path: "/guardian", cookie: guardian, budget: NO_REACT_BUDGET, scripts: false },
    { role: "guardian", page: "passport", path: passport, cookie: guardian, budget: NO_REACT_BUDGET, scripts: false },
    { role: "guardian", page: "claim", path: "/claim", cookie: guardian, budget: NO_REACT_BUDGET, scripts: false },
    { role: "guardian", page: "directory", path: "/activities", cookie: guardian, budget: NO_REACT_BUDGET, scripts: false },
    { role: "provider", page: "home", path: "/provider", cookie: provider, budget: NO_REACT_BUDGET, scripts: false },
    { role: "provider", page: "scanner", path: `${session}/scan`, cookie: provider, budget: SCANNER_BUDGET, scripts: true },
  ];
  for (const [role, email] of [
    ["school", "school@demo.test"],
    ["coordinator", "coordinator@demo.test"],
    ["viewer", "viewer@demo.test"],
  ] as const) {
    const cookie = await signInAs(base, email);
    const home = (await fetch(`${base}/login`, { headers: { Cookie: cookie }, redirect: "manual" })).headers.get("location") ?? "/";
    pages.push({ role, page: "home", path: home, cookie, budget: NO_REACT_BUDGET, scripts: false });
  }
  return pages;
}

/** Whether the HTML sends scripts beyond root.tsx's one small inline script: Remix's context, a script file, a module or its preload. */
export function sendsScripts(html: string) {
  return (
    /__remixContext|<script\b[^>]*\s(?:src|type="module")|rel="modulepreload"|rel="preload"[^>]*as="fetch"/.test(html) ||
    (html.match(/<script\b/g) ?? []).length > 1
  );
}

const attribute = (tag: string, name: string) => tag.match(new RegExp(`\\s${name}="([^"]*)"`))?.[1] ?? null;

/** The scripts, stylesheets and strings (preloaded: root.tsx) the HTML names. */
function assetsOf(html: string) {
  const urls = new Set<string>();
  for (const tag of html.match(/<link\b[^>]*>/g) ?? []) {
    const rel = attribute(tag, "rel");
    const href = attribute(tag, "href");
    if (href && (rel === "stylesheet" || rel === "modulepreload" || rel === "preload")) urls.add(href);
  }
  for (const tag of html.match(/<script\b[^>]*\ssrc="[^"]*"[^>]*>/g) ?? []) urls.add(attribute(tag, "src")!);
  // Remix's inline module script imports the entry and the routes' modules.
  for (const found of html.matchAll(/import\s*(?:[^"'()]*?from\s*)?["'](\/build\/[^"']+)["']/g)) urls.add(found[1]!);
  return urls;
}

const staticImports = (source: string) =>
  [...source.matchAll(/(?:^|[;\s}])(?:import|export)\s*(?:[\w*{}\s,$]+from\s*)?["']([^"']+\.js)["']/g)].map((m) => m[1]!);

export interface Weight {
  /** The page sends scripts (sendsScripts). */
  scripts: boolean;
  html: number;
  assets: { path: string; bytes: number }[];
  total: number;
}

/** What one page costs on the wire, compressed as served. */
export async function pageWeight(base: string, path: string, cookie: string | null, language: "en" | "cy" = "en"): Promise<Weight> {
  const page = await fetchAsServed(base + path, cookie, "br, gzip", language);
  if (page.status !== 200) throw new Error(`${path} answered ${page.status}.`);
  const html = await decoded(base + path, cookie, language);
  const pending = [...assetsOf(html)];
  const seen = new Map<string, number>();
  while (pending.length) {
    const url = pending.shift()!;
    if (seen.has(url)) continue;
    const asset = await fetchAsServed(base + url);
    if (asset.status !== 200) throw new Error(`${url} (for ${path}) answered ${asset.status}.`);
    seen.set(url, asset.wire.length);
    if (!url.endsWith(".js")) continue;
    const source = await decoded(base + url, null);
    const resolve = (spec: string) => new URL(spec, base + url).pathname;
    // Dynamic imports (the fallback QR decoder, the password-strength check) load only when needed.
    pending.push(...staticImports(source).map(resolve));
  }
  const assets = [...seen].map(([assetPath, bytes]) => ({ path: assetPath, bytes }));
  return { scripts: sendsScripts(html), html: page.wire.length, assets, total: page.wire.length + assets.reduce((sum, a) => sum + a.bytes, 0) };
}

const kb = (bytes: number) => (bytes / KB).toFixed(1);

async function main() {
  const server = await startBuiltServer({ build: !process.argv.includes("--no-build"), demo: true });
  try {
    const pages = await budgetPages(server.url);
    const rows: string[] = [];
    const over: string[] = [];
    const wrongScripts: string[] = [];
    for (const page of pages) {
      for (const language of ["en", "cy"] as const) {
        const weight = await pageWeight(server.url, page.path, page.cookie, language);
        const fits = weight.total <= page.budget;
        if (!fits) over.push(`${page.role} ${page.page} ${language} (${kb(weight.total)} KB)`);
        if (weight.scripts !== page.scripts) wrongScripts.push(`${page.role} ${page.page} ${language} ${page.scripts ? "is sent no React" : "sends scripts"}`);
        rows.push(
          `| ${page.role.padEnd(11)} | ${page.page.padEnd(9)} | ${language} | ${kb(weight.html).padStart(6)} | ${String(weight.assets.length).padStart(5)} | ${kb(weight.total).padStart(7)} | ${kb(page.budget).padStart(6)} | ${weight.scripts ? "yes    " : "no     "} | ${fits ? "ok" : "OVER"} |`,
        );
      }
    }
    console.log("Page weight, compressed as served (KB; total = HTML + every script, stylesheet and strings file the page loads):");
    console.log("| role        | page      |    |   HTML | files |   total | budget | scripts |    |");
    console.log("|-------------|-----------|----|--------|-------|---------|--------|-------|----|");
    for (const row of rows) console.log(row);
    if (over.length) {
      console.error(`Over issue 18's budget: ${over.join(", ")}.`);
      process.exitCode = 1;
    }
    if (wrongScripts.length) {
      console.error(`Scripts not as the pages' routes say (ADR 0042): ${wrongScripts.join(", ")}.`);
      process.exitCode = 1;
    }
  } finally {
    await server.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
