import { sql, type Kysely } from "kysely";

/**
 * Sign-in limits with growing delays (issue 13): a key that has failed too often is refused
 * until `blocked_until`. Nullable, no default: no table rewrite on a live database.
 */
export async function up(db: Kysely<unknown>) {
  await sql`alter table rate_limit add column blocked_until timestamptz`.execute(db);
}
