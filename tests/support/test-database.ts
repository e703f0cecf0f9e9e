import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { sql } from "kysely";
import pg from "pg";
import { inject } from "vitest";
import { openDatabase, type DB } from "~/modules/db/database.server";
import { migrateToLatest } from "~/modules/db/migrate.server";
import { loadReferenceData } from "~/modules/reference/lsoa.server";

/** Which database the integration suite runs on: PGlite by default, PostgreSQL when asked. */
export function testDatabaseKind(): "pglite" | "postgres" {
  return process.env.TEST_DB_KIND === "postgres" && process.env.TEST_DATABASE_URL ? "postgres" : "pglite";
}

/** The three starting points a test can ask for: empty, migrated, or migrated with the reference data. */
export type TestDatabaseStage = "empty" | "migrated" | "reference";

/**
 * Built once per run by tests/support/test-database-templates.ts: a dumped PGlite data directory
 * per stage (file paths), or a PostgreSQL template database per stage (database names).
 */
export type TestDatabaseTemplates =
  { kind: "pglite"; files: Record<TestDatabaseStage, string> } | { kind: "postgres"; databases: Record<Exclude<TestDatabaseStage, "empty">, string> };

declare module "vitest" {
  export interface ProvidedContext {
    testDatabaseTemplates: TestDatabaseTemplates | undefined;
  }
}

/**
 * The run's dumped PGlite data directory for a stage, for a compiled server that is not testing
 * a first start (startBuiltServer's `startFrom`); undefined on PostgreSQL or without templates.
 */
export function pgliteTemplateFile(stage: TestDatabaseStage): string | undefined {
  const templates = inject("testDatabaseTemplates");
  return templates?.kind === "pglite" ? templates.files[stage] : undefined;
}

export function stageOf(options: { migrate?: boolean; reference?: boolean }): TestDatabaseStage {
  const { migrate = true, reference = true } = options;
  return !migrate ? "empty" : reference ? "reference" : "migrated";
}

/** Brings an empty database up to a stage: the slow part, done once per run for the templates. */
export async function buildStage(db: DB, stage: TestDatabaseStage) {
  if (stage !== "empty") await migrateToLatest(db);
  if (stage !== "empty") await forceCellKey(db);
  if (stage === "reference") await loadReferenceData(db);
}

/**
 * PASBORT_TEST_CELL_KEY=0…255 gives every child made in the test databases that cell key, not
 * a random one (tests only: it alters the column default after migrating). A test that expects
 * a published figure from a count that is not a multiple of 5 passes only for some keys; running
 * the suite with 0, 255 and 127 (docs/statistics.md, Tests) shows it. Children inserted with a
 * cell_key of their own keep it.
 */
export async function forceCellKey(db: DB) {
  const forced = process.env.PASBORT_TEST_CELL_KEY;
  if (forced === undefined || forced === "") return;
  const key = Number(forced);
  if (!Number.isInteger(key) || key < 0 || key > 255) throw new Error(`PASBORT_TEST_CELL_KEY must be a whole number 0–255, not ${forced}`);
  await sql`alter table child alter column cell_key set default ${sql.lit(key)}`.execute(db);
  await sql`update child set cell_key = ${sql.lit(key)}`.execute(db);
}

/** A database URL on the server at `adminUrl` with another database name. */
/** What the test databases on the server are called: `pasbort_…`, or `TEST_DATABASE_PREFIX_…` where several engineers share one server. */
export function testDatabasePrefix() {
  const prefix = process.env.TEST_DATABASE_PREFIX ?? "pasbort";
  if (!/^[a-z][a-z0-9_]{0,30}$/.test(prefix)) throw new Error(`TEST_DATABASE_PREFIX must be a lower-case name: ${prefix}`);
  return prefix;
}

export function databaseUrl(adminUrl: string, name: string) {
  const address = new URL(adminUrl);
  address.pathname = `/${name}`;
  return address.toString();
}

export async function adminQuery(adminUrl: string, statement: string) {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(statement);
  } finally {
    await admin.end();
  }
}

/**
 * A fresh database of its own for the caller, migrated and with the reference data loaded unless
 * asked otherwise: in-memory PGlite, or a new database on the server at TEST_DATABASE_URL that is
 * dropped again on close. Each is a copy of the run's template for that stage (the migrations and
 * reference data as they are in the tree now), so no test sees another's rows; without templates
 * (a project with no global set-up) the database is built from scratch.
 */
export async function createTestDatabase(options: { migrate?: boolean; reference?: boolean } = {}) {
  const stage = stageOf(options);
  const templates = inject("testDatabaseTemplates");
  const kind = testDatabaseKind();
  if (templates && templates.kind !== kind) throw new Error(`The run's database templates are for ${templates.kind}, not ${kind}.`);
  let db: DB;
  let url: string | null = null;
  let dropDatabase = async () => {};
  let built = false;
  if (kind === "postgres") {
    const adminUrl = process.env.TEST_DATABASE_URL!;
    const name = `${testDatabasePrefix()}_test_${randomBytes(6).toString("hex")}`;
    const template = templates?.kind === "postgres" && stage !== "empty" ? templates.databases[stage] : null;
    await adminQuery(adminUrl, template ? `create database ${name} template ${template}` : `create database ${name}`);
    built = template !== null;
    url = databaseUrl(adminUrl, name);
    db = await openDatabase({ kind: "postgres", url, poolSize: 4 });
    dropDatabase = () => adminQuery(adminUrl, `drop database if exists ${name} with (force)`);
  } else if (templates?.kind === "pglite") {
    db = await openDatabase({ kind: "pglite", dir: null, loadDataDir: new Blob([readFileSync(templates.files[stage])]) });
    built = true;
  } else {
    db = await openDatabase({ kind: "pglite", dir: null });
  }
  if (!built) await buildStage(db, stage);
  return {
    db,
    /** The database's address (PostgreSQL only), for a server process started by the test. */
    url,
    async close() {
      await db.destroy();
      await dropDatabase();
    },
  };
}
