import { sql, type Kysely } from "kysely";

/**
 * Rate-limit counters are shared by every app server in PostgreSQL, the API's per-token scan
 * limit among them (issue 20, ADR 0028): one more write on each scan. UNLOGGED: the counters
 * write no WAL, so their commit waits for no disk flush and is not sent to replicas; after a
 * crash (or on a promoted replica) the table starts empty, which for limits of a minute to a
 * day is harmless. The table is small (one row per key), so the rewrite is quick.
 */
export async function up(db: Kysely<unknown>) {
  await sql`alter table rate_limit set unlogged`.execute(db);
}
