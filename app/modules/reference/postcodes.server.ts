import { createReadStream } from "node:fs";
import { parse } from "csv-parse";
import { sql } from "kysely";
import type { DB } from "../db/database.server";
import { normalisePostcode } from "./postcode";

/**
 * The postcode directory: ONS's NSPL or ONSPD, about 2.7 million rows a quarter, read as a
 * stream so memory stays flat, and reduced to postcode → LSOA, on both geographies: the 2011
 * LSOA (WIMD 2019) and the 2021 LSOA (WIMD 2025). Registration uses it to find a child's home
 * LSOAs and then forgets the postcode; the child's row never holds it.
 */

export class PostcodeDirectoryError extends Error {}

export { normalisePostcode };

/** Header spellings used by the quarterly files over the years (lower-cased before matching). */
const POSTCODE_COLUMNS = ["pcds", "pcd", "pcd2", "pcd7", "pcd8", "postcode"];
const LSOA11_COLUMNS = ["lsoa11", "lsoa11cd"];
const LSOA21_COLUMNS = ["lsoa21", "lsoa21cd"];
/** Columns of older geographies, named in the refusal of a file that has only those. */
const OLDER_LSOA_COLUMNS = ["lsoa01", "lsoa01cd"];

/** Which LSOA geographies a directory file gives: what the import reads, and says it read. */
export type DirectoryGeography = "lsoa2011" | "lsoa2021" | "lsoa2011+lsoa2021";

export interface PostcodeImportOptions {
  /** Keep only postcodes in Welsh LSOAs (codes starting W01). */
  walesOnly?: boolean;
  /**
   * Keep every postcode with an LSOA code, not only Welsh ones: then a postcode in England is
   * recognised as "outside Wales" without asking.
   */
  all?: boolean;
  batchSize?: number;
  /** Called every `progressEvery` rows read, for a CLI to show it is alive. */
  onProgress?: (rowsRead: number) => void;
  progressEvery?: number;
}

export interface PostcodeImportReport {
  layout: string;
  /** The LSOA columns read, as named in the file ("lsoa11cd, lsoa21cd"). */
  lsoaColumn: string;
  geography: DirectoryGeography;
  rowsRead: number;
  kept: number;
  skippedNoLsoa: number;
  skippedNotWales: number;
  /** Postcodes outside Wales not kept (without `all`): the WIMD tables do not know their LSOAs. */
  skippedUnknownLsoa: number;
  skippedBadPostcode: number;
}

function findColumn(header: string[], candidates: string[]) {
  for (const candidate of candidates) {
    const index = header.indexOf(candidate);
    if (index >= 0) return { index, name: candidate };
  }
  return null;
}

/** At most this many faulty rows are named in a refusal (the count says how many in all). */
const PROBLEMS_NAMED = 5;

/**
 * Streams a directory file into postcode_lsoa with batched upserts, in one transaction: a
 * file that turns out to be broken halfway, or that names a Welsh LSOA its geography does not
 * have (a 2011 code in the 2021 column: the file is on the wrong geography), changes nothing
 * and is refused with the lines at fault. Accepts the NSPL and the ONSPD layout, old (lsoa11)
 * and new (lsoa11cd, lsoa21cd) column names. A file with one geography only gets the other
 * from the ONS lookup where it gives exactly one LSOA (2011 → 2021: unchanged and merged;
 * 2021 → 2011: unchanged and split), never guessed otherwise.
 */
