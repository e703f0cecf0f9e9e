import { randomBytes } from "node:crypto";
import pg from "pg";
import { openDatabase, type DB } from "~/modules/db/database.server";
import { migrateToLatest } from "~/modules/db/migrate.server";
import { loadReferenceData } from "~/modules/reference/lsoa.server";

/** Which database the integration suite runs on: PGlite by default, PostgreSQL when asked. */
export function testDatabaseKind(): "pglite" | "postgres" {
  return process.env.TEST_DB_KIND === "postgres" && process.env.TEST_DATABASE_URL ? "postgres" : "pglite";
}

/**
 * A fresh, migrated database with the reference data loaded: in-memory PGlite, or a new
 * database on the server at TEST_DATABASE_URL that is dropped again on close.
 */
export async function createTestDatabase(options: { migrate?: boolean; reference?: boolean } = {}) {
  const { migrate = true, reference = true } = options;
  let db: DB;
  let url: string | null = null;
  let dropDatabase = async () => {};
  if (testDatabaseKind() === "postgres") {
    const adminUrl = process.env.TEST_DATABASE_URL!;
    const name = `pasbort_test_${randomBytes(6).toString("hex")}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const address = new URL(adminUrl);
    address.pathname = `/${name}`;
    url = address.toString();
    db = await openDatabase({ kind: "postgres", url, poolSize: 4 });
    dropDatabase = async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    };
  } else {
    db = await openDatabase({ kind: "pglite", dir: null });
  }
  if (migrate) await migrateToLatest(db);
  if (migrate && reference) await loadReferenceData(db);
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
