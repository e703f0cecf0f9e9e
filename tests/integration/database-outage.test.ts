import { randomBytes, randomUUID } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadMemberships } from "~/modules/accounts/actor.server";
import { createApiToken } from "~/modules/accounts/api-tokens.server";
import { startSession } from "~/modules/accounts/auth.server";
import { openDatabase, type DB } from "~/modules/db/database.server";
import { migrateToLatest } from "~/modules/db/migrate.server";
import { translator, type Language } from "~/modules/i18n/i18n";
import { languageCookie } from "~/modules/i18n/language.server";
import { generatePassportNumber } from "~/modules/passports/passport-number";
import { loadLsoas } from "~/modules/reference/lsoa.server";
import { findPgBin, startPostgres, type BenchPostgres } from "../../bench/postgres";
import { createPerson, insertSession, seedTwoAreas } from "../support/fixtures";
import { childProcessesOf, ensureBuilt, freePort, isAlive, startServer, until } from "../support/server-process";
import { testDatabaseKind } from "../support/test-database";

/**
 * A database outage under load, as an operator's worst afternoon would go: the compiled server
 * (as `npm run serve` runs it) on a PostgreSQL of this test's own, 16 clients issuing credits
 * and reading pages, PostgreSQL stopped at once (immediate shutdown), started again, then its
 * postmaster killed with SIGKILL and started again. The same server process answers throughout:
 * the API's 503s with Retry-After while the database is away, 200/201 once it is back, and every credit
 * a client was told about is in the ledger exactly once after the clients retry their 503s
 * with the same idempotency key, as the offline scanner does.
 */
const CLIENTS = { credits: 12, pages: 4 };
// Every child × session pair is credited at most once; the pairs outnumber what the clients send.
// A child's sessions do not overlap (OVERLAPPING_SESSION) and stay under the daily cap (32 quarter hours).
const CHILDREN = 200;
const SESSIONS = 24;

type Answer =
  { at: number; status: number; retryAfter: string | null; body: string; contentType: string | null } | { at: number; status: "no answer"; error: string };

let pg: BenchPostgres;
let url: string;
let token: string;
let cookie: string;
const sessionIds: string[] = [];
let passports: string[] = [];

async function withDatabase<T>(work: (db: DB) => Promise<T>) {
  const db = await openDatabase({ kind: "postgres", url, poolSize: 2 });
  try {
    return await work(db);
  } finally {
    await db.destroy();
  }
}

async function ask(address: string, init: RequestInit = {}): Promise<Answer> {
  try {
    const response = await fetch(address, { ...init, signal: AbortSignal.timeout(15_000) });
    const body = await response.text();
    return {
      at: Date.now(),
      status: response.status,
      retryAfter: response.headers.get("retry-after"),
      body,
      contentType: response.headers.get("content-type"),
    };
  } catch (error) {
    return { at: Date.now(), status: "no answer", error: String((error as Error).cause ?? error) };
  }
}

