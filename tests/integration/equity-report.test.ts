import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DB } from "~/modules/db/database.server";
import { equityReport, quintileGapTrend, type EquityReport } from "~/modules/reports/equity.server";
import { EQUITY_FROM, EQUITY_TO, seedEquityFixture } from "../support/equity-fixture";
import { roundedWilsonInterval } from "~/modules/reports/intervals";
import { reportWithTruth } from "../support/tallies";
import { createTestDatabase } from "../support/test-database";

let db: DB;
let close: () => Promise<void>;
let fixture: Awaited<ReturnType<typeof seedEquityFixture>>;

beforeAll(async () => {
  ({ db, close } = await createTestDatabase());
  fixture = await seedEquityFixture(db);
});
afterAll(async () => close());

const row = (report: EquityReport, key: string | null) => report.rows.find((r) => r.key === key)!;
const period = { from: EQUITY_FROM, to: EQUITY_TO };

describe("equity report, whole area by quintile", () => {
  it("counts enrolled, active, hours and awards exactly, and publishes them through disclosure control", async () => {
    const { report, truth, expectPublished } = await reportWithTruth(db, { areaId: fixture.north.id }, { ...period, by: "quintile" });
    expect(report.rows.map((r) => r.key)).toEqual(["1", "2", "3", "4", "5", null]);
    const count = (key: string | null | "total") => {
      const t = truth(key);
      return [t.enrolled.count, t.active.count, t.quarter_hours / 4, t.awards.count];
    };
    expect(count("1")).toEqual([12, 6, 8, 1]);
    expect(count("3")).toEqual([3, 1, 1, 0]);
    expect(count("5")).toEqual([15, 9, 9, 0]);
    expect(count(null)).toEqual([2, 0, 0, 0]);
    expect(count("total")).toEqual([32, 16, 18, 1]);
    expect(truth("1").median_quarter_hours).toBe(4);
    expectPublished();
    // Published figures: multiples of 5 within 4 of the truth; rates from the published counts.
    const q1 = row(report, "1");
    expect(Math.abs(q1.enrolled!.value - 12)).toBeLessThanOrEqual(4);
    expect(q1.participationRate).toBe(Math.round((q1.active.value / q1.enrolled!.value) * 10000) / 10000);
    // Quintiles 2 to 4 and "not known" are small: 0 or 5, and no rates or hours for them.
    for (const key of ["2", "3", "4", null]) {
      const r = row(report, key);
      expect([0, 5]).toContain(r.enrolled!.value);
      expect(r.participationRate).toBeNull();
      expect(r.hours).toBeNull();
      expect(r.medianHoursPerActive).toBeNull();
    }
    // The count from quintiles 1–2 is for provider and category breakdowns only.
    expect(report.total.activeMostDeprived).toBeNull();
    expect(report.precision).toMatchObject({ base: 5, count: 4 });
  });

  it("compares quintile 1 with quintile 5 from the published rates", async () => {
    const report = await equityReport(db, { areaId: fixture.north.id }, { ...period, by: "quintile" });
    const [q1, q5] = [row(report, "1"), row(report, "5")];
    if (q1.participationRate !== null && q5.participationRate) {
      expect(report.gap.participationRatio).toBe(Math.round((q1.participationRate / q5.participationRate) * 100) / 100);
      expect(report.gap.participationDifference).toBe(Math.round((q1.participationRate - q5.participationRate) * 10000) / 10000);
      // Each fifth's Wilson interval, widened to cover the rounding of its published counts (within 4 children).
      const wilson = roundedWilsonInterval(Math.min(q1.active.value, q1.enrolled!.value), q1.enrolled!.value, 4);
      expect(report.gap.q1).toEqual({ rate: q1.participationRate, low: Math.round(wilson.low * 10000) / 10000, high: Math.round(wilson.high * 10000) / 10000 });
      // 6 of 12 against 9 of 15: within chance, the more so with the rounding.
      expect(report.gap.verdict).toBe("withinChance");
    } else expect(report.gap.participationRatio).toBeNull();
  });

  it("gives the area's share of 2021 LSOAs in each WIMD 2025 quintile as the fair share (Wrexham: 15, 12, 19, 20, 18 of 84)", async () => {
    const counts = await db
      .selectFrom("lsoa21")
      .select(["wimd_quintile"])
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("la_code", "=", "W06000006")
      .groupBy("wimd_quintile")
      .execute();
    const all = counts.reduce((sum, c) => sum + Number(c.n), 0);
    const report = await equityReport(db, { areaId: fixture.north.id }, { ...period, by: "quintile" });
    for (const c of counts) expect(row(report, String(c.wimd_quintile)).fairShare).toBeCloseTo(Number(c.n) / all, 4);
    expect(row(report, null).fairShare).toBeNull();
    expect([1, 2, 3, 4, 5].map((q) => row(report, String(q)).fairShare)).toEqual([15, 12, 19, 20, 18].map((n) => Math.round((n / 84) * 10000) / 10000));
    // WIMD 2019 on the 2011 LSOAs, when asked for: Wrexham's 85 (10, 21, 15, 20, 19).
    const old = await equityReport(db, { areaId: fixture.north.id }, { ...period, by: "quintile", edition: "wimd2019" });
    expect(old.edition).toBe("wimd2019");
    expect(report.edition).toBe("wimd2025");
    expect([1, 2, 3, 4, 5].map((q) => row(old, String(q)).fairShare)).toEqual([10, 21, 15, 20, 19].map((n) => Math.round((n / 85) * 10000) / 10000));
  });

  it("never counts another area's children or credits", async () => {
    const south = await reportWithTruth(db, { areaId: fixture.south.id }, { ...period, by: "quintile" });
    expect(south.truth("total").enrolled.count).toBe(2);
    south.expectPublished();
    const north = await reportWithTruth(db, { areaId: fixture.north.id }, { ...period, by: "la" });
    expect(north.report.rows.map((r) => r.key)).toEqual(["W06000006", null]);
    expect(north.report.rows[0]!.name?.en).toBeTruthy();
    expect([north.truth("W06000006").enrolled.count, north.truth(null).enrolled.count, north.truth("total").enrolled.count]).toEqual([30, 2, 32]);
    north.expectPublished();
  });

  it("leaves out credits before the period and revoked credits", async () => {
    const { truth, expectPublished } = await reportWithTruth(db, { areaId: fixture.north.id }, { from: "2026-08-01", to: "2026-08-31", by: "quintile" });
    expect(truth("total").active.count).toBe(1); // only one credit in August
    // Both withdrawn children left in November: in August they were still enrolled.
    expect(truth("total").enrolled.count).toBe(33);
    expectPublished();
  });
});

