import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import type { DB } from "../db/database.server";
import { sql } from "kysely";
import type { NewLsoa, NewLsoa21 } from "../db/schema";
import { projectPath } from "../project-path.server";
import { quintileOfRank } from "./wimd-editions";

export const WIMD_FILE = projectPath("db/reference/wimd2019_lsoa.csv");
export const WIMD2025_FILE = projectPath("db/reference/wimd2025_lsoa.csv");
export const LSOA_LOOKUP_FILE = projectPath("db/reference/lsoa11_lsoa21_wales.csv");
/** LSOAs of 2011 (WIMD 2019). */
export const WALES_LSOA_COUNT = 1909;
/** LSOAs of 2021 (WIMD 2025). */
export const WALES_LSOA21_COUNT = 1917;

const COLUMNS = [
  "lsoa_code",
  "lsoa_name",
  "la_code",
  "la_name",
  "msoa_code",
  "msoa_name",
  "rural_urban_code",
  "rural_urban_name",
  "wimd_score",
  "wimd_rank",
  "wimd_decile",
  "wimd_quintile",
  "income_rank",
  "employment_rank",
  "health_rank",
  "education_rank",
  "access_rank",
  "housing_rank",
  "community_safety_rank",
  "physical_environment_rank",
] as const;

export class ReferenceDataError extends Error {
  override name = "ReferenceDataError";
}

/** Reads a reference CSV with exactly the expected header; rows come back with their line numbers. */
function readCsv(file: string, columns: readonly string[]) {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new ReferenceDataError(`Reference file ${file} cannot be read: ${(error as Error).message}`);
  }
  let records: string[][];
  try {
    records = parse(text, { skip_empty_lines: true });
  } catch (error) {
    throw new ReferenceDataError(`Reference file ${file} is not valid CSV: ${(error as Error).message}`);
  }
  const [header, ...rows] = records;
  if (!header || header.join(",") !== columns.join(",")) {
    throw new ReferenceDataError(`Reference file ${file} does not have the expected columns (${columns.join(", ")}).`);
  }
  return rows.map((row, index) => {
    const line = index + 2;
    const fail = (why: string): never => {
      throw new ReferenceDataError(`Reference file ${file}, line ${line}: ${why}`);
    };
    if (row.length !== columns.length) fail(`expected ${columns.length} fields, found ${row.length}`);
    const field = (name: string) => row[columns.indexOf(name)]!.trim();
    const integer = (name: string, min: number, max: number) => {
      const value = Number(field(name));
      if (!Number.isInteger(value) || value < min || value > max) fail(`${name} "${field(name)}" is not a whole number from ${min} to ${max}`);
      return value;
    };
    return { field, integer, fail };
  });
}

const WIMD2025_COLUMNS = [
  "lsoa_code",
  "lsoa_name",
  "la_code",
  "la_name",
  "wimd_rank",
  "wimd_decile",
  "wimd_quintile",
  "income_rank",
  "employment_rank",
  "health_rank",
  "education_rank",
  "access_rank",
  "housing_rank",
  "community_safety_rank",
  "physical_environment_rank",
] as const;

/**
 * Reads and checks the WIMD 2025 file: every column, every 2021 LSOA once, ranks in range,
 * and the published quintile where the Welsh Government's cut points put the rank.
 */
