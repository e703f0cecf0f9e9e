import { describe, expect, it } from "vitest";
import { receivedKey, translator } from "../../i18n/i18n";
import { COUNT_CHANGE_NOISE, HOURS_CHANGE_NOISE, impactSummary } from "./summary.server";

/** The summary's choice of sentence (ADR 0035), on hand-made published figures. */

const c = (value: number) => ({ value, shown: String(value) });
const gapLower = {
  participationRatio: 0.5,
  participationDifference: -0.3,
  hoursRatio: null,
  hoursDifference: null,
  q1: { rate: 0.3, low: 0.2, high: 0.4 },
  q5: { rate: 0.6, low: 0.5, high: 0.7 },
  participationDifferenceInterval: { low: -0.45, high: -0.15 },
  verdict: "lower" as const,
};
const noGap = { ...gapLower, q1: null, q5: null, participationDifferenceInterval: null, verdict: null };

function report(options: {
  active: [number, number] | null;
  enrolled?: [number, number];
  hours?: [number | null, number | null];
  gap?: object;
  rates?: boolean;
  inProgress?: boolean;
}) {
  const row = { key: "1", active: c(50), enrolled: c(100), participationRate: options.rates === false ? null : 0.5, populationRate: null };
  const period = (i: 0 | 1) => ({
    active: c(options.active?.[i] ?? 0),
    enrolled: c(options.enrolled?.[i] ?? 200),
    hours: options.hours ? options.hours[i] : 500,
  });
  return {
    reach: { total: { ...row, key: "total", participationRate: 0.5 }, byQuintile: [row], byLocalAuthority: [], bySchool: [], gap: options.gap ?? gapLower },
    growth: { thisYear: period(0), lastYear: options.active ? period(1) : null },
    persistence: { lastYearId: options.active ? "2024-25" : null, total: { activeLastYear: c(40), activeAgain: c(20), rate: 0.5 } },
    offer: { activities: 12, freeOrLowCostShare: 0.75, welshShare: 0.25 },
    inProgress: options.inProgress ?? false,
  } as never;
}
const keys = (r: never) => impactSummary(r).map((line) => line.key);

describe("the impact report's summary", () => {
  it("calls a change up or down only beyond two roundings, otherwise about the same", () => {
    expect(COUNT_CHANGE_NOISE).toBe(8);
    expect(HOURS_CHANGE_NOISE).toBe(9.5);
    expect(keys(report({ active: [110, 100] }))).toContain("impact.summary.activeUp");
    expect(keys(report({ active: [105, 100] }))).toContain("impact.summary.activeSame");
    expect(keys(report({ active: [92, 100] }))).toContain("impact.summary.activeSame");
    expect(keys(report({ active: [90, 100] }))).toContain("impact.summary.activeDown");
    expect(keys(report({ active: [100, 100], enrolled: [300, 200] }))).toContain("impact.summary.enrolledUp");
    expect(keys(report({ active: [100, 100], hours: [510, 500] }))).toContain("impact.summary.hoursUp");
    expect(keys(report({ active: [100, 100], hours: [505, 500] }))).toContain("impact.summary.hoursSame");
    expect(keys(report({ active: [100, 100], hours: [null, 500] })).some((key) => key.startsWith("impact.summary.hours"))).toBe(false);
    expect(keys(report({ active: null }))).toContain("impact.summary.noLastYear");
  });

  it("says where the gap is with the equity report's sentences, or that it cannot be shown", () => {
    expect(keys(report({ active: [100, 100] }))).toContain("reports.summary.gapLower");
    expect(keys(report({ active: [100, 100], gap: noGap }))).toContain("reports.summary.gapHidden");
  });

  it("adds the caveats: rounding always, small groups and an unfinished year when they apply", () => {
    const plain = keys(report({ active: [100, 100] }));
    expect(plain.at(-1)).toBe("impact.summary.caveatRounding");
    expect(plain).not.toContain("impact.summary.caveatSmall");
    expect(plain).not.toContain("impact.summary.caveatInProgress");
    const caveats = keys(report({ active: [100, 100], rates: false, inProgress: true }));
    expect(caveats).toContain("impact.summary.caveatSmall");
    expect(caveats).toContain("impact.summary.caveatInProgress");
  });

  it("words every sentence whole in Welsh and English, with every value filled in", () => {
    for (const r of [report({ active: [110, 100], hours: [400, 500], rates: false, inProgress: true }), report({ active: null, gap: noGap })]) {
      for (const line of impactSummary(r)) {
        for (const lang of ["cy", "en"] as const) {
          const text = translator(lang)(receivedKey(line.key), line.values);
          expect(text, `${lang} ${line.key}`).not.toBe(line.key);
          expect(text, `${lang} ${line.key}`).not.toMatch(/\{\{|undefined/);
          expect(text, `${lang} ${line.key}`).toMatch(/[.!]$/);
        }
      }
    }
    const [cy] = impactSummary(report({ active: [110, 100] })).filter((line) => line.key === "impact.summary.activeUp");
    expect(translator("cy")(receivedKey(cy!.key), cy!.values)).toBe(
      "Cymerodd mwy o blant ran nag yn y flwyddyn flaenorol (y flwyddyn hon: 110 o blant; y flwyddyn flaenorol: 100 o blant; cynnydd o 10).",
    );
  });
});
