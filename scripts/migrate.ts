/** `npm run db:migrate`: brings the database named by DATABASE_URL (or PGLITE_DIR) up to date. */
import { migrateToLatest } from "~/modules/db/migrate.server";
import { loadReferenceData } from "~/modules/reference/lsoa.server";
import { withDatabase } from "./with-database";

await withDatabase(async (db) => {
  const applied = await migrateToLatest(db);
  console.log(applied.length ? `Applied: ${applied.join(", ")}` : "The schema is up to date.");
  const reference = await loadReferenceData(db);
  console.log(`Reference data: ${reference.lsoas} LSOAs of 2011 (WIMD 2019), ${reference.lsoas21} of 2021 (WIMD 2025), ${reference.lookup} lookup rows.`);
  const { placed, waiting, unmatched } = reference.moved;
  console.log(`Placed on 2021 LSOAs now: ${placed.child} children, ${placed.school} schools, ${placed.provider} providers.`);
  console.log(`Waiting for a postcode (split 2011 LSOA): ${waiting.child} children, ${waiting.school} schools, ${waiting.provider} providers.`);
  if (unmatched.length) console.log(`2011 LSOA codes in use with no 2021 match (kept, not placed): ${unmatched.join(", ")}`);
});