export async function importPostcodeDirectory(db: DB, file: string, options: PostcodeImportOptions = {}): Promise<PostcodeImportReport> {
  const batchSize = options.batchSize ?? 2000;
  const progressEvery = options.progressEvery ?? 250_000;
  const known11 = new Set((await db.selectFrom("lsoa").select("code").execute()).map((row) => row.code));
  const known21 = new Set((await db.selectFrom("lsoa21").select("code").execute()).map((row) => row.code));
  const { to21, to11 } = await singleMatches(db);

  // Opened only once the transaction has begun, right before the loop reads it: an error (no
  // such file, broken CSV) then always reaches the loop rather than an event nobody listens to.
  let stream: ReturnType<typeof createReadStream> | undefined;

  const report: PostcodeImportReport = {
    layout: "",
    lsoaColumn: "",
    geography: "lsoa2011",
    rowsRead: 0,
    kept: 0,
    skippedNoLsoa: 0,
    skippedNotWales: 0,
    skippedUnknownLsoa: 0,
    skippedBadPostcode: 0,
  };
  const problems: string[] = [];
  let problemCount = 0;

  try {
    await db.transaction().execute(async (trx) => {
      let postcodeIndex = -1;
      let lsoa11Index = -1;
      let lsoa21Index = -1;
      // Bounded: one batch in memory, keyed by postcode so a file repeating one never upserts it twice in a statement.
      let batch = new Map<string, { lsoa_code: string | null; lsoa21_code: string | null }>();
      const flush = async () => {
        if (batch.size === 0 || problemCount) return;
        const rows = [...batch].map(([postcode, codes]) => ({ postcode, ...codes }));
        batch = new Map();
        await trx
          .insertInto("postcode_lsoa")
          .values(rows)
          .onConflict((oc) =>
            oc.column("postcode").doUpdateSet({ lsoa_code: (eb) => eb.ref("excluded.lsoa_code"), lsoa21_code: (eb) => eb.ref("excluded.lsoa21_code") }),
          )
          .execute();
      };

      stream = createReadStream(file);
      const parser = stream.pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: true, trim: false, info: true }));
      stream.on("error", (error) => parser.destroy(error));
      for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
        if (postcodeIndex < 0) {
          const header = record.map((name) => name.trim().toLowerCase());
          const postcode = findColumn(header, POSTCODE_COLUMNS);
          const lsoa11 = findColumn(header, LSOA11_COLUMNS);
          const lsoa21 = findColumn(header, LSOA21_COLUMNS);
          if (postcode && !lsoa11 && !lsoa21 && findColumn(header, OLDER_LSOA_COLUMNS)) {
            throw new PostcodeDirectoryError(
              `${file} gives LSOAs of 2001 only (${findColumn(header, OLDER_LSOA_COLUMNS)!.name}): the app needs the 2011 or 2021 LSOAs (${[...LSOA11_COLUMNS, ...LSOA21_COLUMNS].join(", ")}), as in a current NSPL or ONSPD. Nothing was imported.`,
            );
          }
          if (!postcode || (!lsoa11 && !lsoa21)) {
            throw new PostcodeDirectoryError(
              `${file} is not an ONS postcode directory: it needs a postcode column (${POSTCODE_COLUMNS.join(", ")}) and an LSOA column (${[...LSOA11_COLUMNS, ...LSOA21_COLUMNS].join(", ")}).`,
            );
          }
          postcodeIndex = postcode.index;
          lsoa11Index = lsoa11?.index ?? -1;
          lsoa21Index = lsoa21?.index ?? -1;
          report.lsoaColumn = [lsoa11?.name, lsoa21?.name].filter(Boolean).join(", ");
          report.geography = lsoa11 && lsoa21 ? "lsoa2011+lsoa2021" : lsoa21 ? "lsoa2021" : "lsoa2011";
          report.layout = header.includes("oslaua") ? "ONSPD" : header.includes("laua") ? "NSPL" : "unknown";
          continue;
        }
        report.rowsRead++;
        if (options.onProgress && report.rowsRead % progressEvery === 0) options.onProgress(report.rowsRead);
        const code11 = lsoa11Index >= 0 ? (record[lsoa11Index] ?? "").trim().toUpperCase() : "";
        const code21 = lsoa21Index >= 0 ? (record[lsoa21Index] ?? "").trim().toUpperCase() : "";
        // Rows without an LSOA: Channel Islands, Isle of Man, large users with no grid reference.
        if (!code11 && !code21) {
          report.skippedNoLsoa++;
          continue;
        }
        const inWales = (code11 || code21).startsWith("W");
        if (options.walesOnly && !inWales) {
          report.skippedNotWales++;
          continue;
        }
        if (inWales) {
          // A Welsh code the geography does not have: the file is wrong, not the row.
          const fault =
            code11 && !known11.has(code11)
              ? `${code11} in the 2011 column is not a 2011 LSOA of Wales${known21.has(code11) ? " (it is a 2021 one)" : ""}`
              : code21 && !known21.has(code21)
                ? `${code21} in the 2021 column is not a 2021 LSOA of Wales${known11.has(code21) ? " (it is a 2011 one: is the file on the 2011 geography?)" : ""}`
                : null;
          if (fault) {
            if (++problemCount <= PROBLEMS_NAMED) problems.push(`line ${info.lines}: ${fault}`);
            continue;
          }
        } else if (!options.all) {
          report.skippedUnknownLsoa++;
          continue;
        }
        const postcode = normalisePostcode(record[postcodeIndex]);
        if (!postcode) {
          report.skippedBadPostcode++;
          continue;
        }
        const lsoa_code = code11 || (inWales ? (to11.get(code21) ?? null) : code21);
        const lsoa21_code = code21 || (inWales ? (to21.get(code11) ?? null) : null);
        batch.set(postcode, { lsoa_code, lsoa21_code });
        report.kept++;
        if (batch.size >= batchSize) await flush();
      }
      if (postcodeIndex < 0) throw new PostcodeDirectoryError(`${file} is empty.`);
      if (problemCount) {
        throw new PostcodeDirectoryError(
          `${file} names ${problemCount} Welsh LSOA code${problemCount === 1 ? "" : "s"} that the ${report.geography === "lsoa2011" ? "2011" : report.geography === "lsoa2021" ? "2021" : "2011 and 2021"} geography does not have; nothing was imported.\n  ${problems.join("\n  ")}${problemCount > PROBLEMS_NAMED ? `\n  … and ${problemCount - PROBLEMS_NAMED} more.` : ""}`,
        );
      }
      await flush();
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new PostcodeDirectoryError(`${file} cannot be read: no such file.`);
    if (error instanceof PostcodeDirectoryError) throw error;
    if ((error as { code?: string }).code?.startsWith("CSV_")) {
      throw new PostcodeDirectoryError(`${file} is not valid CSV: ${(error as Error).message}`);
    }
    throw error;
  } finally {
    stream?.destroy();
  }
  return report;
}

