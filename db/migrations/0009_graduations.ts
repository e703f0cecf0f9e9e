import { sql, type Kysely } from "kysely";

/**
 * Graduations and certificates (issue 7).
 *
 * - `graduation`: a ceremony with a cut-off date. Until it is marked graduated its
 *   eligibility list is worked out live from `award`; marking it graduated freezes the
 *   cohort into `graduate` rows.
 * - `graduate`: a child in a graduation's cohort, with the award they graduate at, whether
 *   their family was invited and whether they attended. The highest award of an attended,
 *   graduated row is what the next graduation counts from.
 * - `certificate`: one per award printed; its id is the public verification id in
 *   `/verify/<id>`. It copies the names and hours it was printed with, so it still reads the
 *   same if the ladder changes; a withdrawn award revokes it (revoked_at), never deletes it.
 * - `award.kept_at`: the coordinator decided to keep a certified award that a revocation
 *   took the child back below; the ledger sync no longer flags it.
 */
const statements = [
  `create table graduation (
     area_id uuid not null references area (id),
     id uuid not null default gen_random_uuid(),
     name text not null check (length(name) between 1 and 200),
     held_on date not null,
     venue text not null check (length(venue) between 1 and 300),
     cutoff_on date not null,
     graduated_at timestamptz,
     created_by uuid references app_user (id),
     created_at timestamptz not null default now(),
     primary key (area_id, id)
   )`,
  `create index graduation_cutoff_idx on graduation (area_id, cutoff_on)`,

  `create table graduate (
     area_id uuid not null,
     graduation_id uuid not null,
     child_id uuid not null,
     award_level_id uuid not null,
     invited_at timestamptz,
     attended boolean not null default false,
     primary key (area_id, graduation_id, child_id),
     foreign key (area_id, graduation_id) references graduation (area_id, id),
     foreign key (area_id, child_id) references child (area_id, id),
     foreign key (area_id, award_level_id) references award_level (area_id, id)
   )`,
  `create index graduate_child_idx on graduate (area_id, child_id)`,

  `create table certificate (
     id uuid primary key default gen_random_uuid(),
     area_id uuid not null references area (id),
     serial integer not null,
     child_id uuid not null,
     award_level_id uuid not null,
     graduation_id uuid,
     award_name_en text not null,
     award_name_cy text not null,
     threshold_hours integer not null,
     reached_on date not null,
     issued_at timestamptz not null default now(),
     issued_by uuid references app_user (id),
     revoked_at timestamptz,
     revoke_reason text,
     unique (area_id, serial),
     foreign key (area_id, child_id) references child (area_id, id),
     foreign key (area_id, graduation_id) references graduation (area_id, id),
     check ((revoked_at is null) = (revoke_reason is null))
   )`,
  `create unique index certificate_one_per_award on certificate (area_id, child_id, award_level_id) where revoked_at is null`,

  `alter table award add column kept_at timestamptz`,
];

export async function up(db: Kysely<unknown>) {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}
