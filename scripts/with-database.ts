import { configFromEnv, ConfigError, openDatabase, type DB } from "~/modules/db/database.server";

/**
 * Runs a CLI task against the configured database (DATABASE_URL, or PGlite in PGLITE_DIR)
 * and closes it again; a problem is reported in one line and the exit code says it failed.
 */
export async function withDatabase(task: (db: DB) => Promise<void>) {
  let db: DB;
  try {
    db = await openDatabase(configFromEnv());
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  }
  try {
    await task(db);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  } finally {
    await db.destroy();
  }
}