/**
 * The LSOAs the ONS lookup matches one to one way: a 2011 code with exactly one 2021 code
 * (unchanged, merged) and a 2021 code with exactly one 2011 code (unchanged, split).
 */
async function singleMatches(db: DB) {
  const rows = await db.selectFrom("lsoa11_lsoa21").select(["lsoa11_code", "lsoa21_code"]).execute();
  const many = <K extends "lsoa11_code" | "lsoa21_code">(key: K, other: K extends "lsoa11_code" ? "lsoa21_code" : "lsoa11_code") => {
    const found = new Map<string, string | null>();
    for (const row of rows) found.set(row[key], found.has(row[key]) ? null : row[other]);
    return new Map([...found].filter((entry): entry is [string, string] => entry[1] !== null));
  };
  return { to21: many("lsoa11_code", "lsoa21_code"), to11: many("lsoa21_code", "lsoa11_code") };
}

/**
 * A child's home neighbourhood on both geographies: the 2011 LSOA (WIMD 2019) and the 2021
 * LSOA (WIMD 2025). Either may be null when it cannot be known without guessing: a 2011 LSOA
 * that was split needs the postcode for its 2021 one, a merged 2021 LSOA came from several.
 * The name shown is the 2021 LSOA's when there is one.
 */
export interface HomeArea {
  code: string | null;
  code21: string | null;
  name: string;
  laName: string;
}

export type PostcodeLookup =
  | { status: "found"; lsoa: HomeArea }
  | { status: "outsideWales" }
  /** A well-formed postcode the directory does not know, or no directory loaded. */
  | { status: "unknown" }
  | { status: "invalid" };

/**
 * Finds a postcode's LSOAs. The postcode is only used for this query: callers keep the
 * answer, never the postcode.
 */
export async function lookupPostcode(db: DB, input: string): Promise<PostcodeLookup> {
  const postcode = normalisePostcode(input);
  if (!postcode) return { status: "invalid" };
  const row = await db.selectFrom("postcode_lsoa").select(["lsoa_code", "lsoa21_code"]).where("postcode", "=", postcode).executeTakeFirst();
  if (!row || (!row.lsoa_code && !row.lsoa21_code)) return { status: "unknown" };
  const code = row.lsoa_code ?? row.lsoa21_code!;
  if (!code.startsWith("W")) return { status: "outsideWales" };
  const home = await resolveHome(db, row.lsoa_code, row.lsoa21_code);
  // A Welsh code missing from the WIMD tables is not something to guess at.
  return home ? { status: "found", lsoa: home } : { status: "unknown" };
}

