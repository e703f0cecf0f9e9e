import { describe, expect, it } from "vitest";
import { differenceInterval, gapVerdict, roundedWilsonInterval, wilsonInterval } from "./intervals";

const rounded = ({ low, high }: { low: number; high: number }, places = 4) => [Number(low.toFixed(places)), Number(high.toFixed(places))];

describe("Wilson score interval (95%)", () => {
  it("gives the published values", () => {
    // 5 of 20: [0.112, 0.469] (Newcombe 1998, and any statistics package).
    expect(rounded(wilsonInterval(5, 20), 3)).toEqual([0.112, 0.469]);
    // Newcombe 1998, table I: 81/263 → 0.2553 to 0.3662; 0/10 → 0 to 0.2775; 10/10 → 0.7225 to 1.
    expect(rounded(wilsonInterval(81, 263))).toEqual([0.2553, 0.3662]);
    expect(rounded(wilsonInterval(0, 10))).toEqual([0, 0.2775]);
    expect(rounded(wilsonInterval(10, 10))).toEqual([0.7225, 1]);
  });

  it("widens to cover counts known only to within a few children", () => {
    const exact = wilsonInterval(10, 20);
    const widened = roundedWilsonInterval(10, 20, 4);
    expect(widened.low).toBeLessThan(exact.low);
    expect(widened.high).toBeGreaterThan(exact.high);
    // It is the interval of the extreme true counts: 6 of 24 at the bottom, 14 of 16 at the top.
    expect(widened.low).toBeCloseTo(wilsonInterval(6, 24).low, 10);
    expect(widened.high).toBeCloseTo(wilsonInterval(14, 16).high, 10);
    expect(roundedWilsonInterval(10, 20, 0)).toEqual(exact);
  });
});

describe("Newcombe's interval for a difference of proportions", () => {
  it("gives the published values", () => {
    // Newcombe 1998, table II, example (a): 56/70 − 48/80 = 0.2000, 95% CI 0.0524 to 0.3339.
    const d = differenceInterval(56 / 70, wilsonInterval(56, 70), 48 / 80, wilsonInterval(48, 80));
    expect(rounded(d)).toEqual([0.0524, 0.3339]);
    // Example (c): 5/56 − 0/29: −0.0381 to 0.1926 (an interval that includes 0).
    const e = differenceInterval(5 / 56, wilsonInterval(5, 56), 0, wilsonInterval(0, 29));
    expect(rounded(e)).toEqual([-0.0381, 0.1926]);
  });

  it("says when a difference is within chance", () => {
    expect(gapVerdict({ low: -0.3, high: -0.05 })).toBe("lower");
    expect(gapVerdict({ low: 0.05, high: 0.3 })).toBe("higher");
    expect(gapVerdict({ low: -0.0381, high: 0.1926 })).toBe("withinChance");
  });
});
