import { expect } from "vitest";
import type { DB } from "~/modules/db/database.server";
import { protectCount, protectHours } from "~/modules/reports/disclosure.server";
import { equityReport, equityTallies, type EquityReport, type EquityScope, type RawStats } from "~/modules/reports/equity.server";

type Input = Parameters<typeof equityReport>[2];

/**
 * The report and the true counts behind it (for tests of the definitions: the published
 * figures are rounded, the tallies are exact). `truth(key)` is a group's tallies, "total"
 * the total's; `expectPublished()` checks that every count of the report is the layer's
 * figure for its true tally.
 */
export async function reportWithTruth(db: DB, scope: EquityScope, input: Input) {
  const [report, tallies] = await Promise.all([equityReport(db, scope, input), equityTallies(db, scope, input)]);
  const truth = truthFrom(tallies);
  const expectPublished = () => expectPublishedFrom(report, truth);
  return { report, truth, expectPublished };
}
const zero = { count: 0, keySum: 0 };

/** A group's tallies by key ("total": the total's); a group nobody is in has zero tallies. */
export function truthFrom(tallies: { rows: RawStats[]; total: RawStats }) {
  return (key: string | null | "total"): RawStats => {
    if (key === "total") return tallies.total;
    return (
      tallies.rows.find((row) => row.key === key) ?? {
        key,
        enrolled: zero,
        active: zero,
        awards: zero,
        active_deprived: zero,
        enrolled_in_population: zero,
        quarter_hours: 0,
        median_quarter_hours: null,
      }
    );
  };
}

export function expectPublishedFrom(report: EquityReport, truth: (key: string | null | "total") => RawStats) {
  for (const row of [...report.rows.map((r) => ({ row: r, stats: truth(r.key) })), { row: report.total, stats: truth("total") }]) {
    if (row.row.enrolled) expect(row.row.enrolled).toEqual(protectCount(row.stats.enrolled));
    expect(row.row.active).toEqual(protectCount(row.stats.active));
    if (row.row.awards) expect(row.row.awards).toEqual(protectCount(row.stats.awards));
    if (row.row.activeMostDeprived) expect(row.row.activeMostDeprived).toEqual(protectCount(row.stats.active_deprived));
    expect(row.row.hours).toEqual(protectHours(row.stats.quarter_hours, row.stats.active, row.row.active));
  }
}
