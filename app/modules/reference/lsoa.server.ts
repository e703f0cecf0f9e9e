import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import type { DB } from "../db/database.server";
import type { NewLsoa } from "../db/schema";
import { projectPath } from "../project-path.server";

export const WIMD_FILE = projectPath("db/reference/wimd2019_lsoa.csv");
export const WALES_LSOA_COUNT = 1909;

const COLUMNS = [
  "lsoa_code", "lsoa_name", "la_code", "la_name", "msoa_code", "msoa_name", "rural_urban_code",
  "rural_urban_name", "wimd_score", "wimd_rank", "wimd_decile", "wimd_quintile", "income_rank",
  "employment_rank", "health_rank", "education_rank", "access_rank", "housing_rank",
  "community_safety_rank", "physical_environment_rank",
] as const;

export class ReferenceDataError extends Error {
  override name = "ReferenceDataError";
}

/**
 * Reads and checks the WIMD 2019 file: every column, every LSOA once, ranks and deciles in
 * range, and quintile = the pair of deciles. Any fault rejects the whole file.
 */
export function readWimdFile(file = WIMD_FILE): NewLsoa[] {
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
  if (!header || header.join(",") !== COLUMNS.join(",")) {
    throw new ReferenceDataError(`Reference file ${file} does not have the expected columns (${COLUMNS.join(", ")}).`);
  }
  const seen = new Set<string>();
  const lsoas = rows.map((row, index) => {
    const line = index + 2;
    const fail = (why: string): never => {
      throw new ReferenceDataError(`Reference file ${file}, line ${line}: ${why}`);
    };
    if (row.length !== COLUMNS.length) fail(`expected ${COLUMNS.length} fields, found ${row.length}`);
    const field = (name: (typeof COLUMNS)[number]) => row[COLUMNS.indexOf(name)]!.trim();
    const integer = (name: (typeof COLUMNS)[number], min: number, max: number) => {
      const value = Number(field(name));
      if (!Number.isInteger(value) || value < min || value > max) fail(`${name} "${field(name)}" is not a whole number from ${min} to ${max}`);
      return value;
    };
    const code = field("lsoa_code");
    if (!/^W01\d{6}$/.test(code)) fail(`"${code}" is not a Welsh LSOA code`);
    if (seen.has(code)) fail(`${code} appears twice`);
    seen.add(code);
    const score = Number(field("wimd_score"));
    if (!Number.isFinite(score)) fail(`wimd_score "${field("wimd_score")}" is not a number`);
    const decile = integer("wimd_decile", 1, 10);
    const quintile = integer("wimd_quintile", 1, 5);
    if (quintile !== Math.ceil(decile / 2)) fail(`quintile ${quintile} does not match decile ${decile}`);
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

/** Loads (or refreshes) the LSOA table from the file in one transaction: all rows or none. */
export async function loadLsoas(db: DB, file = WIMD_FILE) {
  const lsoas = readWimdFile(file);
  await db.transaction().execute(async (trx) => {
    for (let start = 0; start < lsoas.length; start += 500) {
      await trx
        .insertInto("lsoa")
        .values(lsoas.slice(start, start + 500))
        .onConflict((oc) =>
          oc.column("code").doUpdateSet((eb) => {
            const columns = Object.keys(lsoas[0]!).filter((column) => column !== "code") as Array<keyof NewLsoa>;
            return Object.fromEntries(columns.map((column) => [column, eb.ref(`excluded.${column}`)]));
          }),
        )
        .execute();
    }
  });
  return lsoas.length;
}
