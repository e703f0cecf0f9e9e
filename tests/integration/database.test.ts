import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Kysely, Migrator, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, openDatabase, webConcurrency, type DB } from "~/modules/db/database.server";
import { checkHealth } from "~/modules/db/health.server";
import { migrateToLatest } from "~/modules/db/migrate.server";
import type { Database } from "~/modules/db/schema";
import { loadLsoas, ReferenceDataError, WIMD_FILE } from "~/modules/reference/lsoa.server";
import { migrations } from "../../db/migrations";
import { createTestDatabase, testDatabaseKind } from "../support/test-database";

describe(`database on ${testDatabaseKind()}`, () => {
  let db: DB;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ db, close } = await createTestDatabase({ migrate: false }));
  });
  afterAll(async () => close());

  it("runs every migration from empty, and a second run applies none", async () => {
    expect(await migrateToLatest(db)).toEqual(Object.keys(migrations));
    expect(await migrateToLatest(db)).toEqual([]);
    const tables = await db
      .selectFrom("information_schema.tables" as never)
      .select(sql<string>`table_name`.as("name"))
      .where(sql`table_schema`, "=", "public")
      .execute();
    const names = tables.map((table) => table.name);
    for (const table of ["area", "lsoa", "child", "credit", "provider", "activity", "activity_session", "membership", "audit_event"]) {
      expect(names).toContain(table);
    }
  });

  it("applies a migration that landed after a later-numbered one (numbers are handed out in parallel)", async () => {
    // Parallel work is independent, so the one that lands late is one the later-numbered ones do
    // not build on: the newest such migration, found by trying (0027 is not one: 0031 alters its table).
    const names = Object.keys(migrations);
    let tried = 0;
    for (const skipped of names.slice(0, -1).reverse()) {
      const { db: other, close: closeOther } = await createTestDatabase({ migrate: false });
      try {
        const withoutIt = Object.fromEntries(Object.entries(migrations).filter(([name]) => name !== skipped));
        const early = new Migrator({ db: other, provider: { getMigrations: async () => withoutIt } });
        tried++;
        if ((await early.migrateToLatest()).error) continue;
        expect(await migrateToLatest(other)).toEqual([skipped]);
        return;
      } finally {
        await closeOther();
      }
    }
    throw new Error(`No migration of ${tried} could land late: every one is built on by a later one`);
  });

  it("keys every area-owned table by area_id", async () => {
    const rows = await sql<{ table_name: string; columns: string }>`
      select tc.table_name, string_agg(kcu.column_name, ',' order by kcu.ordinal_position) as columns
      from information_schema.table_constraints tc
      join information_schema.key_column_usage kcu
        on kcu.constraint_name = tc.constraint_name and kcu.table_schema = tc.table_schema
      where tc.table_schema = 'public' and tc.constraint_type = 'PRIMARY KEY'
      group by tc.table_name`.execute(db);
    const areaOwned = ["school", "provider", "membership", "activity", "activity_session", "child", "guardian_child", "credit", "award_level"];
    for (const table of areaOwned) {
      const key = rows.rows.find((row) => row.table_name === table);
      expect(key?.columns.split(",")[0], table).toBe("area_id");
    }
  });

  it("loads the 1,909 Welsh LSOAs with their WIMD deciles and quintiles as in the file", async () => {
    expect(await loadLsoas(db)).toBe(1909);
    const total = await db
      .selectFrom("lsoa")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(total.n).toBe(1909);
    const byQuintile = await db
      .selectFrom("lsoa")
      .select(["la_name", "wimd_quintile", (eb) => eb.fn.countAll<number>().as("n")])
      .where("la_name", "in", ["Wrexham", "Flintshire"])
      .groupBy(["la_name", "wimd_quintile"])
      .orderBy("la_name")
      .orderBy("wimd_quintile")
      .execute();
    const counts = (la: string) => byQuintile.filter((row) => row.la_name === la).map((row) => row.n);
    expect(counts("Wrexham")).toEqual([10, 21, 15, 20, 19]);
    expect(counts("Flintshire")).toEqual([10, 14, 10, 24, 34]);
    const first = await db.selectFrom("lsoa").selectAll().where("code", "=", "W01000001").executeTakeFirstOrThrow();
    expect(first).toMatchObject({ name: "Aberffraw & Rhosneigr 1", wimd_rank: 885, wimd_decile: 5, wimd_quintile: 3 });
  });

  it("loads the reference data idempotently", async () => {
    await loadLsoas(db);
    await loadLsoas(db);
    const total = await db
      .selectFrom("lsoa")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(total.n).toBe(1909);
  });

  it("refuses a missing or corrupt reference file, loudly, and loads nothing", async () => {
    const fresh = await createTestDatabase({ reference: false });
    try {
      const dir = mkdtempSync(path.join(tmpdir(), "pasbort-ref-"));
      const lines = readFileSync(WIMD_FILE, "utf8").trimEnd().split("\n");
      const corrupt = path.join(dir, "corrupt.csv");
      // One decile that does not match its quintile, far down the file.
      writeFileSync(corrupt, [...lines.slice(0, 1500), lines[1500]!.replace(/,(\d+),(\d),(\d),/, ",$1,$2,9,"), ...lines.slice(1501)].join("\n"));
      const truncated = path.join(dir, "truncated.csv");
      writeFileSync(truncated, lines.slice(0, 1000).join("\n"));

      await expect(loadLsoas(fresh.db, path.join(dir, "missing.csv"))).rejects.toThrow(ReferenceDataError);
      await expect(loadLsoas(fresh.db, corrupt)).rejects.toThrow(/line 1501/);
      await expect(loadLsoas(fresh.db, truncated)).rejects.toThrow(/999 LSOAs; Wales has 1909/);
      const total = await fresh.db
        .selectFrom("lsoa")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow();
      expect(total.n).toBe(0);
    } finally {
      await fresh.close();
    }
  });

  it.runIf(testDatabaseKind() === "postgres")("runs PostgreSQL connections with JIT off, as the reports were measured", async () => {
    const { rows } = await sql<{ jit: string }>`show jit`.execute(db);
    expect(rows[0]!.jit).toBe("off");
  });

  it("reports itself healthy", async () => {
    expect(await checkHealth(db)).toEqual({ status: "ok", db: "ok" });
  });
});

