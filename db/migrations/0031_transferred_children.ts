import { sql, type Kysely } from "kysely";

/**
 * A record transferred from another Children's University becomes a child of the receiving
 * area (issue 17, ADR 0036): `child.registered_via` gains 'transfer', and each
 * `transferred_record` points at the child made from it (`child_id`) and is found again on a
 * later file by `passport_key`, a SHA-256 of the sending issuer and the child's passport
 * number there (not the number itself, so it can outlive the child's withdrawal and keep an
 * old file from bringing a withdrawn child back). One record per child per issuer and area.
 */
const statements = [
  `alter table child drop constraint child_registered_via_check`,
  `alter table child add constraint child_registered_via_check check (registered_via in ('guardian', 'school_roster', 'transfer'))`,
  `alter table transferred_record add column child_id uuid`,
  `alter table transferred_record add constraint transferred_record_child_fk foreign key (area_id, child_id) references child (area_id, id)`,
  `alter table transferred_record add column passport_key text`,
  `update transferred_record
      set passport_key = encode(sha256(convert_to(from_issuer || ' ' || ((record::json) ->> 'passportNumber'), 'UTF8')), 'hex')`,
  `alter table transferred_record alter column passport_key set not null`,
  `create unique index transferred_record_passport_key_idx on transferred_record (area_id, from_issuer, passport_key)`,
  `create unique index transferred_record_child_idx on transferred_record (area_id, child_id)`,
];

export async function up(db: Kysely<unknown>) {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}
