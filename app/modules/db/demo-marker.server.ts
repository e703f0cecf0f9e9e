import type { DB } from "./database.server";

/**
 * The row the demo seed writes in app_meta, in the same transaction as the demo's people and
 * children. Its presence is what makes a database a demo one: the banner on every page comes
 * from it, not from the DEMO setting, so a demo database says so whoever starts it.
 */
export const DEMO_SEED_KEY = "demo_seed";

/** True when the demo seed has run on this database (one primary-key lookup). */
export async function holdsDemoData(db: DB): Promise<boolean> {
  const row = await db.selectFrom("app_meta").select("key").where("key", "=", DEMO_SEED_KEY).executeTakeFirst();
  return row !== undefined;
}
