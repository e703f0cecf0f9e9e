import { createReadStream } from "node:fs";
import { parse } from "csv-parse";
import { sql } from "kysely";
import type { DB } from "../db/database.server";
import { normalisePostcode } from "./postcode";

/**
 * The postcode directory: ONS's NSPL or ONSPD, about 2.7 million rows a quarter, read as a
 * stream so memory stays flat, and reduced to postcode → LSOA (2011). Registration uses it to
 * find a child's home LSOA and then forgets the postcode; the child's row never holds it.
 */

export class PostcodeDirectoryError extends Error {}

export { normalisePostcode };

/** Header spellings used by the quarterly files over the years (lower-cased before matching). */
const POSTCODE_COLUMNS = ["pcds", "pcd", "pcd2", "pcd7", "pcd8", "postcode"];
const LSOA11_COLUMNS = ["lsoa11", "lsoa11cd"];
const LSOA21_COLUMNS = ["lsoa21", "lsoa21cd"];

export interface PostcodeImportOptions {
  /** Keep only postcodes in Welsh LSOAs (codes starting W01). */
  walesOnly?: boolean;
  /**
   * Keep every postcode with an LSOA code, not only those whose LSOA is in the lsoa table:
   * then a postcode in England is recognised as "outside Wales" without asking.
   */
  all?: boolean;
  batchSize?: number;
  /** Called every `progressEvery` rows read, for a CLI to show it is alive. */
  onProgress?: (rowsRead: number) => void;
  progressEvery?: number;
}

