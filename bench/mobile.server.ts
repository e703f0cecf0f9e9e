/**
 * Issue 18 in `npm run bench`: the main pages on a cheap phone over a weak signal, beside the
 * same pages as plain HTML and CSS (the floor). Chromium's mobile profile (Moto G4 in
 * Playwright's devices) with the network and CPU slowed through the DevTools protocol: 150 ms
 * round trip, 1.6 Mbit/s down, 750 kbit/s up (Network.emulateNetworkConditions), CPU 4× slower
 * (Emulation.setCPUThrottlingRate). Each load starts with an empty cache.
 *
 * The floor: the server's own HTML of the page (same person, same language), saved with its
 * scripts and preloads removed, served by a static server of the run with the same stylesheet
 * and the same compression (compression middleware, precompressed /build files).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import os from "node:os";
import path from "node:path";
import { devices, chromium, type Browser } from "@playwright/test";
import compression from "compression";
import express from "express";
import expressStaticGzip from "express-static-gzip";
import { budgetPages, fetchAsServed } from "../scripts/page-weight";
import { startBuiltServer } from "../scripts/built-server";
import { HYDRATED_MARK } from "../app/components/hydration-mark";

export const MOBILE_PROFILE = {
  device: "Moto G4",
  latencyMs: 150,
  downloadKbitPerSecond: 1600,
  uploadKbitPerSecond: 750,
  cpuSlowdown: 4,
} as const;

export interface MobileSample {
  bytes: number;
  /** Responses received (the page, its scripts, stylesheet and strings, and what they fetch). */
  files?: number;
  firstContentfulPaintMs: number;
  loadMs: number;
  /** When React had hydrated the page (root.tsx's first effect); none for the floor or a page sent without React (ADR 0042). */
  hydratedMs?: number;
}
export interface MobilePage {
  page: string;
  path: string;
  app: MobileSample;
  floor: MobileSample;
  loadRatio: number;
  fcpRatio: number;
}
export interface MobileBench {
  measuredAt: string;
  profile: typeof MOBILE_PROFILE;
  runs: number;
  pages: MobilePage[];
}

/** The median of the loads that measured it (a load may have no first-contentful-paint entry). */
const median = (values: number[]) => {
  const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)]! : NaN;
};
const round = (value: number, places = 2) => Math.round(value * 10 ** places) / 10 ** places;

/** The page as plain HTML and CSS: no scripts, no module or strings preloads. */
export function withoutScripts(html: string) {
  return html.replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, "").replace(/<link\b[^>]*\srel="(?:modulepreload|preload)"[^>]*>/g, "");
}

function cookiesOf(header: string | null, url: string) {
  if (!header) return [];
  return header.split("; ").map((pair) => {
    const at = pair.indexOf("=");
    return { name: pair.slice(0, at), value: pair.slice(at + 1), url };
  });
}

/** One cold load in the mobile profile: bytes received (as sent, compressed), FCP and load. */
async function loadOnce(browser: Browser, url: string, cookie: string | null): Promise<MobileSample> {
  const context = await browser.newContext({ ...devices[MOBILE_PROFILE.device], serviceWorkers: "block" });
  try {
    await context.addCookies(cookiesOf(cookie, new URL(url).origin));
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: MOBILE_PROFILE.latencyMs,
      downloadThroughput: (MOBILE_PROFILE.downloadKbitPerSecond * 1000) / 8,
      uploadThroughput: (MOBILE_PROFILE.uploadKbitPerSecond * 1000) / 8,
    });
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: MOBILE_PROFILE.cpuSlowdown });
    let bytes = 0;
    let files = 0;
    cdp.on("Network.loadingFinished", (event: { encodedDataLength: number }) => {
      bytes += event.encodedDataLength;
      files += 1;
    });
    await page.goto(url, { waitUntil: "load", timeout: 120_000 });
    // What the page fetches after load (a page's strings, when not preloaded) counts too.
    await page.waitForLoadState("networkidle", { timeout: 60_000 }).catch(() => undefined);
    // A page without scripts can finish loading before its first paint.
    await page.waitForFunction(() => performance.getEntriesByName("first-contentful-paint").length > 0, null, { timeout: 10_000 }).catch(() => undefined);
    // React hydrates after the load event (in a transition, once the page's strings are in), on
    // the pages that are sent it (Remix's inline script names its context); an island (ADR 0046)
    // marks the same moment once Preact has brought it to life.
    const hydrates = await page.evaluate(() => "__remixContext" in window || document.querySelector('script[type="module"][src^="/build/islands/"]') !== null);
    if (hydrates)
      await page.waitForFunction((mark) => performance.getEntriesByName(mark).length > 0, HYDRATED_MARK, { timeout: 10_000 }).catch(() => undefined);
    const timing = await page.evaluate((mark) => {
      const navigation = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
      const fcp = performance.getEntriesByName("first-contentful-paint")[0];
      const hydrated = performance.getEntriesByName(mark)[0];
      return { load: navigation.loadEventEnd, fcp: fcp ? fcp.startTime : NaN, hydrated: hydrated ? hydrated.startTime : NaN };
    }, HYDRATED_MARK);
    return {
      bytes,
      files,
      firstContentfulPaintMs: round(timing.fcp, 0),
      loadMs: round(timing.load, 0),
      ...(hydrates ? { hydratedMs: round(timing.hydrated, 0) } : {}),
    };
  } finally {
    await context.close();
  }
}