describe("database settings that stop start-up", () => {
  it("runs several server processes only with PostgreSQL, and names WEB_CONCURRENCY when it is wrong", () => {
    expect(webConcurrency({}, "pglite")).toBe(1);
    expect(webConcurrency({ WEB_CONCURRENCY: "1" }, "pglite")).toBe(1);
    expect(webConcurrency({ WEB_CONCURRENCY: "2" }, "postgres")).toBe(2);
    expect(() => webConcurrency({ WEB_CONCURRENCY: "2" }, "pglite")).toThrow(/^WEB_CONCURRENCY: the embedded database serves one process/);
    for (const wrong of ["0", "1.5", "lots", "65"]) {
      expect(() => webConcurrency({ WEB_CONCURRENCY: wrong }, "postgres")).toThrow(
        `WEB_CONCURRENCY: "${wrong}" is not a number of server processes (1 to 64).`,
      );
    }
  });

  it("names DATABASE_URL when PostgreSQL cannot be reached", async () => {
    const attempt = openDatabase({ kind: "postgres", url: "postgres://nobody:wrong@127.0.0.1:1/none" });
    await expect(attempt).rejects.toThrow(ConfigError);
    await expect(attempt).rejects.toThrow(/^DATABASE_URL: cannot connect to PostgreSQL/);
  });

  it("names PGLITE_DIR when its folder cannot be created", async () => {
    // A folder inside a plain file cannot be made, not even by root (who CI runs as).
    const file = path.join(mkdtempSync(path.join(tmpdir(), "pasbort-file-")), "plain-file");
    writeFileSync(file, "x");
    const dir = path.join(file, "data");
    await expect(openDatabase({ kind: "pglite", dir })).rejects.toThrow(`PGLITE_DIR: the folder ${dir} cannot be created or written`);
  });

  it("names PGLITE_DIR when it is a file, not a folder", async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "pasbort-file-")), "not-a-folder");
    writeFileSync(file, "x");
    await expect(openDatabase({ kind: "pglite", dir: file })).rejects.toThrow(/^PGLITE_DIR: the folder .* cannot be created or written/);
  });

  it("refuses a PGLITE_DIR that another running Pasbort holds, and takes over one left by a process that died", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "pasbort-lock-"));
    const other = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "ignore" });
    try {
      writeFileSync(path.join(dir, "pasbort.pid"), String(other.pid));
      await expect(openDatabase({ kind: "pglite", dir })).rejects.toThrow(
        `PGLITE_DIR: the embedded database in ${dir} is already in use by process ${other.pid}.`,
      );
      other.kill("SIGKILL");
      await new Promise((resolve) => other.once("exit", resolve));
      const db = await openDatabase({ kind: "pglite", dir });
      expect(readFileSync(path.join(dir, "pasbort.pid"), "utf8")).toBe(String(process.pid));
      await db.destroy();
    } finally {
      other.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reports a database that does not answer as unavailable", async () => {
    const pool = new pg.Pool({ connectionString: "postgres://nobody@127.0.0.1:1/none" });
    const unreachable = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const health = await checkHealth(unreachable);
    expect(health).toMatchObject({ status: "error", db: "unavailable" });
    await unreachable.destroy();
  });
});