export function readWimd2025File(file = WIMD2025_FILE): NewLsoa21[] {
  const seen = new Set<string>();
  const lsoas = readCsv(file, WIMD2025_COLUMNS).map(({ field, integer, fail }) => {
    const code = field("lsoa_code");
    if (!/^W01\d{6}$/.test(code)) fail(`"${code}" is not a Welsh LSOA code`);
    if (seen.has(code)) fail(`${code} appears twice`);
    seen.add(code);
    const rank = integer("wimd_rank", 1, WALES_LSOA21_COUNT);
    const quintile = integer("wimd_quintile", 1, 5);
    const decile = integer("wimd_decile", 1, 10);
    if (quintile !== quintileOfRank("wimd2025", rank)) fail(`quintile ${quintile} is not the quintile of rank ${rank}`);
    if (quintile !== Math.ceil(decile / 2)) fail(`quintile ${quintile} does not match decile ${decile}`);
    for (const name of ["lsoa_name", "la_code", "la_name"]) if (!field(name)) fail(`${name} is empty`);
    const rankOf = (name: string) => integer(name, 1, WALES_LSOA21_COUNT);
    return {
      code,
      name: field("lsoa_name"),
      la_code: field("la_code"),
      la_name: field("la_name"),
      wimd_rank: rank,
      wimd_decile: decile,
      wimd_quintile: quintile,
      income_rank: rankOf("income_rank"),
      employment_rank: rankOf("employment_rank"),
      health_rank: rankOf("health_rank"),
      education_rank: rankOf("education_rank"),
      access_rank: rankOf("access_rank"),
      housing_rank: rankOf("housing_rank"),
      community_safety_rank: rankOf("community_safety_rank"),
      physical_environment_rank: rankOf("physical_environment_rank"),
    } satisfies NewLsoa21;
  });
  if (lsoas.length !== WALES_LSOA21_COUNT) {
    throw new ReferenceDataError(`Reference file ${file} has ${lsoas.length} LSOAs; Wales has ${WALES_LSOA21_COUNT} (2021).`);
  }
  return lsoas;
}

export interface LsoaLookupRow {
  lsoa11_code: string;
  lsoa21_code: string;
  change: "U" | "S" | "M";
}

/**
 * Reads and checks the 2011 → 2021 lookup against both geographies: every code known, every
 * LSOA of each year present, and each mark true to its rows (U: one row, same code; S: a 2011
 * code on two or more rows; M: a 2021 code on two or more rows).
 */
export function readLsoaLookup(lsoa11: Set<string>, lsoa21: Set<string>, file = LSOA_LOOKUP_FILE): LsoaLookupRow[] {
  const rows = readCsv(file, ["lsoa11_code", "lsoa21_code", "change"]).map(({ field, fail }) => {
    const row = { lsoa11_code: field("lsoa11_code"), lsoa21_code: field("lsoa21_code"), change: field("change") as LsoaLookupRow["change"] };
    if (!lsoa11.has(row.lsoa11_code)) fail(`${row.lsoa11_code} is not a 2011 LSOA of Wales`);
    if (!lsoa21.has(row.lsoa21_code)) fail(`${row.lsoa21_code} is not a 2021 LSOA of Wales`);
    if (!["U", "S", "M"].includes(row.change)) fail(`change "${row.change}" is not U, S or M`);
    return { row, fail };
  });
  const count = (key: "lsoa11_code" | "lsoa21_code") => {
    const counts = new Map<string, number>();
    for (const { row } of rows) counts.set(row[key], (counts.get(row[key]) ?? 0) + 1);
    return counts;
  };
  const per11 = count("lsoa11_code");
  const per21 = count("lsoa21_code");
  for (const { row, fail } of rows) {
    if (row.change === "U" && (row.lsoa11_code !== row.lsoa21_code || per11.get(row.lsoa11_code) !== 1))
      fail(`${row.lsoa11_code} is marked unchanged but is not`);
    if (row.change === "S" && per11.get(row.lsoa11_code)! < 2) fail(`${row.lsoa11_code} is marked split but has one 2021 LSOA`);
    if (row.change === "M" && per21.get(row.lsoa21_code)! < 2) fail(`${row.lsoa21_code} is marked merged but has one 2011 LSOA`);
  }
  const missing11 = [...lsoa11].filter((code) => !per11.has(code));
  const missing21 = [...lsoa21].filter((code) => !per21.has(code));
  if (missing11.length || missing21.length) {
    throw new ReferenceDataError(
      `Reference file ${file} leaves out LSOAs: ${[...missing11, ...missing21].slice(0, 5).join(", ")}${missing11.length + missing21.length > 5 ? " …" : ""}`,
    );
  }
  return rows.map(({ row }) => row);
}

