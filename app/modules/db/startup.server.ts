import { seedDemo } from "../../../db/seed/demo";
import { loadReferenceData } from "../reference/lsoa.server";
import type { DB } from "./database.server";
import { migrateToLatest } from "./migrate.server";

/**
 * Everything the database needs before the app serves a request: the schema, the reference
 * data and, for the embedded demo only, the demo data (seeded once; later starts keep it).
 */
export async function prepareDatabase(db: DB, options: { seedDemo: boolean }) {
  const migrations = await migrateToLatest(db);
  const reference = await loadReferenceData(db);
  const demo = options.seedDemo ? await seedDemo(db) : { seeded: false, counts: {} };
  return { migrations, reference, demoSeeded: demo.seeded, demoCounts: demo.counts };
}
