import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, reportsConfigFromEnv } from "~/modules/db/config";
import type { DB } from "~/modules/db/database.server";
import { reportsDb, setDb, setReportsDb } from "~/modules/db/db.server";
import { openReportsDatabase } from "~/modules/db/reports-db.server";
import { loader as healthz } from "~/routes/healthz";
import { createTestDatabase, testDatabaseKind } from "../support/test-database";

/**
 * REPORTS_DATABASE_URL: reports read a replica and fall back to the primary when it is down.
 * A real streaming replica (and its lag) is exercised by the topology test
 * (scripts/topology-test.ts); here the "replica" is the primary itself or a closed port.
 */
describe("reports' database settings", () => {
  it("reads REPORTS_DATABASE_URL only beside a PostgreSQL primary, with a lag limit in seconds", () => {
    expect(reportsConfigFromEnv({}, "postgres")).toBeNull();
    expect(reportsConfigFromEnv({ REPORTS_DATABASE_URL: "postgres://replica/db" }, "postgres")).toEqual({
      url: "postgres://replica/db",
      poolSize: 5,
      maxLagSeconds: 10,
    });
    expect(reportsConfigFromEnv({ REPORTS_DATABASE_URL: "postgres://replica/db", REPORTS_MAX_LAG_SECONDS: "2.5" }, "postgres")?.maxLagSeconds).toBe(2.5);
    expect(() => reportsConfigFromEnv({ REPORTS_DATABASE_URL: "postgres://replica/db" }, "pglite")).toThrow(ConfigError);
    expect(() => reportsConfigFromEnv({ REPORTS_DATABASE_URL: "postgres://replica/db", REPORTS_MAX_LAG_SECONDS: "soon" }, "postgres")).toThrow(
      /^REPORTS_MAX_LAG_SECONDS: "soon" is not a number of seconds/,
    );
  });
});

describe.runIf(testDatabaseKind() === "postgres")("reports on a replica", () => {
  let db: DB;
  let url: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const created = await createTestDatabase();
    ({ db, close } = created);
    url = created.url!;
    setDb(db);
  });
  afterAll(async () => {
    setReportsDb(null);
    await close?.();
  });

  it("reads the replica while it answers and is current, and says so in /healthz", async () => {
    const lines: string[] = [];
    const reports = openReportsDatabase({ url, poolSize: 2, maxLagSeconds: 5 }, db, (line) => lines.push(line));
    setReportsDb({ db: reports.db, health: () => reports.pool.health() });
    try {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from lsoa`.execute(reportsDb());
      expect(rows[0]!.n).toBeGreaterThan(0);
      const health = await healthz();
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: "ok", db: "ok", reports: { source: "replica", state: { replica: "ok", lagSeconds: 0 } } });
      expect(lines).toEqual([]);
    } finally {
      setReportsDb(null);
      await reports.db.destroy();
    }
  });

  it("falls back to the primary when the replica is down, says so once in the log, and /healthz stays 200", async () => {
    const lines: string[] = [];
    const reports = openReportsDatabase({ url: "postgres://postgres@127.0.0.1:1/none", poolSize: 2, maxLagSeconds: 5 }, db, (line) => lines.push(line));
    setReportsDb({ db: reports.db, health: () => reports.pool.health() });
    try {
      for (let i = 0; i < 3; i++) {
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from lsoa`.execute(reportsDb());
        expect(rows[0]!.n).toBeGreaterThan(0);
      }
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^Reports read the primary: the replica \(REPORTS_DATABASE_URL\) is unavailable \(.*ECONNREFUSED.*\)\.$/);
      const health = await healthz();
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: "ok", db: "ok", reports: { source: "primary", state: { replica: "unavailable" } } });
    } finally {
      setReportsDb(null);
      await reports.db.destroy();
    }
  });
});
