import { sql, type RawBuilder } from "kysely";

/**
 * The disclosure-control layer (issue 15; the method, its parameters and its limits are in
 * docs/statistics.md, the choice in ADR 0027). Every figure about children that leaves the
 * app — page, chart, CSV, JSON API — is made here, from tallies the report queries count in
 * the database; nothing else makes a published count, hours, rate or median.
 *
 * The method is the ONS cell-key method (Census 2021) with a p-table that rounds at random
 * to a multiple of 5:
 * - every child has a random record key 0–255 (`child.cell_key`, set once);
 * - a cell's key is the sum of its records' keys modulo 256, so the same children always
 *   get the same key, in any table, breakdown, period or format;
 * - the p-table takes a count v = 5q + r to 5q + 5 when the key is below 256·r/5 and to 5q
 *   otherwise: every published count is a multiple of 5, within 4 of the true count, and 0
 *   stays 0 (a published 0 means fewer than 5);
 * - a total is a cell of its own (its children's key), never a sum of published cells;
 * - hours are rounded the same way to a multiple of 5 hours, with the key read through a
 *   fixed permutation so their rounding does not follow the count's; rates, hours and
 *   medians come from published figures and are shown only where the count of children
 *   they are about is published as at least MINIMUM_FOR_DERIVED.
 * Every decision about what to show is taken on published figures, so what is shown or not
 * shown says nothing more than the figures do.
 */

/** Record keys run 0..255; a cell key is their sum modulo this. */
export const CELL_KEY_MODULUS = 256;
/** Published counts and hours are multiples of this. */
export const ROUNDING_BASE = 5;
/** Rates, hours and medians are shown only for groups published as at least this many children. */
export const MINIMUM_FOR_DERIVED = 10;

/** What a reader is told about the precision of the figures (also read by the attack tests). */
export const PRECISION = {
  method: "cell-key-random-rounding",
  base: ROUNDING_BASE,
  /** A published count is within this many children of the true one. */
  count: ROUNDING_BASE - 1,
  /** Published hours are within this many hours of the true ones (hours come in quarter-hours). */
  hours: ROUNDING_BASE - 0.25,
  minimumForDerived: MINIMUM_FOR_DERIVED,
} as const;

/**
 * A count before protection: how many records and the sum of their cell keys (any
 * non-negative integer; reduced modulo 256 here). Only report queries make these, with
 * `keyedCount`, and only this module turns them into figures.
 */
export interface CellTally {
  count: number;
  keySum: number;
}

declare const published: unique symbol;
/** A count as published; only this module makes them (the brand exists only in types). */
export type ProtectedCount = { readonly value: number; readonly shown: string } & { readonly [published]: "count" };
/** Hours as published: a multiple of 5 hours, or a median to the nearest half hour. */
export type ProtectedHours = number & { readonly [published]: "hours" };
/** A rate or a per-child figure worked out from published figures only. */
export type ProtectedRate = number & { readonly [published]: "rate" };

/** The cell key of a tally: its records' keys summed modulo 256. */
export function cellKey(tally: CellTally): number {
  return ((tally.keySum % CELL_KEY_MODULUS) + CELL_KEY_MODULUS) % CELL_KEY_MODULUS;
}

/**
 * The p-table: where a value goes for a cell key. Random rounding to base 5 with the key as
 * the random number: up with probability (remainder ÷ 5), so the published figure is on
 * average the true one, down otherwise; a multiple of 5 (0 included) stays as it is.
 */
export function pTable(value: number, key: number): number {
  const down = Math.floor(value / ROUNDING_BASE) * ROUNDING_BASE;
  const remainder = value - down;
  if (remainder === 0) return down;
  return key * ROUNDING_BASE < CELL_KEY_MODULUS * remainder ? down + ROUNDING_BASE : down;
}

/** A fixed permutation of the keys (167 is odd, so this is one-to-one mod 256) for the hours column of the p-table. */
const hoursKey = (key: number) => (key * 167 + 89) % CELL_KEY_MODULUS;

function count(value: number): ProtectedCount {
  return { value, shown: String(value) } as ProtectedCount;
}

/** A published count: the p-table's figure for the tally's count and cell key. */
export function protectCount(tally: CellTally): ProtectedCount {
  if (!Number.isInteger(tally.count) || tally.count < 0) throw new Error("A count is a whole number of records");
  return count(pTable(tally.count, cellKey(tally)));
}

