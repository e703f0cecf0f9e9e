/**
 * `npm run seed:demo`: loads the demo data into the configured database, once. Refuses (exit 1,
 * nothing changed) a database that holds any area, account or child of its own.
 */
import { prepareDatabase } from "~/modules/db/startup.server";
import { withDatabase } from "./with-database";

await withDatabase(async (db) => {
  const result = await prepareDatabase(db, { seedDemo: true });
  console.log(
    result.demoSeeded
      ? `Demo data seeded: ${JSON.stringify(result.demoCounts)}. Every page shows a demo banner; the demo sign-ins are in the README.`
      : "The demo data was already there; nothing changed.",
  );
});
