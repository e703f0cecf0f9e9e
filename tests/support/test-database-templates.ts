import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import { Kysely, PostgresDialect } from "kysely";
import type { TestProject } from "vitest/node";
import { openDatabase, type DB } from "~/modules/db/database.server";
import { PGlitePool } from "~/modules/db/pglite-pool.server";
import type { Database } from "~/modules/db/schema";
import { adminQuery, buildStage, databaseUrl, testDatabasePrefix, type TestDatabaseTemplates } from "./test-database";

/*
 * Vitest global set-up of an integration project: starting PGlite, running every migration and
 * loading 1,909 LSOAs took seconds per test file, so it is done once per run and each test file
 * copies the result (a PGlite data directory loaded from a dump; a PostgreSQL CREATE DATABASE …
 * TEMPLATE). Built from the migrations in the tree at run time, so a new migration needs nothing here.
 */
export default async function setup(project: TestProject) {
  const kind = project.config.env?.TEST_DB_KIND === "postgres" && process.env.TEST_DATABASE_URL ? "postgres" : "pglite";
  // Nothing else holds Vitest's main process open while PGlite starts up (its promises have no
  // timer or socket behind them), and Node would quietly exit with code 0 half-way through.
  const keepAlive = setInterval(() => {}, 60_000);
  try {
    const { templates, remove } = kind === "postgres" ? await postgresTemplates(process.env.TEST_DATABASE_URL!) : await pgliteTemplates();
    project.provide("testDatabaseTemplates", templates);
    return remove;
  } finally {
    clearInterval(keepAlive);
  }
}

async function pgliteTemplates() {
  const folder = mkdtempSync(path.join(tmpdir(), "pasbort-test-templates-"));
  const pglite = new PGlite();
  // Started before Kysely queries it: a first query racing the start-up left it hanging.
  await pglite.waitReady;
  const db: DB = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new PGlitePool(pglite) }) });
  const files = { empty: "", migrated: "", reference: "" };
  try {
    for (const stage of ["empty", "migrated", "reference"] as const) {
      await buildStage(db, stage);
      files[stage] = path.join(folder, `${stage}.tar`);
      writeFileSync(files[stage], Buffer.from(await (await pglite.dumpDataDir("none")).arrayBuffer()));
    }
  } finally {
    await db.destroy();
  }
  const templates: TestDatabaseTemplates = { kind: "pglite", files };
  return { templates, remove: async () => rmSync(folder, { recursive: true, force: true }) };
}

async function postgresTemplates(adminUrl: string) {
  const prefix = `${testDatabasePrefix()}_template_${randomBytes(4).toString("hex")}`;
  const databases = { migrated: `${prefix}_migrated`, reference: `${prefix}_reference` };
  const remove = async () => {
    for (const name of Object.values(databases)) await adminQuery(adminUrl, `drop database if exists ${name} with (force)`);
  };
  try {
    let from = "template1";
    for (const stage of ["migrated", "reference"] as const) {
      await adminQuery(adminUrl, `create database ${databases[stage]} template ${from}`);
      const db = await openDatabase({ kind: "postgres", url: databaseUrl(adminUrl, databases[stage]), poolSize: 1 });
      try {
        await buildStage(db, stage);
      } finally {
        await db.destroy();
      }
      from = databases[stage];
    }
  } catch (error) {
    await remove();
    throw error;
  }
  const templates: TestDatabaseTemplates = { kind: "postgres", databases };
  return { templates, remove };
}
