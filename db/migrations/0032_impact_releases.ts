import { sql, type Kysely } from "kysely";

/**
 * Kept releases of the annual impact report (issue 21, ADR 0041): the report object
 * (ImpactReport) exactly as a coordinator published it for a scope (the area, one local
 * authority or one school), an academic year and a WIMD edition, so the same report for an
 * earlier year shows what was handed to the Public Services Board then, whatever the records
 * do since. One release per scope, year and edition (nulls not distinct: the area's own
 * release has neither an LA nor a school); a second publication is refused, never replaces.
 */
const statements = [
  `create table impact_release (
     area_id uuid not null references area (id),
     id uuid not null default gen_random_uuid(),
     la_code text,
     school_id uuid,
     year text not null check (year ~ '^[0-9]{4}-[0-9]{2}$'),
     edition text not null,
     report jsonb not null,
     published_at timestamptz not null default now(),
     published_by uuid references app_user (id),
     primary key (area_id, id),
     foreign key (area_id, school_id) references school (area_id, id),
     check (la_code is null or school_id is null),
     unique nulls not distinct (area_id, year, edition, la_code, school_id)
   )`,
];

export async function up(db: Kysely<unknown>) {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}
