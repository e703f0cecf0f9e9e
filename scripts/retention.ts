/**
 * `npm run retention`: the daily retention task. Anonymises children with no activity for
 * three years, expires roster previews older than a day and deletes old link codes. Safe to
 * run as often as you like (cron, a systemd timer): a second run finds nothing more to do.
 * With the embedded database, stop the server first: PGlite must not be opened twice.
 */
import { runRetention } from "~/modules/children/data-rights.server";
import { migrateToLatest } from "~/modules/db/migrate.server";
import { withDatabase } from "./with-database";

await withDatabase(async (db) => {
  await migrateToLatest(db);
  const report = await runRetention(db);
  console.log(
    `Retention: ${report.anonymised} children anonymised after three years without activity; ` +
      `${report.previewsExpired} roster previews expired; ${report.linksDeleted} old link codes deleted.`,
  );
});
