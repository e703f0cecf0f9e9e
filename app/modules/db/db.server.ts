import type { DB } from "./database.server";
import type { ReportsHealth } from "./reports-db.server";

/**
 * The one database handle of the running server. The server opens it at start-up and
 * registers it here; the Remix build and the CLI scripts are separate module copies, so
 * the handle is kept on globalThis for them all to share (PGlite must never be opened twice).
 */
const holder = globalThis as typeof globalThis & {
  __pasbortDb?: DB;
  __pasbortReports?: { db: DB; health: () => Promise<ReportsHealth> };
};

export function setDb(db: DB) {
  holder.__pasbortDb = db;
}

export function db(): DB {
  if (!holder.__pasbortDb) throw new Error("The database has not been opened: start the app with `npm start`.");
  return holder.__pasbortDb;
}

/** Forgets both handles (without closing them): a test file's start, where the previous file's are closed. */
export function forgetDatabases() {
  delete holder.__pasbortDb;
  delete holder.__pasbortReports;
}

/** Registers the reports' replica (openReportsDatabase); null: reports read the primary. */
export function setReportsDb(reports: { db: DB; health: () => Promise<ReportsHealth> } | null) {
  holder.__pasbortReports = reports ?? undefined;
}

/**
 * The handle for reports (the equity report and its trend and CSV, the children's voice summary,
 * the graduation list and letters): the streaming replica at REPORTS_DATABASE_URL when there is one, which hands each
 * query to the primary while the replica is down or behind; the primary otherwise. Only for a
 * read nothing is then decided on: anything that writes, or reads to decide a write (a form's
 * page, a transaction), uses db(), as a replica is a moment behind.
 */
export function reportsDb(): DB {
  return holder.__pasbortReports?.db ?? db();
}

/** Where reports read, for /healthz. */
export async function reportsHealth(): Promise<ReportsHealth> {
  return holder.__pasbortReports ? holder.__pasbortReports.health() : { source: "primary", state: null };
}