describe("equity report, by provider and category", () => {
  it("counts participants per provider, each a cell of its own", async () => {
    const { report, truth, expectPublished } = await reportWithTruth(db, { areaId: fixture.north.id }, { ...period, by: "provider" });
    const [p0, p1] = [fixture.north.providers[0]!.id, fixture.north.providers[1]!.id];
    expect(row(report, p0).name?.en).toBe("north provider 1");
    expect(row(report, p0).enrolled).toBeNull();
    expect([truth(p0).active.count, truth(p0).quarter_hours / 4, truth(p1).active.count, truth(p1).quarter_hours / 4]).toEqual([15, 15, 2, 3]);
    expect([truth("total").active.count, truth("total").quarter_hours / 4, truth("total").active_deprived.count]).toEqual([16, 18, 6]);
    expectPublished();
    // Provider 1 reached 2 children: no hours or rates for so few.
    expect(row(report, p1).hours).toBeNull();
    expect(row(report, p1).hoursPerActive).toBeNull();
    expect(report.total.activeMostDeprived).not.toBeNull();
  });

  it("counts participants per category", async () => {
    const { report, truth, expectPublished } = await reportWithTruth(db, { areaId: fixture.north.id }, { ...period, by: "category" });
    expect(report.rows).toHaveLength(1);
    expect([truth("sport").active.count, truth("sport").quarter_hours / 4, truth("sport").active_deprived.count]).toEqual([16, 18, 6]);
    // The same children as the total: the same figure (one cell key for one set of children).
    expect(report.rows[0]!.active).toEqual(report.total.active);
    expectPublished();
  });
});

