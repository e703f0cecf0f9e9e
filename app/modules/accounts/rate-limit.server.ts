import { isIPv6 } from "node:net";
import { sql, type RawBuilder } from "kysely";
import type { DB } from "../db/database.server";

export interface RateLimit {
  /** Attempts allowed in one window. */
  limit: number;
  windowMinutes: number;
}

/** Reset and registration requests: per account, and (more loosely, as a school may share one address) per client address. */
export const PER_ACCOUNT: RateLimit = { limit: 10, windowMinutes: 15 };
export const PER_ADDRESS: RateLimit = { limit: 50, windowMinutes: 15 };

/**
 * Growing delays: `freeFailures` failures are free, then each further one is followed by a
 * wait twice as long as the last (from `firstDelayMinutes` to at most `maxDelayMinutes`). A
 * series is forgotten `forgetAfterMinutes` after it began.
 */
export interface Backoff {
  freeFailures: number;
  firstDelayMinutes: number;
  maxDelayMinutes: number;
  forgetAfterMinutes: number;
}

/**
 * Wrong passwords for one account from one address. Keyed by both, so a stranger elsewhere
 * slows only themselves and never locks the owner out (issue 13).
 */
export const SIGN_IN_PER_ACCOUNT_AND_ADDRESS: Backoff = { freeFailures: 5, firstDelayMinutes: 1, maxDelayMinutes: 60, forgetAfterMinutes: 24 * 60 };
/** Wrong passwords from one address across all accounts: stops password spraying. */
export const SIGN_IN_PER_ADDRESS: RateLimit = { limit: 30, windowMinutes: 15 };

/**
 * The client address as limits count it: an IPv4 address as it is, an IPv6 address by its
 * /64 network (one household or phone is given a whole /64, so its addresses are one client).
 */
export function clientNetwork(address: string) {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!isIPv6(address)) return address;
  const [head = "", tail = ""] = address.toLowerCase().split("::");
  const headGroups = head ? head.split(":") : [];
  const tailGroups = tail ? tail.split(":") : [];
  const groups = address.includes("::") ? [...headGroups, ...Array(8 - headGroups.length - tailGroups.length).fill("0"), ...tailGroups] : headGroups;
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}

/** How long to wait after the `failures`-th failure of a series, in minutes (0: no wait). */
export function backoffMinutes(rule: Backoff, failures: number) {
  if (failures <= rule.freeFailures) return 0;
  return Math.min(rule.maxDelayMinutes, rule.firstDelayMinutes * 2 ** (failures - rule.freeFailures - 1));
}

/** Counts one failure against a growing-delay key and sets how long it is refused. */
export async function countFailure(db: DB, key: string, rule: Backoff, now = new Date()) {
  const seriesStart = new Date(now.getTime() - rule.forgetAfterMinutes * 60_000);
  const row = await db
    .insertInto("rate_limit")
    .values({ key, window_started_at: now, attempts: 1 })
    .onConflict((oc) =>
      oc.column("key").doUpdateSet({
        attempts: sql`case when rate_limit.window_started_at <= ${seriesStart} then 1 else rate_limit.attempts + 1 end`,
        window_started_at: sql`case when rate_limit.window_started_at <= ${seriesStart} then ${now} else rate_limit.window_started_at end`,
      }),
    )
    .returning("attempts")
    .executeTakeFirstOrThrow();
  const wait = backoffMinutes(rule, row.attempts);
  if (wait === 0) return;
  // greatest(): a concurrent failure that counted fewer never shortens the wait.
  const until = new Date(now.getTime() + wait * 60_000);
  await db
    .updateTable("rate_limit")
    .set({ blocked_until: sql`greatest(coalesce(blocked_until, ${until}), ${until})` })
    .where("key", "=", key)
    .execute();
}

/** Forgets a growing-delay key: after a success, earlier mistakes no longer count. */
export async function forgetFailures(db: DB, key: string) {
  await db.deleteFrom("rate_limit").where("key", "=", key).execute();
}

/**
 * The fixed window's count as one statement: an attempt against each key `keys` yields (a
 * query of one text column), with the count and window start of each. Kept in the database
 * (the unlogged rate_limit table, migration 0026), so every server process counts together.
 * A statement of its own (countAttempt), or part of a caller's statement, as the API token's
 * lookup does (api-tokens.server.ts): no round trip of its own on the scanners' path.
 */
export function countAttemptsQuery(keys: RawBuilder<unknown>, rule: RateLimit, now: Date) {
  const windowStart = new Date(now.getTime() - rule.windowMinutes * 60_000);
  return sql<{ key: string; attempts: number; window_started_at: Date }>`
    insert into rate_limit (key, window_started_at, attempts)
    select counted.key, ${now}::timestamptz, 1 from (${keys}) as counted (key)
    on conflict (key) do update set
      attempts = case when rate_limit.window_started_at <= ${windowStart}::timestamptz then 1 else rate_limit.attempts + 1 end,
      window_started_at = case when rate_limit.window_started_at <= ${windowStart}::timestamptz then ${now}::timestamptz else rate_limit.window_started_at end
    returning key, attempts, window_started_at`;
}

export interface AttemptVerdict {
  allowed: boolean;
  retryAfterMinutes: number;
  retryAfterSeconds: number;
}

/** Whether a counted attempt (a row countAttemptsQuery returned) is within the rule, and how long until its window ends. */
export function attemptVerdict(row: { attempts: number; window_started_at: Date | string }, rule: RateLimit, now: Date): AttemptVerdict {
  const resetsAt = new Date(row.window_started_at).getTime() + rule.windowMinutes * 60_000;
  const waitMs = resetsAt - now.getTime();
  return {
    allowed: row.attempts <= rule.limit,
    retryAfterMinutes: Math.max(1, Math.ceil(waitMs / 60_000)),
    retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)),
  };
}

/** Counts one attempt against `key` in a fixed window and says whether it is allowed. */
export async function countAttempt(db: DB, key: string, rule: RateLimit, now = new Date()) {
  const { rows } = await countAttemptsQuery(sql`select ${key}::text`, rule, now).execute(db);
  return attemptVerdict(rows[0]!, rule, now);
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
export async function overLimit(db: DB, checks: Array<[key: string, rule: RateLimit | Backoff]>, now = new Date()) {
  let retryAfterMinutes = 0;
  const rows = await db
    .selectFrom("rate_limit")
    .selectAll()
    .where(
      "key",
      "in",
      checks.map(([key]) => key),
    )
    .execute();
  for (const [key, rule] of checks) {
    const row = rows.find((candidate) => candidate.key === key);
    if (!row) continue;
    const refusedUntil =
      "limit" in rule ? (row.attempts >= rule.limit ? row.window_started_at.getTime() + rule.windowMinutes * 60_000 : 0) : (row.blocked_until?.getTime() ?? 0);
    if (refusedUntil > now.getTime()) {
      retryAfterMinutes = Math.max(retryAfterMinutes, Math.max(1, Math.ceil((refusedUntil - now.getTime()) / 60_000)));
    }
  }
  return retryAfterMinutes ? { allowed: false as const, retryAfterMinutes } : { allowed: true as const };
}
