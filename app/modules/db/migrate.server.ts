import { Migrator, sql, type Migration, type MigrationProvider } from "kysely";
import { migrations } from "../../../db/migrations";
import type { DB } from "./database.server";

/**
 * Every pending migration runs in one transaction that the migration lock opens (dialect.server.ts,
 * so it holds through PgBouncer); a migration that fails rolls it back before Kysely records the error.
 */
const inOneTransaction: Record<string, Migration> = Object.fromEntries(
  Object.entries(migrations).map(([name, migration]) => [
    name,
    {
      up: async (db) => {
        try {
          await migration.up(db);
        } catch (error) {
          await sql`rollback`.execute(db).catch(() => {});
          throw error;
        }
      },
    },
  ]),
);
const provider: MigrationProvider = { getMigrations: async () => inOneTransaction };

/** Brings the schema up to date; throws with the failing migration's name if one fails. */
export async function migrateToLatest(db: DB) {
  // Migration numbers are handed out to work done in parallel, so one may land after a
  // higher-numbered one has run somewhere: apply it then rather than refuse to start.
  const migrator = new Migrator({ db, provider, allowUnorderedMigrations: true, disableTransactions: true });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((result) => result.status === "Error");
  if (error) {
    const name = failed ? ` (${failed.migrationName})` : "";
    throw new Error(`Database migration failed${name}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return (results ?? []).filter((result) => result.status === "Success").map((result) => result.migrationName);
}
