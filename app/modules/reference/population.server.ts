import { readFile } from "node:fs/promises";
import { parse } from "csv-parse/sync";
import { sql } from "kysely";
import type { DB } from "../db/database.server";

/**
 * Child-population figures per LSOA: a CSV of "LSOA code, population aged 5–14" (for example
 * from ONS's mid-year small-area population estimates). With figures for all of an area's
 * LSOAs, the equity report's fair share becomes each group's share of the area's children
 * aged 5–14, and it can show a real participation rate (enrolled ÷ population).
 *
 * The file is checked whole before anything is written: one bad row (an LSOA that is not in
 * the WIMD table, a population that is not a whole number or is negative, an LSOA given
 * twice) and nothing is imported, with every problem listed by line.
 */

export class PopulationFileError extends Error {
  constructor(
    message: string,
    readonly problems: PopulationProblem[] = [],
  ) {
    super(message);
  }
}

export interface PopulationProblem {
  /** The line of the file (1 = the first line, the header when there is one). */
  line: number;
  message: string;
}

export interface PopulationRow {
  lsoaCode: string;
  population: number;
  line: number;
}

export interface PopulationImportReport {
  rowsRead: number;
  added: number;
  replaced: number;
  totalPopulation: number;
  /** Which LSOAs the figures are for: 2011 ones (for WIMD 2019) or 2021 ones (for WIMD 2025). */
  geography: PopulationGeography;
  /** LSOAs of Wales (of that geography) with a figure after the import, of all of them. */
  lsoasWithFigures: number;
  lsoasInWales: number;
}

export type PopulationGeography = "lsoa2011" | "lsoa2021";
const TABLE_NAME: Record<PopulationGeography, string> = { lsoa2011: "WIMD 2019 table (2011 LSOAs)", lsoa2021: "WIMD 2025 table (2021 LSOAs)" };

const CODE_HEADERS = /lsoa|code|cod/i;
const POPULATION_HEADERS = /pop|5.?(to|-|–|_)?.?14|children|plant/i;
const LSOA_CODE = /^[EW]0[12]\d{6}$/;

/**
 * Reads and checks a population file against the known LSOAs. Returns the rows, or throws
 * PopulationFileError with every problem found (line numbers as in the file).
 */
export function checkPopulationCsv(text: string, knownLsoas: ReadonlySet<string>, tableName = "WIMD 2019 table"): PopulationRow[] {
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, info: true, trim: true }) as unknown as typeof records;
  } catch (error) {
    throw new PopulationFileError(`The file is not valid CSV: ${(error as Error).message}`);
  }
  if (!records.length) throw new PopulationFileError("The file is empty: it needs one line per LSOA, with the LSOA code and the number of children aged 5–14.");

  // A header is optional: the first line is one when its first field is not an LSOA code.
  let codeIndex = 0;
  let populationIndex = 1;
  let body = records;
  const first = records[0]!.record;
  if (!LSOA_CODE.test((first[0] ?? "").toUpperCase())) {
    const codeAt = first.findIndex((name) => CODE_HEADERS.test(name));
    const populationAt = first.findIndex((name, index) => index !== codeAt && POPULATION_HEADERS.test(name));
    if (codeAt >= 0 && populationAt >= 0) [codeIndex, populationIndex] = [codeAt, populationAt];
    body = records.slice(1);
  }

  const problems: PopulationProblem[] = [];
  const rows: PopulationRow[] = [];
  const seen = new Map<string, number>();
  for (const { record, info } of body) {
    const line = info.lines;
    const code = (record[codeIndex] ?? "").toUpperCase();
    const rawPopulation = record[populationIndex] ?? "";
    let ok = true;
    if (!code) {
      problems.push({ line, message: "no LSOA code" });
      ok = false;
    } else if (!knownLsoas.has(code)) {
      problems.push({ line, message: `LSOA code "${code}" is not a Welsh LSOA in the ${tableName}` });
      ok = false;
    } else if (seen.has(code)) {
      problems.push({ line, message: `LSOA ${code} is given twice (first on line ${seen.get(code)})` });
      ok = false;
    } else {
      seen.set(code, line);
    }
    if (rawPopulation === "") {
      problems.push({ line, message: "no population figure" });
      ok = false;
    } else if (/^-\s*\d+$/.test(rawPopulation)) {
      problems.push({ line, message: `population "${rawPopulation}" is negative` });
      ok = false;
    } else if (!/^\d+$/.test(rawPopulation) || !Number.isSafeInteger(Number(rawPopulation)) || Number(rawPopulation) > 2_000_000_000) {
      problems.push({ line, message: `population "${rawPopulation}" is not a whole number` });
      ok = false;
    }
    if (ok) rows.push({ lsoaCode: code, population: Number(rawPopulation), line });
  }
  if (problems.length) {
    const lines = new Set(problems.map((problem) => problem.line)).size;
    throw new PopulationFileError(`${lines} ${lines === 1 ? "line has a problem" : "lines have problems"}; nothing was imported.`, problems);
  }
  if (!rows.length) throw new PopulationFileError("The file has a header but no figures.");
  return rows;
}

