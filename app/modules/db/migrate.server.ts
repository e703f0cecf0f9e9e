import { Migrator, type MigrationProvider } from "kysely";
import { migrations } from "../../../db/migrations";
import type { DB } from "./database.server";

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Brings the schema up to date; throws with the failing migration's name if one fails. */
export async function migrateToLatest(db: DB) {
  // Migration numbers are handed out to work done in parallel, so one may land after a
  // higher-numbered one has run somewhere: apply it then rather than refuse to start.
  const migrator = new Migrator({ db, provider, allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((result) => result.status === "Error");
  if (error) {
    const name = failed ? ` (${failed.migrationName})` : "";
    throw new Error(`Database migration failed${name}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return (results ?? []).filter((result) => result.status === "Success").map((result) => result.migrationName);
}
