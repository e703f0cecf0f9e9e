/**
 * Confidence intervals for the equity report's participation rates and the gap between the
 * most and least deprived fifths. Written here rather than taken from npm: the only package
 * that fits (wilson-score) gives a ranking score's lower bound, not both ends nor a
 * difference, and the formulas are a few lines each (Newcombe 1998, method 10).
 */

/** The normal quantile for a two-sided 95% interval. */
const Z95 = 1.959963984540054;

export interface Interval {
  low: number;
  high: number;
}

/**
 * The Wilson score interval for x successes out of n (95%): unlike the textbook p ± 1.96·SE
 * it stays within 0–1 and keeps its coverage for small groups and rates near 0 or 1.
 */
export function wilsonInterval(x: number, n: number, z = Z95): Interval {
  if (n <= 0) return { low: 0, high: 1 };
  const p = x / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/**
 * The Wilson interval when the published counts are only known to within `within` children
 * (disclosure control rounds them): the widest interval over every true x and n they allow,
 * so the interval covers the rounding as well as chance. With `within` 0 it is Wilson's.
 */
export function roundedWilsonInterval(x: number, n: number, within = 0): Interval {
  if (within === 0) return wilsonInterval(x, n);
  const low = wilsonInterval(Math.max(0, x - within), n + within).low;
  const highN = Math.max(1, n - within);
  const high = wilsonInterval(Math.min(highN, x + within), highN).high;
  return { low, high };
}

/**
 * Newcombe's hybrid score interval for the difference of two proportions p1 − p2, built from
 * each side's Wilson interval (Newcombe 1998, method 10).
 */
export function differenceInterval(p1: number, one: Interval, p2: number, two: Interval): Interval {
  const d = p1 - p2;
  return {
    low: d - Math.sqrt((p1 - one.low) ** 2 + (two.high - p2) ** 2),
    high: d + Math.sqrt((one.high - p1) ** 2 + (p2 - two.low) ** 2),
  };
}

/** What a difference's interval says: one side clearly lower, clearly higher, or too close to tell. */
export type GapVerdict = "lower" | "higher" | "withinChance";

export function gapVerdict(interval: Interval): GapVerdict {
  if (interval.high < 0) return "lower";
  if (interval.low > 0) return "higher";
  return "withinChance";
}
