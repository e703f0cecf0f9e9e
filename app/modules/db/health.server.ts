import { sql } from "kysely";
import type { DB } from "./database.server";

export type Health = { status: "ok"; db: "ok" } | { status: "error"; db: "unavailable"; reason: string };

/** Asks the database a trivial question; a silent database counts as down after `timeoutMs`. */
export async function checkHealth(db: DB, timeoutMs = 3_000): Promise<Health> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([sql`select 1`.execute(db), timeout]);
    return { status: "ok", db: "ok" };
  } catch (error) {
    return { status: "error", db: "unavailable", reason: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}
