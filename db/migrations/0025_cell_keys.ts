import { sql, type Kysely } from "kysely";

/**
 * Cell keys for disclosure control (issue 15, docs/statistics.md): every child gets a random
 * record key 0–255, assigned once when the row is made (and now for every existing row) and
 * never changed, also when the child is withdrawn and anonymised. A published count's noise
 * follows from the sum of its children's keys, so the same children always give the same
 * figure. The key comes from gen_random_uuid (a strong random source): byte 0 of a version 4
 * UUID is fully random. Adding the column with a volatile default gives each existing row its
 * own value.
 */
export async function up(db: Kysely<unknown>) {
  await sql`alter table child add column cell_key smallint not null default get_byte(uuid_send(gen_random_uuid()), 0) check (cell_key between 0 and 255)`.execute(
    db,
  );
}
