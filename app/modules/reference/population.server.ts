import { readFile } from "node:fs/promises";
import { parse } from "csv-parse/sync";
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
  /** LSOAs of Wales with a figure after the import, of all of them. */
  lsoasWithFigures: number;
  lsoasInWales: number;
}

const CODE_HEADERS = /lsoa|code|cod/i;
const POPULATION_HEADERS = /pop|5.?(to|-|–|_)?.?14|children|plant/i;
const LSOA_CODE = /^[EW]0[12]\d{6}$/;

/**
 * Reads and checks a population file against the known LSOAs. Returns the rows, or throws
 * PopulationFileError with every problem found (line numbers as in the file).
 */
export function checkPopulationCsv(text: string, knownLsoas: ReadonlySet<string>): PopulationRow[] {
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
      problems.push({ line, message: `LSOA code "${code}" is not a Welsh LSOA in the WIMD 2019 table` });
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
 * Imports a population file, all in one transaction: figures for LSOAs in the file are added
 * or replaced, the others are kept (a file can cover only the area's local authorities).
 */
export async function importPopulationFile(db: DB, file: string, source: string | null = null): Promise<PopulationImportReport> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new PopulationFileError(`${file} cannot be read: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}.`);
  }
  return importPopulationCsv(db, text, source ?? file.split("/").pop() ?? null);
}

export async function importPopulationCsv(db: DB, text: string, source: string | null): Promise<PopulationImportReport> {
  const known = new Set((await db.selectFrom("lsoa").select("code").execute()).map((row) => row.code));
  const rows = checkPopulationCsv(text, known);
  return db.transaction().execute(async (trx) => {
    const existing = new Set(
      (await trx.selectFrom("lsoa_population").select("lsoa_code").where("lsoa_code", "in", rows.map((row) => row.lsoaCode)).execute()).map((row) => row.lsoa_code),
    );
    const now = new Date();
    for (let i = 0; i < rows.length; i += 1000) {
      await trx
        .insertInto("lsoa_population")
        .values(rows.slice(i, i + 1000).map((row) => ({ lsoa_code: row.lsoaCode, population_5_14: row.population, source, imported_at: now })))
        .onConflict((oc) =>
          oc.column("lsoa_code").doUpdateSet({
            population_5_14: (eb) => eb.ref("excluded.population_5_14"),
            source: (eb) => eb.ref("excluded.source"),
            imported_at: (eb) => eb.ref("excluded.imported_at"),
          }),
        )
        .execute();
    }
    const coverage = await trx.selectFrom("lsoa_population").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    return {
      rowsRead: rows.length,
      added: rows.filter((row) => !existing.has(row.lsoaCode)).length,
      replaced: rows.filter((row) => existing.has(row.lsoaCode)).length,
      totalPopulation: rows.reduce((sum, row) => sum + row.population, 0),
      lsoasWithFigures: Number(coverage.n),
      lsoasInWales: known.size,
    };
  });
}
