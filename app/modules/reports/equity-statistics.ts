import { PRECISION, type ProtectedCount, type ProtectedRate } from "./disclosure.server";
import { differenceInterval, gapVerdict, roundedWilsonInterval, type GapVerdict, type Interval } from "./intervals";

/**
 * The equity report's statistics (no database): the gap between the most and least deprived
 * fifths, with its intervals, from the published rows that equity.server.ts queries.
 */

const round = (value: number, places = 4) => Math.round(value * 10 ** places) / 10 ** places;

export interface EquityGap {
  /** Quintile 1 / quintile 5 and quintile 1 − quintile 5; null when either side is hidden. */
  participationRatio: number | null;
  participationDifference: number | null;
  hoursRatio: number | null;
  hoursDifference: number | null;
  /** Each fifth's participation rate with its 95% Wilson interval (widened by the rounding), from the published counts; null for too few children. */
  q1: RateWithInterval | null;
  q5: RateWithInterval | null;
  /** The 95% interval of quintile 1's rate − quintile 5's (Newcombe's method, from the Wilson intervals). */
  participationDifferenceInterval: Interval | null;
  /** Whether the most deprived fifth took part less, more, or too few children to tell. */
  verdict: GapVerdict | null;
}

/**
 * How far from the true count a published count may be (the disclosure-control layer's
 * rounding): the intervals widen by it, so they cover the rounding as well as chance.
 */
const PUBLISHED_COUNT_WITHIN = PRECISION.count;

/** A participation rate with its 95% interval (0–1, to four places). */
export interface RateWithInterval {
  rate: number;
  low: number;
  high: number;
}

/** What the gap needs of a quintile's row. */
export interface GapRow {
  enrolled: ProtectedCount | null;
  active: ProtectedCount;
  participationRate: ProtectedRate | null;
  hoursPerEnrolled: ProtectedRate | null;
}

function rateWithInterval(row: GapRow | undefined): RateWithInterval | null {
  // Only where the published rate is (groups published as at least 10), from the published counts.
  if (!row?.enrolled || row.participationRate === null) return null;
  const enrolled = row.enrolled.value;
  const active = Math.min(row.active.value, enrolled);
  const { low, high } = roundedWilsonInterval(active, enrolled, PUBLISHED_COUNT_WITHIN);
  return { rate: row.participationRate, low: round(low), high: round(high) };
}

/** The gap's interval and what it says, from each fifth's rate and interval. */
function participationGap(q1: RateWithInterval | null, q5: RateWithInterval | null) {
  if (!q1 || !q5) return { participationDifferenceInterval: null, verdict: null };
  const interval = differenceInterval(q1.rate, q1, q5.rate, q5);
  return { participationDifferenceInterval: { low: round(interval.low), high: round(interval.high) }, verdict: gapVerdict(interval) };
}

/** The gap between the most and least deprived fifths, from their published rows (the equity and impact reports). */
export function equityGap(q1: GapRow | undefined, q5: GapRow | undefined): EquityGap {
  return {
    participationRatio: q1?.participationRate != null && q5?.participationRate ? round(q1.participationRate / q5.participationRate, 2) : null,
    participationDifference: q1?.participationRate != null && q5?.participationRate != null ? round(q1.participationRate - q5.participationRate) : null,
    hoursRatio: q1?.hoursPerEnrolled != null && q5?.hoursPerEnrolled ? round(q1.hoursPerEnrolled / q5.hoursPerEnrolled, 2) : null,
    hoursDifference: q1?.hoursPerEnrolled != null && q5?.hoursPerEnrolled != null ? round(q1.hoursPerEnrolled - q5.hoursPerEnrolled, 2) : null,
    q1: rateWithInterval(q1),
    q5: rateWithInterval(q5),
    ...participationGap(rateWithInterval(q1), rateWithInterval(q5)),
  };
}