export interface PostcodeImportReport {
  layout: string;
  lsoaColumn: string;
  rowsRead: number;
  kept: number;
  skippedNoLsoa: number;
  skippedNotWales: number;
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

/**
 * Streams a directory file into postcode_lsoa with batched upserts, in one transaction: a
 * file that turns out to be broken halfway leaves the directory as it was. Accepts both the
 * NSPL and the ONSPD layout, old (lsoa11) and new (lsoa11cd, lsoa21cd) column names. When a
 * file has only 2021 LSOAs, codes unchanged since 2011 (nearly all in Wales) are used.
 */
export async function importPostcodeDirectory(db: DB, file: string, options: PostcodeImportOptions = {}): Promise<PostcodeImportReport> {
  const batchSize = options.batchSize ?? 2000;
  const progressEvery = options.progressEvery ?? 250_000;
  const knownLsoas = new Set((await db.selectFrom("lsoa").select("code").execute()).map((row) => row.code));

  // Opened only once the transaction has begun, right before the loop reads it: an error (no
  // such file, broken CSV) then always reaches the loop rather than an event nobody listens to.
  let stream: ReturnType<typeof createReadStream> | undefined;

  const report: PostcodeImportReport = {
    layout: "",
    lsoaColumn: "",
    rowsRead: 0,
    kept: 0,
    skippedNoLsoa: 0,
    skippedNotWales: 0,
    skippedUnknownLsoa: 0,
    skippedBadPostcode: 0,
  };

  try {
    await db.transaction().execute(async (trx) => {
      let postcodeIndex = -1;
      let lsoaIndex = -1;
      // Bounded: one batch in memory, keyed by postcode so a file repeating one never upserts it twice in a statement.
      let batch = new Map<string, string>();
      const flush = async () => {
        if (batch.size === 0) return;
        const rows = [...batch].map(([postcode, lsoa_code]) => ({ postcode, lsoa_code }));
        batch = new Map();
        await trx
          .insertInto("postcode_lsoa")
          .values(rows)
          .onConflict((oc) => oc.column("postcode").doUpdateSet({ lsoa_code: (eb) => eb.ref("excluded.lsoa_code") }))
          .execute();
      };

      stream = createReadStream(file);
      const parser = stream.pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: true, trim: false }));
      stream.on("error", (error) => parser.destroy(error));
      for await (const record of parser as AsyncIterable<string[]>) {
        if (postcodeIndex < 0) {
          const header = record.map((name) => name.trim().toLowerCase());
          const postcode = findColumn(header, POSTCODE_COLUMNS);
          const lsoa = findColumn(header, LSOA11_COLUMNS) ?? findColumn(header, LSOA21_COLUMNS);
          if (!postcode || !lsoa) {
            throw new PostcodeDirectoryError(
              `${file} is not an ONS postcode directory: it needs a postcode column (${POSTCODE_COLUMNS.join(", ")}) and an LSOA column (${[...LSOA11_COLUMNS, ...LSOA21_COLUMNS].join(", ")}).`,
            );
          }
          postcodeIndex = postcode.index;
          lsoaIndex = lsoa.index;
          report.lsoaColumn = lsoa.name;
          report.layout = header.includes("oslaua") ? "ONSPD" : header.includes("laua") ? "NSPL" : "unknown";
          continue;
        }
        report.rowsRead++;
        if (options.onProgress && report.rowsRead % progressEvery === 0) options.onProgress(report.rowsRead);
        const lsoaCode = (record[lsoaIndex] ?? "").trim();
        // Rows without an LSOA: Channel Islands, Isle of Man, large users with no grid reference.
        if (!lsoaCode) {
          report.skippedNoLsoa++;
          continue;
        }
        if (options.walesOnly && !lsoaCode.startsWith("W01")) {
          report.skippedNotWales++;
          continue;
        }
        if (!options.all && !knownLsoas.has(lsoaCode)) {
          report.skippedUnknownLsoa++;
          continue;
        }
        const postcode = normalisePostcode(record[postcodeIndex]);
        if (!postcode) {
          report.skippedBadPostcode++;
          continue;
        }
        batch.set(postcode, lsoaCode);
        report.kept++;
        if (batch.size >= batchSize) await flush();
      }
      if (postcodeIndex < 0) throw new PostcodeDirectoryError(`${file} is empty.`);
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

export interface HomeArea {
  code: string;
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
 * Finds a postcode's LSOA. The postcode is only used for this query: callers keep the
 * answer, never the postcode.
 */
export async function lookupPostcode(db: DB, input: string): Promise<PostcodeLookup> {
  const postcode = normalisePostcode(input);
  if (!postcode) return { status: "invalid" };
  const row = await db
    .selectFrom("postcode_lsoa")
    .leftJoin("lsoa", "lsoa.code", "postcode_lsoa.lsoa_code")
    .select(["postcode_lsoa.lsoa_code", "lsoa.name", "lsoa.la_name"])
    .where("postcode_lsoa.postcode", "=", postcode)
    .executeTakeFirst();
  if (!row || !row.lsoa_code) return { status: "unknown" };
  if (row.name && row.la_name) return { status: "found", lsoa: { code: row.lsoa_code, name: row.name, laName: row.la_name } };
  // A Welsh code missing from the WIMD table (a 2021 split) is not something to guess at.
  return row.lsoa_code.startsWith("W") ? { status: "unknown" } : { status: "outsideWales" };
}

/** Whether a directory has been loaded at all, so the form can go straight to the list when not. */
export async function hasPostcodeDirectory(db: DB) {
  const row = await db.selectFrom("postcode_lsoa").select("postcode").limit(1).executeTakeFirst();
  return Boolean(row);
}

/** One LSOA by code, when it is in one of the area's local authorities. */
export async function areaLsoa(db: DB, areaId: string, code: string): Promise<HomeArea | null> {
  if (!/^W01\d{6}$/.test(code)) return null;
  const row = await db
    .selectFrom("lsoa")
    .innerJoin("area_local_authority as ala", "ala.la_code", "lsoa.la_code")
    .select(["lsoa.code", "lsoa.name", "lsoa.la_name"])
    .where("ala.area_id", "=", areaId)
    .where("lsoa.code", "=", code)
    .executeTakeFirst();
  return row ? { code: row.code, name: row.name, laName: row.la_name } : null;
}

/** Any Welsh LSOA by code (a postcode may sit just over the area's border). */
export async function anyLsoa(db: DB, code: string): Promise<HomeArea | null> {
  if (!/^W01\d{6}$/.test(code)) return null;
  const row = await db.selectFrom("lsoa").select(["code", "name", "la_name"]).where("code", "=", code).executeTakeFirst();
  return row ? { code: row.code, name: row.name, laName: row.la_name } : null;
}

/**
 * Neighbourhoods (LSOAs) of the area's local authorities whose name, ward group or council
 * matches the words typed, for people whose postcode is not found.
 */
export async function searchAreaLsoas(db: DB, areaId: string, query: string, limit = 30): Promise<HomeArea[]> {
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
  return rows.map((row) => ({ code: row.code, name: row.name, laName: row.la_name }));
}
