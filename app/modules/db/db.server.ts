import type { DB } from "./database.server";

/**
 * The one database handle of the running server. The server opens it at start-up and
 * registers it here; the Remix build and the CLI scripts are separate module copies, so
 * the handle is kept on globalThis for them all to share (PGlite must never be opened twice).
 */
const holder = globalThis as typeof globalThis & { __pasbortDb?: DB };

export function setDb(db: DB) {
  holder.__pasbortDb = db;
}

export function db(): DB {
  if (!holder.__pasbortDb) throw new Error("The database has not been opened: start the app with `npm start`.");
  return holder.__pasbortDb;
}
