import { sql, type Kysely } from "kysely";

/**
 * Child-population figures per LSOA (issue 8): the number of children aged 5–14 living in
 * each LSOA, imported from a CSV (`npm run import:population -- FILE`). Reference data,
 * shared by every area like `lsoa` itself. When the figures cover an area's LSOAs the
 * equity report uses them instead of the "LSOAs hold roughly equal populations" fair share,
 * and shows a real participation rate (enrolled ÷ population).
 */
const statements = [
  `create table lsoa_population (
     lsoa_code text primary key references lsoa (code),
     population_5_14 integer not null check (population_5_14 >= 0),
     source text,
     imported_at timestamptz not null default now()
   )`,
];

export async function up(db: Kysely<unknown>) {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}