describe("equity report scopes", () => {
  it("a school sees only its own pupils", async () => {
    const { report, truth, expectPublished } = await reportWithTruth(
      db,
      { areaId: fixture.north.id, schoolId: fixture.north.schools[0]!.id },
      { ...period, by: "quintile" },
    );
    expect(report.scope).toBe("school");
    expect([truth("1").enrolled.count, truth("total").enrolled.count, truth("total").active.count, truth("total").quarter_hours / 4]).toEqual([12, 13, 7, 9]);
    expectPublished();
    const bySchool = await equityReport(db, { areaId: fixture.north.id, schoolId: fixture.north.schools[0]!.id }, { ...period, by: "school" });
    expect(bySchool.rows.map((r) => r.key)).toEqual([fixture.north.schools[0]!.id]);
  });

  it("a provider sees only its own participants and its own credits", async () => {
    const scope = { areaId: fixture.north.id, providerId: fixture.north.providers[0]!.id };
    const { report, truth, expectPublished } = await reportWithTruth(db, scope, { ...period, by: "quintile" });
    expect(report.scope).toBe("provider");
    // A provider's enrolled children are those who took part with it in the term (quintile
    // 1's child whose only credit with it was in August is not), so all 15 took part.
    expect([truth("1").enrolled.count, truth("5").enrolled.count, truth("total").enrolled.count, truth("total").active.count]).toEqual([6, 8, 15, 15]);
    expectPublished();
    // Nobody is enrolled without taking part: the same children, so the same published figure.
    expect(report.total.active).toEqual(report.total.enrolled);
    // By category, only this provider's credits count: 15 children, 15 hours.
    const byCategory = await reportWithTruth(db, scope, { ...period, by: "category" });
    expect([byCategory.truth("sport").active.count, byCategory.truth("sport").quarter_hours / 4]).toEqual([15, 15]);
    byCategory.expectPublished();
    const other = await equityReport(db, { areaId: fixture.north.id, providerId: fixture.north.providers[1]!.id }, { ...period, by: "provider" });
    expect(other.rows.map((r) => r.key)).toEqual([fixture.north.providers[1]!.id]);
  });
});

describe("the gap over terms", () => {
  it("gives the quintile 1 vs 5 gap for each of the last terms, oldest first", async () => {
    const trend = await quintileGapTrend(db, { areaId: fixture.north.id }, "2027-02-10", 3);
    expect(trend.map((t) => [t.term, t.year, t.from, t.to])).toEqual([
      ["summer", 2026, "2026-04-01", "2026-08-31"],
      ["autumn", 2026, "2026-09-01", "2026-12-31"],
      ["spring", 2027, "2027-01-01", "2027-03-31"],
    ]);
    // Autumn 2026 is the fixture's term, with the report's own published rates; the others have no credits.
    const autumn = await equityReport(db, { areaId: fixture.north.id }, { from: "2026-09-01", to: "2026-12-31", by: "quintile" });
    expect(trend[1]).toMatchObject({
      q1ParticipationRate: row(autumn, "1").participationRate,
      q5ParticipationRate: row(autumn, "5").participationRate,
      gap: autumn.gap,
    });
    // Summer 2026 holds one credit (31 August): its published figures are the summer report's, whichever
    // way that one child's cell key rounds them (0 or 5), never the true 1.
    const summer = await equityReport(db, { areaId: fixture.north.id }, { from: "2026-04-01", to: "2026-08-31", by: "quintile" });
    expect(trend[0]).toMatchObject({
      q1ParticipationRate: row(summer, "1").participationRate,
      q5ParticipationRate: row(summer, "5").participationRate,
      gap: summer.gap,
    });
    expect(trend[0]!.q5ParticipationRate).toBe(0);
    // No credits in spring 2027: both fifths publish 0, so there is no ratio to give.
    expect([trend[2]!.q1ParticipationRate, trend[2]!.q5ParticipationRate]).toEqual([0, 0]);
    expect(trend[2]!.gap.verdict).toBe("withinChance");
    expect(trend[2]!.gap.participationRatio).toBeNull();
  });
});

describe("equity report by decile", () => {
  it("gives the same figure for the same children: a decile holding all of its quintile's children publishes the quintile's figure", async () => {
    const deciles = await reportWithTruth(db, { areaId: fixture.north.id }, { ...period, by: "decile" });
    const quintiles = await equityReport(db, { areaId: fixture.north.id }, { ...period, by: "quintile" });
    expect(deciles.report.rows.map((r) => r.key)).toEqual(["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", null]);
    deciles.expectPublished();
    for (let q = 1; q <= 5; q++) {
      for (const [d, other] of [
        [2 * q - 1, 2 * q],
        [2 * q, 2 * q - 1],
      ] as Array<[number, number]>) {
        if (deciles.truth(String(other)).enrolled.count === 0) expect(deciles.report.rows[d - 1]!.enrolled).toEqual(quintiles.rows[q - 1]!.enrolled);
      }
    }
    expect(deciles.report.total.enrolled).toEqual(quintiles.total.enrolled);
  });
});