/**
 * Reads and checks the WIMD 2019 file: every column, every LSOA once, ranks and deciles in
 * range, and quintile = the pair of deciles. Any fault rejects the whole file.
 */
export function readWimdFile(file = WIMD_FILE): NewLsoa[] {
  const seen = new Set<string>();
  const lsoas = readCsv(file, COLUMNS).map(({ field, integer, fail }) => {
    const code = field("lsoa_code");
    if (!/^W01\d{6}$/.test(code)) fail(`"${code}" is not a Welsh LSOA code`);
    if (seen.has(code)) fail(`${code} appears twice`);
    seen.add(code);
    const score = Number(field("wimd_score"));
    if (!Number.isFinite(score)) fail(`wimd_score "${field("wimd_score")}" is not a number`);
    const decile = integer("wimd_decile", 1, 10);
    const quintile = integer("wimd_quintile", 1, 5);
    if (quintile !== Math.ceil(decile / 2)) fail(`quintile ${quintile} does not match decile ${decile}`);
    if (quintile !== quintileOfRank("wimd2019", Number(field("wimd_rank")))) fail(`quintile ${quintile} is not the quintile of rank ${field("wimd_rank")}`);
    for (const name of ["lsoa_name", "la_code", "la_name", "msoa_code", "msoa_name", "rural_urban_code", "rural_urban_name"] as const) {
      if (!field(name)) fail(`${name} is empty`);
    }
    return {
      code,
      name: field("lsoa_name"),
      la_code: field("la_code"),
      la_name: field("la_name"),
      msoa_code: field("msoa_code"),
      msoa_name: field("msoa_name"),
      rural_urban_code: field("rural_urban_code"),
      rural_urban_name: field("rural_urban_name"),
      wimd_score: score,
      wimd_rank: integer("wimd_rank", 1, WALES_LSOA_COUNT),
      wimd_decile: decile,
      wimd_quintile: quintile,
      income_rank: integer("income_rank", 1, WALES_LSOA_COUNT),
      employment_rank: integer("employment_rank", 1, WALES_LSOA_COUNT),
      health_rank: integer("health_rank", 1, WALES_LSOA_COUNT),
      education_rank: integer("education_rank", 1, WALES_LSOA_COUNT),
      access_rank: integer("access_rank", 1, WALES_LSOA_COUNT),
      housing_rank: integer("housing_rank", 1, WALES_LSOA_COUNT),
      community_safety_rank: integer("community_safety_rank", 1, WALES_LSOA_COUNT),
      physical_environment_rank: integer("physical_environment_rank", 1, WALES_LSOA_COUNT),
    } satisfies NewLsoa;
  });
  if (lsoas.length !== WALES_LSOA_COUNT) {
    throw new ReferenceDataError(`Reference file ${file} has ${lsoas.length} LSOAs; Wales has ${WALES_LSOA_COUNT}.`);
  }
  return lsoas;
}

/** Inserts rows, or refreshes them when their key is there already, in batches. */
async function upsert<T extends object>(trx: DB, table: "lsoa" | "lsoa21" | "lsoa11_lsoa21", key: string[], rows: T[]) {
  const columns = Object.keys(rows[0]!).filter((column) => !key.includes(column));
  for (let start = 0; start < rows.length; start += 500) {
    await trx
      .insertInto(table)
      .values(rows.slice(start, start + 500) as never)
      .onConflict((oc) =>
        columns.length
          ? oc.columns(key as never).doUpdateSet((eb) => Object.fromEntries(columns.map((column) => [column, eb.ref(`excluded.${column}` as never)])) as never)
          : oc.columns(key as never).doNothing(),
      )
      .execute();
  }
}

export interface ReferenceFiles {
  wimd2019?: string;
  wimd2025?: string;
  lookup?: string;
}

