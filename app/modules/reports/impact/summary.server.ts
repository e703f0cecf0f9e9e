import { PRECISION } from "../disclosure.server";
import { gapTemplate } from "../gap-words";
import { percent } from "../labels";
import type { ImpactReport, SummaryLine } from "./types";

/**
 * The written summary at the top of the impact report (issue 21): fixed sentence templates,
 * chosen and filled from the published figures only, never free text. Each case is a whole
 * sentence in each language (`impact.summary.*` in the locale files), so the Welsh can word and
 * mutate it as it needs (numbers are followed by "o blant", which needs no mutation).
 *
 * What it says, in order: how many took part; what went up and what went down since last year
 * (a change is told as up or down only when it is larger than two published counts' rounding
 * can make it, otherwise "about the same"); who came back; where the gap is (the equity
 * report's sentences, with the interval); the offer; the caveats.
 */

/** A difference of two published counts smaller than this may be the rounding alone (each is within ±4). */
export const COUNT_CHANGE_NOISE = 2 * PRECISION.count;
/** The same for two published hours figures (each within ±4.75). */
export const HOURS_CHANGE_NOISE = 2 * PRECISION.hours;

type Direction = "Up" | "Down" | "Same";
const direction = (change: number, noise: number): Direction => (change > noise ? "Up" : change < -noise ? "Down" : "Same");

/** The keys spelled out, so that the strings split (ADR 0034) finds each one. */
const CHANGE_KEYS = {
  enrolled: { Up: "impact.summary.enrolledUp", Down: "impact.summary.enrolledDown", Same: "impact.summary.enrolledSame" },
  active: { Up: "impact.summary.activeUp", Down: "impact.summary.activeDown", Same: "impact.summary.activeSame" },
  hours: { Up: "impact.summary.hoursUp", Down: "impact.summary.hoursDown", Same: "impact.summary.hoursSame" },
} as const;
const GAP_KEYS = { lower: "reports.summary.gapLower", higher: "reports.summary.gapHigher", withinChance: "reports.summary.gapWithinChance" } as const;

export function impactSummary(report: Omit<ImpactReport, "summary" | "published">): SummaryLine[] {
  const lines: SummaryLine[] = [];
  const { total } = report.reach;
  const { thisYear, lastYear } = report.growth;

  if (total.participationRate !== null) {
    lines.push({ key: "impact.summary.reach", values: { active: total.active.value, enrolled: total.enrolled.value, rate: percent(total.participationRate) } });
  } else {
    lines.push({ key: "impact.summary.reachSmall", values: { active: total.active.value, enrolled: total.enrolled.value } });
  }
  if (total.populationRate !== null) lines.push({ key: "impact.summary.population", values: { rate: percent(total.populationRate) } });

  if (lastYear) {
    const values = (now: number, before: number) => ({ now, before, change: Math.abs(now - before) });
    lines.push({
      key: CHANGE_KEYS.active[direction(thisYear.active.value - lastYear.active.value, COUNT_CHANGE_NOISE)],
      values: values(thisYear.active.value, lastYear.active.value),
    });
    lines.push({
      key: CHANGE_KEYS.enrolled[direction(thisYear.enrolled.value - lastYear.enrolled.value, COUNT_CHANGE_NOISE)],
      values: values(thisYear.enrolled.value, lastYear.enrolled.value),
    });
    if (thisYear.hours !== null && lastYear.hours !== null) {
      lines.push({ key: CHANGE_KEYS.hours[direction(thisYear.hours - lastYear.hours, HOURS_CHANGE_NOISE)], values: values(thisYear.hours, lastYear.hours) });
    }
  } else {
    lines.push({ key: "impact.summary.noLastYear", values: {} });
  }

  const persistence = report.persistence.total;
  if (report.persistence.lastYearId && persistence.rate !== null) {
    lines.push({ key: "impact.summary.persistence", values: { rate: percent(persistence.rate), children: persistence.activeLastYear.value } });
  }

  const gap = gapTemplate(report.reach.gap);
  lines.push(gap ? { key: GAP_KEYS[gap.verdict], values: gap.values } : { key: "reports.summary.gapHidden", values: {} });

  const { offer } = report;
  if (offer.activities > 0) {
    lines.push({
      key: "impact.summary.offer",
      values: { activities: offer.activities, free: percent(offer.freeOrLowCostShare), welsh: percent(offer.welshShare) },
    });
  }

  // Caveats.
  const smallGroups = [...report.reach.byQuintile, ...report.reach.byLocalAuthority, ...report.reach.bySchool].some((row) => row.participationRate === null);
  if (smallGroups) lines.push({ key: "impact.summary.caveatSmall", values: { minimum: PRECISION.minimumForDerived } });
  if (report.inProgress) lines.push({ key: "impact.summary.caveatInProgress", values: {} });
  lines.push({ key: "impact.summary.caveatRounding", values: { base: PRECISION.base, within: PRECISION.count } });
  return lines;
}