/** Published hours for the children of `children` (their tally): rounded to 5 hours, shown only for groups published as at least 10. */
export function protectHours(quarterHours: number, tally: CellTally, children: ProtectedCount): ProtectedHours | null {
  if (children.value < MINIMUM_FOR_DERIVED) return null;
  return pTable(quarterHours / 4, hoursKey(cellKey(tally))) as ProtectedHours;
}

/** A median of the children's hours (in quarter-hours), to the nearest half hour, for groups published as at least 10. */
export function protectMedian(medianQuarterHours: number | null, children: ProtectedCount): ProtectedHours | null {
  if (medianQuarterHours === null || children.value < MINIMUM_FOR_DERIVED) return null;
  return (Math.round(medianQuarterHours / 2) / 2) as ProtectedHours;
}

const round = (value: number, places = 4) => Math.round(value * 10 ** places) / 10 ** places;

/**
 * A part of a whole, both published: null when the whole is published under 10; never above
 * 1 (the part and the whole are rounded apart, so the part can come out larger).
 */
export function protectedRate(part: ProtectedCount, whole: ProtectedCount): ProtectedRate | null {
  if (whole.value < MINIMUM_FOR_DERIVED) return null;
  return round(Math.min(1, part.value / whole.value)) as ProtectedRate;
}

/** Published hours per published child (null where either is not shown). */
export function protectedPerChild(hours: ProtectedHours | null, children: ProtectedCount | null): ProtectedRate | null {
  if (hours === null || !children || children.value < MINIMUM_FOR_DERIVED) return null;
  return round(hours / children.value) as ProtectedRate;
}

/** A published count over a public figure (children aged 5–14 from the census): null without one. */
export function protectedPerPopulation(part: ProtectedCount, population: number | null): ProtectedRate | null {
  if (!population) return null;
  return round(part.value / population) as ProtectedRate;
}

/**
 * The SQL for a tally over the rows of a group: their number and their cell keys' sum
 * (already reduced modulo 256), optionally only the rows meeting `filter`. `key` is the
 * rows' cell key column, `weight` how many records each row stands for (awards per child).
 */
export function keyedCount(name: string, key: RawBuilder<unknown>, options: { filter?: RawBuilder<unknown>; weight?: RawBuilder<unknown> } = {}) {
  const where = options.filter ? sql`filter (where ${options.filter})` : sql``;
  const n = options.weight ? sql`coalesce(sum(${options.weight}) ${where}, 0)` : sql`count(*) ${where}`;
  const keys = options.weight ? sql`coalesce(sum(${options.weight} * ${key}) ${where}, 0)` : sql`coalesce(sum(${key}) ${where}, 0)`;
  return sql`(${n})::int as ${sql.ref(name)}, ((${keys}) % ${sql.lit(CELL_KEY_MODULUS)})::int as ${sql.ref(`${name}_key`)}`;
}

/** The tally `keyedCount(name, …)` selected into a row. */
export function tallyOf(row: Record<string, unknown>, name: string): CellTally {
  return { count: Number(row[name] ?? 0), keySum: Number(row[`${name}_key`] ?? 0) };
}

/** `keyedCount` as two Kysely select columns (`name` and `name_key`), for queries built with the query builder. */
export function keyedColumns(name: string, key: RawBuilder<unknown>, filter?: RawBuilder<unknown>) {
  const where = filter ? sql`filter (where ${filter})` : sql``;
  return [
    sql<number>`(count(*) ${where})::int`.as(name),
    sql<number>`((coalesce(sum(${key}) ${where}, 0)) % ${sql.lit(CELL_KEY_MODULUS)})::int`.as(`${name}_key`),
  ] as const;
}

/**
 * A table of tallies published with its row totals, column totals and grand total, each a
 * cell of its own (a total's records are the union of its cells', so its tally is their
 * sum): (rows + 1) × (columns + 1) counts, rows then the totals row, totals last in each.
 */
export function protectTable(cells: readonly (readonly CellTally[])[], columns: number): ProtectedCount[][] {
  const add = (tallies: readonly CellTally[]): CellTally => ({
    count: tallies.reduce((sum, t) => sum + t.count, 0),
    keySum: tallies.reduce((sum, t) => sum + t.keySum, 0),
  });
  const withTotals = cells.map((row) => [...row, add(row)]);
  const totals = Array.from({ length: columns + 1 }, (_, j) => add(withTotals.map((row) => row[j]!)));
  return [...withTotals, totals].map((row) => row.map(protectCount));
}