/**
 * Loads (or refreshes) the reference data in one transaction, all of it or none: the 2011
 * LSOAs with WIMD 2019, the 2021 LSOAs with WIMD 2025, and the lookup between them; then
 * places on 2021 LSOAs whatever has only a 2011 one (placeOnLsoa21). Idempotent: run at every
 * start, and by the test database's set-up.
 */
export async function loadReferenceData(db: DB, files: ReferenceFiles = {}) {
  const lsoas = readWimdFile(files.wimd2019);
  const lsoas21 = readWimd2025File(files.wimd2025);
  const lookup = readLsoaLookup(new Set(lsoas.map((l) => l.code)), new Set(lsoas21.map((l) => l.code)), files.lookup);
  return db.transaction().execute(async (trx) => {
    await upsert(trx, "lsoa", ["code"], lsoas);
    await upsert(trx, "lsoa21", ["code"], lsoas21);
    await upsert(trx, "lsoa11_lsoa21", ["lsoa11_code", "lsoa21_code"], lookup);
    const moved = await placeOnLsoa21(trx);
    return { lsoas: lsoas.length, lsoas21: lsoas21.length, lookup: lookup.length, moved };
  });
}

export interface Lsoa21Placement {
  /** Rows given their 2021 LSOA by this run (unchanged or merged 2011 LSOAs). */
  placed: { child: number; school: number; provider: number };
  /** Rows whose 2011 LSOA was split: they keep it and wait for a postcode. */
  waiting: { child: number; school: number; provider: number };
  /** 2011 codes in use with no row in the lookup at all (reported, never dropped). */
  unmatched: string[];
}

/**
 * Gives children, schools and providers that have only a 2011 LSOA their 2021 one, where
 * the lookup gives exactly one (U and M). A split 2011 LSOA (S) is not guessed: the row keeps
 * its 2011 code and a null 2021 one until a postcode is given again. Nothing is removed.
 */
export async function placeOnLsoa21(db: DB): Promise<Lsoa21Placement> {
  const single = sql`(select lsoa11_code, min(lsoa21_code) as lsoa21_code from lsoa11_lsoa21 group by lsoa11_code having count(*) = 1)`;
  const placed = { child: 0, school: 0, provider: 0 };
  const waiting = { child: 0, school: 0, provider: 0 };
  for (const [table, from, to] of [
    ["child", "home_lsoa_code", "home_lsoa21_code"],
    ["school", "lsoa_code", "lsoa21_code"],
    ["provider", "lsoa_code", "lsoa21_code"],
  ] as const) {
    const result = await sql`update ${sql.table(table)} t set ${sql.ref(to)} = m.lsoa21_code
      from ${single} m where m.lsoa11_code = t.${sql.ref(from)} and t.${sql.ref(to)} is null`.execute(db);
    placed[table] = Number(result.numAffectedRows ?? 0);
    const left = await sql<{
      n: number;
    }>`select count(*)::int as n from ${sql.table(table)} where ${sql.ref(from)} is not null and ${sql.ref(to)} is null`.execute(db);
    waiting[table] = left.rows[0]!.n;
  }
  const unmatched = await sql<{ code: string }>`
    select distinct c.code from (
      select home_lsoa_code as code from child union select lsoa_code from school union select lsoa_code from provider
    ) c where c.code is not null and not exists (select 1 from lsoa11_lsoa21 m where m.lsoa11_code = c.code) order by 1`.execute(db);
  return { placed, waiting, unmatched: unmatched.rows.map((row) => row.code) };
}

/**
 * Loads (or refreshes) only the 2011 LSOAs with WIMD 2019, in one transaction: for a database
 * not yet migrated to 0015 (the migration tests). Everything else calls loadReferenceData.
 */
export async function loadLsoas(db: DB, file = WIMD_FILE) {
  const lsoas = readWimdFile(file);
  await db.transaction().execute((trx) => upsert(trx, "lsoa", ["code"], lsoas));
  return lsoas.length;
}
