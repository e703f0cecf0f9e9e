import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "../../../db/seed/demo-accounts";
import { seedDemo } from "../../../db/seed/demo";
import { loadReferenceData } from "../reference/lsoa.server";
import type { DB } from "./database.server";
import { holdsDemoData } from "./demo-marker.server";
import { migrateToLatest } from "./migrate.server";

/**
 * Everything the database needs before the app serves a request: the schema, the reference
 * data and, only when asked for (DEMO=1, `npm run demo`, `npm run seed:demo`), the demo data:
 * seeded once, refused (DemoRefusedError, nothing changed) where there is real data.
 */
export async function prepareDatabase(db: DB, options: { seedDemo: boolean }) {
  const migrations = await migrateToLatest(db);
  const reference = await loadReferenceData(db);
  const demo = options.seedDemo ? await seedDemo(db) : { seeded: false, counts: {} };
  const coordinator = await db.selectFrom("membership").select("user_id").where("role", "=", "coordinator").limit(1).executeTakeFirst();
  return {
    migrations,
    reference,
    demoSeeded: demo.seeded,
    demoCounts: demo.counts,
    demoPresent: await holdsDemoData(db),
    hasCoordinator: coordinator !== undefined,
  };
}

/**
 * What start-up says about the data, after the database line: the demo and its sign-ins when
 * this is a demo database, or how to make the first coordinator of a new install.
 */
export function dataNotes(prepared: { demoSeeded: boolean; demoPresent: boolean; hasCoordinator: boolean }, embedded: boolean): string[] {
  if (prepared.demoPresent) {
    return [
      prepared.demoSeeded
        ? "Demo data seeded: made-up people and children; every page shows a demo banner. Do not enter real children's details."
        : "Demo data: this database holds the made-up demo; every page shows a demo banner. Do not enter real children's details.",
      `Demo sign-ins (password "${DEMO_PASSWORD}"):`,
      ...DEMO_ACCOUNTS.map((account) => `  ${account.email.padEnd(24)} ${account.description}`),
    ];
  }
  if (prepared.hasCoordinator) return [];
  return [
    `No coordinator yet: nobody can sign in. ${embedded ? "Stop Pasbort, then make" : "Make"} the first one with`,
    '  npm run create-coordinator -- --email you@example.org --area your-area --name-en "Children\'s University …" --name-cy "Prifysgol y Plant …" --prefix XX',
    "(docs/operations.md). To try Pasbort with made-up data instead, use `npm run demo` (DEMO=1) on a new, empty database.",
  ];
}
