import type { Translate, TranslationKey } from "../i18n/i18n";
import type { EquityGap, RateWithInterval } from "./equity-statistics";
import { percent } from "./labels";

/** Percentage points, rounded: 0.123 → 12; negative differences keep their sign ("−12", a true minus). */
const points = (value: number) => Math.round(value * 100);
export const signedPoints = (value: number) => (points(value) < 0 ? `−${-points(value)}` : String(points(value)));

function rates(q1: RateWithInterval, q5: RateWithInterval) {
  return {
    q1: percent(q1.rate),
    q1Low: percent(q1.low),
    q1High: percent(q1.high),
    q5: percent(q5.rate),
    q5Low: percent(q5.low),
    q5High: percent(q5.high),
  };
}

/**
 * Which sentence a gap gets and its values: the most deprived fifth clearly lower, clearly
 * higher, or too few children to tell; null when a side is not shown. Whole sentences per
 * case, so each language words (and mutates) them as it needs.
 */
export function gapTemplate(gap: EquityGap): { verdict: "lower" | "higher" | "withinChance"; values: Record<string, string | number> } | null {
  const { q1, q5, participationDifferenceInterval: interval, verdict } = gap;
  if (!q1 || !q5 || !interval || !verdict) return null;
  const difference = q1.rate - q5.rate;
  if (verdict === "withinChance") return { verdict, values: { ...rates(q1, q5), below: points(-interval.low), above: points(interval.high) } };
  // Sizes, not signs: "took part less, by 12 points (3 to 20)".
  const [low, high] = verdict === "lower" ? [-interval.high, -interval.low] : [interval.low, interval.high];
  return { verdict, values: { ...rates(q1, q5), points: points(Math.abs(difference)), low: points(low), high: points(high) } };
}

function gapWords(gap: EquityGap, t: Translate, keys: Record<"lower" | "higher" | "withinChance", TranslationKey>, extra: Record<string, unknown> = {}) {
  const template = gapTemplate(gap);
  return template ? t(keys[template.verdict], { ...extra, ...template.values }) : null;
}

/** The report's summary of the gap between the most and least deprived fifths. */
export function gapSentence(gap: EquityGap, t: Translate): string | null {
  return gapWords(gap, t, { lower: "reports.summary.gapLower", higher: "reports.summary.gapHigher", withinChance: "reports.summary.gapWithinChance" });
}

/** One term of the trend, in the same words. */
export function trendSentence(gap: EquityGap, term: string, t: Translate): string | null {
  return gapWords(
    gap,
    t,
    { lower: "reports.trend.summaryLower", higher: "reports.trend.summaryHigher", withinChance: "reports.trend.summaryWithinChance" },
    { term },
  );
}
