import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "~/modules/db/database.server";
import { holdsDemoData } from "~/modules/db/demo-marker.server";
import { projectPath } from "~/modules/project-path.server";
import { signInAs } from "../../scripts/page-weight";
import { buildIfMissing, freePort, startBuiltServer, type BuiltServer } from "../../scripts/built-server";
import { testDatabaseKind } from "../support/test-database";

/**
 * Demo data is a choice (issue 13): the compiled server on embedded databases of its own, as
 * `npm start` (a real install: nothing demo) and `npm run demo` (DEMO=1) run it. On PGlite
 * only, once (the PostgreSQL side of the refusal is in demo-seed.test.ts).
 */
const TIMEOUT = { timeout: 300_000 };
const BANNER = {
  en: /<section aria-label="Demo data"[^>]*><p[^>]*><strong>Demo:<\/strong> (?:<!-- -->)?the people and children here are made up\. Do not enter real children&#x27;s details\.<\/p><\/section>/,
  cy: /<section aria-label="Data arddangos"[^>]*><p[^>]*><strong>Demo:<\/strong> (?:<!-- -->)?mae&#x27;r bobl a&#x27;r plant yma wedi&#x27;u dyfeisio\. Peidiwch â rhoi manylion plant go iawn yma\.<\/p><\/section>/,
};
const REAL_COORDINATOR = "ceri@cu-example.org";
const REAL_PASSWORD = "heather-moor-kestrel-42";

async function page(server: BuiltServer, pathname: string, cookie?: string) {
  const response = await fetch(`${server.url}${pathname}`, { headers: cookie ? { Cookie: cookie } : {} });
  expect(response.status).toBe(200);
  return response.text();
}

/** A CLI script or the compiled server against one embedded database folder; waits for it to exit. */
function run(args: string[], dataDir: string, env: Record<string, string> = {}) {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, PGLITE_DIR: dataDir, ...env };
  delete childEnv.DATABASE_URL;
  if (!env.DEMO) delete childEnv.DEMO;
  return spawnSync(process.execPath, args, { cwd: projectPath(), env: childEnv, encoding: "utf8", timeout: 240_000 });
}

/** What an embedded database folder holds, read after every process using it has stopped. */
async function contents(dataDir: string) {
  const db = await openDatabase({ kind: "pglite", dir: dataDir });
  try {
    const users = await db.selectFrom("app_user").select("email").orderBy("email").execute();
    const areas = await db.selectFrom("area").select("slug").orderBy("slug").execute();
    const children = await db.selectFrom("child").select("id").execute();
    return { users: users.map((u) => u.email), areas: areas.map((a) => a.slug), children: children.length, demo: await holdsDemoData(db) };
  } finally {
    await db.destroy();
    // This process claimed the folder (folder-lock.server.ts): give it back for the next one.
    const lock = path.join(dataDir, "pasbort.pid");
    if (existsSync(lock) && readFileSync(lock, "utf8").trim() === String(process.pid)) rmSync(lock);
  }
}

