import { describe, expect, it } from "vitest";
import { CELL_KEY_MODULUS, cellKey, MINIMUM_FOR_DERIVED, protectCount, protectedRate, protectHours, protectMedian, pTable } from "./disclosure.server";
import { academicYearOf, isPublishedPeriod, publishedPeriod, publishedPeriodOf, recentPublishedPeriods } from "./published-periods";

const keys = Array.from({ length: CELL_KEY_MODULUS }, (_, key) => key);

describe("the p-table", () => {
  it("publishes a multiple of 5 within 4 of every count, keeps multiples of 5 (0 too) as they are, and is unbiased over the keys", () => {
    for (let value = 0; value <= 60; value++) {
      const published = keys.map((key) => pTable(value, key));
      for (const figure of published) {
        expect(figure % 5).toBe(0);
        expect(Math.abs(figure - value)).toBeLessThanOrEqual(4);
      }
      if (value % 5 === 0) expect(new Set(published)).toEqual(new Set([value]));
      // On average over the keys the published figure is the true one (to the key's 1/256 step).
      const mean = published.reduce((sum, figure) => sum + figure, 0) / keys.length;
      expect(Math.abs(mean - value)).toBeLessThan(5 / CELL_KEY_MODULUS + 1e-9);
    }
  });

  it("never publishes 1 to 4: a small count is 0 or 5", () => {
    for (let value = 1; value <= 4; value++) expect(new Set(keys.map((key) => pTable(value, key)))).toEqual(new Set([0, 5]));
  });

  it("gives the same figure for the same records, whatever their order; the cell key is their keys' sum mod 256", () => {
    expect(cellKey({ count: 3, keySum: 200 + 100 + 7 })).toBe(51);
    expect(protectCount({ count: 3, keySum: 307 })).toEqual(protectCount({ count: 3, keySum: 51 }));
    expect(protectCount({ count: 12, keySum: 0 })).toEqual({ value: 15, shown: "15" });
    expect(protectCount({ count: 12, keySum: 255 })).toEqual({ value: 10, shown: "10" });
    expect(() => protectCount({ count: -1, keySum: 0 })).toThrow();
  });

  it("rounds hours with the key through a permutation, and shows hours, rates and medians only for groups published as at least 10", () => {
    const ten = protectCount({ count: 10, keySum: 0 });
    const five = protectCount({ count: 5, keySum: 0 });
    expect(protectHours(43, { count: 10, keySum: 0 }, five)).toBeNull();
    const hours = keys.map((key) => protectHours(43, { count: 10, keySum: key }, ten)!);
    for (const figure of hours) expect([10, 15]).toContain(figure);
    // The hours' rounding does not follow the count's: some keys round the count down and the hours up.
    expect(keys.some((key) => pTable(12, key) === 10 && protectHours(43, { count: 12, keySum: key }, ten) === 15)).toBe(true);
    expect(protectMedian(6, five)).toBeNull();
    expect(protectMedian(6, ten)).toBe(1.5);
    expect(protectedRate(ten, five)).toBeNull();
    expect(protectedRate(protectCount({ count: 15, keySum: 0 }), ten)).toBe(1); // never above 1
    expect(MINIMUM_FOR_DERIVED).toBe(10);
  });
});

describe("published periods", () => {
  it("are terms and academic years by name, from 2019–20 up to the one that has started", () => {
    expect(publishedPeriod("2026-autumn", "2026-12-03")).toMatchObject({ from: "2026-09-01", to: "2026-12-31", kind: "term" });
    expect(publishedPeriod("2026-spring", "2026-12-03")).toMatchObject({ from: "2026-01-01", to: "2026-03-31" });
    expect(publishedPeriod("2026-summer", "2026-12-03")).toMatchObject({ from: "2026-04-01", to: "2026-08-31" });
    expect(publishedPeriod("2026-27", "2026-12-03")).toMatchObject({ from: "2026-09-01", to: "2027-08-31", kind: "year" });
    expect(publishedPeriod("2027-spring", "2026-12-03")).toBeNull(); // not started
    expect(publishedPeriod("2018-19", "2026-12-03")).toBeNull(); // before 2019–20
    expect(publishedPeriod("2026-28", "2026-12-03")).toBeNull();
    expect(publishedPeriod("autumn", "2026-12-03")).toBeNull();
    expect(academicYearOf("2027-08-31").id).toBe("2026-27");
  });

  it("knows a term or a year by its dates, and nothing else", () => {
    expect(publishedPeriodOf("2026-09-01", "2026-12-31")?.id).toBe("2026-autumn");
    expect(publishedPeriodOf("2026-09-01", "2027-08-31")?.id).toBe("2026-27");
    expect(isPublishedPeriod("2026-09-01", "2026-12-30")).toBe(false);
    expect(isPublishedPeriod("2026-09-02", "2026-12-31")).toBe(false);
  });

  it("lists this academic year and the two before, each with its started terms, newest first", () => {
    expect(recentPublishedPeriods("2026-12-03").map((period) => period.id)).toEqual([
      "2026-27",
      "2026-autumn",
      "2025-26",
      "2026-summer",
      "2026-spring",
      "2025-autumn",
      "2024-25",
      "2025-summer",
      "2025-spring",
      "2024-autumn",
    ]);
  });
});
