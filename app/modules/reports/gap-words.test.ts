import { describe, expect, it } from "vitest";
import { translator } from "../i18n/i18n";
import type { EquityGap } from "./equity-statistics";
import { gapSentence, signedPoints, trendSentence } from "./gap-words";
import { differenceInterval, gapVerdict, wilsonInterval } from "./intervals";

/** A gap as the report makes it, from active/enrolled counts of the two fifths. */
function gapOf([a1, n1]: [number, number], [a5, n5]: [number, number]): EquityGap {
  const q1 = { rate: a1 / n1, ...wilsonInterval(a1, n1) };
  const q5 = { rate: a5 / n5, ...wilsonInterval(a5, n5) };
  const interval = differenceInterval(q1.rate, q1, q5.rate, q5);
  return {
    participationRatio: q1.rate / q5.rate,
    participationDifference: q1.rate - q5.rate,
    hoursRatio: null,
    hoursDifference: null,
    q1,
    q5,
    participationDifferenceInterval: interval,
    verdict: gapVerdict(interval),
  };
}

const en = translator("en");
const cy = translator("cy");

describe("the gap in words", () => {
  it("says the most deprived fifth took part less, with the intervals, when chance cannot explain it", () => {
    // 5 of 20 (25%, 11% to 47%) against 15 of 20 (75%, 53% to 89%): 50 points, 19 to 70 (Newcombe).
    const gap = gapOf([5, 20], [15, 20]);
    expect(gap.verdict).toBe("lower");
    expect(gapSentence(gap, en)).toBe(
      "Children from the most deprived fifth took part less than children from the least deprived fifth: 25% of those enrolled in the most deprived fifth (11% to 47%); 75% in the least deprived fifth (53% to 89%). The gap of 50 percentage points (19 to 70 points) is more than chance would explain.",
    );
    expect(gapSentence(gap, cy)).toBe(
      "Cymerodd plant o'r pumed mwyaf difreintiedig lai o ran na phlant o'r pumed lleiaf difreintiedig: 25% o'r rhai wedi cofrestru yn y pumed mwyaf difreintiedig (11% i 47%); 75% yn y pumed lleiaf difreintiedig (53% i 89%). Mae'r bwlch o 50 pwynt canran (19 i 70 pwynt) yn fwy nag y gallai siawns ei esbonio.",
    );
  });

  it("says there are too few children to tell when the difference is within chance, in both languages", () => {
    const gap = gapOf([5, 20], [8, 20]);
    expect(gap.verdict).toBe("withinChance");
    const english = gapSentence(gap, en)!;
    expect(english).toContain("too few children to tell whether the two fifths differ");
    expect(english).toMatch(
      /^Of those enrolled, 25% took part in the most deprived fifth \(11% to 47%\); 40% in the least deprived fifth \(22% to 61%\)\. The most deprived fifth's rate could be anywhere from \d+ percentage points lower to \d+ points higher/,
    );
    expect(gapSentence(gap, cy)).toContain("mae rhy ychydig o blant i ddweud a yw'r ddau bumed yn wahanol");
    expect(trendSentence(gap, "Autumn term 2026", en)).toBe(
      "Autumn term 2026: fifth 1 25% (11% to 47%), fifth 5 40% (22% to 61%); too few children to tell whether the fifths differ.",
    );
    expect(trendSentence(gap, "Tymor yr hydref 2026", cy)).toBe(
      "Tymor yr hydref 2026: pumed 1 25% (11% i 47%), pumed 5 40% (22% i 61%); mae rhy ychydig o blant i ddweud a yw'r pumedau'n wahanol.",
    );
  });

  it("says more when the most deprived fifth took part more, and nothing when a side is hidden", () => {
    const gap = gapOf([45, 50], [20, 50]);
    expect(trendSentence(gap, "Spring term 2027", en)).toMatch(/^Spring term 2027: fifth 1 90% .*; fifth 1 took part more, by 50 points \(\d+ to \d+\)\.$/);
    expect(gapSentence({ ...gap, q5: null, verdict: null, participationDifferenceInterval: null }, en)).toBeNull();
    expect(signedPoints(-0.123)).toBe("−12");
    expect(signedPoints(0.05)).toBe("5");
  });
});