/**
 * Which geography a population file is on: what its LSOA column's header says ("lsoa21cd",
 * "LSOA 2011 code"), else what its codes say — a code only 2021 has, or only 2011 has. A file
 * with both kinds is refused. Codes unchanged since 2011 (all but a few) are on both: such a
 * file is taken as 2021, the geography ONS publishes small-area estimates on now.
 */
export function populationGeography(text: string, known11: ReadonlySet<string>, known21: ReadonlySet<string>): PopulationGeography {
  const firstLine = text.replace(/^\uFEFF/, "").split(/\r?\n/, 1)[0] ?? "";
  const header = firstLine.toLowerCase();
  if (!LSOA_CODE.test(firstLine.split(",")[0]?.trim().toUpperCase() ?? "")) {
    if (/lsoa\s*_?(20)?21|2021/.test(header)) return "lsoa2021";
    if (/lsoa\s*_?(20)?11|2011/.test(header)) return "lsoa2011";
  }
  const union = new Set([...known11, ...known21]);
  const rows = checkPopulationCsv(text, union, "WIMD tables (2011 or 2021 LSOAs)");
  const only21 = rows.find((row) => !known11.has(row.lsoaCode));
  const only11 = rows.find((row) => !known21.has(row.lsoaCode));
  if (only21 && only11) {
    throw new PopulationFileError(
      `The file mixes LSOAs of 2011 and of 2021 (${only11.lsoaCode} on line ${only11.line} is a 2011 one, ${only21.lsoaCode} on line ${only21.line} a 2021 one); nothing was imported. Give figures for one geography.`,
    );
  }
  return only11 ? "lsoa2011" : "lsoa2021";
}

/**
 * Imports a population file, all in one transaction: figures for LSOAs in the file are added
 * or replaced, the others are kept (a file can cover only the area's local authorities). The
 * figures go to the table of their geography (populationGeography, unless given): 2011 LSOAs
 * for WIMD 2019 reports, 2021 LSOAs for WIMD 2025 reports.
 */
export async function importPopulationFile(
  db: DB,
  file: string,
  source: string | null = null,
  geography?: PopulationGeography,
): Promise<PopulationImportReport> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new PopulationFileError(`${file} cannot be read: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}.`);
  }
  return importPopulationCsv(db, text, source ?? file.split("/").pop() ?? null, geography);
}

export async function importPopulationCsv(db: DB, text: string, source: string | null, geography?: PopulationGeography): Promise<PopulationImportReport> {
  const known11 = new Set((await db.selectFrom("lsoa").select("code").execute()).map((row) => row.code));
  const known21 = new Set((await db.selectFrom("lsoa21").select("code").execute()).map((row) => row.code));
  const chosen = geography ?? populationGeography(text, known11, known21);
  const known = chosen === "lsoa2011" ? known11 : known21;
  const rows = checkPopulationCsv(text, known, TABLE_NAME[chosen]);
  const [table, key] = chosen === "lsoa2011" ? (["lsoa_population", "lsoa_code"] as const) : (["lsoa21_population", "lsoa21_code"] as const);
  return db.transaction().execute(async (trx) => {
    const existing = new Set(
      (
        await sql<{
          code: string;
        }>`select ${sql.ref(key)} as code from ${sql.table(table)} where ${sql.ref(key)} in (${sql.join(rows.map((row) => row.lsoaCode))})`.execute(trx)
      ).rows.map((row) => row.code),
    );
    const now = new Date();
    for (let i = 0; i < rows.length; i += 1000) {
      await trx
        .insertInto(table)
        .values(rows.slice(i, i + 1000).map((row) => ({ [key]: row.lsoaCode, population_5_14: row.population, source, imported_at: now })) as never)
        .onConflict((oc) =>
          oc.column(key).doUpdateSet({
            population_5_14: (eb) => eb.ref("excluded.population_5_14"),
            source: (eb) => eb.ref("excluded.source"),
            imported_at: (eb) => eb.ref("excluded.imported_at"),
          }),
        )
        .execute();
    }
    const coverage = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(trx);
    return {
      rowsRead: rows.length,
      added: rows.filter((row) => !existing.has(row.lsoaCode)).length,
      replaced: rows.filter((row) => existing.has(row.lsoaCode)).length,
      totalPopulation: rows.reduce((sum, row) => sum + row.population, 0),
      geography: chosen,
      lsoasWithFigures: coverage.rows[0]!.n,
      lsoasInWales: known.size,
    };
  });
}
