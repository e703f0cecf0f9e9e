import { sql, type Kysely } from "kysely";

/**
 * A graduation's start time (issue 7): the time the ceremony starts, printed on the
 * invitation letters and emails. Until now the coordinator typed it on the invitations form
 * each time. Nullable because graduations created before this migration have none; the
 * create form requires it, and the graduation page lets the coordinator set or change it.
 * Postgres `time` (no time zone: the ceremony is in Wales, on the date in `held_on`).
 */
const statements = [`alter table graduation add column starts_at time`];

export async function up(db: Kysely<unknown>) {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}
