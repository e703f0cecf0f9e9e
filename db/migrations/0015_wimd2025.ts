import { sql, type Kysely } from "kysely";

/**
 * WIMD 2025 on the 2021 LSOAs (issue 14), held beside WIMD 2019 on the 2011 LSOAs.
 *
 * - lsoa21: the 1,917 LSOAs of 2021 with the WIMD 2025 ranks, decile and quintile (reference
 *   data, loaded at every start like lsoa). lsoa keeps the 2011 LSOAs and WIMD 2019.
 * - lsoa11_lsoa21: the ONS exact-fit lookup (U unchanged, S split, M merged).
 * - child.home_lsoa21_code, school.lsoa21_code, provider.lsoa21_code: the 2021 LSOA beside
 *   the 2011 one, which stays (WIMD 2019 reports are reproduced from it). They are filled by
 *   placeOnLsoa21 once the reference data is loaded (U and M map directly); a split 2011 LSOA
 *   (S) cannot be placed without the postcode, so those rows wait, with a null 2021 code.
 * - postcode_lsoa gains the 2021 code (the current ONS directories give lsoa21cd).
 * - lsoa21_population: children aged 5–14 by 2021 LSOA.
 *
 * Safe on a live database: new tables, nullable columns with no default (no table rewrite)
 * and a relaxed not-null; nothing is dropped or rewritten.
 */
const statements = [
  `create table lsoa21 (
     code text primary key check (code ~ '^W01[0-9]{6}$'),
     name text not null,
     la_code text not null,
     la_name text not null,
     wimd_rank integer not null check (wimd_rank between 1 and 1917),
     wimd_decile smallint not null check (wimd_decile between 1 and 10),
     wimd_quintile smallint not null check (wimd_quintile between 1 and 5),
     income_rank integer not null,
     employment_rank integer not null,
     health_rank integer not null,
     education_rank integer not null,
     access_rank integer not null,
     housing_rank integer not null,
     community_safety_rank integer not null,
     physical_environment_rank integer not null
   )`,
  `create index lsoa21_la_code_idx on lsoa21 (la_code)`,
  `create table lsoa11_lsoa21 (
     lsoa11_code text not null references lsoa (code),
     lsoa21_code text not null references lsoa21 (code),
     change text not null check (change in ('U', 'S', 'M', 'X')),
     primary key (lsoa11_code, lsoa21_code)
   )`,
  `create index lsoa11_lsoa21_lsoa21_idx on lsoa11_lsoa21 (lsoa21_code)`,
  `alter table child add column home_lsoa21_code text references lsoa21 (code)`,
  `alter table school add column lsoa21_code text references lsoa21 (code)`,
  `alter table provider add column lsoa21_code text references lsoa21 (code)`,
  `alter table postcode_lsoa alter column lsoa_code drop not null`,
  `alter table postcode_lsoa add column lsoa21_code text`,
  `alter table postcode_lsoa add constraint postcode_lsoa_has_a_code check (lsoa_code is not null or lsoa21_code is not null)`,
  `create table lsoa21_population (
     lsoa21_code text primary key references lsoa21 (code),
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
