import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DB } from "~/modules/db/database.server";
import { equityReport, quintileGapTrend, type EquityReport } from "~/modules/reports/equity.server";
import { EQUITY_FROM, EQUITY_TO, seedEquityFixture } from "../support/equity-fixture";
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
  it("counts enrolled, active, hours and awards exactly, with small numbers hidden", async () => {
    const report = await equityReport(db, { areaId: fixture.north.id }, { ...period, by: "quintile" });
    expect(report.rows.map((r) => r.key)).toEqual(["1", "2", "3", "4", "5", null]);
    const q1 = row(report, "1");
    expect(q1.enrolled).toEqual({ value: 12, shown: "12" });
    expect(q1.active).toEqual({ value: 6, shown: "6" });
    expect(q1.participationRate).toBe(0.5);
    expect(q1.hours).toBe(8);
    expect(q1.hoursPerEnrolled).toBe(0.6667);
    expect(q1.medianHoursPerActive).toBe(1);
    expect(q1.enrolledShare).toBe(0.375);
    const q5 = row(report, "5");
    expect(q5.enrolled?.value).toBe(15);
    expect(q5.active.value).toBe(9);
    expect(q5.hours).toBe(9);
    expect(q5.participationRate).toBe(0.6);
    // Quintile 3 (3 enrolled, 1 active) and "not known" (2, 0) are small: hidden, rates too.
    for (const key of ["2", "3", "4", null]) {
      const r = row(report, key);
      expect(r.enrolled).toEqual({ value: null, shown: "<5" });
      expect(r.active).toEqual({ value: null, shown: "<5" });
      expect(r.participationRate).toBeNull();
      expect(r.hours).toBeNull();
      expect(r.medianHoursPerActive).toBeNull();
    }
    expect(report.total.enrolled?.value).toBe(32);
    expect(report.total.active.value).toBe(16);
    expect(report.total.hours).toBe(18);
    expect(report.total.participationRate).toBe(0.5);
    expect(report.total.medianHoursPerActive).toBe(1);
    // One award reached in the term: too few to show anywhere.
    expect(q1.awards).toEqual({ value: null, shown: "<5" });
    expect(report.total.awards?.shown).toBe("<5");
    // The count from quintiles 1–2 is for provider and category breakdowns only.
    expect(report.total.activeMostDeprived).toBeNull();
  });

  it("compares quintile 1 with quintile 5 as a ratio and a difference", async () => {
    const report = await equityReport(db, { areaId: fixture.north.id }, { ...period, by: "quintile" });
    // 6 of 12 (Wilson 25% to 75%) against 9 of 15 (36% to 80%): 10 points lower, −42 to +25
    // (Newcombe: −0.1 ∓ √(0.2462² + 0.2018²) and √(0.2462² + 0.2425²)), well within chance.
    expect(report.gap).toEqual({
      participationRatio: 0.83,
      participationDifference: -0.1,
      hoursRatio: 1.11,
      hoursDifference: 0.07,
      q1: { rate: 0.5, low: 0.2538, high: 0.7462 },
      q5: { rate: 0.6, low: 0.3575, high: 0.8018 },
      participationDifferenceInterval: { low: -0.4183, high: 0.2456 },
      verdict: "withinChance",
    });
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
    const south = await equityReport(db, { areaId: fixture.south.id }, { ...period, by: "quintile" });
    expect(south.total.enrolled).toEqual({ value: null, shown: "<5" });
    const north = await equityReport(db, { areaId: fixture.north.id }, { ...period, by: "la" });
    expect(north.rows.map((r) => r.key)).toEqual(["W06000006", null]);
    expect(north.rows[0]!.name?.en).toBeTruthy();
    // "Not known" (2 children) is small, and with only two rows the area's own row would give
    // it away from the total: both are hidden, the total (32) stays.
    expect(north.rows[0]!.enrolled).toEqual({ value: null, shown: "*" });
    expect(north.rows[0]!.active).toEqual({ value: null, shown: "*" });
    expect(north.rows[1]!.enrolled).toEqual({ value: null, shown: "<5" });
    expect(north.total.enrolled?.value).toBe(32);
  });

  it("leaves out credits before the period and revoked credits", async () => {
    const report = await equityReport(db, { areaId: fixture.north.id }, { from: "2026-08-01", to: "2026-08-31", by: "quintile" });
    // Only one credit in August: everything is small.
    expect(report.total.active).toEqual({ value: null, shown: "<5" });
    // Both withdrawn children left in November: in August they were still enrolled.
    expect(report.total.enrolled?.value).toBe(33);
  });
});

