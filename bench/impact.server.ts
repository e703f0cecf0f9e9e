import os from "node:os";
import { sql } from "kysely";
import type { DB } from "~/modules/db/database.server";
import { equityReport } from "~/modules/reports/equity.server";
import { impactReport } from "~/modules/reports/impact.server";
import { academicYearOf } from "~/modules/reports/published-periods";

/**
 * The impact report (issue 21) on the bench's dataset: the whole area's report for the last
 * academic year of the history, beside two floors measured in the same run — a bare count of
 * that year's credits (one index range scan, nothing else) and the equity report by quintile
 * for the same year (one pass over the year's children). Medians after one warm-up run.
 */

export interface ImpactBench {
  measuredAt: string;
  commit: string | null;
  loadAverageAtStart: number[];
  year: string;
  runs: number;
  /** select count(*) of the year's credits. */
  floorCount: { p50: number | null; p95: number | null; credits: number };
  equity: { p50: number | null; p95: number | null };
  impact: { p50: number | null; p95: number | null; max: number | null; enrolled: number; active: number };
}

const round = (value: number, places = 2) => Math.round(value * 10 ** places) / 10 ** places;

async function timed<T>(runs: number, work: () => Promise<T>) {
  let last = await work(); // warm-up, not counted
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    last = await work();
    samples.push(performance.now() - started);
  }
  const sorted = samples.sort((a, b) => a - b);
  const at = (p: number) => (sorted.length ? round(sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!) : null);
  return { p50: at(50), p95: at(95), max: sorted.length ? round(sorted.at(-1)!) : null, last };
}

export async function benchImpact(db: DB, areaId: string, endOn: string, log: (line: string) => void, commit: string | null, runs = 5): Promise<ImpactBench> {
  const loadAverageAtStart = os.loadavg().map((v) => round(v));
  const year = academicYearOf(endOn);
  // "Today" just after the year: the report for a finished year, every term in it.
  const today = `${year.year + 1}-09-15`;
  log(`Impact report for ${year.id} (the whole area), beside a bare count and the equity report…`);
  const floor = await timed(runs, () =>
    sql<{ n: number }>`select count(*)::int as n from credit where area_id = ${areaId} and earned_on >= ${year.from} and earned_on <= ${year.to}`.execute(db),
  );
  const equity = await timed(runs, () => equityReport(db, { areaId }, { from: year.from, to: year.to, by: "quintile" }));
  const impact = await timed(runs, () => impactReport(db, { areaId, laCode: null, schoolId: null }, { year, today }));
  log(`  count p50 ${floor.p50} ms; equity p50 ${equity.p50} ms; impact p50 ${impact.p50} ms (p95 ${impact.p95} ms)`);
  return {
    measuredAt: new Date().toISOString(),
    commit,
    loadAverageAtStart,
    year: year.id,
    runs,
    floorCount: { p50: floor.p50, p95: floor.p95, credits: floor.last.rows[0]?.n ?? 0 },
    equity: { p50: equity.p50, p95: equity.p95 },
    impact: {
      p50: impact.p50,
      p95: impact.p95,
      max: impact.max,
      enrolled: impact.last.reach.total.enrolled.value,
      active: impact.last.reach.total.active.value,
    },
  };
}
