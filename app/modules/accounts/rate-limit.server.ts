import { sql } from "kysely";
import type { DB } from "../db/database.server";

export interface RateLimit {
  /** Attempts allowed in one window. */
  limit: number;
  windowMinutes: number;
}

/** Sign-in and reset attempts: per account, and (more loosely, as a school may share one address) per client address. */
export const PER_ACCOUNT: RateLimit = { limit: 10, windowMinutes: 15 };
export const PER_ADDRESS: RateLimit = { limit: 50, windowMinutes: 15 };

/**
 * Counts one attempt against `key` in a fixed window and says whether it is allowed. Kept in
 * the database, so the limit holds across server processes and restarts.
 */
export async function countAttempt(db: DB, key: string, rule: RateLimit, now = new Date()) {
  const windowStart = new Date(now.getTime() - rule.windowMinutes * 60_000);
  const row = await db
    .insertInto("rate_limit")
    .values({ key, window_started_at: now, attempts: 1 })
    .onConflict((oc) =>
      oc.column("key").doUpdateSet({
        attempts: sql`case when rate_limit.window_started_at <= ${windowStart} then 1 else rate_limit.attempts + 1 end`,
        window_started_at: sql`case when rate_limit.window_started_at <= ${windowStart} then ${now} else rate_limit.window_started_at end`,
      }),
    )
    .returning(["attempts", "window_started_at"])
    .executeTakeFirstOrThrow();
  const resetsAt = row.window_started_at.getTime() + rule.windowMinutes * 60_000;
  return {
    allowed: row.attempts <= rule.limit,
    retryAfterMinutes: Math.max(1, Math.ceil((resetsAt - now.getTime()) / 60_000)),
  };
}

/** Counts an attempt against every key; refused if any is over its limit. */
export async function countAttempts(db: DB, checks: Array<[key: string, rule: RateLimit]>, now = new Date()) {
  let retryAfterMinutes = 0;
  for (const [key, rule] of checks) {
    const result = await countAttempt(db, key, rule, now);
    if (!result.allowed) retryAfterMinutes = Math.max(retryAfterMinutes, result.retryAfterMinutes);
  }
  return retryAfterMinutes ? { allowed: false as const, retryAfterMinutes } : { allowed: true as const };
}

/**
 * Whether any key is already over its limit, without counting an attempt: for sign-in, where
 * only failed attempts count (people signing in successfully from one school's address must
 * never lock each other out).
 */
export async function overLimit(db: DB, checks: Array<[key: string, rule: RateLimit]>, now = new Date()) {
  let retryAfterMinutes = 0;
  const rows = await db.selectFrom("rate_limit").selectAll().where("key", "in", checks.map(([key]) => key)).execute();
  for (const [key, rule] of checks) {
    const row = rows.find((candidate) => candidate.key === key);
    if (!row) continue;
    const resetsAt = row.window_started_at.getTime() + rule.windowMinutes * 60_000;
    if (resetsAt > now.getTime() && row.attempts >= rule.limit) {
      retryAfterMinutes = Math.max(retryAfterMinutes, Math.max(1, Math.ceil((resetsAt - now.getTime()) / 60_000)));
    }
  }
  return retryAfterMinutes ? { allowed: false as const, retryAfterMinutes } : { allowed: true as const };
}
