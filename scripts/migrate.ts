/** `npm run db:migrate`: brings the database named by DATABASE_URL (or PGLITE_DIR) up to date. */
import { migrateToLatest } from "~/modules/db/migrate.server";
import { loadLsoas } from "~/modules/reference/lsoa.server";
import { withDatabase } from "./with-database";

await withDatabase(async (db) => {
  const applied = await migrateToLatest(db);
  console.log(applied.length ? `Applied: ${applied.join(", ")}` : "The schema is up to date.");
  console.log(`Reference data: ${await loadLsoas(db)} LSOAs loaded.`);
});