/** Whether a directory has been loaded at all, so the form can go straight to the list when not. */
export async function hasPostcodeDirectory(db: DB) {
  const row = await db.selectFrom("postcode_lsoa").select("postcode").limit(1).executeTakeFirst();
  return Boolean(row);
}

const LSOA_CODE = /^W01\d{6}$/;

/**
 * A home from a 2011 code, a 2021 code or both (as a postcode or the neighbourhood list gave
 * them), checked and completed by the ONS lookup: both must be Welsh LSOAs of their year and,
 * when both are given, one must be (part of) the other; the missing one is filled in only
 * where the lookup gives exactly one. Null when anything does not fit.
 */
export async function resolveHome(db: DB, code11: string | null, code21: string | null): Promise<HomeArea | null> {
  if ((code11 && !LSOA_CODE.test(code11)) || (code21 && !LSOA_CODE.test(code21)) || (!code11 && !code21)) return null;
  const matches = await db
    .selectFrom("lsoa11_lsoa21")
    .select(["lsoa11_code", "lsoa21_code"])
    .$if(Boolean(code11), (q) => q.where("lsoa11_code", "=", code11!))
    .$if(Boolean(code21), (q) => q.where("lsoa21_code", "=", code21!))
    .execute();
  if (matches.length === 0) return null;
  const lsoa11 = code11 ?? (matches.length === 1 ? matches[0]!.lsoa11_code : null);
  const lsoa21 = code21 ?? (matches.length === 1 ? matches[0]!.lsoa21_code : null);
  const named = lsoa21
    ? await db.selectFrom("lsoa21").select(["name", "la_name"]).where("code", "=", lsoa21).executeTakeFirst()
    : await db.selectFrom("lsoa").select(["name", "la_name"]).where("code", "=", lsoa11!).executeTakeFirst();
  return named ? { code: lsoa11, code21: lsoa21, name: named.name, laName: named.la_name } : null;
}

/** One 2011 LSOA by code, when it is in one of the area's local authorities (the neighbourhood list). */
export async function areaLsoa(db: DB, areaId: string, code: string): Promise<HomeArea | null> {
  if (!LSOA_CODE.test(code)) return null;
  const row = await db
    .selectFrom("lsoa")
    .innerJoin("area_local_authority as ala", "ala.la_code", "lsoa.la_code")
    .select("lsoa.code")
    .where("ala.area_id", "=", areaId)
    .where("lsoa.code", "=", code)
    .executeTakeFirst();
  return row ? resolveHome(db, row.code, null) : null;
}

/**
 * Neighbourhoods (LSOAs) of the area's local authorities whose name, ward group or council
 * matches the words typed, for people whose postcode is not found.
 */
export async function searchAreaLsoas(db: DB, areaId: string, query: string, limit = 30): Promise<Array<HomeArea & { code: string }>> {
  const words = query
    .toLowerCase()
    .replace(/[%_\\]/g, " ")
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 5);
  if (words.length === 0) return [];
  let q = db
    .selectFrom("lsoa")
    .innerJoin("area_local_authority as ala", "ala.la_code", "lsoa.la_code")
    .select(["lsoa.code", "lsoa.name", "lsoa.la_name"])
    .where("ala.area_id", "=", areaId);
  for (const word of words) {
    const pattern = `%${word}%`;
    q = q.where((eb) =>
      eb.or([
        eb(sql<string>`lower(lsoa.name)`, "like", pattern),
        eb(sql<string>`lower(lsoa.msoa_name)`, "like", pattern),
        eb(sql<string>`lower(lsoa.la_name)`, "like", pattern),
        eb(sql<string>`lower(lsoa.code)`, "=", word),
      ]),
    );
  }
  const rows = await q.orderBy("lsoa.name").limit(limit).execute();
  // The list's choice is resolved (2021 LSOA included) when it is chosen, by areaLsoa.
  return rows.map((row) => ({ code: row.code, code21: null, name: row.name, laName: row.la_name }));
}
