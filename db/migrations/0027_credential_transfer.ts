import { sql, type Kysely } from "kysely";

/**
 * Records transferred from another Children's University (issue 17, docs/credentials.md).
 *
 * - `trusted_issuer`: another deployment's Open Badges issuer whose records a coordinator
 *   imported here, and the explicit decision to trust it: its DID document (its public keys)
 *   and its signed Bitstring Status Lists exactly as they came in the transfer file, who
 *   decided and when. Our /verify resolves that DID from here, never from the network, so
 *   transferred badges keep verifying offline and after the other service has closed; their
 *   status is as of the transfer.
 * - `transferred_record`: one child's record as the other Children's University exported it
 *   (names, birth year, hours and awards as JSON) and their badges exactly as signed.
 */
const statements = [
  `create table trusted_issuer (
     did text primary key,
     name text not null,
     did_document text not null,
     status_lists text not null,
     area_id uuid not null references area (id),
     trusted_by uuid references app_user (id),
     trusted_at timestamptz not null default now(),
     updated_at timestamptz not null default now()
   )`,
  `create table transferred_record (
     id uuid primary key default gen_random_uuid(),
     area_id uuid not null references area (id),
     from_issuer text not null references trusted_issuer (did),
     given_name text not null,
     family_name text not null,
     birth_year integer,
     record text not null,
     badges text not null,
     imported_by uuid references app_user (id),
     imported_at timestamptz not null default now()
   )`,
  `create index transferred_record_area_idx on transferred_record (area_id, family_name, given_name)`,
];

export async function up(db: Kysely<unknown>) {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}