describe.runIf(testDatabaseKind() === "postgres" && findPgBin() !== null)("a database outage under load", () => {
  beforeAll(async () => {
    ensureBuilt();
    pg = await startPostgres(() => {}, {
      name: "pasbort-outage-pg",
      fromPort: Number(process.env.OUTAGE_PG_PORT ?? 58410),
      settings: { fsync: "on", shared_buffers: "32MB", max_connections: "50" },
    });
    const admin = await openDatabase({ kind: "postgres", url: pg.url, poolSize: 1 });
    await sql`create database pasbort`.execute(admin);
    await admin.destroy();
    const address = new URL(pg.url);
    address.pathname = "/pasbort";
    url = address.toString();
    await withDatabase(async (db) => {
      await migrateToLatest(db);
      await loadLsoas(db);
      const { north } = await seedTwoAreas(db);
      const provider = north.providers[0]!;
      const owner = await createPerson(db, { email: "owner@outage.example", areaId: north.id, role: "provider_owner", providerId: provider.id });
      const membership = (await loadMemberships(db, owner.userId))[0]!;
      token = (await createApiToken(db, membership, provider.id, { name: "Tablet" })).token;
      cookie = (await startSession(db, owner.userId, membership.id)).setCookie.split(";")[0]!;
      // Back to back, each a quarter of an hour, the last one ending now: all within the credit window.
      for (let i = 0; i < SESSIONS; i++) {
        const startsAt = new Date(Date.now() - (i + 1) * 15 * 60_000);
        sessionIds.push(await insertSession(db, { areaId: north.id, activityId: north.activities[0]!.id, startsAt, minutes: 15, quarterHours: 1 }));
      }
      const numbers = new Set<string>();
      while (numbers.size < CHILDREN) numbers.add(generatePassportNumber("NA", Math.random));
      const rows = await db
        .insertInto("child")
        .values(
          [...numbers].map((passport_number, index) => ({
            area_id: north.id,
            passport_number,
            passport_token: randomBytes(16).toString("hex"),
            given_name: `Load${index}`,
            family_name: "Outage",
            birth_year: 2016,
            birth_month: 5,
            school_id: north.schools[0]!.id,
          })),
        )
        .returning("passport_number")
        .execute();
      passports = rows.map((row) => row.passport_number);
    });
  }, 300_000);
  afterAll(() => pg?.stop());

  it("keeps the same server process answering: 503 while PostgreSQL is down, 200/201 once it is back, nothing lost or doubled", async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const server = startServer(port, { DATABASE_URL: url, API_CREDITS_PER_MINUTE: "0" });
    const credits: Array<Answer & { key: string; lang: Language }> = [];
    const pages: Array<Answer & { lang: Language; path: string }> = [];
    /** Pages asked for while PostgreSQL was certainly down, one in each language, signed in and not. */
    const outagePages: Array<Answer & { lang: Language; path: string }> = [];
    /** Credits answered 503 (or not at all), kept with their key to send again, as the scanner's queue does. */
    const queued = new Map<string, string>();
    let running = true;
    let next = 0;
    /** When each crash and restart happened, for the failure message. */
    const events: string[] = [];
    const creditBody = (key: string, pair: number) =>
      JSON.stringify({ sessionId: sessionIds[Math.floor(pair / CHILDREN) % SESSIONS], passport: passports[pair % CHILDREN], idempotencyKey: key });
    const postCredit = (body: string, lang: Language) =>
      ask(`${base}/api/v1/credits`, {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", "Accept-Language": lang },
        body,
      });
    const creditClient = async (n: number) => {
      while (running) {
        const key = randomUUID();
        const body = creditBody(key, next++);
        const lang: Language = n % 2 ? "cy" : "en";
        const answer = await postCredit(body, lang);
        credits.push({ ...answer, key, lang });
        if (answer.status === "no answer" || answer.status >= 500) queued.set(key, body);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    };
    const pageClient = async (n: number) => {
      while (running) {
        const lang: Language = n % 2 ? "cy" : "en";
        // Two read a signed-in person's page (the sign-in itself needs the database), two a public one.
        const path = n < 2 ? "/provider" : "/activities";
        const answer = await ask(`${base}${path}`, { headers: { "Accept-Language": lang, ...(path === "/provider" ? { Cookie: cookie } : {}) } });
        pages.push({ ...answer, lang, path });
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    };
    const since = (answers: Answer[], from: number) => answers.filter((answer) => answer.at >= from);
    const health = async () => (await ask(`${base}/healthz`)).status;

    try {
      await until(() => /Pasbort is running/.test(server.output()), "the server to start");
      // `npm run serve` by default: a supervisor and one server process (or, before, one process).
      const serving = [server.child.pid!, ...childProcessesOf(server.child.pid)];
      const load = [...Array.from({ length: CLIENTS.credits }, (_, n) => creditClient(n)), ...Array.from({ length: CLIENTS.pages }, (_, n) => pageClient(n))];
      await until(() => credits.some((a) => a.status === 201) && pages.some((a) => a.status === 200), "credits and pages under load", 30_000);

      for (const crash of [() => pg.stopImmediately(), () => pg.killPostmaster()] as const) {
        const down = Date.now();
        events.push(`down ${down}`);
        await crash();
        await until(
          () => since(credits, down).filter((a) => a.status === 503).length >= 10 && since(pages, down).filter((a) => a.status !== 200).length >= 4,
          "503s while PostgreSQL is down",
          20_000,
        );
        expect(await health()).toBe(503);
        expect(serving.every(isAlive), `the server processes ${serving} are still running`).toBe(true);
        // A page asked for now, signed in or not, in either language (?lang=, the cookie, Accept-Language).
        const welsh = (await languageCookie.serialize("cy")).split(";")[0];
        for (const { lang, path, headers } of [
          { lang: "cy", path: "/provider", headers: { Cookie: `${cookie}; ${welsh}` } },
          { lang: "en", path: "/provider?lang=en", headers: { Cookie: cookie, "Accept-Language": "cy" } },
          { lang: "cy", path: "/activities", headers: { "Accept-Language": "cy" } },
          { lang: "en", path: "/activities", headers: {} },
        ] as const) {
          const page = await ask(`${base}${path}`, { headers });
          outagePages.push({ ...page, lang, path });
        }

        await pg.restart();
        const up = Date.now();
        events.push(`up ${up}`);
        await until(async () => (await health()) === 200, "/healthz to answer 200 again", 1_000);
        await until(
          () => since(credits, up).some((a) => a.status === 201) && since(pages, up).some((a) => a.status === 200),
          "credits and pages answered again",
          20_000,
        );
      }
      running = false;
      await Promise.all(load);

      // The same process throughout, none replaced.
      expect(serving.every(isAlive)).toBe(true);
      expect([server.child.pid!, ...childProcessesOf(server.child.pid)].sort()).toEqual([...serving].sort());
      expect(server.output()).not.toMatch(/Unhandled 'error' event|stopped \(/);

      // Every request was answered: with 503 while the database was away, never 500.
      const statuses = (answers: Answer[]) => new Set(answers.map((a) => a.status));
      expect(credits.filter((a) => a.status === "no answer")).toEqual([]);
      expect(pages.filter((a) => a.status === "no answer")).toEqual([]);
      expect(
        [...statuses(credits)].every((s) => s === 200 || s === 201 || s === 409 || s === 422 || s === 503),
        [...statuses(credits)].join(),
      ).toBe(true);
      // Pages too, signed in or not: the app's own 503 page in the reader's language, never Express's bare 500.
      expect(
        [...statuses(pages)].every((s) => s === 200 || s === 503),
        [...statuses(pages)].join(),
      ).toBe(true);
      expect(outagePages).toHaveLength(8);
      for (const page of [...outagePages, ...pages.filter((a) => a.status === 503)]) {
        const t = translator(page.lang);
        expect(page.status, `${page.path} in ${page.lang}`).toBe(503);
        if (page.status !== 503) continue;
        expect(Number(page.retryAfter)).toBeGreaterThan(0);
        expect(page.contentType).toMatch(/^text\/html/);
        expect(page.body).toContain(`<html lang="${page.lang}">`);
        expect(page.body).toContain(`<h1 class="text-2xl font-bold">${t("errors.unavailableTitle").replaceAll("'", "&#39;")}</h1>`);
        expect(page.body).not.toContain("Internal Server Error");
      }

      for (const lang of ["en", "cy"] as const) {
        const t = translator(lang);
        const api = credits.find((a) => a.status === 503 && a.lang === lang)!;
        expect(api.status === 503 && Number(api.retryAfter)).toBeGreaterThan(0);
        expect(JSON.parse(api.status === 503 ? api.body : "{}")).toEqual({
          error: { code: "DATABASE_UNAVAILABLE", message: t("api.errors.databaseUnavailable") },
        });
      }

      // The clients send their 503s again with the same keys: each is answered once and for all.
      const acknowledged = new Set(credits.filter((a) => a.status === 201).map((a) => a.key));
      for (const [key, body] of queued) {
        let answer: Answer;
        do answer = await postCredit(body, "en");
        while (answer.status === "no answer" || answer.status >= 500);
        if (answer.status === 201 || (answer.status === 200 && JSON.parse(answer.body).replayed)) acknowledged.add(key);
      }
      const ledger = await withDatabase((db) => db.selectFrom("credit").select("idempotency_key").where("session_id", "in", sessionIds).execute());
      const keys = ledger.map((row) => row.idempotency_key);
      expect(new Set(keys).size).toBe(keys.length);
      expect(new Set(keys)).toEqual(acknowledged);
    } catch (error) {
      const count = (answers: Answer[]) => JSON.stringify(answers.reduce<Record<string, number>>((n, a) => ({ ...n, [a.status]: (n[a.status] ?? 0) + 1 }), {}));
      const alive = [server.child.pid!, ...childProcessesOf(server.child.pid)].map((pid) => `${pid} ${isAlive(pid) ? "running" : "gone"}`);
      throw new Error(
        `${(error as Error).message}\nevents: ${events.join(", ")}\nserver processes: ${alive.join(", ")}; exit code ${server.child.exitCode}\n` +
          `credits answered: ${count(credits)}; pages answered: ${count(pages)}\nserver log (end):\n${server.output().slice(-1500)}`,
        { cause: error },
      );
    } finally {
      running = false;
      server.child.kill("SIGTERM");
      await Promise.race([server.exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      if (server.child.exitCode === null) server.child.kill("SIGKILL");
    }
  }, 180_000);
});