describe.runIf(testDatabaseKind() === "pglite")("a real install: no DEMO", () => {
  let dataDir: string;
  let server: BuiltServer | undefined;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "pasbort-real-"));
    server = await startBuiltServer({ dataDir });
  }, 300_000);
  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("starts empty: no demo accounts, no banner, and the log says to make the first coordinator", TIMEOUT, async () => {
    const log = server!.output();
    expect(log).toMatch(/^No coordinator yet: nobody can sign in\. Stop Pasbort, then make the first one with$/m);
    expect(log).toMatch(/^ {2}npm run create-coordinator -- --email /m);
    expect(log).not.toMatch(/Demo sign-ins|pasbort-demo/);
    await expect(signInAs(server!.url, "coordinator@demo.test")).rejects.toThrow(/Could not sign in/);
    for (const lang of ["en", "cy"]) {
      const html = await page(server!, `/?lang=${lang}`);
      expect(html).not.toMatch(/aria-label="(Demo data|Data arddangos)"/);
    }
  });

  it("after its first coordinator, refuses the demo (seed:demo and DEMO=1 both exit 1) and loses nothing", TIMEOUT, async () => {
    await server!.stop();
    server = undefined;
    const made = run(
      [
        "--import",
        "tsx",
        "scripts/create-coordinator.ts",
        "--email",
        REAL_COORDINATOR,
        "--area",
        "north-wales",
        "--name-en",
        "CU North Wales",
        "--name-cy",
        "PyP Gogledd Cymru",
        "--prefix",
        "NW",
      ],
      dataDir,
      { PASBORT_PASSWORD: REAL_PASSWORD },
    );
    expect(made.status, made.stderr).toBe(0);
    const before = await contents(dataDir);
    expect(before).toEqual({ users: [REAL_COORDINATOR], areas: ["north-wales"], children: 0, demo: false });

    const seed = run(["--import", "tsx", "scripts/seed-demo.ts"], dataDir);
    expect(seed.status).toBe(1);
    expect(seed.stderr).toMatch(
      /^Demo data not seeded: this database already holds 1 area\(s\), 1 account\(s\) and 0 child\(ren\) that are not demo data.* Nothing was changed\./m,
    );
    expect(await contents(dataDir)).toEqual(before);

    buildIfMissing();
    const port = await freePort();
    const demoStart = run(["build/server/server.js"], dataDir, { DEMO: "1", NODE_ENV: "production", HOST: "127.0.0.1", PORT: String(port) });
    expect(demoStart.status).toBe(1);
    expect(demoStart.stderr).toMatch(/^Demo data not seeded: this database already holds 1 area\(s\), 1 account\(s\)/m);
    expect(demoStart.stdout).not.toContain("Pasbort is running");
    expect(await contents(dataDir)).toEqual(before);

    // Started as a real install, it serves its coordinator, without a banner.
    server = await startBuiltServer({ dataDir });
    expect(server.output()).not.toMatch(/No coordinator yet|Demo data|Demo sign-ins/);
    const response = await fetch(`${server.url}/login`, {
      method: "POST",
      body: new URLSearchParams({ email: REAL_COORDINATOR, password: REAL_PASSWORD, redirectTo: "" }),
      redirect: "manual",
    });
    expect(response.status).toBe(302);
  });
});

describe.runIf(testDatabaseKind() === "pglite")("the demo: DEMO=1, as npm run demo", () => {
  let dataDir: string;
  let server: BuiltServer | undefined;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "pasbort-demo-"));
    server = await startBuiltServer({ dataDir, demo: true });
  }, 300_000);
  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("seeds the demo and lists its sign-ins at start-up", TIMEOUT, async () => {
    const log = server!.output();
    expect(log).toMatch(/^Demo data seeded: made-up people and children; every page shows a demo banner\. Do not enter real children's details\.$/m);
    expect(log).toMatch(/^Demo sign-ins \(password "pasbort-demo"\):$/m);
    expect(log).not.toContain("No coordinator yet");
    expect(await signInAs(server!.url, "coordinator@demo.test")).toMatch(/=/);
  });

  it("shows the banner on every page, signed out and signed in, in Welsh and English", TIMEOUT, async () => {
    const cookies = { guardian: await signInAs(server!.url, "guardian@demo.test"), coordinator: await signInAs(server!.url, "coordinator@demo.test") };
    for (const lang of ["en", "cy"] as const) {
      for (const [pathname, cookie] of [
        ["/", undefined],
        ["/login", undefined],
        ["/activities", undefined],
        ["/guardian", cookies.guardian],
        ["/coordinator", cookies.coordinator],
      ] as const) {
        const html = await page(server!, `${pathname}?lang=${lang}`, cookie);
        expect(html, `${pathname} in ${lang}`).toMatch(BANNER[lang]);
        // Once, before the site's header: the first thing read.
        expect(html.indexOf("<section aria-label=")).toBeLessThan(html.indexOf("<header"));
      }
    }
  });

  it("keeps the banner when started again without DEMO: it comes from the database", TIMEOUT, async () => {
    await server!.stop();
    server = await startBuiltServer({ dataDir });
    expect(server.output()).toMatch(/^Demo data: this database holds the made-up demo; every page shows a demo banner\./m);
    expect(await page(server, "/?lang=cy")).toMatch(BANNER.cy);
    expect(await page(server, "/?lang=en")).toMatch(BANNER.en);
  });
});