describe("equity report, by provider and category", () => {
  it("counts participants per provider, hiding the small group and what would give it away", async () => {
    const report = await equityReport(db, { areaId: fixture.north.id }, { ...period, by: "provider" });
    const p0 = row(report, fixture.north.providers[0]!.id);
    const p1 = row(report, fixture.north.providers[1]!.id);
    expect(p0.name?.en).toBe("north provider 1");
    expect(p0.enrolled).toBeNull();
    // Provider 1 reached 2 children: hidden. With only two providers, provider 0's 15 could
    // give it away from the total (16) were no child at both, so it is hidden too.
    expect(p1.active).toEqual({ value: null, shown: "<5" });
    expect(p1.hours).toBeNull();
    expect(p0.active).toEqual({ value: null, shown: "*" });
    expect(p0.hours).toBeNull();
    expect(p0.activeMostDeprived?.value).toBeNull();
    expect(report.total.active.value).toBe(16);
    expect(report.total.hours).toBe(18);
  });

  it("counts participants per category", async () => {
    const report = await equityReport(db, { areaId: fixture.north.id }, { ...period, by: "category" });
    expect(report.rows).toHaveLength(1);
    expect(report.rows[0]).toMatchObject({ key: "sport", active: { value: 16 }, hours: 18, activeMostDeprived: { value: 6 }, activeMostDeprivedShare: 0.375 });
  });
});

describe("equity report scopes", () => {
  it("a school sees only its own pupils", async () => {
    const report = await equityReport(db, { areaId: fixture.north.id, schoolId: fixture.north.schools[0]!.id }, { ...period, by: "quintile" });
    expect(report.scope).toBe("school");
    expect(row(report, "1").enrolled?.value).toBe(12);
    expect(report.total.enrolled?.value).toBe(13);
    expect(report.total.active.value).toBe(7);
    expect(report.total.hours).toBe(9);
    const bySchool = await equityReport(db, { areaId: fixture.north.id, schoolId: fixture.north.schools[0]!.id }, { ...period, by: "school" });
    expect(bySchool.rows.map((r) => r.key)).toEqual([fixture.north.schools[0]!.id]);
  });

  it("a provider sees only its own participants and its own credits", async () => {
    const report = await equityReport(db, { areaId: fixture.north.id, providerId: fixture.north.providers[0]!.id }, { ...period, by: "quintile" });
    expect(report.scope).toBe("provider");
    // A provider's enrolled children are those who took part with it in the term (quintile
    // 1's child whose only credit with it was in August is not), so all 15 took part.
    expect(row(report, "1").enrolled?.value).toBe(6);
    expect(row(report, "5").enrolled?.value).toBe(8);
    expect(report.total.enrolled?.value).toBe(15);
    // Nobody is enrolled without taking part: the "not active" cells are all 0, and the
    // active counts that would show it are hidden with them.
    expect(row(report, "1").active).toEqual({ value: null, shown: "*" });
    expect(report.total.active).toEqual({ value: null, shown: "*" });
    expect(report.total.hours).toBeNull();
    // By category, only this provider's credits count: 15 children, 15 hours.
    const byCategory = await equityReport(db, { areaId: fixture.north.id, providerId: fixture.north.providers[0]!.id }, { ...period, by: "category" });
    expect(byCategory.rows[0]).toMatchObject({ key: "sport", active: { value: 15 }, hours: 15 });
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
    // Autumn 2026 is the fixture's term; the others have no credits, so no rates to compare.
    expect(trend[1]).toMatchObject({ q1ParticipationRate: 0.5, q5ParticipationRate: 0.6, gap: { participationRatio: 0.83, participationDifference: -0.1 } });
    expect(trend[1]!.gap.verdict).toBe("withinChance");
    expect(trend[0]!.gap.participationRatio).toBeNull();
    expect(trend[0]!.gap.verdict).toBeNull();
    expect(trend[2]!.gap.participationRatio).toBeNull();
  });
});

describe("equity report by decile", () => {
  it("hides a decile whose pair would let it be worked out from the quintile report", async () => {
    const deciles = await equityReport(db, { areaId: fixture.north.id }, { ...period, by: "decile" });
    const quintiles = await equityReport(db, { areaId: fixture.north.id }, { ...period, by: "quintile" });
    expect(deciles.rows.map((r) => r.key)).toEqual(["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", null]);
    for (let q = 1; q <= 5; q++) {
      const [a, b] = [deciles.rows[2 * q - 2]!, deciles.rows[2 * q - 1]!];
      const quintile = quintiles.rows[q - 1]!;
      for (const field of ["enrolled", "active"] as const) {
        // Either both deciles of the pair are shown, or neither is: never one.
        expect(a[field]!.value === null, `${field} q${q}`).toBe(b[field]!.value === null);
        if (a[field]!.value !== null && quintile[field]!.value !== null) expect(a[field]!.value! + b[field]!.value!).toBe(quintile[field]!.value);
      }
    }
    expect(deciles.total.enrolled?.value).toBe(32);
  });
});
