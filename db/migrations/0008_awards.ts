import { sql, type Kysely } from "kysely";

/**
 * Awards a child has reached, kept in step with the ledger (awards/awards.server.ts). An
 * award that a revocation takes a child back below is deleted if nothing was made of it yet,
 * but once certified it is only flagged, for the coordinator to decide.
 */
const statements = [
  `create table award (
     area_id uuid not null references area (id),
     child_id uuid not null,
     award_level_id uuid not null,
     reached_on date not null,
     created_at timestamptz not null default now(),
     certified_at timestamptz,
     flagged_at timestamptz,
     primary key (area_id, child_id, award_level_id),
     foreign key (area_id, child_id) references child (area_id, id),
     foreign key (area_id, award_level_id) references award_level (area_id, id)
   )`,
  `create index award_flagged_idx on award (area_id) where flagged_at is not null`,
];

export async function up(db: Kysely<unknown>) {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}
