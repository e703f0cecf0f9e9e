import { sql, type Kysely } from "kysely";

/**
 * Children and their passports: the postcode directory (postcode → LSOA, shared reference
 * data), consent records, replaced passport cards, one-time links that connect a guardian to
 * a child, roster import bookkeeping, and what a withdrawn child's row may keep.
 *
 * A withdrawn (anonymised) child keeps only what the equity reports count — area, school,
 * home LSOA, birth year and its credits — so the identifying columns become nullable, with a
 * check that an active child still has every one of them.
 */
const statements = [
  // Reference data shared by all areas. No foreign key to lsoa: with --all the directory also
  // holds English and Scottish postcodes, which tell registration "outside Wales" at once.
  `create table postcode_lsoa (
     postcode text primary key check (postcode ~ '^[A-Z0-9]{2,4} [0-9][A-Z]{2}$'),
     lsoa_code text not null
   )`,

  `alter table child alter column given_name drop not null`,
  `alter table child alter column family_name drop not null`,
  `alter table child alter column birth_month drop not null`,
  `alter table child alter column passport_number drop not null`,
  `alter table child alter column passport_token drop not null`,
  `alter table child add column passport_issued_at timestamptz not null default now()`,
  `alter table child add column year_group smallint check (year_group between 0 and 13)`,
  `alter table child add column class_name text`,
  `alter table child add column registered_by uuid references app_user (id)`,
  `alter table child add column registered_via text not null default 'guardian' check (registered_via in ('guardian', 'school_roster'))`,
  `alter table child add column withdrawn_at timestamptz`,
  `alter table child add column withdrawn_reason text check (withdrawn_reason in ('guardian', 'retention'))`,
  `alter table child add constraint child_active_is_complete check (
     status = 'withdrawn' or (given_name is not null and family_name is not null and birth_month is not null
       and passport_number is not null and passport_token is not null)
   )`,
  `alter table child add constraint child_withdrawn_is_dated check ((status = 'withdrawn') = (withdrawn_at is not null))`,
  // A pupil appears once per school; the roster re-import matches on it.
  `create unique index child_school_pupil_ref_idx on child (area_id, school_id, school_pupil_ref) where school_pupil_ref is not null`,

  // Consent, append-only apart from its withdrawal: what was agreed, by whom, in which version.
  `create table child_consent (
     area_id uuid not null references area (id),
     id uuid not null default gen_random_uuid(),
     child_id uuid not null,
     purpose text not null check (purpose in ('passport', 'equity')),
     version text not null,
     method text not null check (method in ('guardian_form', 'school_roster', 'guardian_link')),
     given_by uuid references app_user (id),
     given_at timestamptz not null default now(),
     withdrawn_at timestamptz,
     withdrawn_by uuid references app_user (id),
     primary key (area_id, id),
     foreign key (area_id, child_id) references child (area_id, id)
   )`,
  `create index child_consent_child_idx on child_consent (area_id, child_id)`,

  // A lost card replaced: only the old token's hash is kept, to tell the audit trail when a
  // replaced card is presented; the token itself is gone and refused.
  `create table passport_replacement (
     area_id uuid not null references area (id),
     id uuid not null default gen_random_uuid(),
     child_id uuid not null,
     old_token_hash text not null,
     replaced_by uuid references app_user (id),
     replaced_at timestamptz not null default now(),
     primary key (area_id, id),
     foreign key (area_id, child_id) references child (area_id, id)
   )`,
  `create index passport_replacement_hash_idx on passport_replacement (old_token_hash)`,

  // One-time links that connect a guardian to a child: a letter code printed by the school, or
  // an emailed link from the child's first guardian to a second one. Stored as hashes only.
  `create table child_link (
     area_id uuid not null references area (id),
     id uuid not null default gen_random_uuid(),
     child_id uuid not null,
     kind text not null check (kind in ('letter', 'guardian_invite')),
     secret_hash text not null,
     email text check (email = lower(email)),
     language text not null default 'cy' check (language in ('cy', 'en')),
     created_by uuid references app_user (id),
     created_at timestamptz not null default now(),
     expires_at timestamptz not null,
     used_at timestamptz,
     used_by uuid references app_user (id),
     revoked_at timestamptz,
     primary key (area_id, id),
     unique (area_id, secret_hash),
     foreign key (area_id, child_id) references child (area_id, id),
     check ((kind = 'guardian_invite') = (email is not null))
   )`,
  `create index child_link_secret_idx on child_link (secret_hash)`,
  `create index child_link_child_idx on child_link (area_id, child_id)`,

  // A roster upload: previewed rows wait here (at most a day) until imported or discarded.
  `create table roster_import (
     area_id uuid not null references area (id),
     id uuid not null default gen_random_uuid(),
     school_id uuid not null,
     uploaded_by uuid references app_user (id),
     uploaded_at timestamptz not null default now(),
     file_sha256 text not null,
     encoding text not null,
     rows_total integer not null,
     rows_valid integer not null,
     pending_rows jsonb,
     status text not null default 'previewed' check (status in ('previewed', 'imported', 'discarded', 'expired')),
     imported_at timestamptz,
     rows_created integer,
     rows_updated integer,
     primary key (area_id, id),
     foreign key (area_id, school_id) references school (area_id, id),
     check ((status = 'previewed') = (pending_rows is not null))
   )`,
  `create index roster_import_school_idx on roster_import (area_id, school_id, uploaded_at)`,

  // A family who withdrew a child is not brought back by the next roster upload. Only a hash
  // of the school's pupil reference is kept, to recognise the row and nothing more.
  `create table roster_opt_out (
     area_id uuid not null references area (id),
     school_id uuid not null,
     pupil_ref_hash text not null,
     created_at timestamptz not null default now(),
     primary key (area_id, school_id, pupil_ref_hash),
     foreign key (area_id, school_id) references school (area_id, id)
   )`,
];

export async function up(db: Kysely<unknown>) {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}