async function listen(app: express.Express, port: number) {
  return new Promise<Server>((resolve, reject) => {
    const server = app.listen(port, "127.0.0.1", () => resolve(server));
    server.once("error", reject);
  });
}

/** `ports`: the app's, then the floor's (loopback). */
export async function benchMobile(
  root: string,
  log: (line: string) => void,
  { ports, runs = 3 }: { ports: [number, number]; runs?: number },
): Promise<MobileBench> {
  const server = await startBuiltServer({ demo: true, port: ports[0] });
  const floorDir = mkdtempSync(path.join(os.tmpdir(), "pasbort-bench-floor-"));
  let floor: Server | null = null;
  let browser: Browser | null = null;
  try {
    const budget = await budgetPages(server.url);
    const chosen = [
      ["home", "visitor", "home"],
      ["directory", "visitor", "directory"],
      ["passport", "guardian", "passport"],
      ["claim page", "guardian", "claim"],
      ["scanner", "provider", "scanner"],
    ].map(([label, role, page]) => ({ label: label!, ...budget.find((candidate) => candidate.role === role && candidate.page === page)! }));

    // The floor pages, saved from what the server sends the same person.
    const floorApp = express();
    floorApp.use(compression());
    const floorPaths = new Map<string, string>();
    for (const [index, page] of chosen.entries()) {
      const html = (await fetchAsServed(server.url + page.path, page.cookie, "identity")).wire.toString("utf8");
      const file = path.join(floorDir, `${index}.html`);
      writeFileSync(file, withoutScripts(html));
      floorPaths.set(page.path, file);
    }
    floorApp.get(
      [...floorPaths.keys()].map((pagePath) => pagePath.split("?")[0]!),
      (req, res) => res.type("html").sendFile(floorPaths.get(req.path)!),
    );
    floorApp.use(
      "/build",
      expressStaticGzip(path.join(root, "public/build"), { enableBrotli: true, orderPreference: ["br", "gz"], index: false, serveStatic: { maxAge: "1y" } }),
    );
    floor = await listen(floorApp, ports[1]);
    const floorUrl = `http://127.0.0.1:${ports[1]}`;

    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
        "--disable-quic",
      ],
    });
    const pages: MobilePage[] = [];
    for (const page of chosen) {
      const app: MobileSample[] = [];
      const plain: MobileSample[] = [];
      // Interleaved, so a busy moment on the shared machine falls on both alike.
      for (let run = 0; run < runs; run += 1) {
        app.push(await loadOnce(browser, server.url + page.path, page.cookie));
        plain.push(await loadOnce(browser, floorUrl + page.path, null));
      }
      const summary = (samples: MobileSample[]): MobileSample => ({
        bytes: median(samples.map((s) => s.bytes)),
        files: median(samples.map((s) => s.files ?? NaN)),
        firstContentfulPaintMs: median(samples.map((s) => s.firstContentfulPaintMs)),
        loadMs: median(samples.map((s) => s.loadMs)),
        ...(samples.some((s) => s.hydratedMs !== undefined) ? { hydratedMs: median(samples.map((s) => s.hydratedMs ?? NaN)) } : {}),
      });
      const appMedian = summary(app);
      const floorMedian = summary(plain);
      const result = {
        page: page.label,
        path: page.path.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, "<id>"),
        app: appMedian,
        floor: floorMedian,
        loadRatio: round(appMedian.loadMs / floorMedian.loadMs),
        fcpRatio: round(appMedian.firstContentfulPaintMs / floorMedian.firstContentfulPaintMs),
      };
      log(
        `  ${result.page}: ${Math.round(appMedian.bytes / 1024)} KB in ${appMedian.files} files, FCP ${appMedian.firstContentfulPaintMs} ms, load ${appMedian.loadMs} ms, ${appMedian.hydratedMs === undefined ? "no React" : `hydrated ${appMedian.hydratedMs} ms`}; floor ${Math.round(floorMedian.bytes / 1024)} KB, FCP ${floorMedian.firstContentfulPaintMs} ms, load ${floorMedian.loadMs} ms; load ×${result.loadRatio}`,
      );
      pages.push(result);
    }
    return { measuredAt: new Date().toISOString(), profile: MOBILE_PROFILE, runs, pages };
  } finally {
    await browser?.close();
    await new Promise((resolve) => (floor ? floor.close(resolve) : resolve(null)));
    await server.stop();
    rmSync(floorDir, { recursive: true, force: true });
  }
}
