/** `npm run seed:demo`: loads the demo data into the configured database, once. */
import { prepareDatabase } from "~/modules/db/startup.server";
import { withDatabase } from "./with-database";

await withDatabase(async (db) => {
  const result = await prepareDatabase(db, { seedDemo: true });
  console.log(result.demoSeeded ? `Demo data seeded: ${JSON.stringify(result.demoCounts)}` : "The demo data was already there; nothing changed.");
});
